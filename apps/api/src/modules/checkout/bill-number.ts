import { sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { shanghaiDate } from '../ledger/index.ts';
import { takenStoreDayNumber } from '../tenants/index.ts';
import { billLines, billNumberCounters, bills } from './tables.ts';

type NewBill = typeof bills.$inferInsert & { number: string };
type NewBillLine = typeof billLines.$inferInsert & { id: string };

/**
 * The store's next bill number for the business day of `now` (`S01-20261207-0042`), for a statement on the pool
 * (`db`, never the bill's transaction) to take: `ctes` go after its `with`, `number` is a column. The counter
 * row is locked only while that statement runs, so concurrent opens of a store do not queue on it through the
 * bill's insert and commit (docs/performance.md); an open refused after it leaves a gap (takenStoreDayNumber).
 */
export const billNumberTaken = (db: Database, tenantId: string, storeId: string, now: Date) =>
  takenStoreDayNumber(db, billNumberCounters, { tenantId, storeId, day: shanghaiDate(now) });

/**
 * Stores a bill and its lines in one statement, under the number taken for it (billNumberTaken). The lines
 * carry their ids, so what is stored is known without reading it back; the bill is returned as stored.
 */
export async function insertBill(tx: Database, bill: NewBill, lines: NewBillLine[]) {
  // Data-modifying CTEs run once whether referenced or not; the lines' foreign key is checked at the end of
  // the statement, when the bill exists.
  const lineRows = tx.$with('bill_line_rows', {}).as(sql`${tx.insert(billLines).values(lines).getSQL()}`);
  const [row] = await tx.with(lineRows).insert(bills).values(bill).returning();
  if (!row) throw new Error(`bill ${bill.id} was not stored`);
  return row;
}
