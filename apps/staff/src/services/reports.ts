import { request } from '@lumi/mini';
import type { ManagerReport } from '@lumi/shared';

/** 报表 of today or this month, for every store the manager manages (or one of them). */
export function getReport(period: 'day' | 'month', storeId?: string): Promise<ManagerReport> {
  const query = new URLSearchParams({ period });
  if (storeId) query.set('storeId', storeId);
  return request<ManagerReport>(`/staff/reports?${query.toString()}`, { toast: false });
}
