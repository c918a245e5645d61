import { request } from '@lumi/mini';
import type { Bill, OpenBillRequest, RefundBillRequest, SettleBillRequest, StaffCatalog } from '@lumi/shared';

/** Services and products on sale, and what one point pays. */
export function getCatalog(): Promise<StaffCatalog> {
  return request<StaffCatalog>('/staff/catalog', { toast: false });
}

/** The API prices the lines and applies the discounts; the bill it answers with is the one to settle. */
export function openBill(body: OpenBillRequest): Promise<Bill> {
  return request<Bill>('/staff/bills', { method: 'POST', data: body, toast: false });
}

export function getBill(id: string): Promise<Bill> {
  return request<Bill>(`/staff/bills/${encodeURIComponent(id)}`, { toast: false });
}

/** The newest 100 bills of my stores. */
export function listBills(): Promise<Bill[]> {
  return request<Bill[]>('/staff/bills', { toast: false });
}

export function settleBill(id: string, body: SettleBillRequest, idempotencyKey: string): Promise<Bill> {
  return request<Bill>(`/staff/bills/${encodeURIComponent(id)}/settlement`, {
    method: 'POST',
    data: body,
    idempotencyKey,
    toast: false,
  });
}

export function voidBill(id: string, reason: string, idempotencyKey: string): Promise<Bill> {
  return request<Bill>(`/staff/bills/${encodeURIComponent(id)}/void`, {
    method: 'POST',
    data: { reason },
    idempotencyKey,
    toast: false,
  });
}

/** 取消账单: closes a bill that was never paid; moves no money, so it needs no Idempotency-Key. */
export function cancelBill(id: string, reason: string): Promise<Bill> {
  return request<Bill>(`/staff/bills/${encodeURIComponent(id)}/cancel`, {
    method: 'POST',
    data: { reason },
    toast: false,
  });
}

export function refundBill(id: string, body: RefundBillRequest, idempotencyKey: string): Promise<Bill> {
  return request<Bill>(`/staff/bills/${encodeURIComponent(id)}/refunds`, {
    method: 'POST',
    data: body,
    idempotencyKey,
    toast: false,
  });
}
