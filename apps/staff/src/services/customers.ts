import { request } from '@lumi/mini';
import type { Coupon, CustomerList, CustomerProfile, EntriesPage, Wallet } from '@lumi/shared';

/** Customers whose name or phone matches `q` (all customers, newest first, when q is empty). */
export function searchCustomers(q: string): Promise<CustomerList> {
  const data: Record<string, string | number> = { limit: 20 };
  if (q) data.q = q;
  return request<CustomerList>('/staff/customers', { data, toast: false });
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
