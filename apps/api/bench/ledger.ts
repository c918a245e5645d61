import { ledgerDeps } from '../src/ledger-deps.ts';
/**
 * Ledger benchmark (not a test): `pnpm bench:ledger` from the repository root runs it on a throwaway
 * PostgreSQL cluster with durability defaults (fsync on). In one run, with the same client count throughout:
 *   (a) pgbench's built-in TPC-B-like transaction, as the yardstick of what this machine and cluster can do;
 *   (b) stored-value deductions through the service layer (spendStoredValue, its settings and account ids cached
 *       in SpendContexts: one round trip each) spread over 1,000 customers, through PostingBatches as the app's
 *       routes post them: the postings of one event-loop turn are shared among the free posting slots, one
 *       transaction each, and the ones that arrive while the slots are busy wait for the next free slot;
 *   (c) deductions on one hot customer account: the ones that arrive while one is in flight wait for it and then
 *       post together in one transaction;
 *   (d) GET /me/wallet and the first page of GET /me/entries over real HTTP for a customer with 100,000 entries.
 * and, to show where the time goes (BENCH_PROFILE=0 skips them):
 *   (b0) the three-round-trip shape the service once had (settings, account ids, ledger_post);
 *   (b') postTransfer alone (no PostingBatches) with every account id known up front, without the settings guard;
 *   (c') the hot account with synchronous_commit=off — what the WAL flush inside the row lock costs;
 *   (s)  one client committing one-row inserts — how many durable commits per second one serialised stream gets.
 * The machine may be shared and drifts, so the throughput phases run interleaved in rounds (a, b, …, a, b, …)
 * and each figure pools its rounds. Prints transactions/s and p50/p99 latency of each, the ratios to pgbench,
 * and as the last line one JSON object.
 *
 * Knobs (environment): BENCH_CLIENTS (8), BENCH_SECONDS (15 per phase, split over the rounds), BENCH_ROUNDS (3),
 * BENCH_WARMUP_SECONDS (5), BENCH_CUSTOMERS (1000), BENCH_WALLET_ENTRIES (100000), BENCH_READS (2000), BENCH_PROFILE (1),
 * BENCH_POSTING_SLOTS (the app's default, DEFAULT_SLOTS).
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/index.ts';
import { type Database, queryRows } from '../src/db/database.ts';
import { openDatabase } from '../src/db/open.ts';
import { customerWalletAccounts } from '../src/modules/ledger/accounts.ts';
import { ledgerSettings } from '../src/modules/ledger/context.ts';
import {
  type LedgerDeps,
  type Posting,
  DEFAULT_SLOTS,
  PostingBatches,
  requestHash,
  SpendContexts,
  topUp,
} from '../src/modules/ledger/index.ts';
import { spendStoredValue } from '../src/modules/ledger/operations/spend.ts';
import { postTransfer } from '../src/modules/ledger/post.ts';
import { customers } from '../src/modules/customers/index.ts';
import { createTenantFixture, type TenantFixture } from '../src/testing/fixtures.ts';
import { createTemplateDatabase, databaseUrl, dropDatabase } from '../src/testing/postgres.ts';
import { describeCluster, loadAverage, pgbench, preparePgbench } from './pgbench.ts';
import {
  env,
  load as loadOn,
  log,
  type Phase,
  type Result,
  round,
  runRounds,
  type Sample,
  show,
  summarise,
} from './stats.ts';

const CLIENTS = env('BENCH_CLIENTS', 8);
const SECONDS = env('BENCH_SECONDS', 15);
const WARMUP = env('BENCH_WARMUP_SECONDS', 5);
const CUSTOMERS = env('BENCH_CUSTOMERS', 1_000);
const WALLET_ENTRIES = env('BENCH_WALLET_ENTRIES', 100_000);
const READS = env('BENCH_READS', 2_000);
const ROUNDS = env('BENCH_ROUNDS', 3);
const PROFILE = env('BENCH_PROFILE', 1) !== 0;
const SLOTS = env('BENCH_POSTING_SLOTS', DEFAULT_SLOTS);
const PGBENCH_DB = 'lumi_bench_pgbench';
const LEDGER_DB = 'lumi_bench_ledger';

/** Runs `op` in CLIENTS concurrent loops (or `clients`) for `seconds` and measures each call. */
const load = (seconds: number, op: (worker: number, i: number) => Promise<unknown>, clients = CLIENTS) =>
  loadOn(seconds, op, clients);

// ── (b), (c): deductions through the service layer ──────────────────────────────────────────────────

interface LedgerWorld {
  db: Database;
  deps: LedgerDeps;
  t: TenantFixture;
  customerIds: string[];
  hot: string;
}

async function prepareLedger(db: Database): Promise<LedgerWorld> {
  const t = await createTenantFixture(db, 'wx-bench');
  // No points on spends: a deduction is then the service's lookups plus one ledger_post round trip.
  await db.execute(sql`update tenants set settings = '{"ledger":{"pointsPerYuan":0}}'::jsonb where id = ${t.tenantId}`);
  const rows = await db
    .insert(customers)
    .values(Array.from({ length: CUSTOMERS + 1 }, (_, i) => ({ tenantId: t.tenantId, name: `压测顾客${i}` })))
    .returning({ id: customers.id });
  const ids = rows.map((r) => r.id);
  const hot = ids.pop()!;
  const deps: LedgerDeps = ledgerDeps(() => new Date(), {
    spendContexts: new SpendContexts(),
    postings: new PostingBatches(SLOTS),
  });
  // Every customer gets ¥500,000 (and the ¥3,000 offer's bonus), so no deduction below runs out of money.
  const all = [...ids, hot];
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < all.length) {
        const customerId = all[next++]!;
        const key = `bench-topup-${customerId}`;
        await topUp(
          db,
          deps,
          {
            tenantId: t.tenantId,
            customerId,
            storeId: t.storeIds[0],
            staffId: t.beautician.id,
            idempotencyKey: key,
            requestHash: requestHash({ key }),
          },
          { amountFen: 50_000_000, method: 'cash' },
        );
      }
    }),
  );
  return { db, deps, t, customerIds: ids, hot };
}

let keySeq = 0;
function spendPosting(w: LedgerWorld, customerId: string, amountFen: number): Posting {
  const idempotencyKey = `bench-${process.pid}-${keySeq++}`;
  return {
    tenantId: w.t.tenantId,
    customerId,
    storeId: w.t.storeIds[0],
    staffId: w.t.beautician.id,
    idempotencyKey,
    // What the route hashes: the request as the client sent it.
    requestHash: requestHash({ route: '/staff/customers/:customerId/spends', customerId, body: { amountFen } }),
  };
}

const amount = () => 100 + Math.floor(Math.random() * 900);

function spend(w: LedgerWorld, customerId: string) {
  const amountFen = amount();
  return spendStoredValue(w.db, w.deps, spendPosting(w, customerId, amountFen), {
    storeId: w.t.storeIds[0],
    amountFen,
    revenue: 'service',
    items: [],
  });
}

/**
 * Profile only: the shape spendStoredValue had before it read settings and account ids in one query —
 * ledgerSettings, customerWalletAccounts and ledger_post, three round trips.
 */
async function spendThreeRoundTrips(w: LedgerWorld, customerId: string) {
  const amountFen = amount();
  const settings = await ledgerSettings(w.db, w.t.tenantId);
  const wallet = await customerWalletAccounts(w.db, w.t.tenantId, customerId);
  const revenue = await w.deps.house.id(w.db, w.t.tenantId, 'service_revenue', w.t.storeIds[0]);
  return postTransfer(w.db, {
    ...spendPosting(w, customerId, amountFen),
    kind: 'spend',
    details: { items: [], revenue: 'service', amountFen, pointsEarned: 0 },
    legs: [{ accountId: revenue, amount: -amountFen }],
    spend: {
      principalAccountId: wallet.stored_principal,
      bonusAccountId: wallet.stored_bonus,
      total: amountFen,
      rule: settings.spendRule,
    },
  });
}

/** The same posting with every id resolved beforehand: ledger_post's cost without the service's lookups. */
async function postOnlyFactory(w: LedgerWorld) {
  const revenue = await w.deps.house.id(w.db, w.t.tenantId, 'service_revenue', w.t.storeIds[0]);
  const wallets = new Map<string, { stored_principal: number; stored_bonus: number }>();
  for (const c of w.customerIds) wallets.set(c, await customerWalletAccounts(w.db, w.t.tenantId, c));
  return (customerId: string) => {
    const amountFen = amount();
    const wallet = wallets.get(customerId)!;
    return postTransfer(w.db, {
      ...spendPosting(w, customerId, amountFen),
      kind: 'spend',
      details: { items: [], revenue: 'service', amountFen, pointsEarned: 0 },
      legs: [{ accountId: revenue, amount: -amountFen }],
      spend: {
        principalAccountId: wallet.stored_principal,
        bonusAccountId: wallet.stored_bonus,
        total: amountFen,
        rule: 'proportional',
      },
    });
  };
}

// ── (d): wallet and entries of a long history over HTTP ─────────────────────────────────────────────

/** 100,000 entries on one customer, every one posted by ledger_post (in batches, one statement each). */
async function seedLongHistory(w: LedgerWorld, customerId: string) {
  const wallet = await customerWalletAccounts(w.db, w.t.tenantId, customerId);
  const cash = await w.deps.house.id(w.db, w.t.tenantId, 'cash', w.t.storeIds[0]);
  const revenue = await w.deps.house.id(w.db, w.t.tenantId, 'service_revenue', w.t.storeIds[0]);
  const batch = 2_000;
  for (let from = 1; from <= WALLET_ENTRIES; from += batch) {
    const to = Math.min(WALLET_ENTRIES, from + batch - 1);
    // Odd: a top-up of ¥10 from the till; even: a ¥4 service paid from principal. One customer entry each.
    await w.db.execute(sql`
      select count(*) from generate_series(${from}::int, ${to}::int) as i,
      lateral ledger_post(
        ${w.t.tenantId}::uuid, case when i % 2 = 1 then 'top_up' else 'spend' end, 'history-' || i,
        encode(sha256(convert_to('history-' || i, 'UTF8')), 'hex'), ${w.t.storeIds[0]}::uuid, null::uuid,
        ${customerId}::uuid, null::bigint, null, null, null, '{}'::jsonb,
        case when i % 2 = 1 then array[${cash}, ${wallet.stored_principal}]::bigint[]
             else array[${revenue}, ${wallet.stored_principal}]::bigint[] end,
        case when i % 2 = 1 then array[1000, -1000]::bigint[] else array[-400, 400]::bigint[] end) as p`);
  }
  const [row] = await queryRows<{ n: number }>(
    w.db,
    sql`select count(*)::int as n from entries where customer_id = ${customerId}`,
  );
  return Number(row?.n ?? 0);
}

async function reads(url: string, token: string): Promise<{ wallet: Result; entries: Result; pair: Result }> {
  const headers = { authorization: `Bearer ${token}` };
  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`, { headers });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body}`);
    return JSON.parse(body) as Record<string, unknown>;
  };
  // The first wallet read walks the whole chain from genesis and leaves a checkpoint; later ones start there.
  const t0 = performance.now();
  const first = await get('/me/wallet');
  log(
    `first /me/wallet (walks the 100k-entry chain, sets the checkpoint): ${round(performance.now() - t0)} ms, chainVerified=${first.chainVerified}`,
  );
  if (first.chainVerified !== true) throw new Error('the wallet did not verify its chain');
  for (let i = 0; i < 200; i++) {
    await get('/me/wallet');
    await get('/me/entries');
  }
  const wallet: number[] = [];
  const entries: number[] = [];
  const pair: number[] = [];
  const started = performance.now();
  for (let i = 0; i < READS; i++) {
    const a = performance.now();
    await get('/me/wallet');
    const b = performance.now();
    const page = await get('/me/entries');
    const c = performance.now();
    if (!Array.isArray(page.items) || page.items.length !== 20) throw new Error('first page is not 20 entries');
    wallet.push(b - a);
    entries.push(c - b);
    pair.push(c - a);
  }
  const seconds = (performance.now() - started) / 1000;
  const sample = (xs: number[]): Sample => ({ latencies: xs, count: xs.length, seconds, errors: 0, cpuSeconds: 0 });
  return {
    wallet: summarise(sample(wallet), false),
    entries: summarise(sample(entries), false),
    pair: summarise(sample(pair), false),
  };
}

// ── main ────────────────────────────────────────────────────────────────────────────────────────────

async function main() {
  const loadStart = await describeCluster();
  log(`${CLIENTS} clients; each phase ${SECONDS} s in ${ROUNDS} interleaved rounds, after a ${WARMUP} s warm-up`);

  log('\npreparing: pgbench -i -s 10 …');
  await preparePgbench(PGBENCH_DB);
  log(`preparing: the ledger database, a tenant and ${CUSTOMERS} topped-up customers …`);
  await createTemplateDatabase(LEDGER_DB);
  const handle = await openDatabase({ databaseUrl: databaseUrl(LEDGER_DB), poolMax: CLIENTS });
  const w = await prepareLedger(handle.db);
  await handle.db.execute(sql`create table bench_commit (id bigint generated always as identity primary key)`);
  await handle.db.execute(sql`analyze`);
  const pick = () => w.customerIds[Math.floor(Math.random() * w.customerIds.length)]!;
  const postOnly = await postOnlyFactory(w);
  // Diagnostic only: the same hot deductions without waiting for the WAL flush at commit.
  const asyncUrl = new URL(databaseUrl(LEDGER_DB));
  asyncUrl.searchParams.set('options', '-c synchronous_commit=off');
  const asyncHandle = await openDatabase({ databaseUrl: asyncUrl.toString(), poolMax: CLIENTS });
  const wAsync: LedgerWorld = { ...w, db: asyncHandle.db };

  const phases: Phase[] = [
    { key: 'a', label: '(a) pgbench TPC-B-like', run: (sec) => pgbench(PGBENCH_DB, sec, CLIENTS) },
    {
      key: 'b',
      label: `(b) spendStoredValue, ${CUSTOMERS} customers`,
      run: (sec) => load(sec, () => spend(w, pick())),
    },
    { key: 'c', label: '(c) spendStoredValue, one hot customer', run: (sec) => load(sec, () => spend(w, w.hot)) },
  ];
  if (PROFILE) {
    phases.push(
      {
        key: 'b0',
        label: '(b0) 3 round trips (an earlier shape)',
        run: (sec) => load(sec, () => spendThreeRoundTrips(w, pick())),
      },
      { key: "b'", label: "(b') postTransfer only, ids known", run: (sec) => load(sec, () => postOnly(pick())) },
      {
        key: "c'",
        label: "(c') hot, synchronous_commit=off (diagnostic)",
        run: (sec) => load(sec, () => spend(wAsync, w.hot)),
      },
      {
        key: 's',
        label: '(s) 1 client, one-row insert per commit',
        run: (sec) => load(sec, () => handle.db.execute(sql`insert into bench_commit default values`), 1),
      },
    );
  }

  const samples = await runRounds(phases, { warmup: WARMUP, seconds: SECONDS, rounds: ROUNDS, loadavg: loadAverage });
  const results = new Map(phases.map((p) => [p.key, summarise(samples.get(p.key)!, p.key !== 'a')]));
  log('');
  for (const phase of phases) show(phase.label, results.get(phase.key)!);
  await asyncHandle.close();

  log(`\n(d) seeding ${WALLET_ENTRIES} entries on one customer through ledger_post …`);
  const [reader] = await handle.db
    .insert(customers)
    .values({ tenantId: w.t.tenantId, name: '长历史顾客' })
    .returning({ id: customers.id });
  const seeded = await seedLongHistory(w, reader!.id);
  log(`the customer has ${seeded} entries`);
  // What a database that is not in the middle of a bulk load looks like: autovacuum has visited the tables the
  // seed just filled and the checkpoint their writes set off is done, so neither runs under the reads below.
  await handle.db.execute(sql`vacuum analyze entries, transfers, transfer_wallets, accounts`);
  await handle.db.execute(sql`checkpoint`);
  const appDb = await openDatabase({ databaseUrl: databaseUrl(LEDGER_DB), poolMax: 10 });
  const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), database: appDb });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const token = app.jwt.sign({ kind: 'customer', sub: reader!.id, tenantId: w.t.tenantId });
  const reads_ = await reads(`http://127.0.0.1:${address.port}`, token);
  show('(d) GET /me/wallet (1 client, sequential)', reads_.wallet);
  show('(d) GET /me/entries first page', reads_.entries);
  show('(d) wallet + first page', reads_.pair);
  await app.close();
  await appDb.close();
  await handle.close();
  await dropDatabase(LEDGER_DB);
  await dropDatabase(PGBENCH_DB);

  const get = (key: string) => results.get(key)!;
  const pgbenchTps = get('a').tps;
  const ratio = (x: number) => round(x / pgbenchTps, 3);
  log('');
  log(`(b)/(a) spread ratio   ${ratio(get('b').tps)}   (aim ≥ 0.8)`);
  log(`(c)/(a) hot ratio      ${ratio(get('c').tps)}   (aim ≥ 0.5)`);
  log(`(d) wallet p99         ${round(reads_.wallet.p99)} ms   (aim < 10 ms)`);
  const profile = PROFILE
    ? {
        three_round_trips_tps: round(get('b0').tps, 1),
        three_round_trips_ratio: ratio(get('b0').tps),
        post_only_tps: round(get("b'").tps, 1),
        post_only_ratio: ratio(get("b'").tps),
        hot_async_commit_tps: round(get("c'").tps, 1),
        serial_commit_tps: round(get('s').tps, 1),
        serial_commit_p50_ms: round(get('s').p50),
      }
    : {};
  log(
    JSON.stringify({
      clients: CLIENTS,
      seconds: SECONDS,
      rounds: ROUNDS,
      pgbench_tps: round(pgbenchTps, 1),
      pgbench_p50_ms: round(get('a').p50),
      pgbench_p99_ms: round(get('a').p99),
      spread_tps: round(get('b').tps, 1),
      spread_p50_ms: round(get('b').p50),
      spread_p99_ms: round(get('b').p99),
      spread_ratio: ratio(get('b').tps),
      spread_errors: get('b').errors,
      spread_node_cpu: round(get('b').nodeCpu ?? 0),
      hot_tps: round(get('c').tps, 1),
      hot_p50_ms: round(get('c').p50),
      hot_p99_ms: round(get('c').p99),
      hot_ratio: ratio(get('c').tps),
      hot_errors: get('c').errors,
      ...profile,
      wallet_p50_ms: round(reads_.wallet.p50),
      wallet_p99_ms: round(reads_.wallet.p99),
      entries_p50_ms: round(reads_.entries.p50),
      entries_p99_ms: round(reads_.entries.p99),
      wallet_and_entries_p99_ms: round(reads_.pair.p99),
      wallet_entries: seeded,
      loadavg_start: loadStart,
      loadavg_end: loadavg().map((x) => round(x)),
    }),
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
