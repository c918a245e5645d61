import { type SpendRequest, type TenantLedgerSettings, TenantLedgerSettingsSchema } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../../db/database.ts';
import { customerWalletAccounts } from '../accounts.ts';
import { type LedgerDeps, POINTS_DAY_MS, type Posting, pointsForSpend } from '../context.ts';
import { type Leg, type Posted, postTransfer } from '../post.ts';
import { applyPointsDelta } from './points-lots.ts';

/**
 * 消费扣款: takes the amount out of the customer's stored value, split between principal and bonus by the
 * tenant's rule under the account locks, into service or product revenue; points are earned on it in the same
 * transfer. Without points to earn it is two round trips to the database: the lookup below and ledger_post.
 */
export async function spendStoredValue(
  db: Database,
  deps: LedgerDeps,
  posting: Posting,
  input: SpendRequest,
  pointsMultiplierPercent = 100,
): Promise<Posted> {
  const { settings, wallet } = await spendContext(db, posting.tenantId, posting.customerId);
  const revenueKind = input.revenue === 'product' ? 'product_revenue' : 'service_revenue';
  const legs: Leg[] = [
    { accountId: await deps.house.id(db, posting.tenantId, revenueKind, posting.storeId), amount: -input.amountFen },
  ];
  const points = pointsForSpend(input.amountFen, settings, pointsMultiplierPercent);
  if (points > 0) {
    legs.push({ accountId: await deps.house.id(db, posting.tenantId, 'points_issued', null), amount: points });
    legs.push({ accountId: wallet.points, amount: -points });
  }
  const transfer = {
    ...posting,
    kind: 'spend',
    memo: input.memo ?? null,
    details: { items: input.items, revenue: input.revenue, amountFen: input.amountFen, pointsEarned: points },
    legs,
    spend: {
      principalAccountId: wallet.stored_principal,
      bonusAccountId: wallet.stored_bonus,
      total: input.amountFen,
      rule: settings.spendRule,
    },
  };
  if (points === 0) return postTransfer(db, transfer);
  return db.transaction(async (tx) => {
    const posted = await postTransfer(tx, transfer);
    if (!posted.replayed) {
      const expiresAt = new Date(deps.now().getTime() + settings.pointsExpiryDays * POINTS_DAY_MS);
      await applyPointsDelta(tx, { ...posting, transferId: posted.transferId, expiresAt }, points);
    }
    return posted;
  });
}

/**
 * The tenant's ledger settings and the customer's stored-value and points account ids in one query (what
 * ledgerSettings and customerWalletAccounts would read in two); accounts not yet created are created by
 * customerWalletAccounts, which only a customer's first posting needs.
 */
async function spendContext(
  db: Database,
  tenantId: string,
  customerId: string,
): Promise<{
  settings: TenantLedgerSettings;
  wallet: { stored_principal: number; stored_bonus: number; points: number };
}> {
  const [row] = await queryRows<{
    ledger: unknown;
    principal: number | null;
    bonus: number | null;
    points: number | null;
  }>(
    db,
    sql`select (select t.settings->'ledger' from tenants t where t.id = ${tenantId}) as ledger, w.*
        from (select max(a.id) filter (where a.kind = 'stored_principal') as principal,
                     max(a.id) filter (where a.kind = 'stored_bonus') as bonus,
                     max(a.id) filter (where a.kind = 'points') as points
              from accounts a
              where a.tenant_id = ${tenantId} and a.customer_id = ${customerId} and a.package_card_id is null
                and a.kind in ('stored_principal', 'stored_bonus', 'points')) w`,
  );
  const settings = TenantLedgerSettingsSchema.parse(row?.ledger ?? {});
  if (row?.principal != null && row.bonus != null && row.points != null) {
    return { settings, wallet: { stored_principal: row.principal, stored_bonus: row.bonus, points: row.points } };
  }
  return { settings, wallet: await customerWalletAccounts(db, tenantId, customerId) };
}
