import type { ShopOrderTimelineEntry } from '@lumi/shared';
import type { AfterSaleRow, OrderRow } from './read-order.ts';

/**
 * 订单进度: what happened to an order and when, oldest first — placed, paid or closed, handed over (collected, or
 * shipped, received, completed), each after-sale asked and decided, and the whole order refunded. Built from the
 * dates the order and its after-sales keep; nothing is stored twice.
 */
export function orderTimeline(order: OrderRow, afterSales: AfterSaleRow[]): ShopOrderTimelineEntry[] {
  const steps: { step: ShopOrderTimelineEntry['step']; at: Date | null; amountFen?: number }[] = [
    { step: 'placed', at: order.createdAt, amountFen: order.totalFen },
    { step: 'paid', at: order.paidAt, amountFen: order.totalFen },
    {
      step: order.closedReason === 'expired' ? 'expired' : 'cancelled',
      at: order.status === 'closed' ? order.closedAt : null,
    },
    { step: 'collected', at: order.collectedAt },
    { step: 'shipped', at: order.shippedAt },
    { step: 'received', at: order.receivedAt },
    { step: 'completed', at: order.completedAt },
    ...afterSales.flatMap((a) => [
      { step: 'after_sale_requested' as const, at: a.createdAt, amountFen: a.amountFen },
      {
        step: a.status === 'refused' ? ('after_sale_refused' as const) : ('after_sale_approved' as const),
        at: a.status === 'requested' ? null : a.decidedAt,
        amountFen: a.amountFen,
      },
    ]),
    { step: 'refunded', at: order.status === 'refunded' ? order.closedAt : null },
  ];
  return (
    steps
      .flatMap((s, i) => (s.at ? [{ ...s, at: s.at, i }] : []))
      // By time; steps of the same moment (an order paid as it is placed) keep their order above.
      .sort((a, b) => a.at.getTime() - b.at.getTime() || a.i - b.i)
      .map((s) => ({ step: s.step, at: s.at.toISOString(), amountFen: s.amountFen ?? null }))
  );
}
