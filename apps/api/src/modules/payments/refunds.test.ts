import { describe, expect, it } from 'vitest';
import { verifyLedger } from '../ledger/index.ts';
import { reconcileWechatPayments } from './reconciliation.ts';
import {
  entries,
  getOrder,
  idempotencyKey,
  orderTopUp,
  payInWechat,
  usePaymentsKit,
  transferCount,
  waitUntil,
  wallet,
} from '../../testing/payments-kit.ts';

const kit = usePaymentsKit({ timeoutMs: 600 });

async function paidTopUp(body: Record<string, unknown>, customer = 0) {
  const order = await orderTopUp(kit, body, { customer });
  payInWechat(kit, order);
  await kit.sim.waitForNotification({ outTradeNo: order.outTradeNo, until: ['acked'] });
  return order;
}

async function refund(outTradeNo: string, body: Record<string, unknown>, key = idempotencyKey('refund')) {
  const res = await kit.app.inject({
    method: 'POST',
    url: `/staff/payments/${outTradeNo}/refunds`,
    headers: { ...kit.managerHeaders(), 'idempotency-key': key },
    payload: body,
  });
  return { status: res.statusCode, json: res.json(), key };
}

const settled = (outRefundNo: string) =>
  kit.sim.waitForNotification({ outRefundNo, eventType: 'REFUND.SUCCESS', until: ['acked'] });

describe('refunds of WeChat top-ups', () => {
  it('refunds part, then the rest: value leaves the wallet at once, WeChat’s notification settles it', async () => {
    const plans = (
      await kit.app.inject({ method: 'GET', url: '/me/top-up-plans', headers: kit.customerHeaders() })
    ).json() as { id: string; payFen: number; bonusFen: number; bonusPoints: number }[];
    const plan = plans.find((p) => p.bonusFen > 0 && p.bonusPoints === 0);
    if (!plan) throw new Error('fixture plan missing');
    const order = await paidTopUp({ planId: plan.id });
    expect(await wallet(kit)).toMatchObject({ principalFen: 100_000, bonusFen: 20_000 });

    const first = await refund(order.outTradeNo, { amountFen: 30_000, reason: '顾客不想要了' });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ outTradeNo: order.outTradeNo, amountFen: 30_000, state: 'PROCESSING' });
    // 30% of the payment back, so 30% of its bonus is forfeited.
    expect(await wallet(kit)).toMatchObject({ principalFen: 70_000, bonusFen: 14_000 });
    await settled(first.json.outRefundNo);
    const afterFirst = await getOrder(kit, order.outTradeNo);
    expect(afterFirst).toMatchObject({ state: 'REFUND', refundedFen: 30_000 });
    expect(afterFirst.refunds).toEqual([expect.objectContaining({ state: 'SUCCESS' })]);

    const rest = await refund(order.outTradeNo, { amountFen: 70_000, reason: '全部退款' });
    expect(rest.status).toBe(201);
    await settled(rest.json.outRefundNo);
    expect(await wallet(kit)).toMatchObject({ principalFen: 0, bonusFen: 0 });
    expect((await getOrder(kit, order.outTradeNo)).refundedFen).toBe(100_000);

    const more = await refund(order.outTradeNo, { amountFen: 1, reason: '再退一分' });
    expect(more.status).toBe(422);
    expect(more.json.error).toMatchObject({ code: 'REFUND_AMOUNT_EXCEEDED', details: { refundableFen: 0 } });

    // The customer sees both refunds in their history; WeChat holds exactly these two refunds.
    const refunds = (await entries(kit)).filter((e) => e.kind === 'payment_refund' && e.bucket === 'principal');
    expect(refunds.map((e) => e.amount)).toEqual([-70_000, -30_000]);
    expect(kit.sim.refunds().filter((r) => r.out_trade_no === order.outTradeNo)).toHaveLength(2);
    expect(await transferCount(kit, 'payment_refund_settled')).toBe(2);
    expect((await verifyLedger(kit.db.db, kit.t.tenantId)).ok).toBe(true);
  });

  it('reuses out_refund_no when the same request is retried, and refuses the key for another amount', async () => {
    const order = await paidTopUp({ amountFen: 9_000 });
    const key = idempotencyKey('refund');
    const first = await refund(order.outTradeNo, { amountFen: 1_000, reason: '重复提交' }, key);
    const again = await refund(order.outTradeNo, { amountFen: 1_000, reason: '重复提交' }, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.json.outRefundNo).toBe(first.json.outRefundNo);
    expect(kit.sim.refunds().filter((r) => r.out_trade_no === order.outTradeNo)).toHaveLength(1);
    const other = await refund(order.outTradeNo, { amountFen: 2_000, reason: '重复提交' }, key);
    expect(other.json.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    await settled(first.json.outRefundNo);
  });

  it('refuses to refund value the customer already spent, before asking WeChat', async () => {
    const order = await paidTopUp({ amountFen: 10_000 }, 1);
    const spend = await kit.app.inject({
      method: 'POST',
      url: `/staff/customers/${kit.t.customers[1]?.id}/spends`,
      headers: { ...kit.beauticianHeaders(), 'idempotency-key': idempotencyKey('spend') },
      payload: { storeId: kit.t.storeIds[0], amountFen: 8_000 },
    });
    expect(spend.statusCode).toBe(201);
    const res = await refund(order.outTradeNo, { amountFen: 5_000, reason: '退款' });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe('LEDGER_INSUFFICIENT_BALANCE');
    expect(kit.sim.refunds().filter((r) => r.out_trade_no === order.outTradeNo)).toHaveLength(0);
    expect((await wallet(kit, 1)).principalFen).toBe(2_000);
  });

  it('keeps a refund whose answer never came, and finishes it on retry or by reconciliation', async () => {
    const order = await paidTopUp({ amountFen: 6_000 });
    const before = (await wallet(kit)).principalFen;
    kit.sim.faults.add({ kind: 'response-hang', path: '/v3/refund/domestic/refunds', method: 'POST', hangMs: 1_500 });
    const res = await refund(order.outTradeNo, { amountFen: 2_500, reason: '网络超时' });
    expect(res.status).toBe(502);
    expect(res.json.error).toMatchObject({ code: 'WECHAT_UNAVAILABLE', details: { state: 'PENDING' } });
    // The value is already set aside, so it cannot be spent while WeChat decides.
    expect((await wallet(kit)).principalFen).toBe(before - 2_500);
    expect(kit.sim.refunds().filter((r) => r.out_trade_no === order.outTradeNo)).toHaveLength(0);

    kit.sim.faults.clear();
    const result = await reconcileWechatPayments(kit.payments, new Date(Date.now() + 10 * 60_000));
    expect(result.refundsUpdated).toBeGreaterThanOrEqual(1);
    await settled(res.json.error.details.outRefundNo);
    expect((await getOrder(kit, order.outTradeNo)).refunds).toEqual([
      expect.objectContaining({ outRefundNo: res.json.error.details.outRefundNo, state: 'SUCCESS' }),
    ]);
    const retried = await refund(order.outTradeNo, { amountFen: 2_500, reason: '网络超时' }, res.key);
    expect(retried).toMatchObject({ status: 200, json: { state: 'SUCCESS' } });
    expect(kit.sim.refunds().filter((r) => r.out_trade_no === order.outTradeNo)).toHaveLength(1);
    expect((await wallet(kit)).principalFen).toBe(before - 2_500);
  });

  it('puts the value back when WeChat refuses the refund', async () => {
    const order = await paidTopUp({ amountFen: 7_000 });
    const before = (await wallet(kit)).principalFen;
    kit.sim.faults.add({
      kind: 'response-error',
      path: '/v3/refund/domestic/refunds',
      method: 'POST',
      status: 403,
      code: 'NOT_ENOUGH',
      times: 1,
    });
    const res = await refund(order.outTradeNo, { amountFen: 7_000, reason: '商户余额不足' });
    expect(res.status).toBe(502);
    expect(res.json.error).toMatchObject({ code: 'WECHAT_PAY_REJECTED', details: { wechatCode: 'NOT_ENOUGH' } });
    expect((await wallet(kit)).principalFen).toBe(before);
    const view = await getOrder(kit, order.outTradeNo);
    expect(view).toMatchObject({ state: 'SUCCESS', refundedFen: 0 });
    expect(view.refunds).toEqual([expect.objectContaining({ state: 'CLOSED' })]);
    // The refused refund does not count against what is left: the whole payment can still be refunded.
    const again = await refund(order.outTradeNo, { amountFen: 7_000, reason: '再试一次' });
    expect(again.status).toBe(201);
    await settled(again.json.outRefundNo);
    await waitUntil(async () => (await getOrder(kit, order.outTradeNo)).refundedFen === 7_000);
    expect((await verifyLedger(kit.db.db, kit.t.tenantId)).ok).toBe(true);
  });

  it('only refunds paid orders, only for managers', async () => {
    const unpaid = await orderTopUp(kit, { amountFen: 1_000 });
    const res = await refund(unpaid.outTradeNo, { amountFen: 100, reason: '未支付' });
    expect(res.json.error.code).toBe('REFUND_NOT_ALLOWED');
    expect((await refund('LNOSUCHORDER000', { amountFen: 100, reason: '不存在' })).status).toBe(404);
    const beautician = await kit.app.inject({
      method: 'POST',
      url: `/staff/payments/${unpaid.outTradeNo}/refunds`,
      headers: { ...kit.beauticianHeaders(), 'idempotency-key': idempotencyKey('refund') },
      payload: { amountFen: 100, reason: '无权限' },
    });
    expect(beautician.statusCode).toBe(403);
  });
});
