import type { SpendRequest } from '@lumi/shared';
import type { Database } from '../../../db/database.ts';
import { customerWalletAccounts } from '../accounts.ts';
import { type LedgerDeps, ledgerSettings, POINTS_DAY_MS, type Posting, pointsForSpend } from '../context.ts';
import { type Leg, postTransfer } from '../post.ts';
import { applyPointsDelta } from './points-lots.ts';

/**
 * 消费扣款: takes the amount out of the customer's stored value, split between principal and bonus by the
 * tenant's rule under the account locks, into service or product revenue; points are earned on it in the same
 * transfer. Without points to earn it is a single round trip to the database.
 */
export async function spendStoredValue(
  db: Database,
  deps: LedgerDeps,
  posting: Posting,
  input: SpendRequest,
  pointsMultiplierPercent = 100,
): Promise<number> {
  const settings = await ledgerSettings(db, posting.tenantId);
  const wallet = await customerWalletAccounts(db, posting.tenantId, posting.customerId);
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
  if (points === 0) return (await postTransfer(db, transfer)).transferId;
  return db.transaction(async (tx) => {
    const posted = await postTransfer(tx, transfer);
    if (!posted.replayed) {
      const expiresAt = new Date(deps.now().getTime() + settings.pointsExpiryDays * POINTS_DAY_MS);
      await applyPointsDelta(tx, { ...posting, transferId: posted.transferId, expiresAt }, points);
    }
    return posted.transferId;
  });
}
