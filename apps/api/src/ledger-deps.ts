import { catalogPackagePlans } from './modules/catalog/index.ts';
import { HouseAccounts, type LedgerDeps } from './modules/ledger/index.ts';

/**
 * The ledger's dependencies as Lumi wires them: house accounts, the catalogue's package plans and a clock. A
 * serving process adds group commit and the cached spend lookups.
 */
export function ledgerDeps(now: () => Date, serving?: Pick<LedgerDeps, 'spendContexts' | 'postings'>): LedgerDeps {
  return { house: new HouseAccounts(), packagePlans: catalogPackagePlans, now, ...serving };
}
