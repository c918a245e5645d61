import type { CustomerLiabilities } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';

/**
 * What the salon owes its customers now, from the ledger's customer accounts (salon-wide: wallets are not per
 * store): stored value, points, package sessions, and the deferred revenue of packages and shop service vouchers.
 */
export async function customerLiabilities(db: Database, tenantId: string): Promise<CustomerLiabilities> {
  const [owed] = await queryRows<Record<string, string>>(
    db,
    sql`select coalesce(-sum(balance) filter (where kind = 'stored_principal'), 0) as principal,
               coalesce(-sum(balance) filter (where kind = 'stored_bonus'), 0) as bonus,
               coalesce(-sum(balance) filter (where kind = 'points'), 0) as points,
               coalesce(-sum(balance) filter (where kind = 'package_sessions'), 0) as sessions,
               (select coalesce(-sum(e.amount), 0) from entries e join accounts d on d.id = e.account_id
                 where d.tenant_id = ${tenantId} and d.kind = 'package_deferred_revenue') as deferred,
               (select coalesce(-sum(e.amount), 0) from entries e join accounts d on d.id = e.account_id
                 where d.tenant_id = ${tenantId} and d.kind = 'voucher_deferred_revenue') as vouchers
        from accounts where tenant_id = ${tenantId} and owner = 'customer'`,
  );
  return {
    storedPrincipalFen: Number(owed?.principal ?? 0),
    storedBonusFen: Number(owed?.bonus ?? 0),
    points: Number(owed?.points ?? 0),
    packageSessions: Number(owed?.sessions ?? 0),
    packageDeferredFen: Number(owed?.deferred ?? 0),
    voucherDeferredFen: Number(owed?.vouchers ?? 0),
  };
}
