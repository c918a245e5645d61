import { request } from '@lumi/mini';
import type { ManagerReport, ReconciliationReport } from '@lumi/shared';

/** 报表 of a day or its month (today's by default), for every store the manager manages (or one of them). */
export function getReport(
  period: 'day' | 'month',
  options: { storeId?: string; date?: string } = {},
): Promise<ManagerReport> {
  const query = new URLSearchParams({ period });
  if (options.storeId) query.set('storeId', options.storeId);
  if (options.date) query.set('date', options.date);
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
