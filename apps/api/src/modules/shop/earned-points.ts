import { allocateProportionally, runningShare } from '@lumi/shared';
import type { Database } from '../../db/database.ts';
import { type BillPaid, pointsClawback } from '../checkout/index.ts';
import type { ShopDeps } from './deps.ts';
import type { OrderLineRow, OrderRow } from './read-order.ts';

/**
 * The points an order earned belong to the lines whose money earned them: lines paid in money other than top-ups
 * (a points-price line is paid in points, a top-up's reward is its plan's bonus points). They are shared out over
 * those lines in proportion to their amounts — points paid beyond the points-price ones cover the money lines in
 * that same proportion, so this is also each line's share of the money that earned.
 */
export function pointsEarnedByLine(lines: OrderLineRow[], pointsEarned: number): Map<string, number> {
  const earning = lines.filter((l) => l.kind !== 'top_up_plan' && l.pointsPrice === null && l.amountFen > 0);
  if (pointsEarned === 0 || earning.length === 0) return new Map();
  const shares = allocateProportionally(
    pointsEarned,
    earning.map((l) => l.amountFen),
  );
  return new Map(earning.map((l, i) => [l.id, shares[i] ?? 0]));
}

/**
 * What a refund of some units takes back of the earned points: each line's running share of what it earned, unit
 * by unit, so giving a line back in steps takes exactly what it earned and a points-price line takes nothing. Never
 * more than the order has left to take back (refunds approved before points were per line took them by share of the
 * total).
 */
export function earnedPointsDue(
  order: Pick<OrderRow, 'pointsEarned'>,
  lines: OrderLineRow[],
  clawedBackBefore: number,
  given: { lineId: string; quantity: number }[],
): number {
  const earned = pointsEarnedByLine(lines, order.pointsEarned);
  let due = 0;
  for (const g of given) {
    const line = lines.find((l) => l.id === g.lineId);
    const points = earned.get(g.lineId) ?? 0;
    if (line && points > 0) due += runningShare(points, line.quantity, line.refundedQuantity, g.quantity);
  }
  return Math.max(0, Math.min(due, order.pointsEarned - clawedBackBefore));
}

/**
 * Takes `due` earned points back, by checkout's rule for what she no longer has: only what is in her points account
 * (and what this refund gives back in points) — never below zero. Points she already spent stay spent: the refund
 * takes what is there and the rest is not asked for, now or later (see docs/shop.md).
 */
export function clawBackEarnedPoints(
  tx: Database,
  deps: ShopDeps,
  order: OrderRow,
  paid: BillPaid,
  due: number,
  returnedPoints: number,
) {
  // Checkout's clawback asked as a void of an order that earned exactly `due`: it takes all of that it can.
  return pointsClawback(
    tx,
    deps,
    order,
    { ...paid, pointsEarned: due },
    { moneyFen: 0, pointsClawedBack: 0 },
    { kind: 'void', moneyFen: 0, returnedPoints },
  );
}
