import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson } from '../test-support/read-json.ts';
import { CUSTOMER_APPID, jsapiOrder, startTestSim } from '../test-support/sim-fixture.ts';
import type { WechatSim } from '../wechat-sim.ts';

let sim: WechatSim;
beforeAll(async () => {
  sim = await startTestSim();
});
afterAll(async () => {
  await sim.close();
});

describe('control API', () => {
  it('answers CORS preflights from any origin, including for the pay endpoint', async () => {
    const preflight = await fetch(`${sim.url}/__control/pay`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://192.0.2.10:10086',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-trace',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://192.0.2.10:10086');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type,x-trace');
  });

  it('reports a bad pay request as PARAM_ERROR', async () => {
    const response = await fetch(`${sim.url}/__control/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appid: CUSTOMER_APPID, package: 'prepay_id=x' }),
    });
    expect(response.status).toBe(400);
    expect(await readJson(response)).toMatchObject({ code: 'PARAM_ERROR' });
  });

  it('publishes the public half of the keys and the clock', async () => {
    const keys = await readJson(await fetch(`${sim.url}/__control/keys`));
    expect(keys).toMatchObject({ mchid: sim.keys.mchid, merchantSerial: sim.keys.merchantSerial, payMode: 'pubkey' });
    expect(Object.keys(keys.certs)).toEqual([sim.keys.platformSerial, sim.keys.pubKeyId]);
    expect(JSON.stringify(keys)).not.toContain('PRIVATE KEY');
    const clock = await readJson(await fetch(`${sim.url}/__control/clock`));
    expect(clock.offsetSeconds).toBe(0);
  });

  it('takes back a paid order it has forgotten, with its numbers and time, once and without a notification', async () => {
    const order = jsapiOrder(sim);
    const transactionId = '4200000123202612050000000042';
    const remember = (total = 19_800) =>
      fetch(`${sim.url}/__control/paid-orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          order: { ...order, amount: { total, currency: 'CNY' } },
          transaction_id: transactionId,
          success_time: '2026-12-05T10:05:00+08:00',
        }),
      });
    const taken = await remember();
    expect(taken.status).toBe(200);
    expect((await readJson(taken)).transaction).toMatchObject({
      out_trade_no: order.out_trade_no,
      transaction_id: transactionId,
      trade_state: 'SUCCESS',
      success_time: '2026-12-05T10:05:00+08:00',
      amount: { total: 19_800 },
    });
    // Known already: left as it was.
    expect((await readJson(await remember(1))).transaction.amount.total).toBe(19_800);
    expect(sim.notifications({ outTradeNo: order.out_trade_no })).toEqual([]);
    const bad = await fetch(`${sim.url}/__control/paid-orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ order, transaction_id: 'x', success_time: 'yesterday' }),
    });
    expect(bad.status).toBe(400);
  });
});
