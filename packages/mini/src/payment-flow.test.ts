import type { PaymentOrder, RequestPaymentParams } from '@lumi/shared';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './errors.ts';
import { createWechatPayer, type PollOptions, waitForPaymentSuccess } from './payment-flow.ts';
import { fakeTaro, setFakeServer } from './testing/index.ts';

const params: RequestPaymentParams = {
  appId: 'wx-test-app',
  timeStamp: '1767225600',
  nonceStr: 'n0nce',
  package: 'prepay_id=wx123',
  signType: 'RSA',
  paySign: 'c2lnbg==',
};

type Order = Pick<PaymentOrder, 'outTradeNo' | 'state' | 'requestPayment'>;
const order = (state: Order['state'], extra: Partial<Order> = {}): Order => ({
  outTradeNo: 'LT202601010001',
  state,
  requestPayment: state === 'NOTPAY' ? params : null,
  ...extra,
});

/** A clock that only moves when the flow sleeps, so timeouts are exact and instant. */
function fakeClock(): PollOptions & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    slept,
    intervalMs: 1_000,
    timeoutMs: 5_000,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

describe('waitForPaymentSuccess', () => {
  it('reads the order until it is paid, then stops', async () => {
    const states: Order['state'][] = ['NOTPAY', 'NOTPAY', 'SUCCESS', 'SUCCESS'];
    const getOrder = vi.fn(async () => order(states.shift() ?? 'SUCCESS'));
    const clock = fakeClock();

    await expect(waitForPaymentSuccess('LT202601010001', getOrder, clock)).resolves.toMatchObject({ state: 'SUCCESS' });
    expect(getOrder).toHaveBeenCalledTimes(3);
    expect(clock.slept).toEqual([1_000, 1_000]);
  });

  it('rides out network failures and 5xx answers', async () => {
    const answers: (Order | ApiError)[] = [
      new ApiError('NETWORK_ERROR', 'offline', 0),
      new ApiError('SERVICE_UNAVAILABLE', 'busy', 503),
      order('SUCCESS'),
    ];
    const getOrder = vi.fn(async () => {
      const next = answers.shift();
      if (next instanceof ApiError) throw next;
      return next as Order;
    });
    await expect(waitForPaymentSuccess('LT202601010001', getOrder, fakeClock())).resolves.toMatchObject({
      state: 'SUCCESS',
    });
  });

  it('stops at once on an error a retry cannot fix', async () => {
    const getOrder = vi.fn(async (): Promise<Order> => {
      throw new ApiError('PAYMENT_NOT_FOUND', '未找到该支付订单', 404);
    });
    await expect(waitForPaymentSuccess('LT202601010001', getOrder, fakeClock())).rejects.toMatchObject({
      code: 'PAYMENT_NOT_FOUND',
    });
    expect(getOrder).toHaveBeenCalledTimes(1);
  });

  it('reports a closed order as PAYMENT_CLOSED', async () => {
    await expect(
      waitForPaymentSuccess('LT202601010001', async () => order('CLOSED'), fakeClock()),
    ).rejects.toMatchObject({ code: 'PAYMENT_CLOSED', message: '订单已失效，请重新支付' });
  });

  it('gives up with PAYMENT_PENDING (check later, do not pay again) when no confirmation comes in time', async () => {
    const getOrder = vi.fn(async () => order('NOTPAY'));
    const clock = fakeClock();
    const error = (await waitForPaymentSuccess('LT202601010001', getOrder, clock).catch((e) => e)) as ApiError;
    expect(error).toMatchObject({ code: 'PAYMENT_PENDING', details: { outTradeNo: 'LT202601010001' } });
    expect(error.message).toContain('请勿重复支付');
    expect(getOrder).toHaveBeenCalledTimes(6);
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBe(5_000);
  });
});

describe('createWechatPayer', () => {
  function setup(paidAfterReads = 1) {
    const keys: string[] = [];
    let reads = 0;
    const createOrder = vi.fn(async (_request: { planId: string }, key: string) => {
      keys.push(key);
      return order('NOTPAY');
    });
    const getOrder = vi.fn(async () => {
      reads += 1;
      return order(reads >= paidAfterReads ? 'SUCCESS' : 'NOTPAY');
    });
    setFakeServer(() => ({ status: 200, body: { ok: true } }));
    const payer = createWechatPayer({ keyPrefix: 'topup', createOrder, getOrder, poll: fakeClock() });
    return { payer, keys, createOrder, getOrder };
  }

  it('creates the order, opens the payment sheet with its parameters and resolves once the order is paid', async () => {
    vi.stubEnv('TARO_ENV', 'weapp');
    const { payer, keys, getOrder } = setup(2);
    const onConfirming = vi.fn(() => expect(fakeTaro.requestPayment).toHaveBeenCalledTimes(1));
    await expect(payer.pay({ planId: 'p1' }, { onConfirming })).resolves.toMatchObject({ state: 'SUCCESS' });
    expect(onConfirming).toHaveBeenCalledTimes(1);
    expect(keys[0]).toMatch(/^topup-/);
    const { appId: _appId, ...sheet } = params;
    expect(fakeTaro.requestPayment).toHaveBeenCalledWith(sheet);
    expect(getOrder).toHaveBeenCalledTimes(2);
  });

  it('reuses the key when the same payment is retried after a cancelled sheet, and starts afresh once paid', async () => {
    vi.stubEnv('TARO_ENV', 'weapp');
    const { payer, keys } = setup();
    fakeTaro.requestPayment.mockRejectedValueOnce({ errMsg: 'requestPayment:fail cancel' });

    await expect(payer.pay({ planId: 'p1' })).rejects.toMatchObject({ code: 'PAYMENT_CANCELLED' });
    await expect(payer.pay({ planId: 'p1' })).resolves.toMatchObject({ state: 'SUCCESS' });
    await payer.pay({ planId: 'p1' });

    expect(keys).toHaveLength(3);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('reuses the key after the order request itself failed', async () => {
    const { payer, createOrder } = setup();
    createOrder.mockRejectedValueOnce(new ApiError('NETWORK_ERROR', '网络连接失败，请稍后重试', 0));
    await expect(payer.pay({ planId: 'p1' })).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    await payer.pay({ planId: 'p1' });
    const sentKeys = createOrder.mock.calls.map(([, key]) => key);
    expect(sentKeys).toHaveLength(2);
    expect(sentKeys[1]).toBe(sentKeys[0]);
  });

  it('does not open the sheet again for a replayed order that is already paid', async () => {
    const { payer, createOrder } = setup();
    createOrder.mockResolvedValueOnce(order('SUCCESS'));
    await expect(payer.pay({ planId: 'p1' })).resolves.toMatchObject({ state: 'SUCCESS' });
    expect(fakeTaro.request).not.toHaveBeenCalled();
    expect(fakeTaro.requestPayment).not.toHaveBeenCalled();
  });

  it('drops the key of an order that can no longer be paid', async () => {
    const { payer, createOrder } = setup();
    createOrder.mockResolvedValueOnce(order('CLOSED'));
    await expect(payer.pay({ planId: 'p1' })).rejects.toMatchObject({ code: 'PAYMENT_CLOSED' });
    await payer.pay({ planId: 'p1' });
    const sentKeys = createOrder.mock.calls.map(([, key]) => key);
    expect(sentKeys).toHaveLength(2);
    expect(sentKeys[1]).not.toBe(sentKeys[0]);
  });
});
