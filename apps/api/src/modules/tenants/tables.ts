import { sql } from 'drizzle-orm';
import { check, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

/** A salon brand. Every business row in Lumi carries the id of the tenant it belongs to. */
export const tenants = pgTable('tenants', {
  id: uuid().primaryKey().default(sql`gen_random_uuid()`),
  slug: text().notNull().unique(),
  name: text().notNull(),
  /** Business rules a salon owner tunes (bonus rules, confirmation mode, thresholds); validated by zod on read. */
  settings: jsonb().notNull().default({}),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const stores = pgTable(
  'stores',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    name: text().notNull(),
    /** Short code unique within the tenant (S01, S02 …); it starts every bill number of the store. */
    code: text().notNull(),
    address: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Lets child tables reference (tenant_id, store_id) so a row can never point at another tenant's store.
    unique('stores_tenant_id_id_key').on(t.tenantId, t.id),
    unique('stores_tenant_code_key').on(t.tenantId, t.code),
    check('stores_code_format', sql`${t.code} ~ '^[A-Z0-9]{1,8}$'`),
  ],
);
