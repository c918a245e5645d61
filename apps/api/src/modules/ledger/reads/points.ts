import type { MyPoints } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../../db/database.ts';
import { ledgerSettings } from '../context.ts';
import { getWallet } from './wallet.ts';

/**
 * The customer's points: the balance from the ledger, its worth at the tenant's rate, and the unused points
 * lots grouped by the Beijing day they expire (a lot that has already passed its day waits for the expiry job
 * and is not shown as still to come).
 */
export async function myPoints(db: Database, tenantId: string, customerId: string, now: Date): Promise<MyPoints> {
  const [settings, wallet, lots] = await Promise.all([
    ledgerSettings(db, tenantId),
    getWallet(db, tenantId, customerId, now, { verify: false }),
    queryRows<{ expires_on: string; points: number }>(
      db,
      sql`select to_char(expires_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as expires_on,
                 sum(remaining)::bigint as points
          from points_lots
          where tenant_id = ${tenantId} and customer_id = ${customerId} and remaining > 0
            and expires_at > ${now.toISOString()}::timestamptz
          group by 1 order by 1`,
    ),
  ]);
  return {
    points: wallet.points,
    pointValueFen: settings.pointValueFen,
    valueFen: wallet.points * settings.pointValueFen,
    expiring: lots.map((lot) => ({ expiresOn: lot.expires_on, points: Number(lot.points) })),
  };
}
