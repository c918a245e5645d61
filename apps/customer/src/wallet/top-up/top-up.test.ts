import { saveSession } from '@lumi/mini';
import { type FakeRequest, fakeTaro, makePaymentOrder, setFakeServer, SIM_PAY_URL } from '@lumi/mini/testing';
import type { PaymentOrder } from '@lumi/shared';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createTopUpPayer, MAX_TOP_UP_FEN, parseTopUpAmount } from './top-up.ts';

const API = 'http://api.test';
const PLAN_ID = '00000000-0000-4000-8000-00000000aaaa';

const order = (state: PaymentOrder['state']) => makePaymentOrder(state);

/** An instant poll: the flow's clock moves only when it sleeps. */
function instantPoll() {
  let t = 0;
  return {
    intervalMs: 1_000,
    timeoutMs: 10_000,
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
}

describe('parseTopUpAmount', () => {
  it('reads yuan into integer fen', () => {
    expect(parseTopUpAmount('1000')).toEqual({ ok: true, amountFen: 100_000 });
    expect(parseTopUpAmount(' 99.9 ')).toEqual({ ok: true, amountFen: 9_990 });
    expect(parseTopUpAmount('0.01')).toEqual({ ok: true, amountFen: 1 });
    expect(parseTopUpAmount('50000')).toEqual({ ok: true, amountFen: MAX_TOP_UP_FEN });
  });

  it('explains in Chinese what is wrong', () => {
    expect(parseTopUpAmount('')).toEqual({ ok: false, message: '请输入充值金额' });
    expect(parseTopUpAmount('   ')).toEqual({ ok: false, message: '请输入充值金额' });
    for (const bad of ['abc', '1.234', '1e3', '¥100', '1,000', '.5', '1.']) {
      expect(parseTopUpAmount(bad)).toEqual({ ok: false, message: '请输入正确的金额，最多两位小数' });
    }
    expect(parseTopUpAmount('0')).toEqual({ ok: false, message: '充值金额须大于 0' });
    expect(parseTopUpAmount('0.00')).toEqual({ ok: false, message: '充值金额须大于 0' });
    expect(parseTopUpAmount('-5')).toEqual({ ok: false, message: '充值金额须大于 0' });
    expect(parseTopUpAmount('50000.01')).toEqual({ ok: false, message: '单笔充值不能超过 ¥50,000.00' });
  });
});

describe('top-up payer', () => {
  let seen: FakeRequest[];
  let orderReads: number;
  /** How the API answers the next POSTs, in turn; SUCCESS after `paidAfter` order reads. */
  let posts: (() => { status: number; body: unknown })[];
  let paidAfter: number;

  beforeEach(() => {
    saveSession({ accessToken: 'a', refreshToken: 'r' });
    seen = [];
    orderReads = 0;
    posts = [];
    paidAfter = 1;
    setFakeServer((req) => {
      seen.push(req);
      if (req.url === `${API}/me/payments/top-ups`) return posts.shift()?.() ?? { status: 201, body: order('NOTPAY') };
      if (req.url === `${API}/me/payments/LT20260101ABCDEF`) {
        orderReads += 1;
        return { status: 200, body: order(orderReads >= paidAfter ? 'SUCCESS' : 'NOTPAY') };
      }
      if (req.url === SIM_PAY_URL) return { status: 200, body: { ok: true } };
      throw new Error(`unexpected ${req.method} ${req.url}`);
    });
  });

  const postKeys = () =>
    seen.filter((r) => r.url.endsWith('/me/payments/top-ups')).map((r) => r.headers['idempotency-key']);

  it('posts the plan with an Idempotency-Key, pays through the simulator on H5 and stops polling at SUCCESS', async () => {
    paidAfter = 3;
    const paid = await createTopUpPayer(instantPoll()).pay({ planId: PLAN_ID });

    expect(paid).toMatchObject({ state: 'SUCCESS', transferId: 42 });
    expect(seen.map((r) => `${r.method} ${r.url.replace(API, '')}`)).toEqual([
      'POST /me/payments/top-ups',
      `POST ${SIM_PAY_URL}`,
      'GET /me/payments/LT20260101ABCDEF',
      'GET /me/payments/LT20260101ABCDEF',
      'GET /me/payments/LT20260101ABCDEF',
    ]);
    expect(seen[0]?.data).toEqual({ planId: PLAN_ID });
    expect(postKeys()[0]).toMatch(/^topup-[A-Za-z0-9_-]{8,}$/);
    expect(seen[1]?.data).toMatchObject({ appid: 'wx-test-app', package: 'prepay_id=wx0101', paySign: 'c2lnbg==' });
  });

  it('retries the same attempt with the same key after the order request failed', async () => {
    posts = [() => ({ status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'down' } } })];
    const payer = createTopUpPayer(instantPoll());

    await expect(payer.pay({ planId: PLAN_ID })).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    await expect(payer.pay({ planId: PLAN_ID })).resolves.toMatchObject({ state: 'SUCCESS' });

    const keys = postKeys();
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('reuses the key after a cancelled WeChat sheet, and uses a new one for the next top-up', async () => {
    vi.stubEnv('TARO_ENV', 'weapp');
    fakeTaro.requestPayment.mockRejectedValueOnce({ errMsg: 'requestPayment:fail cancel' });
    const payer = createTopUpPayer(instantPoll());

    await expect(payer.pay({ amountFen: 50_000 })).rejects.toMatchObject({ code: 'PAYMENT_CANCELLED' });
    // The replayed order comes back under the same key; this time the customer pays.
    posts = [() => ({ status: 200, body: order('NOTPAY') })];
    await payer.pay({ amountFen: 50_000 });
    orderReads = 0;
    await payer.pay({ amountFen: 50_000 });

    const keys = postKeys();
    expect(keys).toHaveLength(3);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
    expect(fakeTaro.requestPayment).toHaveBeenCalledTimes(3);
  });

  it('a different choice is a different attempt with its own key', async () => {
    posts = [() => ({ status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'down' } } })];
    const payer = createTopUpPayer(instantPoll());
    await payer.pay({ planId: PLAN_ID }).catch(() => undefined);
    await payer.pay({ amountFen: 100_000 });
    const keys = postKeys();
    expect(keys[1]).not.toBe(keys[0]);
  });

  it('gives up with a clear message when WeChat has not confirmed in time, without paying again', async () => {
    paidAfter = Number.POSITIVE_INFINITY;
    const error = await createTopUpPayer(instantPoll())
      .pay({ planId: PLAN_ID })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PAYMENT_PENDING' });
    expect((error as Error).message).toBe('暂未确认到支付结果，请勿重复支付，稍后可在明细中查看');
    expect(orderReads).toBe(11);
    expect(seen.filter((r) => r.url.endsWith('/__control/pay'))).toHaveLength(1);
  });
});
