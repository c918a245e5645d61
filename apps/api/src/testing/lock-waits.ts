import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';

/**
 * Resolves once `work` settles or a statement like `statement` (a LIKE pattern) waits for a lock — whichever
 * comes first. Tests of two requests racing hold a table lock to stop one at a known statement, start the other,
 * and wait with this until it either finished or queued behind the first, without timing assumptions.
 */
export async function settledOrWaiting(db: Database, work: Promise<unknown>, statement: string): Promise<void> {
  let settled = false;
  work.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  for (;;) {
    const [row] = await queryRows<{ waiting: number }>(
      db,
      sql`select count(*)::int as waiting from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and query like ${statement}`,
    );
    if (settled || row!.waiting > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
