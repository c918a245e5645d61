import { describe, expect, it, vi } from 'vitest';
import { type FakeRequest, fakeTaro, setFakeServer } from './testing/index.ts';
import { getWechatLoginCode, loginCustomerWithWechat, loginStaffWithPassword, logout } from './auth.ts';
import { readSession, saveSession } from './session.ts';

const customerSession = {
  accessToken: 'c-access',
  refreshToken: 'c-refresh',
  expiresIn: 900,
  customer: { id: 'c1', tenantId: 't1', name: '林小雅', isNew: false },
};

describe('customer WeChat login', () => {
  it('on H5 gets a code from the simulator for the openid, exchanges it and stores the session', async () => {
    const seen: FakeRequest[] = [];
    setFakeServer((req) => {
      seen.push(req);
      if (req.url === 'http://sim.test/__control/login-codes') return { status: 200, body: { code: 'sim-code-1' } };
      if (req.url === 'http://api.test/auth/customer/wechat') return { status: 200, body: customerSession };
      return { status: 404 };
    });

    const session = await loginCustomerWithWechat({ openid: 'someone-else' });

    expect(session.customer.name).toBe('林小雅');
    expect(seen.map((r) => [r.method, r.url, r.data])).toEqual([
      ['POST', 'http://sim.test/__control/login-codes', { appid: 'wx-test-app', openid: 'someone-else' }],
      ['POST', 'http://api.test/auth/customer/wechat', { tenant: 'demo', code: 'sim-code-1' }],
    ]);
    expect(seen[1]?.headers.authorization).toBeUndefined();
    expect(readSession()).toEqual({ accessToken: 'c-access', refreshToken: 'c-refresh' });
    expect(fakeTaro.login).not.toHaveBeenCalled();
  });

  it('on H5 defaults to the demo openid', async () => {
    const seen: FakeRequest[] = [];
    setFakeServer((req) => {
      seen.push(req);
      return { status: 200, body: { code: 'c' } };
    });
    await expect(getWechatLoginCode()).resolves.toBe('c');
    expect(seen[0]?.data).toEqual({ appid: 'wx-test-app', openid: 'demo-customer-001' });
  });

  it('in WeChat uses wx.login and never calls the simulator', async () => {
    vi.stubEnv('TARO_ENV', 'weapp');
    const seen: string[] = [];
    setFakeServer((req) => {
      seen.push(req.url);
      return { status: 200, body: customerSession };
    });

    await loginCustomerWithWechat();

    expect(fakeTaro.login).toHaveBeenCalledTimes(1);
    expect(seen).toEqual(['http://api.test/auth/customer/wechat']);
    expect(fakeTaro.request.mock.calls[0]?.[0].data).toEqual({ tenant: 'demo', code: 'wx-login-code' });
  });

  it('reports a failed wx.login as WECHAT_LOGIN_FAILED with a toast', async () => {
    vi.stubEnv('TARO_ENV', 'weapp');
    fakeTaro.login.mockRejectedValueOnce({ errMsg: 'login:fail' });
    await expect(loginCustomerWithWechat()).rejects.toMatchObject({ code: 'WECHAT_LOGIN_FAILED' });
    expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '微信登录失败，请重试' }));
    expect(fakeTaro.request).not.toHaveBeenCalled();
  });

  it('passes on the API code when the code is refused, and stores nothing', async () => {
    setFakeServer((req) =>
      req.url.includes('/__control/')
        ? { status: 200, body: { code: 'used-code' } }
        : { status: 401, body: { error: { code: 'WECHAT_CODE_INVALID', message: 'code been used' } } },
    );
    await expect(loginCustomerWithWechat({ toast: false })).rejects.toMatchObject({
      code: 'WECHAT_CODE_INVALID',
      message: '微信登录失败，请重试',
    });
    expect(readSession()).toBeNull();
    expect(fakeTaro.showToast).not.toHaveBeenCalled();
  });
});

describe('staff password login', () => {
  it('stores the session on success', async () => {
    setFakeServer((req) => {
      expect(req.data).toEqual({ phone: '13800000003', password: 'lumi-demo-2026' });
      return {
        status: 200,
        body: {
          accessToken: 's-access',
          refreshToken: 's-refresh',
          expiresIn: 900,
          staff: { id: 's1', tenantId: 't1', name: '王美丽', role: 'beautician', storeIds: [] },
        },
      };
    });
    const session = await loginStaffWithPassword({ phone: '13800000003', password: 'lumi-demo-2026' });
    expect(session.staff.role).toBe('beautician');
    expect(readSession()).toEqual({ accessToken: 's-access', refreshToken: 's-refresh' });
  });

  it('rejects a wrong password with INVALID_CREDENTIALS and keeps the user where they are', async () => {
    setFakeServer(() => ({ status: 401, body: { error: { code: 'INVALID_CREDENTIALS', message: 'bad' } } }));
    await expect(loginStaffWithPassword({ phone: '13800000003', password: 'nope' })).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
      status: 401,
    });
    expect(readSession()).toBeNull();
    expect(fakeTaro.reLaunch).not.toHaveBeenCalled();
  });
});

describe('logout', () => {
  it('revokes the refresh token, clears the session and returns to the login page', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r' });
    const seen: FakeRequest[] = [];
    setFakeServer((req) => {
      seen.push(req);
      return { status: 204 };
    });
    await logout();
    expect(seen.map((r) => [r.url, r.data])).toEqual([['http://api.test/auth/logout', { refreshToken: 'r' }]]);
    expect(readSession()).toBeNull();
    expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' });
  });

  it('still logs out locally when the API is unreachable', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r' });
    setFakeServer(() => {
      throw new Error('offline');
    });
    await logout();
    expect(readSession()).toBeNull();
    expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' });
    expect(fakeTaro.showToast).not.toHaveBeenCalled();
  });
});
