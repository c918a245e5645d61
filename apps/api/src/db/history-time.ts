import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Importing history (the demo seed; a salon moving its past over from another system) runs the real operations
 * — checkout, credit, top-ups — on a clock of its own. Inside `importingHistory(clock, run)` every posting that
 * names no business time of its own gets the clock's, which ledger_post takes as p_at ("the business time of the
 * event; now() unless importing history"). Live requests never run inside it and keep the database clock.
 */
const historyClock = new AsyncLocalStorage<() => Date>();

export function importingHistory<T>(clock: () => Date, run: () => Promise<T>): Promise<T> {
  return historyClock.run(clock, run);
}

/**
 * The import's clock when importing history, else undefined: rows written with it as their created_at (a bill,
 * its commissions, a refund) are dated in the history being imported; live requests keep the database's default.
 */
export function historyNow(): Date | undefined {
  return historyClock.getStore()?.();
}

/** The business time to post with: the operation's own, else the import's clock, else none (database clock). */
export function businessTime(at: Date | undefined): string | null {
  return (at ?? historyNow())?.toISOString() ?? null;
}
