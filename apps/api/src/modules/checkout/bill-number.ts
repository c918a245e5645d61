import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { shanghaiDate } from '../ledger/index.ts';
import { billLines, bills } from './tables.ts';

type NewBill = Omit<typeof bills.$inferInsert, 'number'>;
type NewBillLine = typeof billLines.$inferInsert & { id: string };

/**
 * The next number of a store's Shanghai business day, as a receipt prints it: `S01-20261207-0042` (store code,
 * day, sequence; past 9999 the sequence just grows), as an expression over the `counted` CTE of `insertBill`.
 */
function billNumberSql(tenantId: string, storeId: string, day: string): SQL {
  return sql`(select stores.code || '-' || ${day.replaceAll('-', '')} || '-' ||
                     lpad(counted.last_number::text, greatest(4, length(counted.last_number::text)), '0')
              from counted, stores where stores.tenant_id = ${tenantId} and stores.id = ${storeId})`;
}

/**
 * Stores a bill and its lines in one statement, numbered by the store's counter for the business day of `now`.
 * The counter row is incremented in the same statement, so concurrent bills of the store queue on it only from
 * this statement to the caller's commit (before, from a statement of its own through two more round trips:
 * docs/performance.md). The lines carry their ids, so what is stored is known without reading it back; the bill
 * is returned as stored.
 */
export async function insertBill(
  tx: Database,
  bill: NewBill & { tenantId: string; storeId: string },
  lines: NewBillLine[],
  now: Date,
) {
  const day = shanghaiDate(now);
  const counted = tx.$with('counted', { lastNumber: sql<number>`last_number` }).as(
    sql`insert into bill_number_counters (tenant_id, store_id, business_date, last_number)
        values (${bill.tenantId}, ${bill.storeId}, ${day}, 1)
        on conflict (tenant_id, store_id, business_date)
          do update set last_number = bill_number_counters.last_number + 1
        returning last_number`,
  );
  // Data-modifying CTEs run once whether referenced or not; the lines' foreign key is checked at the end of
  // the statement, when the bill exists.
  const lineRows = tx.$with('bill_line_rows', {}).as(sql`${tx.insert(billLines).values(lines).getSQL()}`);
  const [row] = await tx
    .with(counted, lineRows)
    .insert(bills)
    .values({ ...bill, number: billNumberSql(bill.tenantId, bill.storeId, day) })
    .returning();
  if (!row) throw new Error(`bill ${bill.id} was not stored`);
  return row;
}
