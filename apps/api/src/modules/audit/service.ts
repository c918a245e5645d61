import type { AuditAction, AuditEntry, AuditPage, AuditQuery, AuditSubjectType } from '@lumi/shared';
import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { historyNow } from '../../db/history-time.ts';
import { auditLog } from './tables.ts';

export interface AuditRecord {
  tenantId: string;
  actor: { staffId: string } | { customerId: string } | { system: true };
  action: AuditAction;
  subject: { type: AuditSubjectType; id: string };
  storeId?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/** Writes one audit entry; call it in the same transaction as the change it records. */
export async function recordAudit(db: Database, record: AuditRecord): Promise<void> {
  await db.insert(auditLog).values({
    tenantId: record.tenantId,
    actorStaffId: 'staffId' in record.actor ? record.actor.staffId : null,
    actorCustomerId: 'customerId' in record.actor ? record.actor.customerId : null,
    action: record.action,
    subjectType: record.subject.type,
    subjectId: record.subject.id,
    storeId: record.storeId ?? null,
    before: record.before ?? null,
    after: record.after ?? null,
    reason: record.reason ?? null,
    // Dated in the history being imported (the demo seed), else by the database.
    createdAt: historyNow(),
  });
}

/** Newest first, keyset on id, filtered by action, subject, actor or a time range [from, to). */
export async function listAudit(db: Database, tenantId: string, query: AuditQuery): Promise<AuditPage> {
  const conditions: SQL[] = [eq(auditLog.tenantId, tenantId)];
  if (query.cursor) conditions.push(lt(auditLog.id, query.cursor));
  if (query.action) conditions.push(eq(auditLog.action, query.action));
  if (query.subjectType) conditions.push(eq(auditLog.subjectType, query.subjectType));
  if (query.subjectId) conditions.push(eq(auditLog.subjectId, query.subjectId));
  if (query.staffId) conditions.push(eq(auditLog.actorStaffId, query.staffId));
  if (query.from) conditions.push(gte(auditLog.createdAt, new Date(query.from)));
  if (query.to) conditions.push(lt(auditLog.createdAt, new Date(query.to)));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const items: AuditEntry[] = page.map((r) => ({
    id: r.id,
    at: r.createdAt.toISOString(),
    action: r.action,
    actorStaffId: r.actorStaffId,
    actorCustomerId: r.actorCustomerId,
    subjectType: r.subjectType,
    subjectId: r.subjectId,
    storeId: r.storeId,
    before: r.before,
    after: r.after,
    reason: r.reason,
  }));
  return { items, nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null };
}
