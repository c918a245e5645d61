import { catalogPackagePlans } from './modules/catalog/index.ts';
import { HouseAccounts, type LedgerDeps } from './modules/ledger/index.ts';

/**
 * The ledger's dependencies as Lumi wires them: house accounts, the catalogue's package plans and a clock. A
 * serving process adds group commit, the cached spend lookups and the credit limit shown with a wallet.
 */
export function ledgerDeps(
  now: () => Date,
  serving?: Pick<LedgerDeps, 'spendContexts' | 'postings' | 'creditLimit'>,
): LedgerDeps {
  return { house: new HouseAccounts(), packagePlans: catalogPackagePlans, now, ...serving };
}
