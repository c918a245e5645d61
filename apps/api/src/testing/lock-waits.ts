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

class Rollback extends Error {}

/**
 * A gate for race tests: runs `hold` (take a lock, write an uncommitted row …) in a transaction on a connection of
 * its own and keeps that transaction open, so a request reaching the held thing waits there, having passed
 * everything before. Resolves once `hold` has run; `open()` rolls the transaction back and waits for it to end.
 */
export async function closeGate(db: Database, hold: (tx: Database) => Promise<unknown>) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  let closed!: () => void;
  const isClosed = new Promise<void>((resolve) => {
    closed = resolve;
  });
  const held = db
    .transaction(async (tx) => {
      await hold(tx);
      closed();
      await opened;
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  await Promise.race([isClosed, held]);
  return {
    open: async () => {
      open();
      await held;
    },
  };
}
