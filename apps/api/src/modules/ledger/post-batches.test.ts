import { ledgerDeps } from '../../ledger-deps.ts';
/**
 * Group commit (PostingBatches, ledger_post_batch): postings that arrive in one event-loop turn, or wait for a
 * slot or for their customer's posting in flight, commit together, shared among the free slots by customer,
 * each answered on its own — a refused one fails alone, duplicates of one
 * Idempotency-Key inside a batch post once, settings that changed stop only the postings computed from them, a
 * batch the database refuses as a whole falls back to posting each alone — and balances, versions and hash
 * chains come out as if each had posted alone.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/postgres.ts';
import { customerWalletAccounts } from './accounts.ts';
import type { LedgerDeps, Posting } from './context.ts';
import { SpendContexts } from './operations/spend-context.ts';
import { spendStoredValue } from './operations/spend.ts';
import { topUp } from './operations/top-up.ts';
import { requestHash, type TransferInput } from './post.ts';
import { MAX_BATCH, PostingBatches } from './post-batches.ts';
import { verifyLedger } from './verify.ts';

let database: TestDatabase;
let t: TenantFixture;
const db = () => database.db;

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
  t = await createTenantFixture(db(), 'wx-batches');
  // No points: a spend is then one ledger_post outside a transaction, which is what PostingBatches groups.
  await db().execute(
    sql`update tenants set settings = '{"ledger":{"pointsPerYuan":0}}'::jsonb where id = ${t.tenantId}`,
  );
});

afterAll(async () => {
  await database?.destroy();
});

const newDeps = (slots?: number): LedgerDeps =>
  ledgerDeps(() => new Date(), { spendContexts: new SpendContexts(), postings: new PostingBatches(slots) });

let seq = 0;
function posting(customerId: string, key = `batch-${seq++}`, body: unknown = key): Posting {
  return {
    tenantId: t.tenantId,
    customerId,
    storeId: t.storeIds[0],
    staffId: t.beautician.id,
    idempotencyKey: key,
    requestHash: requestHash(body),
  };
}

/**
 * A customer with ¥100 of principal and no bonus, whose spends' lookups are cached: spends started one after
 * another then reach PostingBatches in that order.
 */
async function customerWith100(deps: LedgerDeps): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    db(),
    sql`insert into customers (tenant_id, name) values (${t.tenantId}, '批量顾客') returning id`,
  );
  const customerId = row!.id;
  await topUp(db(), deps, posting(customerId), { amountFen: 10_000, method: 'cash' });
  await deps.spendContexts!.refresh(db(), t.tenantId, customerId);
  await deps.house.id(db(), t.tenantId, 'service_revenue', t.storeIds[0]);
  return customerId;
}

const spend = (deps: LedgerDeps, p: Posting, amountFen: number) =>
  spendStoredValue(db(), deps, p, { storeId: t.storeIds[0], amountFen, revenue: 'service', items: [] });

/** A spend as spendStoredValue would hand it to PostingBatches, for tests that call PostingBatches directly. */
async function spendInput(deps: LedgerDeps, customerId: string, amount: number): Promise<TransferInput> {
  const wallet = await customerWalletAccounts(db(), t.tenantId, customerId);
  const revenue = await deps.house.id(db(), t.tenantId, 'service_revenue', t.storeIds[0]);
  return {
    ...posting(customerId),
    kind: 'spend',
    legs: [{ accountId: revenue, amount: -amount }],
    spend: {
      principalAccountId: wallet.stored_principal,
      bonusAccountId: wallet.stored_bonus,
      total: amount,
      rule: 'proportional',
    },
  };
}

/** The tenant's `settings.ledger` as stored: what a posting computed from the current settings carries. */
async function ledgerSettingsNow(): Promise<unknown> {
  const [row] = await queryRows<{ ledger: unknown }>(
    db(),
    sql`select settings->'ledger' as ledger from tenants where id = ${t.tenantId}`,
  );
  return row!.ledger;
}

/** Resolves once PostingBatches has sent what was posted so far: it dispatches at the end of the turn. */
const afterDispatch = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

/** Outcome of each promise, in order, without letting one rejection hide the others. */
const outcomes = <T>(promises: Promise<T>[]) => Promise.allSettled(promises);

async function transfersOf(ids: number[]) {
  return queryRows<{ id: number; created_at: string }>(
    db(),
    sql`select id, created_at::text from transfers where id in ${sql.raw(`(${ids.map(Number).join(',')})`)} order by id`,
  );
}

async function principalChain(customerId: string) {
  const wallet = await customerWalletAccounts(db(), t.tenantId, customerId);
  const [account] = await queryRows<{ balance: number; version: number }>(
    db(),
    sql`select balance, version from accounts where id = ${wallet.stored_principal}`,
  );
  const entries = await queryRows<{ amount: number; balance_after: number; account_version: number }>(
    db(),
    sql`select amount, balance_after, account_version from entries where account_id = ${wallet.stored_principal} order by id`,
  );
  return { balance: Number(account!.balance), version: Number(account!.version), entries };
}

describe('group commit of one customer', () => {
  it('commits the postings queued behind the one in flight together; a refused one fails alone', async () => {
    const deps = newDeps();
    const c = await customerWith100(deps);
    // The first is in flight when the next four arrive; they wait for it and then form one batch, in which the
    // 9,000 no longer fits.
    const inFlight = spend(deps, posting(c), 500);
    await afterDispatch();
    const results = await outcomes([
      inFlight,
      spend(deps, posting(c), 700),
      spend(deps, posting(c), 9_000),
      spend(deps, posting(c), 1_100),
      spend(deps, posting(c), 1_300),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'LEDGER_INSUFFICIENT_BALANCE' });
    const posted = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(posted.every((p) => !p.replayed)).toBe(true);

    // One transaction for the batch: its transfers share the transaction's clock, the first has its own.
    const transfers = await transfersOf(posted.map((p) => p.transferId));
    expect(transfers).toHaveLength(4);
    const [first, ...batched] = transfers;
    expect(new Set(batched.map((x) => x.created_at)).size).toBe(1);
    expect(batched[0]!.created_at).not.toBe(first!.created_at);

    // Balances and versions as if each had posted alone, in queue order, the refused one leaving no trace.
    const chain = await principalChain(c);
    expect(chain.balance).toBe(-(10_000 - 500 - 700 - 1_100 - 1_300));
    expect(chain.entries.map((e) => [Number(e.amount), Number(e.balance_after), Number(e.account_version)])).toEqual([
      [-10_000, -10_000, 1],
      [500, -9_500, 2],
      [700, -8_800, 3],
      [1_100, -7_700, 4],
      [1_300, -6_400, 5],
    ]);
    expect(chain.version).toBe(5);
    const report = await verifyLedger(db(), t.tenantId);
    expect(report.problems).toEqual([]);
  });

  it('posts concurrent duplicates of one Idempotency-Key inside a batch once, and refuses another body under it', async () => {
    const deps = newDeps();
    const c = await customerWith100(deps);
    const key = `dup-${seq++}`;
    const inFlight = spend(deps, posting(c), 100);
    await afterDispatch();
    const results = await outcomes([
      inFlight,
      spend(deps, posting(c, key, 'the body'), 200),
      spend(deps, posting(c, key, 'the body'), 200),
      spend(deps, posting(c, key, 'another body'), 200),
      spend(deps, posting(c, key, 'the body'), 200),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[3] as PromiseRejectedResult).reason).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const [, claimed, ...replays] = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(claimed).toMatchObject({ replayed: false });
    for (const r of replays) expect(r).toMatchObject({ replayed: true, transferId: claimed!.transferId });
    const chain = await principalChain(c);
    expect(chain.balance).toBe(-(10_000 - 100 - 200));
    expect(chain.version).toBe(3);
  });

  it('answers null, writing nothing, only for a posting computed from settings that are no longer the tenant’s', async () => {
    const deps = newDeps();
    const c = await customerWith100(deps);
    const settings = await ledgerSettingsNow();
    const [a, b, stale, d] = [
      await spendInput(deps, c, 100),
      await spendInput(deps, c, 200),
      await spendInput(deps, c, 300),
      await spendInput(deps, c, 400),
    ];
    const batches = deps.postings!;
    const results = await Promise.all([
      batches.post(db(), a, settings),
      batches.post(db(), b, settings),
      batches.post(db(), stale, { pointsPerYuan: 5 }),
      batches.post(db(), d, settings),
    ]);
    expect(results.map((r) => r === null)).toEqual([false, false, true, false]);
    expect((await principalChain(c)).balance).toBe(-(10_000 - 100 - 200 - 400));
  });

  it('lets exactly the affordable 40 of 60 parallel spends through, batched or not', async () => {
    const deps = newDeps();
    const c = await customerWith100(deps);
    const results = await outcomes(Array.from({ length: 60 }, () => spend(deps, posting(c), 250)));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(40);
    expect(refused).toHaveLength(20);
    for (const reason of refused) expect(reason).toMatchObject({ code: 'LEDGER_INSUFFICIENT_BALANCE' });
    const chain = await principalChain(c);
    expect(chain.balance).toBe(0);
    expect(chain.entries.map((e) => Number(e.account_version))).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    expect(Number(chain.entries.at(-1)?.balance_after)).toBe(0);
    const report = await verifyLedger(db(), t.tenantId);
    expect(report.problems).toEqual([]);
  });

  it(`takes at most ${MAX_BATCH} postings into one transaction`, async () => {
    const deps = newDeps();
    const c = await customerWith100(deps);
    const results = await Promise.all(Array.from({ length: MAX_BATCH + 3 }, () => spend(deps, posting(c), 10)));
    const transfers = await transfersOf(results.map((r) => r.transferId));
    const perTransaction = new Map<string, number>();
    for (const x of transfers) perTransaction.set(x.created_at, (perTransaction.get(x.created_at) ?? 0) + 1);
    expect([...perTransaction.values()]).toEqual([MAX_BATCH, 3]);
    const chain = await principalChain(c);
    expect(chain.balance).toBe(-(10_000 - 10 * (MAX_BATCH + 3)));
    expect(chain.entries.map((e) => Number(e.account_version))).toEqual(
      Array.from({ length: 1 + MAX_BATCH + 3 }, (_, i) => i + 1),
    );
    const report = await verifyLedger(db(), t.tenantId);
    expect(report.problems).toEqual([]);
  });
});

describe('group commit across customers', () => {
  const balanceOf = async (customerId: string) => (await principalChain(customerId)).balance;

  it('commits the postings of different customers that waited for the slot together, each in its own chain', async () => {
    const deps = newDeps(1);
    const [a, b, c, d] = [
      await customerWith100(deps),
      await customerWith100(deps),
      await customerWith100(deps),
      await customerWith100(deps),
    ];
    // a takes the only slot; b, c and d (c twice, the second no longer affordable) wait and share the next one.
    const inFlight = spend(deps, posting(a!), 100);
    await afterDispatch();
    const results = await outcomes([
      inFlight,
      spend(deps, posting(b!), 200),
      spend(deps, posting(c!), 6_000),
      spend(deps, posting(c!), 6_000),
      spend(deps, posting(d!), 400),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[3] as PromiseRejectedResult).reason).toMatchObject({ code: 'LEDGER_INSUFFICIENT_BALANCE' });
    const posted = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const [first, ...batched] = await transfersOf(posted.map((p) => p.transferId));
    expect(batched).toHaveLength(3);
    expect(new Set(batched.map((x) => x.created_at)).size).toBe(1);
    expect(batched[0]!.created_at).not.toBe(first!.created_at);
    expect([await balanceOf(a!), await balanceOf(b!), await balanceOf(c!), await balanceOf(d!)]).toEqual([
      -9_900, -9_800, -4_000, -9_600,
    ]);
    const report = await verifyLedger(db(), t.tenantId);
    expect(report.problems).toEqual([]);
  });

  it('keeps a customer with a posting in flight out of the free slots, and lets another customer take one', async () => {
    const deps = newDeps(4);
    const [a, b] = [await customerWith100(deps), await customerWith100(deps)];
    const inFlight = spend(deps, posting(a!), 100);
    await afterDispatch();
    const results = await Promise.all([
      inFlight,
      ...[200, 300, 400, 500].map((amount) => spend(deps, posting(a!), amount)),
      spend(deps, posting(b!), 600),
    ]);
    const transfers = await transfersOf(results.map((r) => r.transferId));
    const transactionOf = (r: { transferId: number }) =>
      transfers.find((x) => Number(x.id) === r.transferId)!.created_at;
    // a's first is in flight; a's other four wait for it (three slots were free) and commit as one batch.
    const ofA = results.slice(0, 5).map(transactionOf);
    expect(new Set(ofA.slice(1)).size).toBe(1);
    expect(ofA[1]).not.toBe(ofA[0]);
    expect(ofA).not.toContain(transactionOf(results[5]!));
    const chain = await principalChain(a!);
    expect(chain.entries.map((e) => Number(e.amount))).toEqual([-10_000, 100, 200, 300, 400, 500]);
  });

  it('shares the postings of one turn among the free slots, keeping each customer’s postings together', async () => {
    const deps = newDeps(2);
    const [a, b, c] = [await customerWith100(deps), await customerWith100(deps), await customerWith100(deps)];
    // Four postings of three customers, two slots: a's two make one slot's share, b and c go in the other.
    const results = await Promise.all([
      spend(deps, posting(a!), 100),
      spend(deps, posting(b!), 200),
      spend(deps, posting(a!), 300),
      spend(deps, posting(c!), 400),
    ]);
    const transfers = await transfersOf(results.map((r) => r.transferId));
    const [ofA1, ofB, ofA2, ofC] = results.map((r) => transfers.find((x) => Number(x.id) === r.transferId)!.created_at);
    expect(ofA2).toBe(ofA1);
    expect(ofC).toBe(ofB);
    expect(ofB).not.toBe(ofA1);
    expect([await balanceOf(a!), await balanceOf(b!), await balanceOf(c!)]).toEqual([-9_600, -9_800, -9_600]);
  });

  it('posts each alone when the database refuses the batch as a whole, so only the faulty posting fails', async () => {
    const deps = newDeps(1);
    const [a, b, c] = [await customerWith100(deps), await customerWith100(deps), await customerWith100(deps)];
    // A store id that is not a uuid fails the batch's insert for every posting in it, not just its own.
    const faulty = { ...(await spendInput(deps, c!, 300)), storeId: 'not-a-store' };
    const inputs = [
      await spendInput(deps, a!, 100),
      await spendInput(deps, b!, 200),
      faulty,
      await spendInput(deps, a!, 400),
    ];
    const settings = await ledgerSettingsNow();
    const results = await outcomes(inputs.map((input) => deps.postings!.post(db(), input, settings)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect([await balanceOf(a!), await balanceOf(b!), await balanceOf(c!)]).toEqual([-9_500, -9_800, -10_000]);
    const report = await verifyLedger(db(), t.tenantId);
    expect(report.problems).toEqual([]);
  });
});

describe('group commit beside a customer’s postings in transactions of their own', () => {
  /** Connections of this test's database waiting for a lock. */
  const lockWaiters = async () =>
    (
      await queryRows<{ n: number }>(
        db(),
        sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
      )
    )[0]!.n;

  /** Resolves once at least `n` connections wait for a lock, or never once `stop` says so. */
  async function untilLockWaiters(n: number, stop: { done: boolean }) {
    while (!stop.done && (await lockWaiters()) < n) await new Promise((r) => setTimeout(r, 20));
    return 'another posting waits behind the top-up' as const;
  }

  it('keeps a customer whose top-up is in flight out of the batches, so its locks hold up no other customer', async () => {
    const deps = newDeps(1);
    const [a, b] = [await customerWith100(deps), await customerWith100(deps)];
    // Another session holds a's account rows, so a's top-up waits inside its posting, as a top-up in flight
    // holds them from its posting to its commit.
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    await holder.query('begin');
    await holder.query('select 1 from accounts where customer_id = $1 for update', [a]);
    const topUpOfA = topUp(db(), deps, posting(a!), { amountFen: 1_000, method: 'cash' });
    const stop = { done: false };
    await untilLockWaiters(1, stop);
    // One slot, one turn: a's spend and b's would share one transaction, which would wait for a's rows.
    const spendOfA = spend(deps, posting(a!), 100);
    const spendOfB = spend(deps, posting(b!), 200);
    const first = await Promise.race([spendOfB.then(() => 'b posted' as const), untilLockWaiters(2, stop)]);
    stop.done = true;
    await holder.query('rollback');
    await holder.end();
    expect(first).toBe('b posted');
    await Promise.all([topUpOfA, spendOfA, spendOfB]);
    // a's spend waited for the top-up, then posted after it.
    const chain = await principalChain(a!);
    expect(chain.entries.map((e) => Number(e.amount))).toEqual([-10_000, -1_000, 100]);
    expect([chain.balance, (await principalChain(b!)).balance]).toEqual([-10_900, -9_800]);
    const report = await verifyLedger(db(), t.tenantId);
    expect(report.problems).toEqual([]);
  });
});
