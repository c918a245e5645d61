import { sql } from 'drizzle-orm';
import { jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

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
    address: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // Lets child tables reference (tenant_id, store_id) so a row can never point at another tenant's store.
  (t) => [unique('stores_tenant_id_id_key').on(t.tenantId, t.id)],
);
