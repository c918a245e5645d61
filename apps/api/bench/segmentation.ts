/**
 * Segmentation benchmark (not a test): `pnpm bench:segmentation` from the repository root runs it on a
 * throwaway PostgreSQL cluster with durability defaults (fsync on).
 *
 * 1. Generates one tenant with BENCH_CUSTOMERS customers (1,000,000) and BENCH_TRANSACTIONS paid transfers
 *    (10,000,000) with balanced entries on the revenue accounts the RFM SQL reads, plus 1 in 200 reversed
 *    (see segmentation-data.ts for how the bulk load keeps the ledger's rules).
 * 2. Starts the API as its own process (`node --import tsx src/server.ts`, jobs off) on that database.
 * 3. Times, in the same run and interleaved over BENCH_ROUNDS rounds (the machine may be shared; each figure
 *    is the median of its rounds):
 *    (a) a plain GROUP BY customer (count, sum, max date) over the same rows — transfers joined to their
 *        revenue-side entries — materialised server-side like the RFM's own aggregate, with the same work_mem;
 *    (b) the full RFM recompute through the manager route POST /staff/segmentation/recompute {parts:["rfm"]}:
 *        aggregate, scores, segments and writing every customer's rfm_scores row — from empty each round
 *        (the table is truncated before), so every round writes all the memberships;
 *    and once more without truncating: the steady state of a nightly run, where only changed rows are written.
 *    The API process's RSS is sampled every 25 ms during every recompute.
 * Prints the times and (b)/(a) — also in CPU seconds of the PostgreSQL cluster, which load from other
 * processes does not stretch; the last line of output is one JSON object.
 *
 * Knobs (environment): BENCH_CUSTOMERS, BENCH_TRANSACTIONS, BENCH_BATCH (100000), BENCH_ROUNDS (3),
 * BENCH_KEEP=1 keeps the database; BENCH_REUSE=1 times on a kept one (same sizes; it stays) instead of generating (the
 * generation takes 7–17 minutes at full size on the shared 2-core machine).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { freePort } from '../src/testing/api-process.ts';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../src/config/index.ts';
import { openDatabase } from '../src/db/open.ts';
import { HouseAccounts, provisionHouseAccounts } from '../src/modules/ledger/index.ts';
import { REVENUE_ACCOUNT_KINDS, recomputeRfm } from '../src/modules/segmentation/index.ts';
import { staff, staffStores } from '../src/modules/staff/index.ts';
import { stores, tenants } from '../src/modules/tenants/index.ts';
import { adminUrl, createTemplateDatabase, databaseUrl, dropDatabase } from '../src/testing/postgres.ts';
import { generateBenchData } from './segmentation-data.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const CUSTOMERS = env('BENCH_CUSTOMERS', 1_000_000);
const TRANSACTIONS = env('BENCH_TRANSACTIONS', 10_000_000);
const BATCH = env('BENCH_BATCH', 100_000);
const ROUNDS = Math.max(1, env('BENCH_ROUNDS', 3));
const KEEP = process.env.BENCH_KEEP === '1';
const REUSE = process.env.BENCH_REUSE === '1';
const median = (xs: number[]) => {
  const sorted = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const DB = 'lumi_bench_segmentation';
const apiDir = fileURLToPath(new URL('..', import.meta.url));

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)}s`;
const fmt = (n: number) => n.toLocaleString('en-US');

/** One progress bar per phase; redrawn in place on a terminal, every 10% otherwise. */
function progressBar() {
  let lastLabel = '';
  let lastTenth = -1;
  return (label: string, done: number, total: number) => {
    const share = total === 0 ? 1 : done / total;
    const width = 30;
    const filled = Math.round(share * width);
    const line = `  [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${label} ${fmt(done)}/${fmt(total)} (${elapsed()})`;
    if (process.stdout.isTTY) {
      process.stdout.write(`\r${line}`);
      if (done >= total) process.stdout.write('\n');
    } else {
      const tenth = Math.floor(share * 10);
      if (label !== lastLabel || tenth !== lastTenth || done >= total) console.log(line);
      lastLabel = label;
      lastTenth = tenth;
    }
  };
}

/** An HS256 access token as the API's auth plugin signs them. */
function staffToken(secret: string, claims: Record<string, unknown>): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ ...claims, iat: now, exp: now + 3600 })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/**
 * CPU seconds the whole (throwaway) PostgreSQL cluster has used: the postmaster with its reaped children
 * (parallel workers that came and went) and every live child. Load from other processes on a shared machine
 * stretches wall-clock times; this does not move with it.
 */
function clusterCpuSeconds(postmaster: number): number {
  const stat = (pid: number | string) => {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  };
  const pm = stat(postmaster);
  let ticks = Number(pm[11]) + Number(pm[12]) + Number(pm[13]) + Number(pm[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const s = stat(entry);
      if (Number(s[1]) === postmaster) ticks += Number(s[11]) + Number(s[12]);
    } catch {
      // the process ended while we looked
    }
  }
  return ticks / 100;
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function startApi(url: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: apiDir,
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      JOBS_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the API did not start');
}

/** Times one recompute through the route while sampling the API process's RSS. */
async function timedRecompute(port: number, token: string, pid: number, postmaster: number) {
  let peak = await rssMb(pid);
  const before = peak;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await rssMb(pid).catch(() => peak));
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  const cpu0 = clusterCpuSeconds(postmaster);
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/staff/segmentation/recompute`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ parts: ['rfm'] }),
    signal: AbortSignal.timeout(30 * 60_000),
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = clusterCpuSeconds(postmaster) - cpu0;
  sampling = false;
  await sampler;
  const body = (await res.json()) as { rfm?: { customers: number; scored: number; transitions: number } };
  if (!res.ok || !body.rfm) throw new Error(`recompute failed: ${res.status} ${JSON.stringify(body)}`);
  return { seconds, cpuSeconds, rssBeforeMb: before, rssPeakMb: peak, run: body.rfm };
}

async function groupBy(
  client: pg.Client,
  tenantId: string,
  postmaster: number,
): Promise<{ seconds: number; cpuSeconds: number }> {
  await client.query('begin');
  await client.query("set local work_mem = '64MB'");
  const cpu0 = clusterCpuSeconds(postmaster);
  const t0 = performance.now();
  await client.query(
    `create temp table bench_groupby on commit drop as
     select t.customer_id, count(*) as transfers, sum(-e.amount) as fen, max(t.created_at) as last_at
     from transfers t join entries e on e.transfer_id = t.id
     where t.tenant_id = $1
       and e.account_id = any(array(select a.id from accounts a
                                   where a.tenant_id = $1 and a.owner <> 'customer' and a.kind = any($2::text[])))
     group by t.customer_id`,
    [tenantId, REVENUE_ACCOUNT_KINDS],
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = clusterCpuSeconds(postmaster) - cpu0;
  await client.query('commit');
  return { seconds, cpuSeconds };
}

interface BenchData {
  tenantId: string;
  managerId: string;
  storeIds: string[];
  reversals: number;
  generationSeconds: number;
}

/** A new database with the generated tenant (the benchmark's first phase). */
async function generate(url: string, clients: pg.Client[]): Promise<BenchData> {
  await createTemplateDatabase(DB);
  const handle = await openDatabase({ databaseUrl: url, poolMax: 2 });
  const [tenant] = await handle.db
    .insert(tenants)
    .values({ slug: 'bench-segmentation', name: '基准测试美容院' })
    .returning();
  if (!tenant) throw new Error('no tenant');
  const storeRows = await handle.db
    .insert(stores)
    .values([1, 2, 3, 4].map((i) => ({ tenantId: tenant.id, name: `${i}号店`, code: `S0${i}` })))
    .returning({ id: stores.id });
  const storeIds = storeRows.map((s) => s.id);
  const [manager] = await handle.db
    .insert(staff)
    .values({ tenantId: tenant.id, name: '店长', phone: '13900000000', passwordHash: 'x', role: 'manager' })
    .returning({ id: staff.id });
  if (!manager) throw new Error('no staff');
  await handle.db
    .insert(staffStores)
    .values(storeIds.map((storeId) => ({ tenantId: tenant.id, staffId: manager.id, storeId })));
  await provisionHouseAccounts(handle.db, new HouseAccounts(), tenant.id, storeIds);
  await handle.close();

  for (const c of clients) await c.connect();
  const [first] = clients as [pg.Client, pg.Client];
  const asOf = new Date();
  console.log('Generating (set-based SQL in batches, two connections):');
  const generated = await generateBenchData(clients, {
    tenantId: tenant.id,
    storeIds,
    customers: CUSTOMERS,
    transactions: TRANSACTIONS,
    asOf,
    batchSize: BATCH,
    progress: progressBar(),
  });
  console.log(`  vacuum analyze … (${elapsed()})`);
  await first.query('vacuum analyze transfers, entries, customers, accounts');
  const sizes = await first.query<{ transfers: string; entries: string }>(
    `select pg_size_pretty(pg_total_relation_size('transfers')) as transfers, pg_size_pretty(pg_total_relation_size('entries')) as entries`,
  );
  const generationSeconds = (Date.now() - started) / 1000;
  console.log(
    `Generated in ${generationSeconds.toFixed(0)}s: ${fmt(TRANSACTIONS)} transfers + ${fmt(generated.reversals)} reversals; transfers ${sizes.rows[0]?.transfers}, entries ${sizes.rows[0]?.entries} (indexes and foreign keys rebuilt in ${generated.restoreSeconds.toFixed(0)}s)`,
  );
  return { tenantId: tenant.id, managerId: manager.id, storeIds, reversals: generated.reversals, generationSeconds };
}

/** BENCH_REUSE=1: the tenant a run with BENCH_KEEP=1 left in the database, without generating it again. */
async function reuseKept(clients: pg.Client[]): Promise<BenchData> {
  for (const c of clients) await c.connect();
  const [first] = clients as [pg.Client, pg.Client];
  const found = await first.query<{ tenant_id: string; manager_id: string; store_ids: string[]; reversals: string }>(
    `select t.id as tenant_id, (select s.id from staff s where s.tenant_id = t.id and s.role = 'manager') as manager_id,
            array(select st.id from stores st where st.tenant_id = t.id order by st.code)::text[] as store_ids,
            (select count(*) from transfers r where r.tenant_id = t.id and r.reverses_id is not null) as reversals
     from tenants t where t.slug = 'bench-segmentation'`,
  );
  const row = found.rows[0];
  if (!row) throw new Error('BENCH_REUSE=1: no kept benchmark database (run once with BENCH_KEEP=1)');
  console.log('Reusing the kept database (no generation).');
  return {
    tenantId: row.tenant_id,
    managerId: row.manager_id,
    storeIds: row.store_ids,
    reversals: Number(row.reversals),
    generationSeconds: 0,
  };
}

async function main() {
  adminUrl();
  console.log(
    `Segmentation benchmark: ${fmt(CUSTOMERS)} customers, ${fmt(TRANSACTIONS)} paid transactions, one tenant (load ${loadavg()[0]?.toFixed(1)})`,
  );
  const url = databaseUrl(DB);
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', DATABASE_URL: url });
  const clients = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
  const data = REUSE ? await reuseKept(clients) : await generate(url, clients);
  const [first] = clients as [pg.Client, pg.Client];
  const { tenantId, managerId, storeIds } = data;

  const port = await freePort();
  const api = await startApi(url, port);
  const pid = api.pid as number;
  const token = staffToken(config.JWT_SECRET, {
    kind: 'staff',
    sub: managerId,
    tenantId,
    role: 'manager',
    storeIds,
  });
  const backend = await first.query<{ pid: number }>('select pg_backend_pid() as pid');
  const postmaster = Number(
    readFileSync(`/proc/${backend.rows[0]?.pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] ?? 0,
  );
  try {
    console.log(`API process ${pid} on port ${port}: ${(await rssMb(pid)).toFixed(0)} MB RSS idle`);
    await groupBy(first, tenantId, postmaster); // warm the cache the same way for both
    const a: Awaited<ReturnType<typeof groupBy>>[] = [];
    const b: Awaited<ReturnType<typeof timedRecompute>>[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      a.push(await groupBy(first, tenantId, postmaster));
      await first.query('truncate rfm_scores');
      b.push(await timedRecompute(port, token, pid, postmaster));
      const x = a.at(-1) as (typeof a)[number];
      const y = b.at(-1) as (typeof b)[number];
      console.log(
        `round ${round}: (a) GROUP BY ${x.seconds.toFixed(2)} s (${x.cpuSeconds.toFixed(1)} CPU s) · (b) RFM recompute writing ${fmt(y.run.customers)} memberships ${y.seconds.toFixed(2)} s (${y.cpuSeconds.toFixed(1)} CPU s) · (b)/(a) ${(y.seconds / x.seconds).toFixed(2)} · API RSS ${y.rssBeforeMb.toFixed(0)} → ${y.rssPeakMb.toFixed(0)} MB`,
      );
    }
    const steady = await timedRecompute(port, token, pid, postmaster);
    console.log(
      `steady state (nightly rerun, only changed rows written, ${fmt(steady.run.transitions)} transitions): ${steady.seconds.toFixed(2)} s`,
    );
    // Where the time goes: one more recompute in this process with the steps traced (not part of the figures).
    await first.query('truncate rfm_scores');
    const steps: string[] = [];
    const traced = await openDatabase({ databaseUrl: url, poolMax: 1 });
    await recomputeRfm(traced.db, tenantId, {
      asOf: new Date(),
      trace: (step, ms) => steps.push(`${step} ${(ms / 1000).toFixed(2)} s`),
    });
    await traced.close();
    console.log(`steps of a full recompute (traced, in the bench process): ${steps.join(' · ')}`);
    const groupbyS = median(a.map((x) => x.seconds));
    const rfmS = median(b.map((x) => x.seconds));
    const ratio = rfmS / groupbyS;
    const cpuRatio = median(b.map((x) => x.cpuSeconds)) / median(a.map((x) => x.cpuSeconds));
    const rss = Math.max(steady.rssPeakMb, ...b.map((x) => x.rssPeakMb));
    const segments = await first.query<{ segment: string; n: string }>(
      `select segment, count(*) as n from rfm_scores where tenant_id = $1 group by 1 order by 2 desc`,
      [tenantId],
    );
    console.log(`Segments: ${segments.rows.map((r) => `${r.segment} ${fmt(Number(r.n))}`).join(', ')}`);
    console.log(
      `(a) GROUP BY customer over the same rows:              ${groupbyS.toFixed(2)} s (median of ${ROUNDS})`,
    );
    console.log(`(b) full RFM recompute incl. writing the memberships: ${rfmS.toFixed(2)} s (median of ${ROUNDS})`);
    console.log(
      `(b)/(a) = ${ratio.toFixed(2)} wall clock, ${cpuRatio.toFixed(2)} in PostgreSQL CPU seconds (aim ≤ 1.5);  API RSS peak ${rss.toFixed(0)} MB (limit 300)`,
    );
    console.log(
      JSON.stringify({
        customers: CUSTOMERS,
        transactions: TRANSACTIONS,
        reversals: data.reversals,
        groupby_s: Number(groupbyS.toFixed(3)),
        rfm_s: Number(rfmS.toFixed(3)),
        rfm_ratio: Number(ratio.toFixed(3)),
        api_rss_mb: Math.round(rss),
        rfm_cpu_ratio: Number(cpuRatio.toFixed(3)),
        groupby_runs_s: a.map((x) => Number(x.seconds.toFixed(3))),
        rfm_runs_s: b.map((x) => Number(x.seconds.toFixed(3))),
        groupby_cpu_s: a.map((x) => Number(x.cpuSeconds.toFixed(2))),
        rfm_cpu_s: b.map((x) => Number(x.cpuSeconds.toFixed(2))),
        rfm_steady_s: Number(steady.seconds.toFixed(3)),
        api_rss_idle_mb: Math.round(b[0]?.rssBeforeMb ?? 0),
        scored: b[0]?.run.scored ?? 0,
        generation_s: Math.round(data.generationSeconds),
        load_avg: Number((loadavg()[0] ?? 0).toFixed(2)),
      }),
    );
  } finally {
    api.kill('SIGTERM');
    await new Promise((r) => api.once('exit', r));
    for (const c of clients) await c.end();
    if (!KEEP && !REUSE) await dropDatabase(DB); // a reused database stays for the next run
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
