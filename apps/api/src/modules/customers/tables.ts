import { sql } from 'drizzle-orm';
import {
  date,
  foreignKey,
  index,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { stores, tenants } from '../tenants/tables.ts';

export const gender = pgEnum('gender', ['female', 'male', 'unknown']);

export const customers = pgTable(
  'customers',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    name: text(),
    phone: text(),
    gender: gender().notNull().default('unknown'),
    birthday: date({ mode: 'string' }),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    /** What the customer agreed to: marketing messages, SMS, data analysis. Absent means no. */
    consents: jsonb().$type<Record<string, boolean>>().notNull().default({}),
    homeStoreId: uuid(),
    // Millisecond precision so the keyset cursor (created_at, id) survives a round trip through JS Dates.
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    unique('customers_tenant_id_id_key').on(t.tenantId, t.id),
    uniqueIndex('customers_tenant_phone_key').on(t.tenantId, t.phone).where(sql`${t.phone} is not null`),
    index('customers_tenant_created_idx').on(t.tenantId, t.createdAt, t.id),
    foreignKey({ columns: [t.tenantId, t.homeStoreId], foreignColumns: [stores.tenantId, stores.id] }),
  ],
);

/** A customer's openid in one mini-program (appid). One customer may reach Lumi from several apps. */
export const customerIdentities = pgTable(
  'customer_identities',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    appId: text().notNull(),
    openid: text().notNull(),
    unionid: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('customer_identities_app_openid_key').on(t.tenantId, t.appId, t.openid),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
  ],
);
