import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAuthorization,
  buildRequestPayment,
  callPay,
  verifyWechatpaySignature,
} from '../test-support/merchant-client.ts';
import { jsapiOrder, merchantOf, startTestSim } from '../test-support/sim-fixture.ts';
import type { WechatSim } from '../wechat-sim.ts';

let sim: WechatSim;
beforeAll(async () => {
  sim = await startTestSim();
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => sim.clock.setOffsetSeconds(0));

const createOrder = (body: unknown) =>
  callPay(sim.url, merchantOf(sim), { method: 'POST', path: '/v3/pay/transactions/jsapi', body });
const queryOrder = (outTradeNo: string, mchid = sim.keys.mchid) =>
  callPay(sim.url, merchantOf(sim), {
    method: 'GET',
    path: `/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=${mchid}`,
  });
const closeOrder = (outTradeNo: string) =>
  callPay(sim.url, merchantOf(sim), {
    method: 'POST',
    path: `/v3/pay/transactions/out-trade-no/${outTradeNo}/close`,
    body: { mchid: sim.keys.mchid },
  });

function expectSigned(result: { headers: Headers; text: string }) {
  const check = verifyWechatpaySignature(result.headers, result.text, { [sim.keys.pubKeyId]: sim.keys.pubKeyPem });
  expect(check.ok).toBe(true);
  expect(Math.abs(check.timestamp - Date.now() / 1000)).toBeLessThan(5);
  expect(result.headers.get('Request-ID')).toBeTruthy();
}

describe('JSAPI order', () => {
  it('creates an order, answers with a signed prepay_id and reads NOTPAY', async () => {
    const order = jsapiOrder(sim, { attach: 'store=7', time_expire: '2099-06-08T10:34:56+08:00' });
    const created = await createOrder(order);
    expect(created.status).toBe(200);
    expect(created.json.prepay_id).toMatch(/^wx\d{14}[0-9a-f]{20}$/);
    expectSigned(created);

    const queried = await queryOrder(order.out_trade_no);
    expect(queried.status).toBe(200);
    expectSigned(queried);
    expect(queried.json).toMatchObject({
      appid: order.appid,
      mchid: order.mchid,
      out_trade_no: order.out_trade_no,
      trade_state: 'NOTPAY',
      attach: 'store=7',
      amount: { total: 19800, currency: 'CNY' },
    });
    expect(queried.json.transaction_id).toBeUndefined();
  });

  it('returns the same prepay_id for an identical retry and OUT_TRADE_NO_USED for changed fields', async () => {
    const order = jsapiOrder(sim);
    const first = await createOrder(order);
    const retry = await createOrder({ ...order });
    expect(retry.json.prepay_id).toBe(first.json.prepay_id);

    const changed = await createOrder({ ...order, amount: { total: 100, currency: 'CNY' } });
    expect(changed.status).toBe(403);
    expect(changed.json.code).toBe('OUT_TRADE_NO_USED');
  });

  it.each([
    ['description over 127 characters', { description: '护'.repeat(128) }, 'description'],
    ['out_trade_no too short', { out_trade_no: 'A1' }, 'out_trade_no'],
    ['out_trade_no with a bad character', { out_trade_no: 'LUMI#2025' }, 'out_trade_no'],
    ['fractional amount', { amount: { total: 19.8, currency: 'CNY' } }, 'amount.total'],
    ['zero amount', { amount: { total: 0, currency: 'CNY' } }, 'amount.total'],
    ['foreign currency', { amount: { total: 100, currency: 'USD' } }, 'amount.currency'],
    ['missing payer', { payer: undefined }, 'payer'],
    ['notify_url with a query', { notify_url: 'http://127.0.0.1:9/notify?x=1' }, 'notify_url'],
    ['time_expire not RFC 3339', { time_expire: '2099-06-08 10:34:56' }, 'time_expire'],
  ])('rejects %s with PARAM_ERROR', async (_name, overrides, field) => {
    const result = await createOrder(jsapiOrder(sim, overrides));
    expect(result.status).toBe(400);
    expect(result.json.code).toBe('PARAM_ERROR');
    expect(result.json.detail.field).toBe(field);
    expectSigned(result);
  });

  it('rejects an appid the merchant is not bound to and a foreign mchid', async () => {
    const badApp = await createOrder(jsapiOrder(sim, { appid: 'wx1234567890abcdef' }));
    expect([badApp.status, badApp.json.code]).toEqual([400, 'APPID_MCHID_NOT_MATCH']);
    const badMch = await createOrder(jsapiOrder(sim, { mchid: '1900000000' }));
    expect([badMch.status, badMch.json.code]).toEqual([400, 'MCH_NOT_EXISTS']);
  });

  it('queries by transaction id once paid, and 404s unknown orders', async () => {
    const order = jsapiOrder(sim);
    const { json } = await createOrder(order);
    const paid = sim.pay(buildRequestPayment(order.appid, json.prepay_id, sim.keys.merchantPrivateKeyPem));
    expect(paid.ok).toBe(true);
    if (!paid.ok) return;
    const byId = await callPay(sim.url, merchantOf(sim), {
      method: 'GET',
      path: `/v3/pay/transactions/id/${paid.transaction_id}?mchid=${sim.keys.mchid}`,
    });
    expect(byId.json).toMatchObject({ trade_state: 'SUCCESS', out_trade_no: order.out_trade_no, trade_type: 'JSAPI' });
    expect(byId.json.success_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);

    const missing = await queryOrder('NO_SUCH_ORDER_1');
    expect([missing.status, missing.json.code]).toEqual([404, 'ORDER_NOT_EXIST']);
    expectSigned(missing);
    const noMchid = await callPay(sim.url, merchantOf(sim), {
      method: 'GET',
      path: `/v3/pay/transactions/out-trade-no/${order.out_trade_no}`,
    });
    expect(noMchid.json.code).toBe('PARAM_ERROR');
  });

  it('closes with a signed 204, then refuses payment with ORDER_CLOSED', async () => {
    const order = jsapiOrder(sim);
    const { json } = await createOrder(order);
    const closed = await closeOrder(order.out_trade_no);
    expect(closed.status).toBe(204);
    expect(closed.text).toBe('');
    expectSigned(closed);
    expect((await queryOrder(order.out_trade_no)).json.trade_state).toBe('CLOSED');

    const paid = sim.pay(buildRequestPayment(order.appid, json.prepay_id, sim.keys.merchantPrivateKeyPem));
    expect(paid).toMatchObject({ ok: false, code: 'ORDER_CLOSED' });
    const reopened = await createOrder(order);
    expect(reopened.json.code).toBe('ORDER_CLOSED');
  });

  it('honours time_expire: the order reads CLOSED and cannot be paid after it', async () => {
    const expireAt = new Date(Date.now() + 120_000).toISOString().replace('Z', '+00:00');
    const order = jsapiOrder(sim, { time_expire: expireAt });
    const { json } = await createOrder(order);
    sim.clock.setOffsetSeconds(180);
    // The simulator's clock moved, so sign with its time or the request itself would be stale.
    const queried = await callPay(sim.url, merchantOf(sim), {
      method: 'GET',
      path: `/v3/pay/transactions/out-trade-no/${order.out_trade_no}?mchid=${sim.keys.mchid}`,
      timestamp: Math.floor(sim.clock.now() / 1000),
    });
    expect(queried.json.trade_state).toBe('CLOSED');
    expect(sim.pay(buildRequestPayment(order.appid, json.prepay_id, sim.keys.merchantPrivateKeyPem))).toMatchObject({
      code: 'ORDER_CLOSED',
    });
  });

  it('rejects a time_expire already in the past', async () => {
    const result = await createOrder(jsapiOrder(sim, { time_expire: '2001-01-01T00:00:00+08:00' }));
    expect(result.json.code).toBe('PARAM_ERROR');
  });
});

describe('request signature', () => {
  const path = '/v3/pay/transactions/jsapi';

  it.each([
    ['a signature over other bytes', { signatureOverride: Buffer.alloc(256, 7).toString('base64') }],
    ['no Authorization', { authorizationOverride: '' }],
    ['another scheme', { authorizationOverride: 'Bearer abc' }],
    ['a stale timestamp', { timestamp: Math.floor(Date.now() / 1000) - 301 }],
  ])('answers 401 SIGN_ERROR for %s', async (_name, override) => {
    const result = await callPay(sim.url, merchantOf(sim), {
      method: 'POST',
      path,
      body: jsapiOrder(sim),
      ...override,
    });
    expect(result.status).toBe(401);
    expect(result.json.code).toBe('SIGN_ERROR');
    expect(result.json.detail.sign_information).toMatchObject({ method: 'POST', url: path });
    expectSigned(result);
  });

  it('answers 401 for an unknown merchant serial and a wrong mchid', async () => {
    const wrongSerial = await callPay(
      sim.url,
      { ...merchantOf(sim), serial: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' },
      { method: 'GET', path: '/v3/certificates' },
    );
    expect(wrongSerial.json.code).toBe('SIGN_ERROR');
    const wrongMch = await callPay(
      sim.url,
      { ...merchantOf(sim), mchid: '1234567890' },
      { method: 'GET', path: '/v3/certificates' },
    );
    expect(wrongMch.json.code).toBe('SIGN_ERROR');
  });

  it('signs over the raw query string and reports the signed message on failure', async () => {
    const outTradeNo = jsapiOrder(sim).out_trade_no;
    await createOrder(jsapiOrder(sim, { out_trade_no: outTradeNo }));
    // Signed for one query, sent with another: must fail even though both parse to the same mchid.
    const ts = Math.floor(Date.now() / 1000);
    const signedPath = `/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=${sim.keys.mchid}`;
    const authorization = buildAuthorization(merchantOf(sim), 'GET', signedPath, '', ts, 'n0nce');
    const result = await callPay(sim.url, merchantOf(sim), {
      method: 'GET',
      path: `${signedPath}&x=1`,
      authorizationOverride: authorization,
    });
    expect(result.status).toBe(401);
    expect(result.json.detail.sign_information.truncated_sign_message).toContain(`${signedPath}&x=1`);
  });
});
