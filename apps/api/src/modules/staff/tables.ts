import { sql } from 'drizzle-orm';
import {
  boolean,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { stores, tenants } from '../tenants/tables.ts';

export const staffRole = pgEnum('staff_role', ['owner', 'manager', 'beautician']);

export const staff = pgTable(
  'staff',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    name: text().notNull(),
    // Staff sign in with their phone alone, so a phone identifies one staff account across all tenants.
    phone: text().notNull().unique(),
    passwordHash: text().notNull(),
    role: staffRole().notNull(),
    active: boolean().notNull().default(true),
    failedLogins: integer().notNull().default(0),
    lockedUntil: timestamp({ withTimezone: true }),
    /** Their openid in the staff mini-program, bound after login (POST /staff/me/wechat): where 审批 alerts go. */
    wechatOpenid: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('staff_tenant_id_id_key').on(t.tenantId, t.id),
    index('staff_tenant_idx').on(t.tenantId),
    uniqueIndex('staff_wechat_openid_key').on(t.wechatOpenid),
  ],
);

export const staffStores = pgTable(
  'staff_stores',
  {
    tenantId: uuid().notNull(),
    staffId: uuid().notNull(),
    storeId: uuid().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.staffId, t.storeId] }),
    foreignKey({ columns: [t.tenantId, t.staffId], foreignColumns: [staff.tenantId, staff.id] }),
    foreignKey({ columns: [t.tenantId, t.storeId], foreignColumns: [stores.tenantId, stores.id] }),
  ],
);
