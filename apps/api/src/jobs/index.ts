import PgBoss from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'drizzle-orm';
import { type DatabaseHandle, queryRows } from '../db/database.ts';
import { expirePackageCards, expirePoints, type LedgerDeps } from '../modules/ledger/index.ts';

/**
 * Scheduled work runs on pg-boss, a job queue kept in PostgreSQL itself (PGlite in the demo), so schedules
 * survive restarts and several API processes never run the same job twice. Handlers are plain functions of
 * (database, deps) so tests call them directly with a moved clock.
 */
export const SCHEDULES = {
  /** 03:00 in Shanghai, after the business day has closed. */
  'ledger.expire': { cron: '0 3 * * *', tz: 'Asia/Shanghai' },
} as const;

export async function runLedgerExpiry(
  database: DatabaseHandle,
  deps: LedgerDeps,
): Promise<{ cards: number; lots: number }> {
  const tenants = await queryRows<{ id: string }>(database.db, sql`select id from tenants order by id`);
  let cards = 0;
  let lots = 0;
  for (const { id } of tenants) {
    cards += await expirePackageCards(database.db, deps, id);
    lots += await expirePoints(database.db, deps, id);
  }
  return { cards, lots };
}

export interface Jobs {
  boss: PgBoss;
  stop(): Promise<void>;
}

export async function startJobs(database: DatabaseHandle, deps: LedgerDeps, log: FastifyBaseLogger): Promise<Jobs> {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => database.rawQuery(text, values) },
    schema: 'pgboss',
  });
  boss.on('error', (error: unknown) => log.error({ err: error }, 'job queue error'));
  await boss.start();
  for (const [name, schedule] of Object.entries(SCHEDULES)) {
    await boss.createQueue(name);
    await boss.schedule(name, schedule.cron, {}, { tz: schedule.tz });
  }
  await boss.work('ledger.expire', async () => {
    const result = await runLedgerExpiry(database, deps);
    log.info(result, 'expired package cards and points');
  });
  return { boss, stop: () => boss.stop({ graceful: true, wait: true }) };
}
