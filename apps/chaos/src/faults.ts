import { spawn } from 'node:child_process';
import type { FaultInput, WechatSim } from '@lumi/wechat-sim';
import pg from 'pg';
import type { SupervisedApi } from './api-process.ts';
import { sleep } from './sleep.ts';
import type { Random } from './random.ts';

export interface FaultStats {
  backendsTerminated: number;
  terminationRounds: number;
  postgresRestarts: number;
  apiKills: number;
  wechatFaults: Record<string, number>;
}

export const newFaultStats = (): FaultStats => ({
  backendsTerminated: 0,
  terminationRounds: 0,
  postgresRestarts: 0,
  apiKills: 0,
  wechatFaults: {},
});

/** Runs `body` every `gap()` ms until `stop` resolves true. */
async function every(gap: () => number, until: () => boolean, body: () => Promise<void>): Promise<void> {
  while (!until()) {
    await sleep(gap());
    if (until()) return;
    await body().catch(() => {});
  }
}

/** pg_terminate_backend of one to three of the API's connections (application_name 'lumi-api') every 1–2 s. */
export function terminateBackends(
  adminUrl: string,
  database: string,
  rng: Random,
  stats: FaultStats,
  until: () => boolean,
): Promise<void> {
  return every(
    () => rng.int(1_000, 2_000),
    until,
    async () => {
      const client = new pg.Client({ connectionString: adminUrl, application_name: 'lumi-chaos' });
      client.on('error', () => {});
      await client.connect();
      try {
        const { rows } = await client.query<{ pid: number }>(
          `select pid from pg_stat_activity where application_name = 'lumi-api' and datname = $1`,
          [database],
        );
        const victims = rows.filter(() => rng.chance(0.5)).slice(0, rng.int(1, 3));
        const fallback = rows[0];
        if (victims.length === 0 && fallback) victims.push(fallback);
        for (const { pid } of victims) {
          const { rows: done } = await client.query<{ ok: boolean }>('select pg_terminate_backend($1) as ok', [pid]);
          if (done[0]?.ok) stats.backendsTerminated += 1;
        }
        stats.terminationRounds += 1;
      } finally {
        await client.end().catch(() => {});
      }
    },
  );
}

/** `pg_ctl restart -m fast` of the throwaway cluster, as its owner (the `postgres` OS user when we are root). */
export async function restartPostgres(stats: FaultStats): Promise<void> {
  const dataDir = process.env.PG_DATA_DIR;
  const binDir = process.env.PG_BIN_DIR;
  if (!dataDir || !binDir) throw new Error('PG_DATA_DIR and PG_BIN_DIR come from infra/scripts/with-postgres.sh');
  const pgCtl = [`${binDir}/pg_ctl`, 'restart', '-D', dataDir, '-m', 'fast', '-w', '-t', '60'];
  if (process.env.PG_LOG_FILE) pgCtl.push('-l', process.env.PG_LOG_FILE);
  const command = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...pgCtl] : pgCtl;
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(command[0] ?? '', command.slice(1), { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`pg_ctl restart exited with ${code}`);
  stats.postgresRestarts += 1;
}

/** SIGKILL of one API process, then a start after a pause (its clients fail over to the other meanwhile). */
export async function killAndRestart(api: SupervisedApi, rng: Random, stats: FaultStats): Promise<void> {
  await api.kill();
  stats.apiKills += 1;
  await sleep(rng.int(500, 2_000));
  await api.start();
}

/** The simulator misbehaving: notifications duplicated, delayed, dropped, forged; the pay API hanging or failing. */
export function wechatFaults(sim: WechatSim, rng: Random, stats: FaultStats, until: () => boolean): Promise<void> {
  const kinds: (() => FaultInput)[] = [
    () => ({ kind: 'notify-duplicate', copies: rng.int(2, 3), times: rng.int(1, 3) }),
    () => ({ kind: 'notify-delay', delayMs: rng.int(500, 4_000), times: rng.int(1, 3) }),
    () => ({ kind: 'notify-drop', times: 1 }),
    () => ({ kind: 'notify-forged-signature', times: rng.int(1, 2) }),
    () => ({ kind: 'response-hang', path: '/v3/pay/transactions/*', hangMs: 4_000, times: 1 }),
    () => ({ kind: 'response-error', path: '/v3/pay/transactions/*', status: 500, times: 1 }),
  ];
  return every(
    () => rng.int(1_500, 3_000),
    until,
    async () => {
      const fault = sim.faults.add(rng.pick(kinds)());
      stats.wechatFaults[fault.spec.kind] = (stats.wechatFaults[fault.spec.kind] ?? 0) + 1;
    },
  );
}

/**
 * What WeChat's refund endpoint does to one refund, named by its order so nobody else's refund is hit: refuse it
 * (`NOT_ENOUGH`, the merchant's balance short), fail before taking it (system error), or take it and then fail or
 * time out the answer (the caller cannot tell it was accepted).
 */
export type RefundFaultKind = 'refused' | 'error-before' | 'error-after' | 'timeout-after';
export const REFUND_FAULT_KINDS: readonly RefundFaultKind[] = [
  'refused',
  'error-before',
  'error-after',
  'timeout-after',
];

export function refundFault(kind: RefundFaultKind, outTradeNo: string): FaultInput {
  const target = { path: '/v3/refund/domestic/refunds', method: 'POST', outTradeNo, times: 1 };
  switch (kind) {
    case 'refused':
      return { ...target, kind: 'response-error', status: 403, code: 'NOT_ENOUGH', message: '基本账户余额不足' };
    case 'error-before':
      return { ...target, kind: 'response-error', status: 500, code: 'SYSTEM_ERROR' };
    case 'error-after':
      return { ...target, kind: 'response-error', status: 500, code: 'SYSTEM_ERROR', phase: 'after' };
    case 'timeout-after':
      // Longer than the API's WECHAT_PAY_TIMEOUT_MS (bank-run.ts): the API gives up on an accepted refund.
      return { ...target, kind: 'response-hang', hangMs: 4_000, phase: 'after' };
  }
}
