import { type SQL, sql } from 'drizzle-orm';
import { check, date, foreignKey, integer, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/database.ts';
import { stores } from './tables.ts';

/**
 * A counter table for one kind of store document (bills, shop orders): the last number given out per store and
 * Shanghai business day. The document's statement increments its row in the document's own transaction
 * (insert … on conflict do update), so concurrent documents queue on the row and each gets the next number; one
 * that rolls back gives its number back. Unique by construction, unlike date + random bits (issue 13 #2).
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
  const counted = tx.$with('counted', { lastNumber: sql<number>`last_number` }).as(
    sql`insert into ${counters} (tenant_id, store_id, business_date, last_number)
        values (${at.tenantId}, ${at.storeId}, ${at.day}, 1)
        on conflict (tenant_id, store_id, business_date)
          do update set last_number = ${counters}.last_number + 1
        returning last_number`,
  );
  const prefix = at.prefix ? `${at.prefix}-` : '';
  const number: SQL<string> = sql`(select ${prefix} || stores.code || '-' || ${at.day.replaceAll('-', '')} || '-' ||
                     lpad(counted.last_number::text, greatest(4, length(counted.last_number::text)), '0')
              from counted, stores where stores.tenant_id = ${at.tenantId} and stores.id = ${at.storeId})`;
  return { counted, number };
}
