import type { SpendRequest } from '@lumi/shared';
import type { Database } from '../../../db/database.ts';
import { AppError } from '../../../errors.ts';
import { type LedgerDeps, ownTransaction, POINTS_DAY_MS, type Posting, pointsForSpend } from '../context.ts';
import { type Leg, type Posted, postTransferUnderSettings } from '../post.ts';
import { applyPointsDelta } from './points-lots.ts';
import { type SpendContext, SpendContexts } from './spend-context.ts';

/**
 * 消费扣款: takes the amount out of the customer's stored value, split between principal and bonus by the
 * tenant's rule under the account locks, into service or product revenue; points are earned on it in the same
 * transfer. Without points to earn and with its lookups cached (deps.spendContexts) it is one round trip to
 * the database: ledger_post, guarded by the settings it was computed from.
 */
export async function spendStoredValue(
  db: Database,
  deps: LedgerDeps,
  posting: Posting,
  input: SpendRequest,
  pointsMultiplierPercent = 100,
): Promise<Posted> {
  const contexts = deps.spendContexts ?? new SpendContexts();
  let context = await contexts.get(db, posting.tenantId, posting.customerId);
  // Cached settings that changed are caught by the posting; one re-read settles all but a racing edit.
  for (let attempt = 0; attempt < 2; attempt++) {
    const posted = await spendWith(db, deps, posting, input, pointsMultiplierPercent, context);
    if (posted) return posted;
    context = await contexts.refresh(db, posting.tenantId, posting.customerId);
  }
  throw new AppError('CONFLICT', "The tenant's ledger settings changed during this spend; try again");
}

async function spendWith(
  db: Database,
  deps: LedgerDeps,
  posting: Posting,
  input: SpendRequest,
  pointsMultiplierPercent: number,
  { rawSettings, settings, wallet }: SpendContext,
): Promise<Posted | null> {
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
  if (points === 0) {
    return deps.postings
      ? deps.postings.post(db, transfer, rawSettings)
      : postTransferUnderSettings(db, transfer, rawSettings);
  }
  return ownTransaction(db, deps, posting, () =>
    db.transaction(async (tx) => {
      const posted = await postTransferUnderSettings(tx, transfer, rawSettings);
      if (posted && !posted.replayed) {
        const expiresAt = new Date(deps.now().getTime() + settings.pointsExpiryDays * POINTS_DAY_MS);
        await applyPointsDelta(tx, { ...posting, transferId: posted.transferId, expiresAt }, points);
      }
      return posted;
    }),
  );
}
