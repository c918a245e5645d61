import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/tables.ts';

/** A treatment the salon performs (面部护理, 光子嫩肤 …), priced in fen. */
export const services = pgTable(
  'services',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    name: text().notNull(),
    category: text().notNull(),
    priceFen: bigint({ mode: 'number' }).notNull(),
    durationMinutes: integer().notNull().default(60),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('services_tenant_id_id_key').on(t.tenantId, t.id),
    check('services_price_check', sql`${t.priceFen} >= 0`),
  ],
);

/** Retail goods sold at the till or in the shop; stock is decremented by checkout. */
export const products = pgTable(
  'products',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    name: text().notNull(),
    category: text().notNull(),
    priceFen: bigint({ mode: 'number' }).notNull(),
    stock: integer().notNull().default(0),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('products_tenant_id_id_key').on(t.tenantId, t.id),
    check('products_price_check', sql`${t.priceFen} >= 0`),
    check('products_stock_check', sql`${t.stock} >= 0`),
  ],
);

/** A package card on sale: N sessions of one service for a price, valid for some days after purchase. */
export const packagePlans = pgTable(
  'package_plans',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    serviceId: uuid().notNull(),
    name: text().notNull(),
    sessions: integer().notNull(),
    priceFen: bigint({ mode: 'number' }).notNull(),
    validDays: integer().notNull(),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('package_plans_tenant_id_id_key').on(t.tenantId, t.id),
    check('package_plans_check', sql`${t.sessions} > 0 and ${t.priceFen} >= 0 and ${t.validDays} > 0`),
    foreignKey({ columns: [t.tenantId, t.serviceId], foreignColumns: [services.tenantId, services.id] }),
  ],
);
