import type { Call } from './http-client.ts';
import { sleep } from './sleep.ts';
import { type ClientContext, callAndApply, expectStatus, newKey, type WechatOrderModel } from './model.ts';

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
  let requestPayment: unknown = null;
  let outTradeNo = '';
  for (let tries = 0; tries < 3 && !requestPayment; tries++) {
    const answered = await callAndApply(ctx, create, (reply) => {
      if (!expectStatus(ctx, 'WeChat top-up order', reply, true)) return;
      outTradeNo = reply.body.outTradeNo;
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
            if (ok && outTradeNo) c.orders.push({ outTradeNo, amountFen, paid: false });
            return ok;
          },
        };
      }
      return false;
    }
    if (!outTradeNo) return true;
  }
  const order: WechatOrderModel = { outTradeNo, amountFen, paid: false };
  c.orders.push(order);
  if (!requestPayment || ctx.rng.chance(0.15)) return true;
  order.paid = ctx.payAtWechat(requestPayment);
  if (!order.paid) return true;
  return pollUntilCredited(ctx, order, Math.min(ctx.deadline, Date.now() + POLL_MS));
}

async function pollUntilCredited(ctx: ClientContext, order: WechatOrderModel, until: number): Promise<boolean> {
  const c = ctx.customer;
  const poll: Call = { method: 'GET', path: `/me/payments/${order.outTradeNo}`, token: c.token };
  const check = async (deadline: number) => {
    while (Date.now() < deadline) {
      const reply = await ctx.http.send(poll, deadline);
      if (reply?.status === 200 && reply.body.state === 'SUCCESS' && reply.body.transferId !== null) {
        c.totalFen += order.amountFen;
        return true;
      }
      await sleep(1_000);
    }
    return false;
  };
  if (await check(until)) return true;
  ctx.pending = { describe: `credit of paid WeChat order ${order.outTradeNo}`, resolve: check };
  return false;
}
