import { request } from '@lumi/mini';
import type { ManagerReport, ReconciliationReport } from '@lumi/shared';

/** 报表 of today or this month, for every store the manager manages (or one of them). */
export function getReport(period: 'day' | 'month', storeId?: string): Promise<ManagerReport> {
  const query = new URLSearchParams({ period });
  if (storeId) query.set('storeId', storeId);
  return request<ManagerReport>(`/staff/reports?${query.toString()}`, { toast: false });
}

/**
 * 立即对账: compares a day's WeChat Pay orders and refunds with WeChat now (today so far, or a past day); running
 * it again replaces that day's report. The 报表 then shows its mismatches.
 */
export function reconcileDay(date: string): Promise<ReconciliationReport> {
  return request<ReconciliationReport>('/staff/payments/reconciliation', {
    method: 'POST',
    data: { date },
    toast: false,
  });
}
