import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Database } from './database.ts';

const memos = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * A read made once per transaction: inside a transaction `read` runs the first time `key` is asked for and
 * later calls in the same transaction get its answer; outside one (the pool) it runs every time. For rows the
 * transaction itself does not change after reading them (tenant settings, a customer's account ids), which a
 * posting's steps each used to read again — every read a round trip (docs/performance.md). A read that fails
 * is not kept.
 */
export function inTransactionOnce<T>(db: Database, key: string, read: () => Promise<T>): Promise<T> {
  if (!(db instanceof PgTransaction)) return read();
  let memo = memos.get(db);
  if (!memo) {
    memo = new Map();
    memos.set(db, memo);
  }
  const known = memo.get(key);
  if (known) return known as Promise<T>;
  const pending = read();
  memo.set(key, pending);
  const forget = memo;
  pending.catch(() => forget.delete(key));
  return pending;
}

/** Hands the transaction an answer it already holds (read as part of another statement), for `key`. */
export function knownInTransaction<T>(db: Database, key: string, value: T): void {
  if (!(db instanceof PgTransaction)) return;
  let memo = memos.get(db);
  if (!memo) {
    memo = new Map();
    memos.set(db, memo);
  }
  memo.set(key, Promise.resolve(value));
}

/** Forgets `key` in this transaction, after the transaction changed what it names. */
export function forgetInTransaction(db: Database, key: string): void {
  memos.get(db)?.delete(key);
}
