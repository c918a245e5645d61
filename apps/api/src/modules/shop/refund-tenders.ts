import type { Tender } from '@lumi/shared';
import { alreadyRefunded, type BillPaid, planTenders, type RefundedTender } from '../checkout/index.ts';
import type { OrderLineRow } from './read-order.ts';

/**
 * Which tenders an after-sale's money goes back to. Units taken at their points price (积分兑换) give back the points
 * they cost, exactly; everything else gives back what paid for it — the money tenders (stored value in its
 * principal/bonus split, WeChat through a WeChat refund) and any points beyond the points-price ones — in
 * proportion to what each can still return, by checkout's refund plan. The coupon's discount is already in each
 * line's amount as it was shared out at pricing, so a unit gives back its own part.
 */
export function planOrderRefundTenders(
  lines: OrderLineRow[],
  paid: BillPaid,
  earlier: {
    lines: { lineId: string; quantity: number; amountFen: number }[];
    tenders: RefundedTender[];
    amountFen: number;
    pointsClawedBack: number;
  }[],
  given: { lineId: string; quantity: number; amountFen: number }[],
): RefundedTender[] {
  const pointsPriceOf = (lineId: string) => lines.find((l) => l.id === lineId)?.pointsPrice ?? null;
  /** The points-price part of some refunded lines: points and their value. */
  const pointsPart = (refunded: { lineId: string; quantity: number; amountFen: number }[]) =>
    refunded.reduce(
      (sum, r) => {
        const price = pointsPriceOf(r.lineId);
        return price === null ? sum : { points: sum.points + price * r.quantity, fen: sum.fen + r.amountFen };
      },
      { points: 0, fen: 0 },
    );

  const whole = pointsPart(lines.map((l) => ({ lineId: l.id, quantity: l.quantity, amountFen: l.amountFen })));
  // What paid for the rest: the money tenders and the points beyond the points-price ones.
  const rest: BillPaid = {
    ...paid,
    tenders: paid.tenders.flatMap((t): Tender[] => {
      if (t.method !== 'points') return [t];
      const beyond = t.points - whole.points;
      return beyond > 0 ? [{ method: 'points', points: beyond }] : [];
    }),
    pointsValueFen: paid.pointsValueFen - whole.fen,
  };
  const restDone = alreadyRefunded(
    earlier.map((e) => {
      const part = pointsPart(e.lines);
      return {
        lines: [],
        tenders: withoutPoints(e.tenders, part),
        amountFen: e.amountFen - part.fen,
        pointsClawedBack: e.pointsClawedBack,
      };
    }),
  );
  const now = pointsPart(given);
  const moneyFen = given.reduce((sum, g) => sum + g.amountFen, 0) - now.fen;
  const planned = moneyFen > 0 ? planTenders(rest, restDone, moneyFen, 'proportional') : [];
  if (now.points === 0) return planned;
  const points = planned.find((t) => t.method === 'points');
  const others = planned.filter((t) => t.method !== 'points');
  return [
    ...others,
    {
      method: 'points',
      points: now.points + (points?.method === 'points' ? points.points : 0),
      amountFen: now.fen + (points?.amountFen ?? 0),
    },
  ];
}

/** An earlier refund's tenders less its points-price part (what it gave back of the rest). */
function withoutPoints(tenders: RefundedTender[], part: { points: number; fen: number }): RefundedTender[] {
  if (part.points === 0) return tenders;
  return tenders.flatMap((t): RefundedTender[] => {
    if (t.method !== 'points') return [t];
    const points = t.points - part.points;
    return points > 0 ? [{ method: 'points', points, amountFen: t.amountFen - part.fen }] : [];
  });
}
