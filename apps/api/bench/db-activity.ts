/**
 * What the database did during a phase, to tell why one runs slower than another: commits, rollbacks and
 * deadlocks of the API's database (pg_stat_database), and how many of the API's connections were, on average,
 * running a statement and waiting for a lock (pg_stat_activity, sampled every 50 ms).
 */
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../src/db/database.ts';

export interface Activity {
  commits: number;
  rollbacks: number;
  deadlocks: number;
  /** Average connections running a statement, and those of them waiting for a lock. */
  active: number;
  lockWaits: number;
}

async function counters(db: Database, database: string) {
  // Reported statistics may lag by up to a second: read them afresh.
  await db.execute(sql`select pg_stat_clear_snapshot()`);
  const [row] = await queryRows<{ commits: number; rollbacks: number; deadlocks: number }>(
    db,
    sql`select xact_commit::int as commits, xact_rollback::int as rollbacks, deadlocks::int as deadlocks
        from pg_stat_database where datname = ${database}`,
  );
  return row ?? { commits: 0, rollbacks: 0, deadlocks: 0 };
}

/** Runs `work` while sampling; the counters cover the work (and the other sessions of the database). */
export async function watch<T>(db: Database, database: string, work: () => Promise<T>): Promise<[T, Activity]> {
  const before = await counters(db, database);
  let samples = 0;
  let active = 0;
  let lockWaits = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      const [row] = await queryRows<{ active: number; lock_waits: number }>(
        db,
        sql`select count(*) filter (where state = 'active')::int as active,
                   count(*) filter (where state = 'active' and wait_event_type = 'Lock')::int as lock_waits
            from pg_stat_activity where datname = ${database} and application_name = 'lumi-api' and pid <> pg_backend_pid()`,
      );
      samples++;
      active += row?.active ?? 0;
      lockWaits += row?.lock_waits ?? 0;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const result = await work();
  running = false;
  await sampler;
  // Statistics reach the shared counters when a backend goes idle or at most a second later.
  await new Promise((r) => setTimeout(r, 1_100));
  const after = await counters(db, database);
  return [
    result,
    {
      // Less this sampler's own: one per sample and two for the counters (pg_stat_clear_snapshot's statement).
      commits: after.commits - before.commits - samples - 2,
      rollbacks: after.rollbacks - before.rollbacks,
      deadlocks: after.deadlocks - before.deadlocks,
      active: samples ? active / samples : 0,
      lockWaits: samples ? lockWaits / samples : 0,
    },
  ];
}
