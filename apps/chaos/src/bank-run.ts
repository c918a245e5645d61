import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMigratedDatabase } from '@lumi/api/testing/bank';
import { startWechatSim, type WechatSim } from '@lumi/wechat-sim';
import { type Death, SupervisedApi } from './api-process.ts';
import { type CheckReport, checkInvariants } from './checks.ts';
import {
  type FaultStats,
  killAndRestart,
  newFaultStats,
  restartPostgres,
  terminateBackends,
  wechatFaults,
} from './faults.ts';
import { BankHttp, newTrafficStats, type TrafficStats } from './http-client.ts';
import type { ClientContext, CustomerModel } from './model.ts';
import { startNotifyProxy } from './notify-proxy.ts';
import { sleep } from './sleep.ts';
import { Random } from './random.ts';
import { adminUrl, createBankDatabase, createTenants, customerModels, dropBankDatabase } from './setup.ts';
import { openShops } from './shop-ops.ts';
import { resolvePending, runClient } from './workload.ts';

export interface BankRunOptions {
  seed: number;
  /** How long the workload sends new requests while the faults run. */
  durationMs: number;
  /** Fixture tenants; each has two customers, each customer one client. */
  tenants: number;
}

export interface BankRunResult {
  seed: number;
  traffic: TrafficStats;
  faults: FaultStats;
  checks: CheckReport;
  /** Answers that contradicted the model (a refusal where it had room, an acceptance over a limit). */
  violations: string[];
  /** Requests still unknown after replaying them once the faults stopped. */
  unresolved: string[];
  /** API processes that exited without the test killing them. */
  deaths: Death[];
  counts: Record<string, number>;
  logDir: string;
  durationsMs: Record<string, number>;
}

const JWT_SECRET = `chaos-${randomBytes(16).toString('hex')}`;
const RESOLVE_MS = 60_000;

function apiEnv(databaseUrl: string, sim: WechatSim, keysDir: string, notifyUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: '8',
    JWT_SECRET,
    WECHAT_API_BASE: sim.url,
    WECHAT_PAY_BASE: `${sim.url}/`,
    WECHAT_PAY_KEYS_DIR: keysDir,
    WECHAT_PAY_NOTIFY_URL: `${notifyUrl}/payments/wechat/notify`,
    WECHAT_PAY_TIMEOUT_MS: '2000',
    WECHAT_TIMEOUT_MS: '2000',
    WECHAT_PAY_QUERY_AFTER_MINUTES: '1',
  };
}

/** Gives every customer a credit line (a manager sets the limit) before the faults start. */
async function openCreditLines(http: BankHttp, customers: CustomerModel[], rng: Random): Promise<void> {
  for (const c of customers) {
    const limitFen = rng.int(5, 30) * 10_000;
    const reply = await http.send(
      {
        method: 'PUT',
        path: `/staff/customers/${c.id}/credit-line/limit`,
        token: c.tenant.managerToken,
        body: { limitFen, reason: '老顾客授信' },
      },
      Date.now() + 60_000,
    );
    if (reply?.status !== 200)
      throw new Error(`credit limit for ${c.id}: ${reply?.status} ${JSON.stringify(reply?.body)}`);
    c.limitFen = limitFen;
  }
}

/**
 * The bank test: two API processes (one running the jobs) on one PostgreSQL with the WeChat simulator, many
 * clients moving money while connections are terminated, PostgreSQL restarts, one API process is SIGKILLed and
 * WeChat misbehaves; then every unanswered request is resolved by replay and the books are checked.
 */
export async function runBank(options: BankRunOptions): Promise<BankRunResult> {
  const durations: Record<string, number> = {};
  const runStarted = Date.now();
  const timed = async <T>(name: string, fn: () => Promise<T>) => {
    const started = Date.now();
    // Progress, so a run stopped by its time limit shows where it was.
    console.log(`[chaos +${Math.round((started - runStarted) / 1000)} s] ${name}`);
    try {
      return await fn();
    } finally {
      durations[name] = Date.now() - started;
    }
  };
  const rng = new Random(options.seed);
  const logDir = mkdtempSync(join(tmpdir(), 'lumi-chaos-'));
  const keysDir = join(logDir, 'wechat-keys');
  const deaths: Death[] = [];
  const traffic = newTrafficStats();
  const faults = newFaultStats();
  const counts: Record<string, number> = {};
  const violations: string[] = [];

  const { name, url } = await timed('database', () => createBankDatabase());
  const sim = await startWechatSim({ keysDir, timeScale: 0.05, notifyTimeoutMs: 3_000 });
  const apis: SupervisedApi[] = [];
  const proxy = await startNotifyProxy(() => apis.filter((a) => a.running).map((a) => a.url));
  const env = apiEnv(url, sim, keysDir, proxy.url);
  const apiProcess = (apiName: string, jobs: 'true' | 'false') =>
    new SupervisedApi(apiName, { ...env, JOBS_ENABLED: jobs }, join(logDir, `${apiName}.log`), deaths);
  // api-a runs the jobs (payment reconciliation); api-b is the one the test kills.
  const apiB = apiProcess('api-b', 'false');
  apis.push(apiProcess('api-a', 'true'), apiB);
  try {
    const [fixtures] = await timed('api start and fixtures', () =>
      Promise.all([createTenants(url, options.tenants), ...apis.map((a) => a.start())]),
    );
    const urls = () => apis.map((a) => a.url);
    const customers = customerModels(fixtures, JWT_SECRET);
    const setUpHttp = new BankHttp(urls, newTrafficStats(), rng.fork(-1));
    await openCreditLines(setUpHttp, customers, rng);
    await openShops(setUpHttp, customers);

    const deadline = Date.now() + options.durationMs;
    const clients: ClientContext[] = customers.map((customer, i) => ({
      customer,
      http: new BankHttp(urls, traffic, rng.fork(i)),
      rng: rng.fork(1_000 + i),
      deadline,
      pending: null,
      violations,
      counts,
      payAtWechat: (requestPayment) => {
        const outcome = sim.pay(requestPayment as Parameters<WechatSim['pay']>[0]);
        return outcome.ok;
      },
      armWechatFault: (input) => {
        const fault = sim.faults.add(input);
        return { fired: () => fault.hits > 0, disarm: () => void sim.faults.remove(fault.id) };
      },
    }));

    let over = false;
    const stopped = () => over;
    const faultRng = rng.fork(9_999);
    const faultLoops = [
      terminateBackends(adminUrl(), name, faultRng.fork(1), faults, stopped),
      wechatFaults(sim, faultRng.fork(2), faults, stopped),
      // The kill comes early: a restart takes a while on a busy machine, and should end within the workload.
      (async () => {
        await sleep(options.durationMs * 0.15);
        await killAndRestart(apiB, faultRng.fork(3), faults);
      })(),
      (async () => {
        await sleep(options.durationMs * 0.5);
        await restartPostgres(faults);
      })(),
    ];
    await timed('workload', () => Promise.all(clients.map(runClient)));
    over = true;
    await timed('faults wind-down', () => Promise.all(faultLoops));
    sim.faults.clear();
    for (const api of apis) if (!api.running) await api.start();

    counts.pendingAtEnd = clients.filter((c) => c.pending !== null).length;
    const unresolved = await timed('resolve pending', () => resolvePending(clients, Date.now() + RESOLVE_MS));
    counts.resolvedByReplay = counts.pendingAtEnd - unresolved.length;
    // Late copies (duplicates, delayed and retried deliveries) land before the books are checked.
    await timed('notifications settle', () => notificationsSettled(sim, Date.now() + 20_000));

    const database = await openMigratedDatabase(url);
    const checks = await timed('checks', async () => {
      try {
        const http = new BankHttp(urls, newTrafficStats(), rng.fork(-2));
        const report = await checkInvariants(database, http, customers, sim.refunds());
        await checkWechatTransfers(database, customers, report);
        return report;
      } finally {
        await database.close();
      }
    });
    return {
      seed: options.seed,
      traffic,
      faults,
      checks,
      violations,
      unresolved,
      deaths: [...deaths],
      counts,
      logDir,
      durationsMs: durations,
    };
  } finally {
    await Promise.all(apis.map((a) => a.close()));
    await proxy.close();
    await sim.close();
    await dropBankDatabase(name).catch(() => {});
  }
}

/** Waits until WeChat has no notification still being delivered (each acked, given up on or dropped). */
async function notificationsSettled(sim: WechatSim, deadline: number): Promise<void> {
  while (Date.now() < deadline && sim.notifications().some((n) => n.status === 'pending')) await sleep(250);
}

/** Each paid order is one WeChat top-up transfer: none twice, none for an order never paid. */
async function checkWechatTransfers(
  database: Awaited<ReturnType<typeof openMigratedDatabase>>,
  customers: CustomerModel[],
  report: CheckReport,
): Promise<void> {
  const { rows } = await database.rawQuery(
    `select count(*)::int as n from transfers where kind = 'top_up' and details->>'method' = 'wechat'`,
  );
  const credited = (rows[0] as { n: number }).n;
  const paid = customers.reduce((sum, c) => sum + c.orders.filter((o) => o.paid && o.purpose === 'top_up').length, 0);
  report.checked['WeChat top-up transfers equal paid orders'] = 1;
  if (credited !== paid) report.problems.push(`${credited} WeChat top-up transfers for ${paid} paid orders`);
}
