import { type TenantLedgerSettings, TenantLedgerSettingsSchema } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { type Database, queryRows } from '../../../db/database.ts';
import { customerWalletAccounts } from '../accounts.ts';

export interface SpendContext {
  /** The tenant's ledger settings as stored, which the posting checks are still the tenant's. */
  rawSettings: unknown;
  settings: TenantLedgerSettings;
  wallet: { stored_principal: number; stored_bonus: number; points: number };
}

/** Enough for the regulars of a busy process; beyond it the oldest entries go first. */
const MAX_CUSTOMERS = 50_000;

/**
 * What a spend looks up besides its request, kept per process so that a spend is one round trip: the tenant's
 * ledger settings and the customer's stored-value and points account ids. Settings may change at any time, so
 * the posting itself refuses to run unless they are still the tenant's (postTransfer's `ledgerSettings`) and
 * the spend then reads them again. Account ids never change and accounts are never deleted; only ids read
 * outside a transaction are kept, as only those are known to be committed.
 */
export class SpendContexts {
  readonly #settings = new Map<string, { raw: unknown; parsed: TenantLedgerSettings }>();
  readonly #wallets = new Map<string, SpendContext['wallet']>();

  async get(db: Database, tenantId: string, customerId: string): Promise<SpendContext> {
    const settings = this.#settings.get(tenantId);
    const wallet = this.#wallets.get(`${tenantId}|${customerId}`);
    if (settings && wallet) return { rawSettings: settings.raw, settings: settings.parsed, wallet };
    return this.refresh(db, tenantId, customerId);
  }

  /** Reads both afresh (after the posting found the settings changed, or on a first spend). */
  async refresh(db: Database, tenantId: string, customerId: string): Promise<SpendContext> {
    const context = await readSpendContext(db, tenantId, customerId);
    this.#settings.set(tenantId, { raw: context.rawSettings, parsed: context.settings });
    if (!(db instanceof PgTransaction)) {
      const key = `${tenantId}|${customerId}`;
      this.#wallets.delete(key);
      this.#wallets.set(key, context.wallet);
      if (this.#wallets.size > MAX_CUSTOMERS) this.#wallets.delete(this.#wallets.keys().next().value as string);
    }
    return context;
  }
}

/**
 * The tenant's ledger settings and the customer's stored-value and points account ids in one query; accounts
 * not yet created are created by customerWalletAccounts, which only a customer's first posting needs.
 */
async function readSpendContext(db: Database, tenantId: string, customerId: string): Promise<SpendContext> {
  const [row] = await queryRows<{
    ledger: unknown;
    principal: number | null;
    bonus: number | null;
    points: number | null;
  }>(
    db,
    sql`select (select coalesce(t.settings->'ledger', '{}'::jsonb) from tenants t where t.id = ${tenantId}) as ledger, w.*
        from (select max(a.id) filter (where a.kind = 'stored_principal') as principal,
                     max(a.id) filter (where a.kind = 'stored_bonus') as bonus,
                     max(a.id) filter (where a.kind = 'points') as points
              from accounts a
              where a.tenant_id = ${tenantId} and a.customer_id = ${customerId} and a.package_card_id is null
                and a.kind in ('stored_principal', 'stored_bonus', 'points')) w`,
  );
  const rawSettings = row?.ledger ?? {};
  const settings = TenantLedgerSettingsSchema.parse(rawSettings);
  if (row?.principal != null && row.bonus != null && row.points != null) {
    return {
      rawSettings,
      settings,
      wallet: { stored_principal: Number(row.principal), stored_bonus: Number(row.bonus), points: Number(row.points) },
    };
  }
  return { rawSettings, settings, wallet: await customerWalletAccounts(db, tenantId, customerId) };
}
