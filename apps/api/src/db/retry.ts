import { setTimeout as sleep } from 'node:timers/promises';
import { isConnectionError } from './pg-errors.ts';

export interface RetryLog {
  warn(fields: object, message: string): void;
}

export interface RetryOptions {
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Stops the waiting (a shutdown signal while the database is still down). */
  signal?: AbortSignal;
}

/**
 * Runs `attempt` until it stops failing for want of a database, waiting longer after each failure (doubling up to
 * maxDelayMs). Start-up uses it so an API process started before its database (or during a restart) waits instead
 * of exiting; any other error (wrong password, migrations behind) is final and thrown at once.
 */
export async function retryWhileUnreachable<T>(
  what: string,
  attempt: () => Promise<T>,
  log: RetryLog,
  { firstDelayMs = 250, maxDelayMs = 5_000, signal }: RetryOptions = {},
): Promise<T> {
  for (let tries = 1, delayMs = firstDelayMs; ; tries++, delayMs = Math.min(delayMs * 2, maxDelayMs)) {
    try {
      return await attempt();
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      log.warn({ err: error, tries, retryInMs: delayMs }, `${what}: database unreachable, retrying`);
      await sleep(delayMs, undefined, { signal });
    }
  }
}
