import type { TopUpRequest } from '@lumi/shared';
import { and, desc, eq, gte, isNull, lte, or } from 'drizzle-orm';
import type { Database } from '../../../db/database.ts';
import { AppError } from '../../../errors.ts';
import { customerWalletAccounts } from '../accounts.ts';
import { type LedgerDeps, ledgerSettings, ownTransaction, POINTS_DAY_MS, type Posting } from '../context.ts';
import { type Leg, type Posted, postTransfer } from '../post.ts';
import { pointsLots, topUpPlans } from '../tables.ts';
import { issueGiftPackageCard } from './package-cards.ts';
import { rollbackToReplay, unwrapReplay } from './replay.ts';
import { tenderLeg } from './tenders.ts';

type Plan = typeof topUpPlans.$inferSelect;

/**
 * The offer a top-up earns: the plan the customer picked (the amount must match it), or else the richest tier
 * whose price the amount reaches. Only plans in force at `now` count. The plan is read FOR SHARE: a manager's edit
 * locks it FOR UPDATE, so an edit waits for this top-up and then finds the offer used (its terms fixed), and this
 * top-up waits for an edit and posts the new terms — never the old terms on a plan that now says otherwise.
 */
async function applicablePlan(
  db: Database,
  tenantId: string,
  amountFen: number,
  planId: string | undefined,
  now: Date,
): Promise<Plan | null> {
  const inForce = and(
    eq(topUpPlans.tenantId, tenantId),
    eq(topUpPlans.active, true),
    or(isNull(topUpPlans.validFrom), lte(topUpPlans.validFrom, now)),
    or(isNull(topUpPlans.validTo), gte(topUpPlans.validTo, now)),
  );
  if (planId) {
    const [plan] = await db
      .select()
      .from(topUpPlans)
      .where(and(inForce, eq(topUpPlans.id, planId)))
      .for('share');
    if (!plan)
      throw new AppError('BUSINESS_RULE_VIOLATED', 'This top-up offer is not available', [
        { field: 'body.planId', message: 'not available' },
      ]);
    if (plan.payFen !== amountFen) {
      throw new AppError('BUSINESS_RULE_VIOLATED', `This offer is for exactly ${plan.payFen} fen`, [
        { field: 'body.amountFen', message: 'does not match the offer' },
      ]);
    }
    return plan;
  }
  const [best] = await db
    .select()
    .from(topUpPlans)
    .where(and(inForce, lte(topUpPlans.payFen, amountFen)))
    .orderBy(desc(topUpPlans.payFen), desc(topUpPlans.bonusFen))
    .limit(1)
    .for('share');
  return best ?? null;
}

export interface TopUpInput extends Omit<TopUpRequest, 'method' | 'storeId'> {
  method: 'cash' | 'card' | 'wechat';
  /** Where the tender was taken; online WeChat payments belong to no store (the tender leg uses posting.storeId). */
  storeId?: string | null;
}

/**
 * 充值: the tender comes in, the customer's principal grows by what they paid and their bonus by the offer's
 * gift (booked as a promotional expense); offer points and a gift package card post in the same transfer.
 */
export async function topUp(db: Database, deps: LedgerDeps, posting: Posting, input: TopUpInput): Promise<Posted> {
  return ownTransaction(db, deps, posting, () => topUpTransaction(db, deps, posting, input));
}

function topUpTransaction(db: Database, deps: LedgerDeps, posting: Posting, input: TopUpInput): Promise<Posted> {
  return db
    .transaction(async (tx) => {
      const now = deps.now();
      const plan = await applicablePlan(tx, posting.tenantId, input.amountFen, input.planId, now);
      const wallet = await customerWalletAccounts(tx, posting.tenantId, posting.customerId);
      const legs: Leg[] = [
        await tenderLeg(tx, deps, posting, input.method, input.amountFen),
        { accountId: wallet.stored_principal, amount: -input.amountFen },
      ];
      const bonus = plan?.bonusFen ?? 0;
      if (bonus > 0) {
        legs.push({ accountId: await deps.house.id(tx, posting.tenantId, 'bonus_expense', null), amount: bonus });
        legs.push({ accountId: wallet.stored_bonus, amount: -bonus });
      }
      const points = plan?.bonusPoints ?? 0;
      if (points > 0) {
        legs.push({ accountId: await deps.house.id(tx, posting.tenantId, 'points_issued', null), amount: points });
        legs.push({ accountId: wallet.points, amount: -points });
      }
      const gift = plan?.giftPackagePlanId
        ? await issueGiftPackageCard(tx, deps, posting, plan.giftPackagePlanId, now)
        : null;
      if (gift) legs.push(...gift.legs);

      const posted = await postTransfer(tx, {
        ...posting,
        kind: 'top_up',
        memo: input.memo ?? null,
        details: {
          method: input.method,
          cardReference: input.cardReference ?? null,
          paidFen: input.amountFen,
          bonusFen: bonus,
          bonusPoints: points,
          plan: plan ? { id: plan.id, name: plan.name } : null,
          giftPackageCardId: gift?.cardId ?? null,
        },
        legs,
      });
      if (posted.replayed) rollbackToReplay(posted.transferId);
      if (points > 0) {
        await tx.insert(pointsLots).values({
          tenantId: posting.tenantId,
          customerId: posting.customerId,
          earnedTransferId: posted.transferId,
          points,
          remaining: points,
          expiresAt: new Date(
            now.getTime() + (await ledgerSettings(tx, posting.tenantId)).pointsExpiryDays * POINTS_DAY_MS,
          ),
        });
      }
      if (gift) await gift.attach(posted.transferId);
      return posted;
    })
    .catch(unwrapReplay);
}
