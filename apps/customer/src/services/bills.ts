import { request } from '@lumi/mini';
import type { Bill, BillStatus, Dispute, PaymentOrder } from '@lumi/shared';

/**
 * My bills: the ones waiting for me (待确认) first, then the latest 50; with a status, only those. Errors are
 * left to the page (no toast).
 */
export function getMyBills(status?: BillStatus): Promise<Bill[]> {
  return request<Bill[]>(status ? `/me/bills?status=${status}` : '/me/bills', { toast: false });
}

/** One bill, itemised (the receipt): lines, discounts, tenders, refunds. */
export function getMyBill(billId: string): Promise<Bill> {
  return request<Bill>(`/me/bills/${encodeURIComponent(billId)}`, { toast: false });
}

/** My questions about bills and the managers' answers, newest first. */
export function getMyDisputes(): Promise<Dispute[]> {
  return request<Dispute[]>('/me/disputes', { toast: false });
}

/**
 * 确认扣款. The API takes no Idempotency-Key here: confirming twice cannot deduct twice (the second is refused
 * with CONFLICT, as the bill is no longer waiting), so a retry is safe as it is.
 */
export function confirmBill(billId: string): Promise<Bill> {
  return request<Bill>(`/me/bills/${encodeURIComponent(billId)}/confirmation`, { method: 'POST', toast: false });
}

/** 拒绝: the held value goes back and the bill returns to the beautician, with the customer's reason. */
export function declineBill(billId: string, reason: string): Promise<Bill> {
  return request<Bill>(`/me/bills/${encodeURIComponent(billId)}/decline`, {
    method: 'POST',
    data: { reason },
    toast: false,
  });
}

/** 有疑问: answers with the bill's questions, the new one included. */
export function disputeBill(billId: string, reason: string): Promise<Dispute[]> {
  return request<Dispute[]>(`/me/bills/${encodeURIComponent(billId)}/disputes`, {
    method: 'POST',
    data: { reason },
    toast: false,
  });
}

/**
 * Opens (or, under a key the API has seen, replays) the WeChat Pay order for a waiting bill's WeChat part.
 * Paying it confirms the bill.
 */
export function createBillPaymentOrder(billId: string, idempotencyKey: string): Promise<PaymentOrder> {
  return request<PaymentOrder>(`/me/bills/${encodeURIComponent(billId)}/payments`, {
    method: 'POST',
    idempotencyKey,
    toast: false,
  });
}
