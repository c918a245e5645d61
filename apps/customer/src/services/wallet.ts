import { request } from '@lumi/mini';
import type { EntriesPage, TopUpPlanSchema, Wallet } from '@lumi/shared';

/**
 * A top-up offer (GET /me/top-up-plans). @lumi/shared exports only the schema for it; this takes the type from
 * the schema without importing zod at run time.
 */
export type TopUpPlan = ReturnType<(typeof TopUpPlanSchema)['parse']>;
export type PackageCard = Wallet['packageCards'][number];

/** Balances, points, package cards and credit. Errors are left to the page (no toast). */
export function getMyWallet(): Promise<Wallet> {
  return request<Wallet>('/me/wallet', { toast: false });
}

export const ENTRIES_PAGE_SIZE = 20;

/** One page of my ledger entries, newest first; `cursor` is the previous page's nextCursor. */
export function getMyEntries(cursor?: number): Promise<EntriesPage> {
  const data: Record<string, number> = { limit: ENTRIES_PAGE_SIZE };
  if (cursor !== undefined) data.cursor = cursor;
  return request<EntriesPage>('/me/entries', { data, toast: false });
}

/** The top-up offers in force (e.g. 充1000送200). */
export function getTopUpPlans(): Promise<TopUpPlan[]> {
  return request<TopUpPlan[]>('/me/top-up-plans', { toast: false });
}
