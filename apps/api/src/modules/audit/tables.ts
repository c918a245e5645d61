import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/tables.ts';

/**
 * Who did what, when, with the before and after: voids, large discounts, manual price changes, adjustments,
 * approvals. Append-only like the ledger (trigger in the migration), so the record of a decision cannot be
 * edited by the people it records.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    actorStaffId: uuid(),
    actorCustomerId: uuid(),
    action: text().notNull(),
    subjectType: text().notNull(),
    subjectId: text().notNull(),
    storeId: uuid(),
    before: jsonb(),
    after: jsonb(),
    reason: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_log_tenant_idx').on(t.tenantId, t.id),
    index('audit_log_subject_idx').on(t.tenantId, t.subjectType, t.subjectId),
    // 操作记录 of one customer or bill asks by subject id alone (a customer is the subject of several types).
    index('audit_log_subject_id_idx').on(t.tenantId, t.subjectId, t.id),
    // 审计's 操作人 filter: one person's doings, newest first.
    index('audit_log_actor_idx').on(t.tenantId, t.actorStaffId, t.id),
  ],
);
