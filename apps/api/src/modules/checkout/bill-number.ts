import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { shanghaiDate } from '../ledger/index.ts';

/**
 * The next number of a store's Shanghai business day, as a receipt prints it: `S01-20261207-0042` (store code,
 * day, sequence; past 9999 the sequence just grows). The counter row is incremented in the caller's transaction,
 * so concurrent bills of the store queue on it for the rest of that transaction: call this as late as possible.
 */
export async function nextBillNumber(tx: Database, tenantId: string, storeId: string, now: Date): Promise<string> {
  const day = shanghaiDate(now);
  const [row] = await queryRows<{ code: string; last_number: number }>(
    tx,
    sql`with counted as (
          insert into bill_number_counters (tenant_id, store_id, business_date, last_number)
          values (${tenantId}, ${storeId}, ${day}, 1)
          on conflict (tenant_id, store_id, business_date)
            do update set last_number = bill_number_counters.last_number + 1
          returning last_number
        )
        select stores.code, counted.last_number from counted, stores
        where stores.tenant_id = ${tenantId} and stores.id = ${storeId}`,
  );
  if (!row) throw new Error(`store ${storeId} has no code`);
  return `${row.code}-${day.replaceAll('-', '')}-${String(row.last_number).padStart(4, '0')}`;
}
