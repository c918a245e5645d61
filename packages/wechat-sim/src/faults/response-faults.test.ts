import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callPay, verifyWechatpaySignature } from '../test-support/merchant-client.ts';
import { readJson } from '../test-support/read-json.ts';
import { CUSTOMER_APPID, CUSTOMER_SECRET, jsapiOrder, merchantOf, startTestSim } from '../test-support/sim-fixture.ts';
import type { WechatSim } from '../wechat-sim.ts';

let sim: WechatSim;
beforeAll(async () => {
  sim = await startTestSim();
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => sim.faults.clear());

const createOrder = (body: unknown) =>
  callPay(sim.url, merchantOf(sim), { method: 'POST', path: '/v3/pay/transactions/jsapi', body });

describe('response faults', () => {
  it('a one-shot "before" 500 answers SYSTEM_ERROR without creating the order', async () => {
    sim.faults.add({ kind: 'response-error', path: '/v3/pay/transactions/*', times: 1 });
    const order = jsapiOrder(sim);
    const failed = await createOrder(order);
    expect([failed.status, failed.json.code]).toEqual([500, 'SYSTEM_ERROR']);
    expect(verifyWechatpaySignature(failed.headers, failed.text, sim.certs()).ok).toBe(true);
    expect(sim.order(order.out_trade_no)).toBeUndefined();
    expect((await createOrder(order)).status).toBe(200);
  });

  it('an "after" 500 creates the order but hides the answer, so a retry gets the same prepay_id', async () => {
    sim.faults.add({
      kind: 'response-error',
      path: '/v3/pay/transactions/jsapi',
      method: 'POST',
      phase: 'after',
      times: 1,
    });
    const order = jsapiOrder(sim);
    expect((await createOrder(order)).status).toBe(500);
    const prepayId = sim.order(order.out_trade_no)?.prepay_id;
    expect(prepayId).toBeTruthy();
    expect((await createOrder(order)).json.prepay_id).toBe(prepayId);
  });

  it('sticky faults stay until cleared; method filters apply', async () => {
    sim.faults.add({
      kind: 'response-error',
      path: '/v3/certificates',
      method: 'GET',
      status: 429,
      code: 'RATE_LIMITED',
      message: '频率超限',
    });
    for (let i = 0; i < 3; i += 1) {
      const result = await callPay(sim.url, merchantOf(sim), { method: 'GET', path: '/v3/certificates' });
      expect([result.status, result.json.code]).toEqual([429, 'RATE_LIMITED']);
    }
    expect(sim.faults.list()[0]?.hits).toBe(3);
    sim.faults.clear();
    expect((await callPay(sim.url, merchantOf(sim), { method: 'GET', path: '/v3/certificates' })).status).toBe(200);
  });

  it('bad-signature: a 2xx whose signature does not verify, though the order exists', async () => {
    sim.faults.add({ kind: 'response-bad-signature', path: '/v3/pay/transactions/jsapi', times: 1 });
    const order = jsapiOrder(sim);
    const result = await createOrder(order);
    expect(result.status).toBe(200);
    const check = verifyWechatpaySignature(result.headers, result.text, sim.certs());
    expect(check.serial).toBe(sim.keys.pubKeyId);
    expect(check.ok).toBe(false);
    expect(sim.order(order.out_trade_no)?.transaction.trade_state).toBe('NOTPAY');
  });

  it('clock-skew: the response timestamp is off by the given seconds', async () => {
    sim.faults.add({ kind: 'response-clock-skew', skewSeconds: 400, times: 1 });
    const result = await callPay(sim.url, merchantOf(sim), { method: 'GET', path: '/v3/certificates' });
    const check = verifyWechatpaySignature(result.headers, result.text, sim.certs());
    expect(check.ok).toBe(true);
    expect(check.timestamp - Date.now() / 1000).toBeGreaterThan(395);
  });

  it('hang: no answer until the client gives up', async () => {
    sim.faults.add({ kind: 'response-hang', path: '/v3/*', hangMs: 10_000, times: 1 });
    const started = Date.now();
    await expect(fetch(`${sim.url}/v3/certificates`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("applies to mini-program APIs with WeChat's own error body, and never to /__control", async () => {
    sim.faults.add({ kind: 'response-error', path: '/sns/jscode2session', status: 503 });
    sim.faults.add({ kind: 'response-error', path: '*' });
    const login = await fetch(
      `${sim.url}/sns/jscode2session?appid=${CUSTOMER_APPID}&secret=${CUSTOMER_SECRET}&js_code=x&grant_type=authorization_code`,
    );
    expect(login.status).toBe(503);
    expect(await readJson(login)).toEqual({ errcode: -1, errmsg: 'system error' });
    const control = await fetch(`${sim.url}/__control/faults`);
    expect(control.status).toBe(200);
  });
});
