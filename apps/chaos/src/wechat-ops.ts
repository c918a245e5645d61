import { REFUND_FAULT_KINDS, type RefundFaultKind, refundFault } from './faults.ts';
import type { Call } from './http-client.ts';
import { sleep } from './sleep.ts';
import {
  type ClientContext,
  callAndApply,
  expectStatus,
  type FaultedRefund,
  newKey,
  type WechatOrderModel,
} from './model.ts';

/** How long a phone polls an order it paid before the run moves on (the API queries WeChat after 10 s). */
const POLL_MS = 25_000;

/**
 * 微信充值: the customer's phone creates an order (retried with its key until WeChat has a prepay id), pays it in
 * WeChat now and then not at all, and polls it until the API says SUCCESS — credited by WeChat's notification
 * (duplicated, delayed, dropped or forged by the simulator) or by the API's own query when none came.
 */
export async function wechatTopUp(ctx: ClientContext): Promise<boolean> {
  const c = ctx.customer;
  const amountFen = ctx.rng.int(1_000, 99_999);
  const create: Call = {
    method: 'POST',
    path: '/me/payments/top-ups',
    token: c.token,
    idempotencyKey: newKey(ctx, 'wxtopup'),
    body: { amountFen },
  };
  return payInWechat(ctx, create, 'top_up', {
    mayLeaveUnpaid: true,
    completed: (order) => {
      c.totalFen += order.amountFen;
    },
  });
}

/**
 * A WeChat order of any purpose, from the customer's phone: `create` (retried with its key until WeChat has a
 * prepay id) answers the order and its wx.requestPayment parameters; the customer pays it in the simulator and
 * polls it until the API says SUCCESS with its transfer, which is when `completed` applies it to the model. A top-up
 * may be left unpaid now and then; a bill's or a shop order's WeChat part is always paid (its stored value is held
 * until then, which the model of later requests could not tell).
 */
export async function payInWechat(
  ctx: ClientContext,
  create: Call,
  purpose: WechatOrderModel['purpose'],
  options: { mayLeaveUnpaid: boolean; completed: (order: WechatOrderModel) => void },
): Promise<boolean> {
  const c = ctx.customer;
  let requestPayment: unknown = null;
  let outTradeNo = '';
  let amountFen = 0;
  const newOrder = (): WechatOrderModel => ({
    outTradeNo,
    purpose,
    amountFen,
    paid: false,
    completed: false,
    refundsFen: [],
  });
  for (let tries = 0; tries < 3 && !requestPayment; tries++) {
    const answered = await callAndApply(ctx, create, (reply) => {
      if (!expectStatus(ctx, `WeChat ${purpose} order`, reply, true)) return;
      outTradeNo = reply.body.outTradeNo;
      amountFen = reply.body.amountFen;
      requestPayment = reply.body.requestPayment;
    });
    if (!answered) {
      // Resolved after the faults: replaying the key must give the same, still unpaid, order.
      const pending = ctx.pending;
      if (pending) {
        ctx.pending = {
          describe: pending.describe,
          resolve: async (deadline) => {
            const ok = await pending.resolve(deadline);
            if (ok && outTradeNo) c.orders.push(newOrder());
            return ok;
          },
        };
      }
      return false;
    }
    if (!outTradeNo) return true;
  }
  const order = newOrder();
  c.orders.push(order);
  if (!requestPayment) {
    if (!options.mayLeaveUnpaid) ctx.violations.push(`${purpose} order ${outTradeNo} for ${c.id} has no prepay id`);
    return true;
  }
  if (options.mayLeaveUnpaid && ctx.rng.chance(0.15)) return true;
  order.paid = ctx.payAtWechat(requestPayment);
  if (!order.paid) {
    if (!options.mayLeaveUnpaid) ctx.violations.push(`WeChat would not take payment of ${purpose} order ${outTradeNo}`);
    return true;
  }
  ctx.counts[`wechatPaid:${purpose}`] = (ctx.counts[`wechatPaid:${purpose}`] ?? 0) + 1;
  return pollUntilCompleted(ctx, order, Math.min(ctx.deadline, Date.now() + POLL_MS), options.completed);
}

async function pollUntilCompleted(
  ctx: ClientContext,
  order: WechatOrderModel,
  until: number,
  completed: (order: WechatOrderModel) => void,
): Promise<boolean> {
  const poll: Call = { method: 'GET', path: `/me/payments/${order.outTradeNo}`, token: ctx.customer.token };
  const check = async (deadline: number) => {
    while (Date.now() < deadline) {
      const reply = await ctx.http.send(poll, deadline);
      if (reply?.status === 200 && reply.body.state === 'SUCCESS' && reply.body.transferId !== null) {
        order.completed = true;
        completed(order);
        return true;
      }
      await sleep(1_000);
    }
    return false;
  };
  if (await check(until)) return true;
  ctx.pending = { describe: `completion of paid WeChat ${order.purpose} order ${order.outTradeNo}`, resolve: check };
  return false;
}

/** Refunds met by a refund fault at most, per run: the rest of the refunds show the fault-free path. */
const MAX_REFUND_FAULTS = 12;

/**
 * 微信退款 of a WeChat top-up by a manager: part or all of what is left of a credited order. The value leaves the
 * wallet at once, so only principal the customer surely still holds is asked for (what is left of the stored
 * value beyond every bonus ever granted); one in ten asks for more than is left on the order, which must be
 * refused. WeChat must end up holding each acknowledged refund once.
 * Three refunds in five (up to MAX_REFUND_FAULTS a run) meet a fault at WeChat's refund endpoint, armed for
 * its order only (faults.ts, refundFault). By the contract of payments/refunds.ts: a refusal closes the refund and
 * gives the value back (the answer is 502 WECHAT_PAY_REJECTED, a replay of the key the CLOSED refund), so the
 * model does not move — unless the refusal could not be recorded as final (a dropped connection in the void, or a
 * failed query after an unclear earlier attempt), when the refund stays PENDING and is sent again like after a
 * failure; a failure before or after WeChat took it answers 503 with the refund still PENDING, and the retry with
 * the same key sends the same out_refund_no again: refunded once.
 */
export async function wechatRefund(ctx: ClientContext): Promise<boolean> {
  const c = ctx.customer;
  const principal = c.totalFen - c.bonusGrantedFen;
  const refundable = (o: WechatOrderModel) => o.amountFen - o.refundsFen.reduce((sum, f) => sum + f, 0);
  const orders = c.orders.filter((o) => o.purpose === 'top_up' && o.completed && refundable(o) > 0);
  if (orders.length === 0 || principal < 1) return wechatTopUp(ctx);
  const order = ctx.rng.pick(orders);
  const left = refundable(order);
  const over = ctx.rng.chance(0.1);
  const amountFen = over ? left + ctx.rng.int(1, 1_000) : ctx.rng.int(1, Math.min(left, principal));
  const idempotencyKey = newKey(ctx, 'wxrefund');
  const faulted = !over && ctx.rng.chance(0.6) ? armRefundFault(ctx, order, idempotencyKey) : null;
  const what = `WeChat refund of ${amountFen} of ${order.outTradeNo} (${left} left${faulted ? `, WeChat ${faulted.fault}` : ''})`;
  const answered = await callAndApply(
    ctx,
    {
      method: 'POST',
      path: `/staff/payments/${order.outTradeNo}/refunds`,
      token: c.tenant.managerToken,
      idempotencyKey,
      body: { amountFen, reason: '顾客申请退款' },
    },
    (reply) => {
      const refusedByWechat = reply.body?.state === 'CLOSED' || reply.body?.error?.code === 'WECHAT_PAY_REJECTED';
      const refusal = faulted?.fired() && faulted.fault === 'refused';
      if (refusedByWechat) {
        if (!refusal) ctx.violations.push(`${what} for ${c.id}: closed, though WeChat did not refuse it`);
        else ctx.counts.wechatRefundsRefused = (ctx.counts.wechatRefundsRefused ?? 0) + 1;
        return;
      }
      // A refusal Lumi could not record as final (the void or the query after an unclear attempt failed) leaves
      // the refund PENDING, sent again with the same out_refund_no: then WeChat refunds it once.
      if (refusal) ctx.counts.wechatRefundsRefusedThenSent = (ctx.counts.wechatRefundsRefusedThenSent ?? 0) + 1;
      if (!expectStatus(ctx, what, reply, !over)) return;
      c.totalFen -= amountFen;
      order.refundsFen.push(amountFen);
      ctx.counts.wechatRefunds = (ctx.counts.wechatRefunds ?? 0) + 1;
    },
  );
  // Answered: a fault the request never met (Lumi refused it first) must not meet the order's next refund. An
  // unanswered one keeps its fault until the run clears them, before the replay.
  if (answered) faulted?.disarm();
  return answered;
}

function armRefundFault(ctx: ClientContext, order: WechatOrderModel, idempotencyKey: string) {
  const armed = ctx.counts.wechatRefundFaultsArmed ?? 0;
  if (armed >= MAX_REFUND_FAULTS) return null;
  ctx.counts.wechatRefundFaultsArmed = armed + 1;
  // In turn, a refusal first: a short run with a single faulted refund still sees WeChat refuse one.
  const fault = REFUND_FAULT_KINDS[armed % REFUND_FAULT_KINDS.length] as RefundFaultKind;
  const { fired, disarm } = ctx.armWechatFault(refundFault(fault, order.outTradeNo));
  const faulted: FaultedRefund = { idempotencyKey, fault, fired };
  order.faultedRefunds = [...(order.faultedRefunds ?? []), faulted];
  return { ...faulted, disarm };
}
