import { request } from '@lumi/mini';
import type { AuditPage } from '@lumi/shared';

export interface AuditFilter {
  subjectType?: string;
  /** One customer's or bill's entries, whatever their subject type. */
  subjectId?: string;
  staffId?: string;
  action?: string;
  /** ISO moments: entries in [from, to). */
  from?: string;
  to?: string;
}

/** The audit log, newest first, one page at a time; filters by subject, who, what and when. */
export function getAuditPage(filter: AuditFilter, cursor?: number): Promise<AuditPage> {
  const query = new URLSearchParams({ limit: '30' });
  for (const [key, value] of Object.entries(filter)) if (value) query.set(key, value);
  if (cursor) query.set('cursor', String(cursor));
  return request<AuditPage>(`/staff/audit?${query.toString()}`, { toast: false });
}
