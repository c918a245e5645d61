import { type SQL, sql } from 'drizzle-orm';
import { check, date, foreignKey, integer, PgTransaction, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/database.ts';
import { stores } from './tables.ts';

/**
 * A counter table for one kind of store document (bills, shop orders): the last number given out per store and
 * Shanghai business day, incremented by insert … on conflict do update, so each document gets the next number.
 * Either the document's own statement increments it in the document's transaction (nextStoreDayNumber: shop
 * orders; concurrent documents queue on the row until that transaction commits, and one that rolls back gives
 * its number back), or a statement of its own before it (takenStoreDayNumber: bills; no queue, refusals leave
 * gaps). Unique by construction, unlike date + random bits (issue 13 #2).
 */
export function storeDayCounters<Name extends string>(name: Name) {
  return pgTable(
    name,
    {
      tenantId: uuid().notNull(),
      storeId: uuid().notNull(),
      businessDate: date({ mode: 'string' }).notNull(),
      lastNumber: integer().notNull(),
    },
    (t) => [
      primaryKey({ columns: [t.tenantId, t.storeId, t.businessDate] }),
      foreignKey({ columns: [t.tenantId, t.storeId], foreignColumns: [stores.tenantId, stores.id] }),
      check(`${name}_positive`, sql`${t.lastNumber} > 0`),
    ],
  );
}

export type StoreDayCounters = ReturnType<typeof storeDayCounters>;

/** Increments the store's counter for the day (its first document makes the row) and returns the new last_number. */
const countedSql = (counters: StoreDayCounters, at: { tenantId: string; storeId: string; day: string }) =>
  sql`insert into ${counters} (tenant_id, store_id, business_date, last_number)
      values (${at.tenantId}, ${at.storeId}, ${at.day}, 1)
      on conflict (tenant_id, store_id, business_date)
        do update set last_number = ${counters}.last_number + 1
      returning last_number`;

/** The number as a receipt prints it — `[prefix-]S01-20261207-0042` — over the CTE `counted`. */
const numberSql = (at: { tenantId: string; storeId: string; day: string; prefix?: string }): SQL<string> =>
  sql`(select ${at.prefix ? `${at.prefix}-` : ''} || stores.code || '-' || ${at.day.replaceAll('-', '')} || '-' ||
              lpad(counted.last_number::text, greatest(4, length(counted.last_number::text)), '0')
       from counted, stores where stores.tenant_id = ${at.tenantId} and stores.id = ${at.storeId})`;

/**
 * The next number of a store's business day, for the document's own insert: `counted` is a data-modifying CTE
 * (attach it with `tx.with(counted)`) and `number` an expression over it, read as a receipt prints it —
 * `[prefix-]S01-20261207-0042` (store code, day, sequence; past 9999 the sequence just grows).
 */
export function nextStoreDayNumber(
  tx: Database,
  counters: StoreDayCounters,
  at: { tenantId: string; storeId: string; day: string; prefix?: string },
) {
  const counted = tx.$with('counted', { lastNumber: sql<number>`last_number` }).as(countedSql(counters, at));
  return { counted, number: numberSql(at) };
}

/**
 * The next number of a store's business day, taken by a statement outside the document's transaction (`db`
 * must not be one): `ctes` go after `with` and `number` is a column, as nextStoreDayNumber prints it. That
 * statement commits on its own and without waiting for its commit record to reach the disk
 * (synchronous_commit off for it alone), so the counter row is locked only while it runs: concurrent
 * documents of one store no longer queue on the row through their own inserts and durable commits.
 *
 * Still unique by construction: the counter's commit precedes the document's insert in the WAL, and recovery
 * replays a prefix of the WAL, so every document that survives a crash has its number counted; only a number
 * whose document never committed can be given out again. Gaps: a number taken for a document that is then
 * refused or fails is not given back (docs/checkout.md, bill numbers).
 */
export function takenStoreDayNumber(
  db: Database,
  counters: StoreDayCounters,
  at: { tenantId: string; storeId: string; day: string; prefix?: string },
): { ctes: SQL; number: SQL<string> } {
  if (db instanceof PgTransaction) throw new Error("a store-day number is taken outside the document's transaction");
  return {
    ctes: sql`counted as (${countedSql(counters, at)}),
              counted_commit as (select set_config('synchronous_commit', 'off', true))`,
    number: sql`(select ${numberSql(at)} from counted_commit)`,
  };
}
