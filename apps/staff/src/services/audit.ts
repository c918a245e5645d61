import { request } from '@lumi/mini';
import type { AuditPage } from '@lumi/shared';

/** The audit log, newest first, one page at a time; filters by what it is about and who did it. */
export function getAuditPage(filter: { subjectType?: string; staffId?: string }, cursor?: number): Promise<AuditPage> {
  const query = new URLSearchParams({ limit: '30' });
  if (filter.subjectType) query.set('subjectType', filter.subjectType);
  if (filter.staffId) query.set('staffId', filter.staffId);
  if (cursor) query.set('cursor', String(cursor));
  return request<AuditPage>(`/staff/audit?${query.toString()}`, { toast: false });
}
