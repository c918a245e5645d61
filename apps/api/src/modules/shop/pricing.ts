import {
  allocateProportionally,
  type PlaceShopOrderRequest,
  type ShopQuote,
  type ShopQuoteRequest,
  type ShopTender,
} from '@lumi/shared';
import { and, eq, inArray, TransactionRollbackError } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { ledgerSettings, topUpPlans } from '../ledger/index.ts';
import { type Customer, cartLines } from './cart.ts';
import type { ShopDeps } from './deps.ts';

type CartLine = Awaited<ReturnType<typeof cartLines>>[number];

export interface PricedLine extends CartLine {
  /** Points a unit when she pays the item's points price; the line's amount is then those points' value. */
  pointsPrice: number | null;
  couponDiscountFen: number;
  /** What a top-up line grants, for all its units, as its plan says at placement (null on other lines). */
  topUp: TopUpGrant | null;
}

export interface TopUpGrant {
  principalFen: number;
  bonusFen: number;
  bonusPoints: number;
  /** The plan's gift package card, one a unit (null when the plan gives none). */
  giftPackagePlanId: string | null;
}

/**
 * The order's price snapshot. Lines she pays at their points price (积分兑换) cost their points, valued at the
 * salon's point value so the points tender covers them like any points (the gap to the list price is a discount,
 * as a member price is). The coupon — reserved here, in the placing transaction, with its own checks (hers,
 * unused, in its window, minimum spend) — comes off the lines paid in money other than top-ups, shared out in
 * proportion so a partial refund gives back each line's part.
 */
export async function priceOrder(
  tx: Database,
  deps: ShopDeps,
  customer: Customer,
  lines: CartLine[],
  request: Pick<PlaceShopOrderRequest, 'couponId' | 'pointsPriceItemIds'>,
): Promise<{ lines: PricedLine[]; totalFen: number; couponDiscountFen: number; pointsPricePoints: number }> {
  const { pointValueFen } = await ledgerSettings(tx, customer.tenantId);
  const inPoints = new Set(request.pointsPriceItemIds);
  request.pointsPriceItemIds.forEach((itemId, i) => {
    const line = lines.find((l) => l.item.id === itemId);
    if (!line || line.item.pointsPrice === null) {
      throw new AppError('VALIDATION_FAILED', 'Not an item in the cart with a points price', [
        { field: `body.pointsPriceItemIds.${i}`, message: 'no points price in the cart' },
      ]);
    }
  });
  const priced: PricedLine[] = lines.map((l) => {
    if (!inPoints.has(l.item.id)) return { ...l, pointsPrice: null, couponDiscountFen: 0, topUp: null };
    const pointsPrice = l.item.pointsPrice as number;
    const unitPriceFen = pointsPrice * pointValueFen;
    return { ...l, pointsPrice, unitPriceFen, amountFen: unitPriceFen * l.quantity, couponDiscountFen: 0, topUp: null };
  });
  await copyTopUpGrants(tx, customer.tenantId, priced);
  const pointsPricePoints = priced.reduce((sum, l) => sum + (l.pointsPrice ?? 0) * l.quantity, 0);

  let couponDiscountFen = 0;
  if (request.couponId) {
    const eligible = priced.filter((l) => l.pointsPrice === null && l.item.kind !== 'top_up_plan');
    const eligibleTotalFen = eligible.reduce((sum, l) => sum + l.amountFen, 0);
    const coupon = await deps.hooks.reserveCoupon(tx, {
      tenantId: customer.tenantId,
      customerId: customer.id,
      couponId: request.couponId,
      eligibleTotalFen,
      now: deps.ledger.now(),
    });
    couponDiscountFen = Math.min(coupon.discountFen, eligibleTotalFen);
    if (couponDiscountFen > 0) {
      const shares = allocateProportionally(
        couponDiscountFen,
        eligible.map((l) => l.amountFen),
      );
      eligible.forEach((l, i) => {
        l.couponDiscountFen = shares[i] ?? 0;
        l.amountFen -= l.couponDiscountFen;
      });
    }
  }
  return {
    lines: priced,
    totalFen: priced.reduce((sum, l) => sum + l.amountFen, 0),
    couponDiscountFen,
    pointsPricePoints,
  };
}

/**
 * Copies each top-up line's grant from its plan: the principal is what she pays for the line (no coupon reaches a
 * top-up), the bonus, bonus points and gift package card the plan's, per unit. Payment grants this copy and a refund
 * takes back exactly it, so a plan changed later touches neither.
 */
async function copyTopUpGrants(tx: Database, tenantId: string, lines: PricedLine[]) {
  const topUps = lines.filter((l) => l.item.kind === 'top_up_plan');
  if (topUps.length === 0) return;
  const plans = await tx
    .select()
    .from(topUpPlans)
    .where(
      and(
        eq(topUpPlans.tenantId, tenantId),
        inArray(
          topUpPlans.id,
          topUps.map((l) => l.item.topUpPlanId as string),
        ),
      ),
    )
    // FOR SHARE, as a till top-up reads its plan: a manager's edit of the plan waits for this order, and the order
    // for the edit, so the grant copied is the plan's terms as they stand when the order commits.
    .for('share');
  for (const line of topUps) {
    const plan = plans.find((p) => p.id === line.item.topUpPlanId);
    if (!plan) throw new AppError('BUSINESS_RULE_VIOLATED', `${line.item.name} is no longer available`);
    line.topUp = {
      principalFen: line.amountFen,
      bonusFen: plan.bonusFen * line.quantity,
      bonusPoints: plan.bonusPoints * line.quantity,
      giftPackagePlanId: plan.giftPackagePlanId,
    };
  }
}

/** Items bought at their points price are paid in points: the points tender must hold at least theirs. */
export function checkPointsPriceCovered(tenders: ShopTender[], pointsPricePoints: number) {
  const tenderedPoints = tenders.reduce((sum, t) => sum + (t.method === 'points' ? t.points : 0), 0);
  if (tenderedPoints < pointsPricePoints) {
    throw new AppError('BUSINESS_RULE_VIOLATED', 'Items bought at their points price are paid in points', {
      pointsPricePoints,
      tenderedPoints,
    });
  }
}

/**
 * 试算: the order's price as placing it would make it — her tier, points prices, the coupon with its checks —
 * worked out in a transaction that is rolled back, so the coupon stays hers and the app never re-implements it.
 */
export async function quoteOrder(
  db: Database,
  deps: ShopDeps,
  customer: Customer,
  request: ShopQuoteRequest,
): Promise<ShopQuote> {
  let quote: ShopQuote | null = null;
  try {
    await db.transaction(async (tx) => {
      const lines = (await cartLines(tx, deps, customer)).filter((l) => l.item.onSale);
      const priced = await priceOrder(tx, deps, customer, lines, request);
      quote = {
        totalFen: priced.totalFen,
        couponDiscountFen: priced.couponDiscountFen,
        pointsPricePoints: priced.pointsPricePoints,
        lines: priced.lines.map((l) => ({
          itemId: l.item.id,
          amountFen: l.amountFen,
          pointsPrice: l.pointsPrice,
          couponDiscountFen: l.couponDiscountFen,
        })),
      };
      tx.rollback();
    });
  } catch (error) {
    if (!(error instanceof TransactionRollbackError)) throw error;
  }
  if (!quote) throw new Error('quote not worked out');
  return quote;
}
