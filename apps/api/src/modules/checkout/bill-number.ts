import { sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { shanghaiDate } from '../ledger/index.ts';
import { nextStoreDayNumber } from '../tenants/index.ts';
import { billLines, billNumberCounters, bills } from './tables.ts';

type NewBill = Omit<typeof bills.$inferInsert, 'number'>;
type NewBillLine = typeof billLines.$inferInsert & { id: string };

/**
 * Stores a bill and its lines in one statement, numbered by the store's counter for the business day of `now` (`S01-20261207-0042`).
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
  const { counted, number } = nextStoreDayNumber(tx, billNumberCounters, {
    tenantId: bill.tenantId,
    storeId: bill.storeId,
    day: shanghaiDate(now),
  });
  // Data-modifying CTEs run once whether referenced or not; the lines' foreign key is checked at the end of
  // the statement, when the bill exists.
  const lineRows = tx.$with('bill_line_rows', {}).as(sql`${tx.insert(billLines).values(lines).getSQL()}`);
  const [row] = await tx
    .with(counted, lineRows)
    .insert(bills)
    .values({ ...bill, number })
    .returning();
  if (!row) throw new Error(`bill ${bill.id} was not stored`);
  return row;
}
