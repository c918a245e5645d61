import { request } from '@lumi/mini';
import type { CustomerList, CustomerProfile, EntriesPage, Wallet } from '@lumi/shared';

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
