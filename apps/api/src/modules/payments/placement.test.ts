import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  getOrder,
  idempotencyKey,
  orderTopUp,
  payInWechat,
  usePaymentsKit,
  wallet,
} from '../../testing/payments-kit.ts';

// A short client timeout so hung answers fail fast.
const kit = usePaymentsKit({ timeoutMs: 600 });
let calls: string[];

const CREATE = '/v3/pay/transactions/jsapi';
const QUERY = '/v3/pay/transactions/out-trade-no/*';

beforeAll(() => {
  const gateway = kit.gateway;
  const create = gateway.createJsapiOrder.bind(gateway);
  const query = gateway.queryOrder.bind(gateway);
  vi.spyOn(gateway, 'createJsapiOrder').mockImplementation(async (body) => {
    calls.push('create');
    return create(body);
  });
  vi.spyOn(gateway, 'queryOrder').mockImplementation(async (no, options) => {
    calls.push('query');
    return query(no, options);
  });
});

beforeEach(() => {
  calls = [];
});

/** The order WeChat holds is the one the customer can pay: pay it and see it credited. */
async function paysThrough(order: Awaited<ReturnType<typeof orderTopUp>>) {
  const atWechat = kit.sim.orders().filter((o) => o.transaction.out_trade_no === order.outTradeNo);
  expect(atWechat).toHaveLength(1);
  expect(order.requestPayment?.package).toBe(`prepay_id=${atWechat[0]?.prepay_id}`);
  const before = (await wallet(kit)).principalFen;
  payInWechat(kit, order);
  await kit.sim.waitForNotification({ outTradeNo: order.outTradeNo, until: ['acked'] });
  expect((await wallet(kit)).principalFen - before).toBe(order.amountFen);
}

describe('placing an order when WeChat answers unclearly', () => {
  it('treats a 2xx whose signature fails as unknown: queries, then sends the same order again', async () => {
    kit.sim.faults.add({ kind: 'response-bad-signature', path: CREATE, times: 1 });
    const order = await orderTopUp(kit, { amountFen: 1_100 });
    expect(calls).toEqual(['create', 'query', 'create']);
    await paysThrough(order);
  });

  it('treats a timeout the same way (WeChat created the order, the answer never came)', async () => {
    kit.sim.faults.add({ kind: 'response-hang', path: CREATE, phase: 'after', hangMs: 2_000, times: 1 });
    const order = await orderTopUp(kit, { amountFen: 1_200 });
    expect(calls).toEqual(['create', 'query', 'create']);
    await paysThrough(order);
  });

  it('sends again after a 5xx once WeChat says it does not have the order', async () => {
    kit.sim.faults.add({ kind: 'response-error', path: CREATE, status: 500, times: 1 });
    const order = await orderTopUp(kit, { amountFen: 1_300 });
    expect(calls).toEqual(['create', 'query', 'create']);
    await paysThrough(order);
  });

  it('answers 502 when even the query fails, and a retry with the same key queries before sending', async () => {
    kit.sim.faults.add({ kind: 'response-bad-signature', path: CREATE, times: 1 });
    kit.sim.faults.add({ kind: 'response-hang', path: QUERY, method: 'GET', hangMs: 2_000, times: 1 });
    const key = idempotencyKey();
    const res = await kit.app.inject({
      method: 'POST',
      url: '/me/payments/top-ups',
      headers: { ...kit.customerHeaders(), 'idempotency-key': key },
      payload: { amountFen: 1_400 },
    });
    expect(res.statusCode).toBe(502);
    expect(res.json().error).toMatchObject({ code: 'WECHAT_UNAVAILABLE', details: { outTradeNo: expect.any(String) } });
    expect(calls).toEqual(['create', 'query']);

    calls = [];
    const retried = await orderTopUp(kit, { amountFen: 1_400 }, { key, status: 200 });
    expect(retried.outTradeNo).toBe(res.json().error.details.outTradeNo);
    expect(calls).toEqual(['query', 'create']);
    await paysThrough(retried);
  });

  it('closes the order when WeChat refuses it, and says so on a retry', async () => {
    kit.sim.faults.add({ kind: 'response-error', path: CREATE, status: 400, code: 'PARAM_ERROR', times: 1 });
    const key = idempotencyKey();
    const res = await kit.app.inject({
      method: 'POST',
      url: '/me/payments/top-ups',
      headers: { ...kit.customerHeaders(), 'idempotency-key': key },
      payload: { amountFen: 1_500 },
    });
    expect(res.statusCode).toBe(502);
    expect(res.json().error).toMatchObject({ code: 'WECHAT_PAY_REJECTED', details: { wechatCode: 'PARAM_ERROR' } });
    const replay = await orderTopUp(kit, { amountFen: 1_500 }, { key, status: 200 });
    expect(replay).toMatchObject({ state: 'CLOSED', requestPayment: null });
  });

  it('answers a status poll from its own state when WeChat hangs', async () => {
    kit.sim.faults.add({ kind: 'notify-drop', times: 1 });
    const order = await orderTopUp(kit, { amountFen: 1_600 });
    payInWechat(kit, order);
    // WeChat hangs far longer than the poll's own query budget: answering at all before the hang ends shows the
    // poll gave up on WeChat and answered from its own state (the margin is wide, for a busy machine).
    kit.sim.faults.add({ kind: 'response-hang', path: QUERY, method: 'GET', hangMs: 40_000, times: 1 });
    kit.clock.offsetMs = 15_000;
    const started = Date.now();
    expect((await getOrder(kit, order.outTradeNo)).state).toBe('NOTPAY');
    expect(Date.now() - started).toBeLessThan(20_000);
    // The next poll (after the query interval) gets through and learns of the payment.
    kit.clock.offsetMs = 30_000;
    expect((await getOrder(kit, order.outTradeNo)).state).toBe('SUCCESS');
  });
});
