import { describe, expect, it, vi } from 'vitest';
import { independentNotification, postNotification, signed } from './independent-notify.ts';
import {
  getOrder,
  notificationLog,
  orderTopUp,
  payInWechat,
  transferCount,
  usePaymentsKit,
  waitUntil,
  wallet,
} from '../../testing/payments-kit.ts';

const kit = usePaymentsKit();

const post = (notification: { body: Buffer; headers: Record<string, string> }) =>
  postNotification(kit.notifyUrl, notification);

function transactionFor(order: { outTradeNo: string; amountFen: number }, overrides: Record<string, unknown> = {}) {
  return {
    appid: kit.config.WECHAT_CUSTOMER_APPID,
    mchid: kit.sim.keys.mchid,
    out_trade_no: order.outTradeNo,
    transaction_id: `4200000000${Date.now()}`,
    trade_type: 'JSAPI',
    trade_state: 'SUCCESS',
    trade_state_desc: '支付成功',
    success_time: '2026-01-10T12:00:00+08:00',
    payer: { openid: kit.t.customers[0]?.openid },
    amount: { total: order.amountFen, payer_total: order.amountFen, currency: 'CNY', payer_currency: 'CNY' },
    ...overrides,
  };
}

const wechatKey = () => ({
  signingKeyPem: kit.sim.keys.pubKeyPrivatePem,
  serial: kit.sim.keys.pubKeyId,
  apiV3Key: kit.sim.keys.apiV3Key,
});

describe('payment notifications', () => {
  it('accepts a notification signed and encrypted by an independent implementation, and not one byte changed', async () => {
    const order = await orderTopUp(kit, { amountFen: 30_100 });
    const genuine = independentNotification({ transaction: transactionFor(order), ...wechatKey() });

    // One byte of the signed body changed: the signature no longer covers it.
    const tampered = Buffer.from(genuine.body);
    const at = tampered.indexOf('"ciphertext":"') + 20;
    tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
    const forgedBody = await post({ body: tampered, headers: genuine.headers });
    expect(forgedBody).toMatchObject({ status: 401, json: { error: { code: 'NOTIFY_SIGNATURE_INVALID' } } });

    // One byte of the ciphertext changed and signed again (so only AES-GCM's tag can notice): refused too.
    const envelope = JSON.parse(genuine.body.toString('utf8'));
    const sealed = Buffer.from(envelope.resource.ciphertext, 'base64');
    sealed[3] = (sealed[3] ?? 0) ^ 0x01;
    envelope.resource.ciphertext = sealed.toString('base64');
    const resigned = signed(Buffer.from(JSON.stringify(envelope)), wechatKey());
    expect(await post(resigned)).toMatchObject({ status: 400, json: { error: { code: 'NOTIFY_REJECTED' } } });

    expect((await getOrder(kit, order.outTradeNo)).state).toBe('NOTPAY');
    expect((await wallet(kit)).principalFen).toBe(0);

    expect(await post(genuine)).toEqual({ status: 204, json: null });
    expect((await getOrder(kit, order.outTradeNo)).state).toBe('SUCCESS');
    expect((await wallet(kit)).principalFen).toBe(30_100);
    const outcomes = (await notificationLog(kit)).map((n) => n.outcome);
    expect(outcomes).toEqual(expect.arrayContaining(['rejected_decrypt', 'completed']));
    expect(outcomes).not.toContain('rejected_signature');
  });

  it('stores nothing of a request that does not verify, and traces it in the log instead', async () => {
    const order = await orderTopUp(kit, { amountFen: 1_900 });
    const genuine = independentNotification({ transaction: transactionFor(order), ...wechatKey() });
    const warn = vi.spyOn(kit.payments.log, 'warn');
    const before = (await notificationLog(kit)).length;
    const { 'wechatpay-signature': _signature, ...unsigned } = genuine.headers;
    const attempts = [
      { body: Buffer.from('{"id":"EV-anyone"}'), headers: { 'content-type': 'application/json' } },
      { body: genuine.body, headers: unsigned },
      { body: Buffer.from(`${genuine.body.toString('utf8')} `), headers: genuine.headers },
    ];
    for (const attempt of attempts) {
      expect(await post(attempt)).toMatchObject({ status: 401, json: { error: { code: 'NOTIFY_SIGNATURE_INVALID' } } });
    }
    expect(await notificationLog(kit)).toHaveLength(before);
    const traced = warn.mock.calls.filter(
      ([, message]) => message === 'refused a WeChat Pay notification that does not verify',
    );
    expect(traced.map(([fields]) => (fields as { outcome: string }).outcome)).toEqual([
      'rejected_headers',
      'rejected_headers',
      'rejected_signature',
    ]);
    warn.mockRestore();
    expect((await getOrder(kit, order.outTradeNo)).state).toBe('NOTPAY');
  });

  it('answers concurrent copies of one notification with 2xx and posts once', async () => {
    const order = await orderTopUp(kit, { amountFen: 2_000 });
    const note = independentNotification({ transaction: transactionFor(order), ...wechatKey() });
    const before = await transferCount(kit, 'top_up');
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(note)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(204));
    expect(await transferCount(kit, 'top_up')).toBe(before + 1);
    const outcomes = (await notificationLog(kit, order.outTradeNo)).map((n) => n.outcome).sort();
    expect(outcomes).toEqual(['completed', ...Array(7).fill('duplicate')]);
  });

  it('handles WeChat duplicates (copies sent at once) with one posting', async () => {
    const order = await orderTopUp(kit, { amountFen: 2_500 });
    kit.sim.faults.add({ kind: 'notify-duplicate', copies: 3, outTradeNo: order.outTradeNo, times: 1 });
    const before = await transferCount(kit, 'top_up');
    payInWechat(kit, order);
    const record = await kit.sim.waitForNotification({ outTradeNo: order.outTradeNo, until: ['acked'] });
    expect(record.attempts.filter((a) => a.acked)).toHaveLength(3);
    expect(await transferCount(kit, 'top_up')).toBe(before + 1);
  });

  it('rejects signature probes and forgeries with 401, changes nothing, and takes the genuine retry', async () => {
    const order = await orderTopUp(kit, { amountFen: 3_000 });
    kit.sim.faults.add({ kind: 'notify-probe', outTradeNo: order.outTradeNo, times: 1 });
    kit.sim.faults.add({ kind: 'notify-forged-signature', outTradeNo: order.outTradeNo, times: 1 });
    const before = await transferCount(kit, 'top_up');
    payInWechat(kit, order);
    const record = await kit.sim.waitForNotification({ outTradeNo: order.outTradeNo, until: ['acked'] });
    expect(record.attempts.map((a) => [a.signature, a.statusCode])).toEqual([
      ['probe', 401],
      ['forged', 401],
      ['valid', 204],
    ]);
    expect(await transferCount(kit, 'top_up')).toBe(before + 1);
    const log = await notificationLog(kit);
    expect(log.every((n) => n.verified)).toBe(true);
    expect(log.map((n) => n.outcome)).not.toContain('rejected_probe');
  });

  it('rejects a correctly signed body sent as a probe, a wrong serial and a stale timestamp', async () => {
    const order = await orderTopUp(kit, { amountFen: 3_300 });
    const note = independentNotification({ transaction: transactionFor(order), ...wechatKey() });
    const probe = { body: note.body, headers: { ...note.headers, 'wechatpay-signature': 'WECHATPAY/SIGNTEST/xyz==' } };
    expect((await post(probe)).status).toBe(401);
    const unknown = {
      body: note.body,
      headers: { ...note.headers, 'wechatpay-serial': 'PUB_KEY_ID_0000000000000000' },
    };
    expect((await post(unknown)).status).toBe(401);
    const stale = independentNotification({
      transaction: transactionFor(order),
      ...wechatKey(),
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    expect((await post(stale)).status).toBe(401);
    const missing = { body: note.body, headers: { 'content-type': 'application/json' } };
    expect((await post(missing)).status).toBe(401);
    expect((await getOrder(kit, order.outTradeNo)).state).toBe('NOTPAY');

    // WeChat's own clock skew on one attempt: refused, and the retry is accepted.
    const paid = await orderTopUp(kit, { amountFen: 3_400 });
    kit.sim.faults.add({ kind: 'notify-clock-skew', skewSeconds: -400, outTradeNo: paid.outTradeNo, times: 1 });
    payInWechat(kit, paid);
    const record = await kit.sim.waitForNotification({ outTradeNo: paid.outTradeNo, until: ['acked'] });
    expect(record.attempts.map((a) => a.statusCode)).toEqual([401, 204]);
  });

  it('refuses a notification whose amount differs from the order, posts nothing, and takes the right one', async () => {
    const order = await orderTopUp(kit, { amountFen: 4_000 });
    kit.sim.faults.add({ kind: 'notify-wrong-amount', deltaFen: -3_999, outTradeNo: order.outTradeNo });
    const before = await transferCount(kit, 'top_up');
    payInWechat(kit, order);
    await kit.sim.waitForNotification({ outTradeNo: order.outTradeNo, until: ['pending'], minAttempts: 3 });
    expect(
      kit.sim.notifications({ outTradeNo: order.outTradeNo })[0]?.attempts.every((a) => a.statusCode === 400),
    ).toBe(true);
    expect(await transferCount(kit, 'top_up')).toBe(before);
    expect((await notificationLog(kit, order.outTradeNo)).map((n) => n.outcome)).toContain('rejected_mismatch');

    kit.sim.faults.clear();
    await kit.sim.waitForNotification({ outTradeNo: order.outTradeNo, until: ['acked'] });
    expect(await transferCount(kit, 'top_up')).toBe(before + 1);
    expect((await getOrder(kit, order.outTradeNo)).state).toBe('SUCCESS');
  });

  it('learns of a late notification by asking WeChat when the app polls, and acks the late one as a duplicate', async () => {
    const order = await orderTopUp(kit, { amountFen: 5_000 });
    // Late by far more than one request takes even on a busy machine, so the first poll comes before it.
    kit.sim.faults.add({ kind: 'notify-delay', delayMs: 10_000, outTradeNo: order.outTradeNo, times: 1 });
    payInWechat(kit, order);
    // The first poll is too early to bother WeChat; a poll a little later asks it.
    expect((await getOrder(kit, order.outTradeNo)).state).toBe('NOTPAY');
    kit.clock.offsetMs = 15_000;
    expect((await getOrder(kit, order.outTradeNo)).state).toBe('SUCCESS');
    const record = await kit.sim.waitForNotification({ outTradeNo: order.outTradeNo, until: ['acked'] });
    expect(record.attempts).toHaveLength(1);
    await waitUntil(async () => (await notificationLog(kit, order.outTradeNo)).length > 0);
    expect((await notificationLog(kit, order.outTradeNo)).map((n) => n.outcome)).toEqual(['duplicate']);
  });

  it('ignores other content types and oversized bodies without a 5xx', async () => {
    const form = await fetch(kit.notifyUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(form.status).toBe(415);
    const huge = await fetch(kit.notifyUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(100_000) }),
    });
    expect(huge.status).toBe(413);
  });
});
