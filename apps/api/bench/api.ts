/**
 * API load benchmark (not a test): `pnpm bench:api` from the repository root runs it on a throwaway PostgreSQL
 * cluster with durability defaults (fsync on). The API runs as it does in production — its own process
 * (`src/server.ts`), the configured pool and posting slots — and autocannon drives it over loopback HTTP with
 * BENCH_CLIENTS keep-alive connections (16). In one run, interleaved in rounds so drift hits every phase alike:
 *   (a)  pgbench's TPC-B-like transaction and (a') its select-only script (-S), with as many clients;
 *   (c)  checkout: open a bill for a ¥388 service, then settle it with stored value plus cash (two requests);
 *   (w)  GET /me/wallet and (e) GET /me/entries of random customers;
 *   (x)  the till and the customers at once: 40% checkouts, 20% cash top-ups, 40% wallet reads, over every
 *        customer of every tenant (its ratio is to TPC-B);
 *   (m)  the mixed workload: 20% top-ups, 80% stored-value spends over a few customers of one tenant, for a
 *        tenant that earns no points on spends (they go through PostingBatches) and one that earns them;
 *   (l)  staff password login (scrypt), last in each round and on 4 connections (LOGIN_RATE_LIMIT_PER_MINUTE is
 *        raised for the benchmark: every login comes from one address).
 * Seeding goes through the API itself: staff log in, every customer is topped up. Prints operations/s,
 * p50/p99/p99.9, errors, the ratios to pgbench and the API process's peak RSS; the last line is one JSON object.
 *
 * Knobs (environment): BENCH_CLIENTS (16), BENCH_SECONDS (15 per phase, split over the rounds), BENCH_ROUNDS (3),
 * BENCH_WARMUP_SECONDS (3), BENCH_TENANTS (4), BENCH_CUSTOMERS (250 per tenant), BENCH_MIXED_CUSTOMERS (3,20:
 * one pair of mixed phases per count), BENCH_MIXED_TOPUP_SHARE (0.2). The API's own settings (DATABASE_POOL_MAX,
 * LEDGER_POSTING_SLOTS, …) pass through from the environment. BENCH_PHASES (c,w,e,x,l,m0,mp: keys to run; pgbench
 * always runs) is for investigating one part; the figures of skipped phases are then missing from the JSON.
 * BENCH_PROFILE=1 adds each API phase's statements by database time (pg_stat_statements, statement-profile.ts).
 */
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/open.ts';
import { createTemplateDatabase, databaseUrl, dropDatabase } from '../src/testing/postgres.ts';
import { startApi } from './api-server.ts';
import { type BenchTenant, createBenchTenant, openForBusiness } from './api-world.ts';
import { checkout, customerRead, mixed, staffLogin, tillAndCustomers } from './api-workloads.ts';
import { type Activity, watch } from './db-activity.ts';
import { addCosts, profiled, profileLines, profilingAvailable, type StatementCost } from './statement-profile.ts';
import { failures, http } from './http-load.ts';
import { describeCluster, loadAverage, pgbench, preparePgbench } from './pgbench.ts';
import { emptySample, env, log, type Phase, type Result, round, runRounds, show, summarise } from './stats.ts';

const CLIENTS = env('BENCH_CLIENTS', 16);
const SECONDS = env('BENCH_SECONDS', 15);
const ROUNDS = env('BENCH_ROUNDS', 3);
const WARMUP = env('BENCH_WARMUP_SECONDS', 3);
const LOGIN_CLIENTS = Math.min(CLIENTS, 4);
const TENANTS = env('BENCH_TENANTS', 4);
const CUSTOMERS = env('BENCH_CUSTOMERS', 250);
const MIXED_CUSTOMERS = (process.env.BENCH_MIXED_CUSTOMERS ?? '3,20').split(',').map(Number);
const TOPUP_SHARE = env('BENCH_MIXED_TOPUP_SHARE', 0.2);
const PGBENCH_DB = 'lumi_bench_pgbench';
const API_DB = 'lumi_bench_api';
const JWT_SECRET = 'lumi-bench-jwt-secret-0123456789-abcdefghij';
const APP_ID = 'wx0000000000customer';

async function main() {
  const loadStart = await describeCluster();
  log(`${CLIENTS} connections; each phase ${SECONDS} s in ${ROUNDS} interleaved rounds, after a ${WARMUP} s warm-up`);
  log('\npreparing: pgbench -i -s 10 …');
  await preparePgbench(PGBENCH_DB);

  log(`preparing: ${TENANTS} tenants × ${CUSTOMERS} customers, and two tenants for the mixed workload …`);
  await createTemplateDatabase(API_DB);
  const handle = await openDatabase({ databaseUrl: databaseUrl(API_DB), poolMax: 2 });
  const shops = [];
  for (let i = 0; i < TENANTS; i++) shops.push(await createBenchTenant(handle.db, APP_ID, CUSTOMERS));
  const mixedMax = Math.max(...MIXED_CUSTOMERS);
  const noPointsShop = await createBenchTenant(handle.db, APP_ID, mixedMax, { pointsPerYuan: 0 });
  const pointsShop = await createBenchTenant(handle.db, APP_ID, mixedMax);

  const api = await startApi({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl(API_DB),
    JWT_SECRET,
    WECHAT_CUSTOMER_APPID: APP_ID,
    ACCESS_TOKEN_TTL_SECONDS: '86400',
    JOBS_ENABLED: 'false',
    // Every login of the benchmark comes from one address; the default (20 a minute) would refuse nearly all.
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000000',
  });
  log(
    `the API listens on ${api.url} (its own process, ${round(await api.peakRssMb(), 0)} MB resident at ready); seeding through it …`,
  );
  const tenants: BenchTenant[] = [];
  for (const shop of shops) tenants.push(await openForBusiness(api.url, JWT_SECRET, shop, 50_000_000, CLIENTS));
  const noPoints = await openForBusiness(api.url, JWT_SECRET, noPointsShop, 50_000_000, CLIENTS);
  const points = await openForBusiness(api.url, JWT_SECRET, pointsShop, 50_000_000, CLIENTS);
  await handle.db.execute(sql`vacuum analyze`);
  await handle.db.execute(sql`checkpoint`);
  log(`seeded; the API's peak RSS so far ${round(await api.peakRssMb(), 0)} MB`);

  // The CPU a phase reports is the API process's: with a loopback load generator, that is the bottleneck to watch.
  const on =
    (steps: Parameters<typeof http>[3], clients = CLIENTS) =>
    async (sec: number) => {
      const before = await api.cpuSeconds();
      const sample = await http(api.url, sec, clients, steps);
      return { ...sample, cpuSeconds: (await api.cpuSeconds()) - before };
    };
  // The API's phases also record what the database did (db-activity.ts): whether it or the API was the
  // bottleneck, and why one mixed setting is slower than the other.
  const activity = new Map<string, Activity[]>();
  // With BENCH_PROFILE, each API phase also records its statements' execution time (statement-profile.ts).
  const profiling = process.env.BENCH_PROFILE ? await profilingAvailable(handle.db) : false;
  if (process.env.BENCH_PROFILE && !profiling) log('BENCH_PROFILE: pg_stat_statements is not preloaded; no profile');
  const statements = new Map<string, Map<string, StatementCost>>();
  const watched =
    (key: string, steps: Parameters<typeof http>[3], clients = CLIENTS) =>
    async (sec: number) => {
      const run = () => watch(handle.db, API_DB, () => on(steps, clients)(sec));
      const [[sample, seen], costs] = profiling ? await profiled(handle.db, run) : [await run(), []];
      activity.set(key, [...(activity.get(key) ?? []), seen]);
      // The first round of each phase is its warm-up: left out, like its sample.
      if (activity.get(key)!.length > 1) {
        if (!statements.has(key)) statements.set(key, new Map());
        addCosts(statements.get(key)!, costs);
      }
      return sample;
    };
  const phases: Phase[] = [
    { key: 'a', label: `(a) pgbench TPC-B-like, -c ${CLIENTS}`, run: (sec) => pgbench(PGBENCH_DB, sec, CLIENTS) },
    {
      key: 'as',
      label: `(a') pgbench select-only, -S -c ${CLIENTS}`,
      run: (sec) => pgbench(PGBENCH_DB, sec, CLIENTS, ['-S']),
    },
    { key: 'c', label: '(c) checkout: open + settle (SV + cash)', run: watched('c', checkout(tenants)) },
    { key: 'w', label: '(w) GET /me/wallet', run: watched('w', customerRead(tenants, '/me/wallet')) },
    { key: 'e', label: '(e) GET /me/entries', run: watched('e', customerRead(tenants, '/me/entries')) },
    {
      key: 'x',
      label: '(x) till + customers: 40% checkouts, 20% top-ups, 40% wallet reads',
      run: watched('x', tillAndCustomers(tenants)),
    },
  ];
  for (const n of MIXED_CUSTOMERS) {
    phases.push(
      {
        key: `m0-${n}`,
        label: `(m) mixed, ${n} customers, no points`,
        run: watched(`m0-${n}`, mixed(noPoints, n, TOPUP_SHARE)),
      },
      {
        key: `mp-${n}`,
        label: `(m) mixed, ${n} customers, earns points`,
        run: watched(`mp-${n}`, mixed(points, n, TOPUP_SHARE)),
      },
    );
  }
  // Last in each round, on as many connections as libuv has threads for scrypt (4): a login is ~50-100 ms of
  // CPU by design, and the logins still running when a phase ends would slow the phase after it.
  phases.push({
    key: 'l',
    label: `(l) POST /auth/staff/login, ${LOGIN_CLIENTS} connections`,
    run: async (sec) => {
      const sample = await watched('l', staffLogin(tenants), LOGIN_CLIENTS)(sec);
      await new Promise((r) => setTimeout(r, 2_000));
      return sample;
    },
  });
  const only = process.env.BENCH_PHASES?.split(',');
  if (only)
    phases.splice(0, phases.length, ...phases.filter((p) => p.key[0] === 'a' || only.some((k) => p.key.startsWith(k))));
  const samples = await runRounds(phases, { warmup: WARMUP, seconds: SECONDS, rounds: ROUNDS, loadavg: loadAverage });
  const results = new Map<string, Result>(phases.map((p) => [p.key, summarise(samples.get(p.key)!, p.key[0] !== 'a')]));
  const rssMb = await api.peakRssMb();
  log('');
  for (const phase of phases) {
    show(phase.label, results.get(phase.key)!, { unit: phase.key[0] === 'a' ? 'tx' : 'op', p999: true, cpuOf: 'api' });
  }
  // A phase BENCH_PHASES left out reads as NaN (null in the JSON).
  const get = (key: string) => results.get(key) ?? summarise(emptySample());
  log('\nthe database during the API phases (after the warm-up):');
  for (const phase of phases.filter((p) => p.key[0] !== 'a')) {
    // The first entry is the warm-up's.
    const rounds = (activity.get(phase.key) ?? []).slice(1);
    const sum = (f: (a: Activity) => number) => rounds.reduce((s, a) => s + f(a), 0);
    const ops = get(phase.key).count + get(phase.key).errors;
    log(
      `${phase.label.padEnd(46)} transactions/op ${round(sum((a) => a.commits) / ops)}   rollbacks ${sum((a) => a.rollbacks)}` +
        `   deadlocks ${sum((a) => a.deadlocks)}   statements running ${round(sum((a) => a.active) / rounds.length, 1)}` +
        `, waiting for a lock ${round(sum((a) => a.lockWaits) / rounds.length, 1)}`,
    );
  }
  if (profiling) {
    log('\nwhere the database time goes (pg_stat_statements, after the warm-up):');
    for (const phase of phases.filter((p) => statements.has(p.key))) {
      log(phase.label);
      for (const line of profileLines(statements.get(phase.key)!, get(phase.key).count + get(phase.key).errors))
        log(line);
    }
  }
  const errors = phases.filter((p) => p.key[0] !== 'a').reduce((sum, p) => sum + get(p.key).errors, 0);
  if (failures.size > 0) {
    log('\nfailed responses (status, body: count):');
    for (const [what, count] of failures) log(`  ${count} × ${what}`);
    log(`the API's last log lines:\n${api.logTail().slice(-10).join('\n')}`);
  }
  await api.stop();
  await handle.close();
  await dropDatabase(API_DB);
  await dropDatabase(PGBENCH_DB);

  const tpcb = get('a').tps;
  const select = get('as').tps;
  const ratio = (x: number, of: number) => round(x / of, 3);
  log('');
  log(`checkout / TPC-B        ${ratio(get('c').tps, tpcb)}   (aim ≥ 0.5, p99 < 50 ms: ${round(get('c').p99)} ms)`);
  log(`wallet / select-only    ${ratio(get('w').tps, select)}   (aim ≥ 0.2)`);
  log(`till + customers / TPC-B ${ratio(get('x').tps, tpcb)}   (p99 ${round(get('x').p99)} ms)`);
  log(`errors                  ${errors}   (aim 0)`);
  log(`API peak RSS            ${round(rssMb, 0)} MB   (aim < 250 MB)`);
  const mixedFigures: Record<string, number> = {};
  for (const n of MIXED_CUSTOMERS) {
    const none = get(`m0-${n}`);
    const earning = get(`mp-${n}`);
    log(`mixed, ${n} customers: no points ÷ earns points = ${ratio(none.tps, earning.tps)}`);
    Object.assign(mixedFigures, {
      [`mixed_no_points_c${n}_rps`]: round(none.tps, 1),
      [`mixed_no_points_c${n}_p99_ms`]: round(none.p99),
      [`mixed_points_c${n}_rps`]: round(earning.tps, 1),
      [`mixed_points_c${n}_p99_ms`]: round(earning.p99),
      [`mixed_c${n}_no_points_over_points`]: ratio(none.tps, earning.tps),
    });
  }
  const figures = (prefix: string, r: Result, of: number) => ({
    [`${prefix}_rps`]: round(r.tps, 1),
    [`${prefix}_p50_ms`]: round(r.p50),
    [`${prefix}_p99_ms`]: round(r.p99),
    [`${prefix}_p999_ms`]: round(r.p999),
    [`${prefix}_ratio`]: ratio(r.tps, of),
  });
  log(
    JSON.stringify({
      clients: CLIENTS,
      seconds: SECONDS,
      rounds: ROUNDS,
      pgbench_tps: round(tpcb, 1),
      pgbench_p99_ms: round(get('a').p99),
      pgbench_select_tps: round(select, 1),
      pgbench_select_p99_ms: round(get('as').p99),
      ...figures('checkout', get('c'), tpcb),
      ...figures('wallet', get('w'), select),
      ...figures('entries', get('e'), select),
      ...figures('login', get('l'), tpcb),
      ...figures('till_mix', get('x'), tpcb),
      ...mixedFigures,
      errors,
      api_rss_mb: round(rssMb, 1),
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
