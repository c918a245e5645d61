import type { Payments } from './context.ts';
import { applyRefundStatus, refundsOpenBefore, sendRefund } from './refunds.ts';
import { applyRemoteState, closeLocally, completePayment, openOrdersBefore } from './service.ts';
import { WechatPayError } from './wechat-pay-client.ts';

const BATCH = 200;

export interface ReconcileResult {
  ordersQueried: number;
  completed: number;
  closed: number;
  refundsUpdated: number;
  failures: number;
}

/**
 * Runs every few minutes (pg-boss) and is a plain function so tests call it with a moved clock. WeChat's
 * notifications may be late or never come; this asks WeChat about every order still unpaid after
 * `queryAfterMinutes` and completes (paid), closes (closed at WeChat) or, once past time_expire, closes it at
 * WeChat first so it can no longer be paid. Refunds WeChat has not finished are queried (or sent again) likewise.
 */
export async function reconcileWechatPayments(payments: Payments, now: Date): Promise<ReconcileResult> {
  const result: ReconcileResult = { ordersQueried: 0, completed: 0, closed: 0, refundsUpdated: 0, failures: 0 };
  const cutoff = new Date(now.getTime() - payments.queryAfterMinutes * 60_000);
  for (const order of await openOrdersBefore(payments.db, cutoff, BATCH)) {
    const expired = order.timeExpire <= now;
    try {
      if (!order.prepayId && !order.placementUncertain) {
        // Never reached WeChat (the create was refused or the process stopped before sending): nothing to ask.
        if (expired) {
          await closeLocally(payments, order, 'never placed at WeChat');
          result.closed++;
        }
        continue;
      }
      result.ordersQueried++;
      const remote = await payments.gateway.queryOrder(order.outTradeNo);
      if (remote === null) {
        if (expired || !order.prepayId) {
          await closeLocally(payments, order, 'WeChat does not know the order');
          result.closed++;
        }
        continue;
      }
      if (remote.trade_state !== 'NOTPAY' || !expired) {
        const after = await applyRemoteState(payments, order, remote);
        if (after.state === 'SUCCESS' || after.state === 'REFUND') result.completed++;
        if (after.state === 'CLOSED') result.closed++;
        continue;
      }
      // Expired but still payable at WeChat (its clock or our time_expire disagree): close it there first.
      try {
        await payments.gateway.closeOrder(order.outTradeNo);
      } catch (error) {
        if (!(error instanceof WechatPayError) || error.wechatCode !== 'ORDERPAID') throw error;
        // Paid in the last moment: credit it instead.
        const paid = await payments.gateway.queryOrder(order.outTradeNo);
        if (paid) await completePayment(payments, paid, 'query');
        result.completed++;
        continue;
      }
      await closeLocally(payments, order, 'expired; closed at WeChat');
      result.closed++;
    } catch (error) {
      result.failures++;
      payments.log.warn({ err: error, outTradeNo: order.outTradeNo }, 'payment reconciliation failed for an order');
    }
  }

  for (const refund of await refundsOpenBefore(payments, cutoff, BATCH)) {
    try {
      if (refund.state === 'PENDING') {
        const sent = await sendRefund(payments, refund);
        if (sent.state !== 'PENDING') result.refundsUpdated++;
        continue;
      }
      const remote = await payments.gateway.queryRefund(refund.outRefundNo);
      if (!remote) continue;
      const { changed } = await applyRefundStatus(payments, refund.outRefundNo, remote);
      if (changed) result.refundsUpdated++;
    } catch (error) {
      result.failures++;
      payments.log.warn({ err: error, outRefundNo: refund.outRefundNo }, 'refund reconciliation failed');
    }
  }
  return result;
}
