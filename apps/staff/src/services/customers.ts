import { request } from '@lumi/mini';
import type { Coupon, CustomerList, CustomerProfile, EntriesPage, Wallet } from '@lumi/shared';

/** One page of customers matching `q` (name, phone or member number); all customers, newest first, when empty. */
export function searchCustomerPage(q: string, cursor?: string): Promise<CustomerList> {
  const data: Record<string, string | number> = { limit: 20 };
  if (q) data.q = q;
  if (cursor) data.cursor = cursor;
  return request<CustomerList>('/staff/customers', { data, toast: false });
}

/** The customer whose member code (from her phone's QR code, scanned or typed) this is. */
export function resolveMemberCode(code: string): Promise<CustomerProfile> {
  return request<CustomerProfile>('/staff/customers/member-code', { method: 'POST', data: { code }, toast: false });
}

export function getCustomer(id: string): Promise<CustomerProfile> {
  return request<CustomerProfile>(`/staff/customers/${encodeURIComponent(id)}`, { toast: false });
}

/** Balances, points, package cards and what the customer owes on credit. */
export function getCustomerWallet(id: string): Promise<Wallet> {
  return request<Wallet>(`/staff/customers/${encodeURIComponent(id)}/wallet`, { toast: false });
}

/** The customer's newest ledger entries (stored value, points, sessions, credit), newest first. */
export function getCustomerEntries(id: string): Promise<EntriesPage> {
  return request<EntriesPage>(`/staff/customers/${encodeURIComponent(id)}/entries?limit=100`, { toast: false });
}

/** The coupons she can use now (a wake-up campaign's 回店礼, one a manager gave her), for the till. */
export async function getUsableCoupons(id: string): Promise<Coupon[]> {
  const list = await request<{ items: Coupon[] }>(`/staff/customers/${encodeURIComponent(id)}/coupons`, {
    toast: false,
  });
  return list.items.filter((c) => c.usable);
}
