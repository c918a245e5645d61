import { type TenantLedgerSettings, TenantLedgerSettingsSchema } from '@lumi/shared';
import type { Database } from '../../db/database.ts';
import { tenantSettings } from '../tenants/index.ts';
import type { HouseAccounts } from './accounts.ts';
import type { SpendContexts } from './operations/spend-context.ts';
import type { PostingBatches } from './post-batches.ts';
import type { WalletCreditLimit } from './reads/wallet.ts';

/** Who is doing a ledger operation, where, and under which idempotency key. */
export interface Posting {
  tenantId: string;
  customerId: string;
  storeId: string | null;
  staffId: string | null;
  idempotencyKey: string;
  requestHash: string;
  /** Business time of the event; omitted for live requests (the database clock is used). */
  at?: Date;
}

/** The terms of a package card on sale. The catalogue owns the plans; the ledger only issues cards by them. */
export interface PackagePlanTerms {
  id: string;
  serviceId: string;
  name: string;
  sessions: number;
  priceFen: number;
  validDays: number;
}

/** Where the ledger finds an active plan's terms (given by the catalogue, so the ledger does not depend on it). */
export interface PackagePlanSource {
  find(db: Database, tenantId: string, planId: string): Promise<PackagePlanTerms | null>;
}

export interface LedgerDeps {
  house: HouseAccounts;
  packagePlans: PackagePlanSource;
  /** Spends' lookups kept per process; without it each spend reads them first (two round trips). */
  spendContexts?: SpendContexts;
  /** Group commit of a customer's concurrent postings; without it each posting is its own transaction. */
  postings?: PostingBatches;
  /** The credit module's limit of a customer, so wallet reads answer it in their one statement (reads/wallet.ts). */
  creditLimit?: WalletCreditLimit;
  /** The clock, so expiry jobs and tests can move time. */
  now(): Date;
}

/**
 * Runs `work`, a transaction of its own that posts for `posting`'s customer, with group commit told about it
 * (PostingBatches.outside), so no batch waits for that transaction's locks.
 */
export function ownTransaction<T>(
  db: Database,
  deps: LedgerDeps,
  posting: Posting,
  work: () => Promise<T>,
): Promise<T> {
  return deps.postings ? deps.postings.outside(db, posting.tenantId, posting.customerId, work) : work();
}

export async function ledgerSettings(db: Database, tenantId: string): Promise<TenantLedgerSettings> {
  const raw = (await tenantSettings(db, tenantId)).ledger ?? {};
  return TenantLedgerSettingsSchema.parse(raw);
}

export const POINTS_DAY_MS = 86_400_000;

/** Points for a spend: per whole yuan, times the tier multiplier (in percent, 100 = ×1). */
export function pointsForSpend(amountFen: number, settings: TenantLedgerSettings, multiplierPercent = 100): number {
  return Math.floor((Math.floor(amountFen / 100) * settings.pointsPerYuan * multiplierPercent) / 100);
}
