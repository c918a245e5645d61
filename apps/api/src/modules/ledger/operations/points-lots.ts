import { type SQL, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../../db/database.ts';
import { pointsLots } from '../tables.ts';

/**
 * The insert of an earned lot as SQL, for a caller that writes it inside another statement (checkout's settled
 * bill carries it as a data-modifying CTE, the transfer id read from the posting's CTE); applyPointsDelta with a
 * positive delta writes the same row.
 */
export const earnedPointsLotSql = (
  db: Database,
  lot: { tenantId: string; customerId: string; transferId: number | SQL; expiresAt: Date },
  points: number,
): SQL =>
  db
    .insert(pointsLots)
    .values({
      tenantId: lot.tenantId,
      customerId: lot.customerId,
      earnedTransferId: lot.transferId,
      points,
      remaining: points,
      expiresAt: lot.expiresAt,
    })
    .getSQL();

/**
 * Keeps the points lots in step with the customer's points account: points received become a lot that
 * expires after the tenant's period; points given up are taken from the earliest-expiring lots first.
 * Callers run it in the transaction that posted the points, after the posting locked the points account,
 * so two redemptions of one customer cannot take the same lot.
 */
export async function applyPointsDelta(
  db: Database,
  lot: { tenantId: string; customerId: string; transferId: number; expiresAt: Date },
  delta: number,
): Promise<void> {
  if (delta > 0) {
    await db.execute(earnedPointsLotSql(db, lot, delta));
    return;
  }
  let toTake = -delta;
  const open = await queryRows<{ id: number; remaining: number }>(
    db,
    sql`select id, remaining from points_lots
        where tenant_id = ${lot.tenantId} and customer_id = ${lot.customerId} and remaining > 0
        order by expires_at, id for update`,
  );
  for (const row of open) {
    if (toTake === 0) break;
    const take = Math.min(toTake, Number(row.remaining));
    await db.execute(sql`update points_lots set remaining = remaining - ${take} where id = ${row.id}`);
    toTake -= take;
  }
  // The points account refused to go negative before we got here, so the lots always cover the delta.
  if (toTake > 0) throw new Error('points lots out of step with the points account');
}
