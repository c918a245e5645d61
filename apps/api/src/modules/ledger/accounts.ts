import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { inTransactionOnce, knownInTransaction } from '../../db/transaction-memo.ts';
import {
  CUSTOMER_ACCOUNTS,
  type CustomerAccountKind,
  HOUSE_ACCOUNTS,
  type HouseAccountKind,
  type Unit,
} from './chart.ts';
import { accounts } from './tables.ts';

export interface CustomerAccountRef {
  tenantId: string;
  customerId: string;
  kind: CustomerAccountKind;
  unit?: Unit;
  packageCardId?: string;
}

/** The id of a customer's account, created on first use (concurrent first uses agree on one row). */
export async function customerAccountId(db: Database, ref: CustomerAccountRef): Promise<number> {
  const spec = CUSTOMER_ACCOUNTS[ref.kind];
  const unit = ref.unit ?? spec.unit;
  const match = and(
    eq(accounts.tenantId, ref.tenantId),
    eq(accounts.customerId, ref.customerId),
    eq(accounts.kind, ref.kind),
    eq(accounts.unit, unit),
    ref.packageCardId ? eq(accounts.packageCardId, ref.packageCardId) : isNull(accounts.packageCardId),
  );
  const [found] = await db.select({ id: accounts.id }).from(accounts).where(match);
  if (found) return found.id;
  await db
    .insert(accounts)
    .values({
      tenantId: ref.tenantId,
      owner: 'customer',
      customerId: ref.customerId,
      kind: ref.kind,
      unit,
      normalSide: spec.normalSide,
      packageCardId: ref.packageCardId ?? null,
      materialized: true,
      noOverdraw: spec.noOverdraw,
    })
    .onConflictDoNothing();
  const [created] = await db.select({ id: accounts.id }).from(accounts).where(match);
  if (!created) throw new Error(`customer account ${ref.kind} could not be created`);
  return created.id;
}

const accountKey = (kind: string, unit: string, packageCardId: string | null) =>
  `${kind}|${unit}|${packageCardId ?? ''}`;

const walletAccountsKey = (tenantId: string, customerId: string) => `wallet-accounts:${tenantId}:${customerId}`;

/**
 * All of a customer's plain accounts (principal, bonus, points, credit) in one query, creating any that are
 * missing. Returns kind → id.
 */
export function customerWalletAccounts(db: Database, tenantId: string, customerId: string): Promise<WalletAccounts> {
  // Ids never change once the rows exist; a posting's steps each ask for them (once per transaction now).
  return inTransactionOnce(db, walletAccountsKey(tenantId, customerId), () =>
    readWalletAccounts(db, tenantId, customerId),
  );
}

type WalletAccounts = Record<'stored_principal' | 'stored_bonus' | 'points' | 'credit_receivable', number>;
const WALLET_KINDS = ['stored_principal', 'stored_bonus', 'points', 'credit_receivable'] as const;

/**
 * The customer's plain accounts as a JSON subquery another statement can carry (checkout's locked bill), for
 * `walletAccountsRead`: the customer is named by SQL over that statement's row.
 */
export const walletAccountsSql = (tenantId: SQL, customerId: SQL): SQL =>
  sql`(select coalesce(json_agg(json_build_object('id', a.id, 'kind', a.kind, 'unit', a.unit)), '[]'::json)
       from accounts a where a.tenant_id = ${tenantId} and a.customer_id = ${customerId} and a.package_card_id is null)`;

/**
 * Hands this transaction the customer's account ids read by `walletAccountsSql`, when every one exists (else
 * customerWalletAccounts reads them again and creates the missing ones).
 */
export function walletAccountsRead(db: Database, tenantId: string, customerId: string, rows: unknown): void {
  const found = new Map(
    (rows as { id: number; kind: string; unit: string }[]).map((r) => [accountKey(r.kind, r.unit, null), Number(r.id)]),
  );
  const ids = WALLET_KINDS.map((k) => found.get(accountKey(k, CUSTOMER_ACCOUNTS[k].unit, null)));
  if (ids.some((id) => id === undefined)) return;
  const [stored_principal, stored_bonus, points, credit_receivable] = ids as number[];
  knownInTransaction(db, walletAccountsKey(tenantId, customerId), {
    stored_principal,
    stored_bonus,
    points,
    credit_receivable,
  } as WalletAccounts);
}

async function readWalletAccounts(db: Database, tenantId: string, customerId: string): Promise<WalletAccounts> {
  const kinds = WALLET_KINDS;
  const load = async () => {
    const rows = await db
      .select({ id: accounts.id, kind: accounts.kind, unit: accounts.unit, packageCardId: accounts.packageCardId })
      .from(accounts)
      .where(and(eq(accounts.tenantId, tenantId), eq(accounts.customerId, customerId), isNull(accounts.packageCardId)));
    return new Map(rows.map((r) => [accountKey(r.kind, r.unit, r.packageCardId), r.id]));
  };
  let found = await load();
  const missing = kinds.filter((k) => !found.has(accountKey(k, CUSTOMER_ACCOUNTS[k].unit, null)));
  if (missing.length > 0) {
    await db
      .insert(accounts)
      .values(
        missing.map((kind) => ({
          tenantId,
          owner: 'customer' as const,
          customerId,
          kind,
          unit: CUSTOMER_ACCOUNTS[kind].unit,
          normalSide: CUSTOMER_ACCOUNTS[kind].normalSide,
          materialized: true,
          noOverdraw: CUSTOMER_ACCOUNTS[kind].noOverdraw,
        })),
      )
      .onConflictDoNothing();
    found = await load();
  }
  const id = (k: (typeof kinds)[number]) => {
    const value = found.get(accountKey(k, CUSTOMER_ACCOUNTS[k].unit, null));
    if (value === undefined) throw new Error(`account ${k} missing`);
    return value;
  };
  return {
    stored_principal: id('stored_principal'),
    stored_bonus: id('stored_bonus'),
    points: id('points'),
    credit_receivable: id('credit_receivable'),
  };
}

/**
 * House accounts never change once created, so their ids are cached per process. They are provisioned with
 * the tenant and its stores (provisionHouseAccounts), so the cache only ever holds committed rows; a kind that
 * is missing is created on first use and cached from the next lookup on. The cache is an explicit object handed
 * to the ledger, not a module global. Session accounts, one per service, are not cached.
 */
export class HouseAccounts {
  readonly #ids = new Map<string, number>();

  async id(
    db: Database,
    tenantId: string,
    kind: HouseAccountKind,
    storeId: string | null,
    unit?: Unit,
  ): Promise<number> {
    const spec = HOUSE_ACCOUNTS[kind];
    const store = spec.owner === 'store' ? storeId : null;
    if (spec.owner === 'store' && !store) throw new Error(`house account ${kind} needs a store`);
    const u = unit ?? spec.unit;
    const key = `${tenantId}|${store ?? ''}|${kind}|${u}`;
    const cached = this.#ids.get(key);
    if (cached !== undefined) return cached;
    const match = and(
      eq(accounts.tenantId, tenantId),
      eq(accounts.kind, kind),
      eq(accounts.unit, u),
      store ? eq(accounts.storeId, store) : isNull(accounts.storeId),
      sql`${accounts.owner} <> 'customer'`,
    );
    const [existing] = await db.select({ id: accounts.id }).from(accounts).where(match);
    if (existing) {
      if (!u.startsWith('SESSIONS')) this.#ids.set(key, existing.id);
      return existing.id;
    }
    await db
      .insert(accounts)
      .values({
        tenantId,
        owner: spec.owner,
        storeId: store,
        kind,
        unit: u,
        normalSide: spec.normalSide,
        materialized: false,
        noOverdraw: false,
      })
      .onConflictDoNothing();
    const [created] = await db.select({ id: accounts.id }).from(accounts).where(match);
    if (!created) throw new Error(`house account ${kind} could not be created`);
    return created.id;
  }
}

/** Creates every house account a tenant and its stores post to, so postings never have to. */
export async function provisionHouseAccounts(db: Database, house: HouseAccounts, tenantId: string, storeIds: string[]) {
  for (const [kind, spec] of Object.entries(HOUSE_ACCOUNTS) as [
    HouseAccountKind,
    (typeof HOUSE_ACCOUNTS)[HouseAccountKind],
  ][]) {
    if (spec.unit === 'SESSIONS') continue;
    for (const storeId of spec.owner === 'store' ? storeIds : [null]) await house.id(db, tenantId, kind, storeId);
  }
}
