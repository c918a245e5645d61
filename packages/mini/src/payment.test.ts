import { describe, expect, it, vi } from 'vitest';
import { fakeTaro, setFakeServer } from './testing/index.ts';
import { requestPayment } from './payment.ts';

const params = {
  timeStamp: '1767225600',
  nonceStr: 'n0nce',
  package: 'prepay_id=wx123',
  signType: 'RSA' as const,
  paySign: 'c2lnbg==',
};

describe('requestPayment', () => {
  it('on H5 asks the simulator to pay, with the appid WeChat would add', async () => {
    let body: unknown;
    setFakeServer((req) => {
      expect(req.url).toBe('http://sim.test/__control/pay');
      body = req.data;
      return { status: 200, body: { ok: true } };
    });
    await requestPayment(params);
    expect(body).toEqual({ appid: 'wx-test-app', ...params });
    expect(fakeTaro.requestPayment).not.toHaveBeenCalled();
  });

  it('on H5 rejects with PAYMENT_FAILED when the simulator refuses', async () => {
    setFakeServer(() => ({ status: 400, body: { code: 'SIGN_ERROR' } }));
    await expect(requestPayment(params)).rejects.toMatchObject({ code: 'PAYMENT_FAILED', status: 400 });
  });

  it('in WeChat calls wx.requestPayment with the params unchanged', async () => {
    vi.stubEnv('TARO_ENV', 'weapp');
    await requestPayment(params);
    expect(fakeTaro.requestPayment).toHaveBeenCalledWith(params);
    expect(fakeTaro.request).not.toHaveBeenCalled();
  });

  it('in WeChat tells a cancel from a failure', async () => {
    vi.stubEnv('TARO_ENV', 'weapp');
    fakeTaro.requestPayment.mockRejectedValueOnce({ errMsg: 'requestPayment:fail cancel' });
    await expect(requestPayment(params)).rejects.toMatchObject({ code: 'PAYMENT_CANCELLED', message: '已取消支付' });
    fakeTaro.requestPayment.mockRejectedValueOnce({ errMsg: 'requestPayment:fail (detail message)' });
    await expect(requestPayment(params)).rejects.toMatchObject({ code: 'PAYMENT_FAILED' });
  });
});
