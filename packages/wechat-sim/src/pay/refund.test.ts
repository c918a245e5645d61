import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildRequestPayment,
  callPay,
  decryptAesGcm,
  verifyWechatpaySignature,
} from '../test-support/merchant-client.ts';
import { type NotifyReceiver, startNotifyReceiver } from '../test-support/notify-receiver.ts';
import { jsapiOrder, merchantOf, startTestSim } from '../test-support/sim-fixture.ts';
import type { WechatSim } from '../wechat-sim.ts';

let sim: WechatSim;
let receiver: NotifyReceiver;

beforeAll(async () => {
  // 0.02 makes the 5 s refund processing take 100 ms: long enough to observe PROCESSING.
  sim = await startTestSim({ timeScale: 0.02 });
  receiver = await startNotifyReceiver('/wechat/refund-notify');
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});

const refund = (body: unknown) =>
  callPay(sim.url, merchantOf(sim), { method: 'POST', path: '/v3/refund/domestic/refunds', body });
const queryRefund = (outRefundNo: string) =>
  callPay(sim.url, merchantOf(sim), { method: 'GET', path: `/v3/refund/domestic/refunds/${outRefundNo}` });

async function paidOrder(total: number) {
  const order = jsapiOrder(sim, { amount: { total, currency: 'CNY' } });
  const created = await callPay(sim.url, merchantOf(sim), {
    method: 'POST',
    path: '/v3/pay/transactions/jsapi',
    body: order,
  });
  const paid = sim.pay(buildRequestPayment(order.appid, created.json.prepay_id, sim.keys.merchantPrivateKeyPem));
  if (!paid.ok) throw new Error(paid.message);
  return { outTradeNo: order.out_trade_no, transactionId: paid.transaction_id };
}

describe('refunds', () => {
  it('accepts as PROCESSING, completes to SUCCESS and notifies REFUND.SUCCESS', async () => {
    const { outTradeNo, transactionId } = await paidOrder(10000);
    const body = {
      out_trade_no: outTradeNo,
      out_refund_no: `R${outTradeNo}`,
      reason: '顾客取消预约',
      notify_url: receiver.url,
      amount: { refund: 4000, total: 10000, currency: 'CNY' },
    };
    const created = await refund(body);
    expect(created.status).toBe(200);
    expect(verifyWechatpaySignature(created.headers, created.text, sim.certs()).ok).toBe(true);
    expect(created.json).toMatchObject({
      out_refund_no: body.out_refund_no,
      out_trade_no: outTradeNo,
      transaction_id: transactionId,
      channel: 'ORIGINAL',
      status: 'PROCESSING',
      amount: { total: 10000, refund: 4000, payer_refund: 4000, currency: 'CNY' },
    });
    expect(created.json.refund_id).toMatch(/^\d{29}$/);

    const retried = await refund(body);
    expect(retried.json.refund_id).toBe(created.json.refund_id);

    const [notify] = await receiver.waitForCount(1);
    if (!notify) throw new Error('no notify');
    expect(verifyWechatpaySignature(notify.headers, notify.body, sim.certs()).ok).toBe(true);
    const envelope = JSON.parse(notify.body);
    expect(envelope).toMatchObject({
      event_type: 'REFUND.SUCCESS',
      resource: { original_type: 'refund', associated_data: 'refund' },
    });
    expect(JSON.parse(decryptAesGcm(envelope.resource, sim.keys.apiV3Key))).toMatchObject({
      mchid: sim.keys.mchid,
      out_trade_no: outTradeNo,
      transaction_id: transactionId,
      refund_id: created.json.refund_id,
      out_refund_no: body.out_refund_no,
      refund_status: 'SUCCESS',
      amount: { total: 10000, refund: 4000, payer_total: 10000, payer_refund: 4000 },
    });

    const queried = await queryRefund(body.out_refund_no);
    expect(queried.json).toMatchObject({ status: 'SUCCESS', success_time: expect.stringMatching(/\+08:00$/) });
    const order = await callPay(sim.url, merchantOf(sim), {
      method: 'GET',
      path: `/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=${sim.keys.mchid}`,
    });
    expect(order.json.trade_state).toBe('REFUND');
  });

  it('answers NOT_ENOUGH when refunds would exceed the paid amount', async () => {
    const { transactionId } = await paidOrder(1000);
    const part = (no: string, amount: number) => ({
      transaction_id: transactionId,
      out_refund_no: no,
      amount: { refund: amount, total: 1000, currency: 'CNY' },
    });
    expect((await refund(part(`A${transactionId}`, 600))).status).toBe(200);
    const over = await refund(part(`B${transactionId}`, 401));
    expect([over.status, over.json.code]).toEqual([403, 'NOT_ENOUGH']);
    expect((await refund(part(`C${transactionId}`, 400))).status).toBe(200);
  });

  it('rejects refunds of unpaid or unknown orders, a wrong total and an unknown refund number', async () => {
    const unpaid = jsapiOrder(sim);
    await callPay(sim.url, merchantOf(sim), { method: 'POST', path: '/v3/pay/transactions/jsapi', body: unpaid });
    const amount = { refund: 1, total: 19800, currency: 'CNY' };
    const notPaid = await refund({ out_trade_no: unpaid.out_trade_no, out_refund_no: 'R-unpaid-1', amount });
    expect([notPaid.status, notPaid.json.code]).toEqual([400, 'INVALID_REQUEST']);
    const unknown = await refund({ out_trade_no: 'NO_SUCH_ORDER', out_refund_no: 'R-unknown-1', amount });
    expect([unknown.status, unknown.json.code]).toEqual([404, 'ORDER_NOT_EXIST']);
    const { outTradeNo } = await paidOrder(500);
    const wrongTotal = await refund({
      out_trade_no: outTradeNo,
      out_refund_no: 'R-total-1',
      amount: { ...amount, total: 501 },
    });
    expect(wrongTotal.json.code).toBe('INVALID_REQUEST');
    const neither = await refund({ out_refund_no: 'R-none-1', amount });
    expect(neither.json.code).toBe('PARAM_ERROR');
    const missing = await queryRefund('R-never-made');
    expect([missing.status, missing.json.code]).toEqual([404, 'RESOURCE_NOT_EXISTS']);
  });

  it('allows at most 50 refunds per order', async () => {
    const { outTradeNo } = await paidOrder(100);
    for (let i = 0; i < 50; i += 1) {
      const ok = await refund({
        out_trade_no: outTradeNo,
        out_refund_no: `M${i}_${outTradeNo}`,
        amount: { refund: 1, total: 100, currency: 'CNY' },
      });
      expect(ok.status).toBe(200);
    }
    const fiftyFirst = await refund({
      out_trade_no: outTradeNo,
      out_refund_no: `M50_${outTradeNo}`,
      amount: { refund: 1, total: 100, currency: 'CNY' },
    });
    expect(fiftyFirst.json.code).toBe('INVALID_REQUEST');
  });
});

describe('response faults naming an order', () => {
  const refundOf = (outTradeNo: string, suffix: string) => ({
    out_trade_no: outTradeNo,
    out_refund_no: `R${suffix}${outTradeNo}`.slice(0, 64),
    reason: '顾客申请退款',
    notify_url: receiver.url,
    amount: { refund: 1000, total: 10000, currency: 'CNY' },
  });

  it('a "before" NOT_ENOUGH refuses that order’s refund only, once, and WeChat keeps no refund', async () => {
    const named = await paidOrder(10000);
    const other = await paidOrder(10000);
    sim.faults.add({
      kind: 'response-error',
      path: '/v3/refund/domestic/refunds',
      outTradeNo: named.outTradeNo,
      status: 403,
      code: 'NOT_ENOUGH',
      message: '基本账户余额不足',
      times: 1,
    });
    const untouched = await refund(refundOf(other.outTradeNo, 'o'));
    expect(untouched.status).toBe(200);
    const refused = await refund(refundOf(named.outTradeNo, 'n'));
    expect([refused.status, refused.json.code]).toEqual([403, 'NOT_ENOUGH']);
    expect((await queryRefund(refundOf(named.outTradeNo, 'n').out_refund_no)).status).toBe(404);
    expect(sim.faults.list()).toHaveLength(0);
    expect((await refund(refundOf(named.outTradeNo, 'n'))).status).toBe(200);
  });

  it('an "after" 500 makes the refund, hides the answer, and the retry gets the same refund', async () => {
    const named = await paidOrder(10000);
    sim.faults.add({
      kind: 'response-error',
      path: '/v3/refund/domestic/refunds',
      outTradeNo: named.outTradeNo,
      phase: 'after',
      times: 1,
    });
    const body = refundOf(named.outTradeNo, 'a');
    expect((await refund(body)).status).toBe(500);
    const first = await queryRefund(body.out_refund_no);
    expect(first.status).toBe(200);
    const retried = await refund(body);
    expect(retried.status).toBe(200);
    expect(retried.json.refund_id).toBe(first.json.refund_id);
    expect(sim.refunds().filter((r) => r.out_refund_no === body.out_refund_no)).toHaveLength(1);
  });
});
