import { sql } from 'drizzle-orm';
import {
  bigint,
  date,
  foreignKey,
  index,
  jsonb,
  pgEnum,
  pgSequence,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { staff } from '../staff/tables.ts';
import { stores, tenants } from '../tenants/tables.ts';

export const gender = pgEnum('gender', ['female', 'male', 'unknown']);

/** Member numbers (会员号) come from one sequence: unique everywhere, short enough to read out at the counter. */
export const customerMemberNo = pgSequence('customer_member_no_seq', { startWith: 100001 });

export const customers = pgTable(
  'customers',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    memberNo: bigint({ mode: 'number' }).notNull().default(sql`nextval('customer_member_no_seq')`),
    name: text(),
    phone: text(),
    gender: gender().notNull().default('unknown'),
    birthday: date({ mode: 'string' }),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    /** What the customer agreed to: marketing messages, SMS, data analysis. Absent means no. */
    consents: jsonb().$type<Record<string, boolean>>().notNull().default({}),
    homeStoreId: uuid(),
    /** Where the front desk says the customer came from (CustomerSource); null for WeChat sign-ups. */
    source: text(),
    /**
     * Set when this WeChat sign-up was absorbed by the customer the front desk had registered with the same
     * phone: the row stays (so nothing pointing at it dangles) but is no longer a customer anyone sees.
     */
    mergedIntoId: uuid(),
    // Millisecond precision so the keyset cursor (created_at, id) survives a round trip through JS Dates.
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    unique('customers_tenant_id_id_key').on(t.tenantId, t.id),
    uniqueIndex('customers_tenant_phone_key').on(t.tenantId, t.phone).where(sql`${t.phone} is not null`),
    index('customers_tenant_created_idx').on(t.tenantId, t.createdAt, t.id),
    foreignKey({ columns: [t.tenantId, t.homeStoreId], foreignColumns: [stores.tenantId, stores.id] }),
    foreignKey({ columns: [t.tenantId, t.mergedIntoId], foreignColumns: [t.tenantId, t.id] }),
    // The few merged customers, found without reading every customer (segmentation maps their visits).
    index('customers_merged_into_idx').on(t.tenantId, t.mergedIntoId).where(sql`${t.mergedIntoId} is not null`),
    unique('customers_tenant_member_no_key').on(t.tenantId, t.memberNo),
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

/** What staff write down about a customer (preferences, allergies, how a treatment went). Append-only. */
export const customerNotes = pgTable(
  'customer_notes',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    authorId: uuid().notNull(),
    body: text().notNull(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('customer_notes_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ columns: [t.tenantId, t.authorId], foreignColumns: [staff.tenantId, staff.id] }),
  ],
);
