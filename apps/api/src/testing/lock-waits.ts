import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';

/**
 * For race tests that hold one side mid-way: how many backends of this database wait for a lock (a gate, a row,
 * an advisory lock), and a wait for the moment a condition holds — never for a length of time.
 */
export async function lockWaiters(db: Database): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where not l.granted and a.datname = current_database()`,
  );
  return Number(row?.n ?? 0);
}

/** Resolves once `condition` holds (checked every few ms); a request that never gets there fails the test. */
export async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('a request never reached the point the test waits for');
}
