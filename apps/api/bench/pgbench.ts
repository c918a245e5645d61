/** pgbench as the yardstick: the same cluster, the same session, its own database. */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { queryRows } from '../src/db/database.ts';
import { openDatabase } from '../src/db/open.ts';
import { adminUrl, dropDatabase } from '../src/testing/postgres.ts';
import { log, round, type Sample } from './stats.ts';

const run = promisify(execFile);

function pgbenchBinary(): string {
  const dir = process.env.PG_BIN_DIR;
  return dir ? join(dir, 'pgbench') : 'pgbench';
}

function connectionArgs(): string[] {
  const url = new URL(adminUrl());
  return ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres')];
}

/**
 * One pgbench run of `seconds` with `clients` connections on `database`: the built-in TPC-B-like transaction,
 * or another built-in script through `extra` (`['-S']`: select-only). Every transaction's latency is read
 * from pgbench's per-transaction log.
 */
export async function pgbench(
  database: string,
  seconds: number,
  clients: number,
  extra: string[] = [],
): Promise<Sample> {
  const logDir = await mkdtemp(join(tmpdir(), 'lumi-pgbench-'));
  try {
    const args = [...connectionArgs(), '-c', String(clients), '-j', '2', '-T', String(seconds), '-P', '5', ...extra];
    args.push('-l', `--log-prefix=${join(logDir, 'tx')}`);
    const { stdout, stderr } = await run(pgbenchBinary(), [...args, database], { maxBuffer: 64 * 1024 * 1024 });
    const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1]);
    const count = Number(/number of transactions actually processed: (\d+)/.exec(stdout)?.[1]);
    if (!Number.isFinite(tps) || !Number.isFinite(count)) {
      throw new Error(`could not read pgbench's result:\n${stdout}\n${stderr}`);
    }
    const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
    const latencies: number[] = [];
    // Per-transaction log lines: client_id transaction_no time_us script_no epoch epoch_us.
    for (const file of await readdir(logDir)) {
      for (const line of (await readFile(join(logDir, file), 'utf8')).split('\n')) {
        const us = Number(line.split(' ')[2]);
        if (line && Number.isFinite(us)) latencies.push(us / 1000);
      }
    }
    // pgbench's tps leaves out connection set-up; so does count ÷ (count ÷ tps).
    return { latencies, count, seconds: count / tps, errors: failed, cpuSeconds: 0 };
  } finally {
    await rm(logDir, { recursive: true, force: true });
  }
}

/** A fresh database with pgbench's tables at scale 10. */
export async function preparePgbench(database: string) {
  await dropDatabase(database);
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`create database ${database}`);
  await admin.end();
  await run(pgbenchBinary(), [...connectionArgs(), '-i', '-s', '10', '-q', database], {
    maxBuffer: 16 * 1024 * 1024,
  });
}

export const loadAverage = () =>
  loadavg()
    .map((x) => round(x))
    .join(' ');

/** Prints the server's version and durability settings and the load average; returns the load average. */
export async function describeCluster(): Promise<number[]> {
  const admin = await openDatabase({ databaseUrl: adminUrl(), poolMax: 1 });
  const server = await queryRows<{ v: string; fsync: string; sc: string }>(
    admin.db,
    sql`select version() as v, current_setting('fsync') as fsync, current_setting('synchronous_commit') as sc`,
  );
  await admin.close();
  log(`${server[0]?.v ?? 'PostgreSQL'}; fsync=${server[0]?.fsync}, synchronous_commit=${server[0]?.sc}`);
  // The machine may be shared: the load average says how much else was running.
  log(`load average at start: ${loadAverage()}`);
  return loadavg().map((x) => round(x));
}
