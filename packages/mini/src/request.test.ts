import { describe, expect, it } from 'vitest';
import { type FakeRequest, fakeTaro, setCurrentPages, setFakeServer } from './testing/index.ts';
import { ApiError } from './errors.ts';
import { request } from './request.ts';
import { readSession, saveSession } from './session.ts';

const API = 'http://api.test';

function apiError(status: number, code: string, message = 'from the API') {
  return { status, body: { error: { code, message } } };
}

function bearer(req: FakeRequest) {
  return req.headers.authorization;
}

describe('request', () => {
  it('sends the stored access token and resolves with the body', async () => {
    saveSession({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    const seen: FakeRequest[] = [];
    setFakeServer((req) => {
      seen.push(req);
      return { status: 200, body: { name: '林小雅' } };
    });

    await expect(request('/me')).resolves.toEqual({ name: '林小雅' });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe(`${API}/me`);
    expect(bearer(seen[0] as FakeRequest)).toBe('Bearer access-1');
  });

  it('resolves undefined for 204', async () => {
    setFakeServer(() => ({ status: 204 }));
    await expect(request('/auth/logout', { method: 'POST', auth: false })).resolves.toBeUndefined();
  });

  it('on TOKEN_EXPIRED refreshes once, stores the rotated tokens and retries with the new token', async () => {
    saveSession({ accessToken: 'old-access', refreshToken: 'old-refresh' });
    const calls: string[] = [];
    setFakeServer((req) => {
      calls.push(`${req.method} ${req.url.replace(API, '')} ${bearer(req) ?? '-'}`);
      if (req.url.endsWith('/auth/refresh')) {
        expect(req.data).toEqual({ refreshToken: 'old-refresh' });
        return { status: 200, body: { accessToken: 'new-access', refreshToken: 'new-refresh', expiresIn: 900 } };
      }
      return bearer(req) === 'Bearer new-access' ? { status: 200, body: { ok: true } } : apiError(401, 'TOKEN_EXPIRED');
    });

    await expect(request('/me')).resolves.toEqual({ ok: true });
    expect(calls).toEqual(['GET /me Bearer old-access', 'POST /auth/refresh -', 'GET /me Bearer new-access']);
    expect(readSession()).toEqual({ accessToken: 'new-access', refreshToken: 'new-refresh' });
    expect(fakeTaro.showToast).not.toHaveBeenCalled();
  });

  it('shares one refresh between calls that expire together (refresh tokens rotate)', async () => {
    saveSession({ accessToken: 'old-access', refreshToken: 'old-refresh' });
    let refreshes = 0;
    setFakeServer(async (req) => {
      if (req.url.endsWith('/auth/refresh')) {
        refreshes += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
        return { status: 200, body: { accessToken: 'new-access', refreshToken: 'new-refresh', expiresIn: 900 } };
      }
      return bearer(req) === 'Bearer new-access' ? { status: 200, body: req.url } : apiError(401, 'TOKEN_EXPIRED');
    });

    const results = await Promise.all([request('/a'), request('/b'), request('/c')]);
    expect(results).toEqual([`${API}/a`, `${API}/b`, `${API}/c`]);
    expect(refreshes).toBe(1);
  });

  it('retries with the token another call stored meanwhile instead of spending the refresh token again', async () => {
    saveSession({ accessToken: 'old-access', refreshToken: 'old-refresh' });
    let refreshes = 0;
    setFakeServer((req) => {
      if (req.url.endsWith('/auth/refresh')) refreshes += 1;
      if (bearer(req) === 'Bearer new-access') return { status: 200, body: 'ok' };
      // The answer to this call arrives after a parallel call has refreshed the session.
      saveSession({ accessToken: 'new-access', refreshToken: 'new-refresh' });
      return apiError(401, 'TOKEN_EXPIRED');
    });

    await expect(request('/me')).resolves.toBe('ok');
    expect(refreshes).toBe(0);
    expect(readSession()).toEqual({ accessToken: 'new-access', refreshToken: 'new-refresh' });
  });

  it('does not refresh a second time when the retried call expires again; it logs out instead', async () => {
    saveSession({ accessToken: 'old-access', refreshToken: 'old-refresh' });
    setCurrentPages(['pages/home/index']);
    let refreshes = 0;
    setFakeServer((req) => {
      if (req.url.endsWith('/auth/refresh')) {
        refreshes += 1;
        return {
          status: 200,
          body: { accessToken: `access-${refreshes}`, refreshToken: `refresh-${refreshes}`, expiresIn: 900 },
        };
      }
      return apiError(401, 'TOKEN_EXPIRED');
    });

    const error = await request('/me').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('TOKEN_EXPIRED');
    expect(refreshes).toBe(1);
    expect(readSession()).toBeNull();
    expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' });
  });

  it('clears the session and goes to the login page when the refresh token is refused', async () => {
    saveSession({ accessToken: 'old-access', refreshToken: 'stolen' });
    setCurrentPages(['pages/home/index']);
    setFakeServer((req) =>
      req.url.endsWith('/auth/refresh') ? apiError(401, 'REFRESH_TOKEN_INVALID') : apiError(401, 'TOKEN_EXPIRED'),
    );

    await expect(request('/me')).rejects.toMatchObject({ code: 'TOKEN_EXPIRED', status: 401 });
    expect(readSession()).toBeNull();
    expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' });
    expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '登录已过期，请重新登录' }));
  });

  it('keeps the session when the refresh fails for lack of network', async () => {
    saveSession({ accessToken: 'old-access', refreshToken: 'old-refresh' });
    setFakeServer((req) => {
      if (req.url.endsWith('/auth/refresh')) throw new Error('offline');
      return apiError(401, 'TOKEN_EXPIRED');
    });

    await expect(request('/me')).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
    expect(readSession()).toEqual({ accessToken: 'old-access', refreshToken: 'old-refresh' });
    expect(fakeTaro.reLaunch).not.toHaveBeenCalled();
  });

  it('does not refresh on other 401 codes', async () => {
    saveSession({ accessToken: 'wrong-kind', refreshToken: 'r' });
    let refreshes = 0;
    setFakeServer((req) => {
      if (req.url.endsWith('/auth/refresh')) refreshes += 1;
      return apiError(401, 'UNAUTHENTICATED');
    });

    await expect(request('/staff/me')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(refreshes).toBe(0);
    expect(readSession()).toBeNull();
  });

  it('without a session, sends the user to log in without calling the API or toasting', async () => {
    setCurrentPages(['pages/home/index']);
    await expect(request('/me')).rejects.toMatchObject({ code: 'LOGIN_REQUIRED' });
    expect(fakeTaro.request).not.toHaveBeenCalled();
    expect(fakeTaro.showToast).not.toHaveBeenCalled();
    expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' });
  });

  it('relaunches the login page once when several calls find no session at the same moment', async () => {
    setCurrentPages(['pages/home/index']);
    await Promise.all([request('/me').catch(() => null), request('/me/wallet').catch(() => null)]);
    expect(fakeTaro.reLaunch).toHaveBeenCalledTimes(1);
  });

  it('does not relaunch the login page while already on it', async () => {
    setCurrentPages(['pages/login/index']);
    await expect(request('/me')).rejects.toMatchObject({ code: 'LOGIN_REQUIRED' });
    expect(fakeTaro.reLaunch).not.toHaveBeenCalled();
  });

  it('maps an API error to ApiError with its stable code, status and details, and toasts', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r' });
    setFakeServer(() => ({
      status: 422,
      body: { error: { code: 'LEDGER_INSUFFICIENT_BALANCE', message: '余额不足', details: { balance: 100 } } },
    }));

    const error = (await request('/transfers', { method: 'POST', data: { amount: 500 } }).catch((e) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'LEDGER_INSUFFICIENT_BALANCE', status: 422, message: '余额不足' });
    expect(error.details).toEqual({ balance: 100 });
    expect(fakeTaro.showToast).toHaveBeenCalledWith({ title: '余额不足', icon: 'none', duration: 2500 });
  });

  it('shows its own Chinese wording for known codes whatever the API says', async () => {
    setFakeServer(() => apiError(401, 'INVALID_CREDENTIALS', 'Invalid phone or password'));
    await expect(request('/auth/staff/login', { method: 'POST', data: {}, auth: false })).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
      message: '手机号或密码错误',
    });
    expect(fakeTaro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '手机号或密码错误' }));
    // A login failure is not an expired session.
    expect(fakeTaro.reLaunch).not.toHaveBeenCalled();
  });

  it('does not toast when the caller shows the error itself', async () => {
    setFakeServer(() => apiError(404, 'NOT_FOUND', '没有找到'));
    await expect(request('/x', { auth: false, toast: false })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(fakeTaro.showToast).not.toHaveBeenCalled();
  });

  it('turns a network failure into NETWORK_ERROR', async () => {
    setFakeServer(() => {
      throw new TypeError('Failed to fetch');
    });
    await expect(request('/x', { auth: false })).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
      status: 0,
      message: '网络连接失败，请稍后重试',
    });
  });

  it('turns an unreadable error body into a typed error', async () => {
    setFakeServer(() => ({ status: 502, body: '<html>Bad Gateway</html>' }));
    await expect(request('/x', { auth: false })).rejects.toMatchObject({ code: 'INTERNAL', status: 502 });
  });

  it('sends JSON bodies with a content type, and GET data as query data without one', async () => {
    const seen: FakeRequest[] = [];
    setFakeServer((req) => {
      seen.push(req);
      return { status: 200, body: {} };
    });
    await request('/search', { auth: false, data: { q: '林' } });
    await request('/things', { auth: false, method: 'POST' });
    expect(seen[0]).toMatchObject({ method: 'GET', data: { q: '林' } });
    expect(seen[0]?.headers['content-type']).toBeUndefined();
    // wx.request always sends a JSON content type; Fastify refuses it with an empty body.
    expect(seen[1]).toMatchObject({ method: 'POST', data: {}, headers: { 'content-type': 'application/json' } });
  });

  it('sends the Idempotency-Key header, and the same key on the retry after a token refresh', async () => {
    saveSession({ accessToken: 'old-access', refreshToken: 'old-refresh' });
    const seen: FakeRequest[] = [];
    setFakeServer((req) => {
      seen.push(req);
      if (req.url.endsWith('/auth/refresh')) {
        return { status: 200, body: { accessToken: 'new-access', refreshToken: 'new-refresh', expiresIn: 900 } };
      }
      return bearer(req) === 'Bearer new-access' ? { status: 201, body: { ok: true } } : apiError(401, 'TOKEN_EXPIRED');
    });

    await request('/me/payments/top-ups', { method: 'POST', data: { amountFen: 100 }, idempotencyKey: 'key-12345678' });

    expect(seen.map((r) => [r.url.replace(API, ''), r.headers['idempotency-key']])).toEqual([
      ['/me/payments/top-ups', 'key-12345678'],
      ['/auth/refresh', undefined],
      ['/me/payments/top-ups', 'key-12345678'],
    ]);
  });

  it('sends no Idempotency-Key header unless asked', async () => {
    const seen: FakeRequest[] = [];
    setFakeServer((req) => {
      seen.push(req);
      return { status: 200, body: {} };
    });
    await request('/x', { auth: false, method: 'POST' });
    expect(seen[0]?.headers).not.toHaveProperty('idempotency-key');
  });
});
