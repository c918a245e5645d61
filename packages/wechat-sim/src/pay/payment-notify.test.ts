import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  buildRequestPayment,
  callPay,
  decryptAesGcm,
  verifyWechatpaySignature,
} from '../test-support/merchant-client.ts';
import { type NotifyReceiver, type ReceivedNotify, startNotifyReceiver } from '../test-support/notify-receiver.ts';
import { jsapiOrder, merchantOf, startTestSim } from '../test-support/sim-fixture.ts';
import type { WechatSim } from '../wechat-sim.ts';
import { readJson } from '../test-support/read-json.ts';

let sim: WechatSim;
let receiver: NotifyReceiver;

beforeAll(async () => {
  // 0.0005 turns the 15 s first retry gap into 7.5 ms.
  sim = await startTestSim({ timeScale: 0.0005 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  receiver = await startNotifyReceiver();
});
afterEach(async () => {
  sim.faults.clear();
  await receiver.close();
});

const trusted = () => ({ [sim.keys.pubKeyId]: sim.keys.pubKeyPem });

async function placeOrder(total = 19800) {
  const order = jsapiOrder(sim, { notify_url: receiver.url, amount: { total, currency: 'CNY' } });
  const created = await callPay(sim.url, merchantOf(sim), {
    method: 'POST',
    path: '/v3/pay/transactions/jsapi',
    body: order,
  });
  expect(created.status).toBe(200);
  return { order, prepayId: created.json.prepay_id as string };
}

async function customerPays(appid: string, prepayId: string, privateKeyPem = sim.keys.merchantPrivateKeyPem) {
  const response = await fetch(`${sim.url}/__control/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'http://localhost:10086' },
    body: JSON.stringify(buildRequestPayment(appid, prepayId, privateKeyPem)),
  });
  expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:10086');
  return { status: response.status, body: await readJson(response) };
}

function openNotify(notify: ReceivedNotify) {
  const envelope = JSON.parse(notify.body);
  return { envelope, plaintext: JSON.parse(decryptAesGcm(envelope.resource, sim.keys.apiV3Key)) };
}

describe('customer pays', () => {
  it('checks paySign with the merchant public key, then notifies an encrypted, signed Transaction', async () => {
    const { order, prepayId } = await placeOrder(12345);
    const paid = await customerPays(order.appid, prepayId);
    expect(paid.status).toBe(200);
    expect(paid.body).toEqual({ ok: true, transaction_id: expect.stringMatching(/^4200\d{24}$/) });

    const [notify] = await receiver.waitForCount(1);
    if (!notify) throw new Error('no notify');
    expect(notify.headers['content-type']).toBe('application/json');
    expect(notify.headers['wechatpay-signature-type']).toBe('WECHATPAY2-SHA256-RSA2048');
    expect(notify.headers['request-id']).toBeTruthy();
    expect(verifyWechatpaySignature(notify.headers, notify.body, trusted()).ok).toBe(true);

    const { envelope, plaintext } = openNotify(notify);
    expect(envelope).toMatchObject({
      id: expect.stringMatching(/^EV-\d+$/),
      create_time: expect.stringMatching(/\+08:00$/),
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', associated_data: 'transaction' },
    });
    expect(envelope.resource.nonce).toMatch(/^[0-9A-Za-z]{12}$/);
    expect(plaintext).toMatchObject({
      appid: order.appid,
      mchid: sim.keys.mchid,
      out_trade_no: order.out_trade_no,
      transaction_id: paid.body.transaction_id,
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      payer: { openid: order.payer.openid },
      amount: { total: 12345, payer_total: 12345, currency: 'CNY', payer_currency: 'CNY' },
    });

    const record = await sim.waitForNotification({ outTradeNo: order.out_trade_no });
    expect(record.status).toBe('acked');
    expect(record.attempts).toHaveLength(1);
  });

  it('refuses a paySign made with another key, a wrong appid and a second payment', async () => {
    const { order, prepayId } = await placeOrder();
    const { generateKeyPairSync } = await import('node:crypto');
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const forged = await customerPays(order.appid, prepayId, stranger);
    expect([forged.status, forged.body.code]).toEqual([401, 'SIGN_ERROR']);
    const wrongApp = await customerPays('wx00000000000000staff', prepayId);
    expect(wrongApp.body.code).toBe('PARAM_ERROR');
    expect(receiver.received).toHaveLength(0);

    expect((await customerPays(order.appid, prepayId)).body.ok).toBe(true);
    expect((await customerPays(order.appid, prepayId)).body.code).toBe('ORDERPAID');
    const unknown = await customerPays(order.appid, 'wx20250101000000ffffffffffffffffffff');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'ORDER_NOT_EXIST']);
  });
});

describe('notify delivery', () => {
  it('retries non-2xx answers on the scaled schedule and logs every attempt', async () => {
    receiver.respondWith((_notify, index) => (index < 2 ? 500 : 200));
    const { order, prepayId } = await placeOrder();
    await customerPays(order.appid, prepayId);
    const record = await sim.waitForNotification({ outTradeNo: order.out_trade_no });
    expect(record.status).toBe('acked');
    expect(record.attempts.map((a) => [a.attempt, a.statusCode, a.acked])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 200, true],
    ]);
    // All three carry the same event, each freshly signed.
    const ids = receiver.received.map((n) => JSON.parse(n.body).id);
    expect(new Set(ids).size).toBe(1);
    expect(new Set(receiver.received.map((n) => n.headers['wechatpay-nonce'])).size).toBe(3);
    for (const notify of receiver.received)
      expect(verifyWechatpaySignature(notify.headers, notify.body, trusted()).ok).toBe(true);

    const log = await readJson(await fetch(`${sim.url}/__control/notifications?out_trade_no=${order.out_trade_no}`));
    expect(log[0].attempts).toHaveLength(3);
  });

  it('duplicate fault: the same notification arrives twice at once', async () => {
    sim.faults.add({ kind: 'notify-duplicate', times: 1 });
    const { order, prepayId } = await placeOrder();
    await customerPays(order.appid, prepayId);
    const [first, second] = await receiver.waitForCount(2);
    expect(first?.body).toBe(second?.body);
    expect(Math.abs((first?.receivedAt ?? 0) - (second?.receivedAt ?? 0))).toBeLessThan(1000);
    const record = await sim.waitForNotification({ outTradeNo: order.out_trade_no });
    expect(record.attempts.map((a) => a.kind)).toEqual(['delivery', 'duplicate']);
    expect(sim.faults.list()).toHaveLength(0);
  });

  it('drop fault: the notification is lost and only a query tells the truth', async () => {
    sim.faults.add({ kind: 'notify-drop', times: 1 });
    const { order, prepayId } = await placeOrder();
    await customerPays(order.appid, prepayId);
    const record = await sim.waitForNotification({ outTradeNo: order.out_trade_no });
    expect(record.status).toBe('dropped');
    expect(receiver.received).toHaveLength(0);
    const queried = await callPay(sim.url, merchantOf(sim), {
      method: 'GET',
      path: `/v3/pay/transactions/out-trade-no/${order.out_trade_no}?mchid=${sim.keys.mchid}`,
    });
    expect(queried.json.trade_state).toBe('SUCCESS');
  });

  it('probe fault: a WECHATPAY/SIGNTEST/ signature comes first, then the real notify', async () => {
    sim.faults.add({ kind: 'notify-probe', times: 1 });
    receiver.respondWith((notify) => (verifyWechatpaySignature(notify.headers, notify.body, trusted()).ok ? 204 : 401));
    const { order, prepayId } = await placeOrder();
    await customerPays(order.appid, prepayId);
    const [probe, real] = await receiver.waitForCount(2);
    expect(String(probe?.headers['wechatpay-signature'])).toMatch(/^WECHATPAY\/SIGNTEST\//);
    expect(verifyWechatpaySignature(real?.headers ?? {}, real?.body ?? '', trusted()).ok).toBe(true);
    const record = await sim.waitForNotification({ outTradeNo: order.out_trade_no });
    expect(record.attempts.map((a) => [a.kind, a.signature, a.statusCode])).toEqual([
      ['probe', 'probe', 401],
      ['delivery', 'valid', 204],
    ]);
  });

  it('forged-signature fault: the forged attempt fails verification, the retry is genuine', async () => {
    sim.faults.add({ kind: 'notify-forged-signature', times: 1 });
    receiver.respondWith((notify) => (verifyWechatpaySignature(notify.headers, notify.body, trusted()).ok ? 204 : 401));
    const { order, prepayId } = await placeOrder();
    await customerPays(order.appid, prepayId);
    const record = await sim.waitForNotification({ outTradeNo: order.out_trade_no });
    expect(record.attempts.map((a) => [a.signature, a.statusCode])).toEqual([
      ['forged', 401],
      ['valid', 204],
    ]);
    // The forged one still names a trusted serial: only the signature check can catch it.
    expect(receiver.received[0]?.headers['wechatpay-serial']).toBe(sim.keys.pubKeyId);
  });

  it('wrong-amount fault: the plaintext amount differs from the order', async () => {
    sim.faults.add({ kind: 'notify-wrong-amount', deltaFen: -100, times: 1 });
    const { order, prepayId } = await placeOrder(500);
    await customerPays(order.appid, prepayId);
    const [notify] = await receiver.waitForCount(1);
    if (!notify) throw new Error('no notify');
    expect(verifyWechatpaySignature(notify.headers, notify.body, trusted()).ok).toBe(true);
    expect(openNotify(notify).plaintext.amount).toMatchObject({ total: 400, payer_total: 400 });
  });

  it('clock-skew and delay faults shift the notify timestamp and its sending time', async () => {
    const { order, prepayId } = await placeOrder();
    sim.faults.add({ kind: 'notify-clock-skew', skewSeconds: -600, outTradeNo: order.out_trade_no, times: 1 });
    sim.faults.add({ kind: 'notify-delay', delayMs: 150, outTradeNo: order.out_trade_no, times: 1 });
    sim.faults.add({ kind: 'notify-drop', outTradeNo: 'SOME_OTHER_ORDER' });
    const before = Date.now();
    await customerPays(order.appid, prepayId);
    const [notify] = await receiver.waitForCount(1);
    expect((notify?.receivedAt ?? 0) - before).toBeGreaterThanOrEqual(140);
    const check = verifyWechatpaySignature(notify?.headers ?? {}, notify?.body ?? '', trusted());
    expect(check.ok).toBe(true);
    expect(Date.now() / 1000 - check.timestamp).toBeGreaterThan(590);
  });

  it('faults can be set over HTTP and cleared', async () => {
    const post = await fetch(`${sim.url}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ kind: 'notify-drop' }, { kind: 'notify-delay', delayMs: 5, times: 2 }]),
    });
    const { faults } = await readJson(post);
    expect(faults.map((f: { remaining: number | null }) => f.remaining)).toEqual([null, 2]);
    const bad = await fetch(`${sim.url}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'notify-teleport' }),
    });
    expect(bad.status).toBe(400);
    await fetch(`${sim.url}/__control/faults`, { method: 'DELETE' });
    expect(sim.faults.list()).toHaveLength(0);
  });
  // Last on purpose: its retries go on in the background for the rest of the file.
  it('treats an unreachable notify_url as a failure and keeps retrying', async () => {
    const { order, prepayId } = await placeOrder();
    await receiver.close();
    await customerPays(order.appid, prepayId);
    const record = await sim.waitForNotification({
      outTradeNo: order.out_trade_no,
      until: ['pending'],
      minAttempts: 2,
    });
    expect(record.attempts[0]?.error).toBeTruthy();
    receiver = await startNotifyReceiver();
  });
});
