import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FakeRequest, setFakeServer } from './testing/index.ts';
import { requestKey, takeEarlyResponse } from './early-response.ts';
import type { HttpResponse } from './http.ts';
import { request } from './request.ts';
import { saveSession } from './session.ts';

/** What the inline script of an H5 page leaves behind (apps/customer/src/early-requests.js). */
function sentEarly(entries: Record<string, { token: string; response: Promise<HttpResponse>; startedAt?: number }>) {
  window.__LUMI_EARLY__ = Object.fromEntries(
    Object.entries(entries).map(([key, e]) => [key, { startedAt: Date.now(), ...e }]),
  );
}

afterEach(() => {
  delete window.__LUMI_EARLY__;
});

describe('requestKey', () => {
  it('spells a GET as path and query, in the order given', () => {
    expect(requestKey('/me', undefined)).toBe('/me');
    expect(requestKey('/me/entries', { limit: 20 })).toBe('/me/entries?limit=20');
    expect(requestKey('/me/entries', { limit: 20, cursor: 41 })).toBe('/me/entries?limit=20&cursor=41');
    expect(requestKey('/me', {})).toBe('/me');
  });
});

describe('takeEarlyResponse', () => {
  const answer = { status: 200, body: { totalFen: 120_000 } };

  it('hands an answer sent with the same token over once', async () => {
    sentEarly({ '/me/wallet': { token: 't1', response: Promise.resolve(answer) } });
    await expect(takeEarlyResponse('/me/wallet', 't1')).resolves.toEqual(answer);
    expect(takeEarlyResponse('/me/wallet', 't1')).toBeNull();
  });

  it('refuses an answer sent with another token, a stale one, or in a weapp build', () => {
    sentEarly({ '/me': { token: 't1', response: Promise.resolve(answer) } });
    expect(takeEarlyResponse('/me', 't2')).toBeNull();
    sentEarly({ '/me': { token: 't1', response: Promise.resolve(answer), startedAt: Date.now() - 60_000 } });
    expect(takeEarlyResponse('/me', 't1')).toBeNull();
    sentEarly({ '/me': { token: 't1', response: Promise.resolve(answer) } });
    vi.stubEnv('TARO_ENV', 'weapp');
    expect(takeEarlyResponse('/me', 't1')).toBeNull();
  });

  it('turns an early request lost on the network into null, so the caller asks again', async () => {
    const lost = Promise.reject(new TypeError('Failed to fetch'));
    lost.catch(() => undefined);
    sentEarly({ '/me': { token: 't1', response: lost } });
    await expect(takeEarlyResponse('/me', 't1')).resolves.toBeNull();
  });
});

describe('request with early answers', () => {
  it('uses the early answer instead of asking the API, and asks the API the second time', async () => {
    saveSession({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    const seen: FakeRequest[] = [];
    setFakeServer((req) => {
      seen.push(req);
      return { status: 200, body: { limit: 'from the API' } };
    });
    sentEarly({ '/me/entries?limit=20': { token: 'access-1', response: Promise.resolve({ status: 200, body: [1] }) } });

    await expect(request('/me/entries', { data: { limit: 20 } })).resolves.toEqual([1]);
    expect(seen).toHaveLength(0);
    await expect(request('/me/entries', { data: { limit: 20 } })).resolves.toEqual({ limit: 'from the API' });
    expect(seen).toHaveLength(1);
  });

  it('asks the API itself when the early request was lost, and refreshes when its token had expired', async () => {
    saveSession({ accessToken: 'old-access', refreshToken: 'old-refresh' });
    const calls: string[] = [];
    setFakeServer((req) => {
      calls.push(`${req.method} ${req.url.replace('http://api.test', '')} ${req.headers.authorization ?? '-'}`);
      if (req.url.endsWith('/auth/refresh'))
        return { status: 200, body: { accessToken: 'new-access', refreshToken: 'new-refresh', expiresIn: 900 } };
      return { status: 200, body: { name: '林小雅' } };
    });
    const lost = Promise.reject(new TypeError('Failed to fetch'));
    lost.catch(() => undefined);
    const expired = { status: 401, body: { error: { code: 'TOKEN_EXPIRED', message: 'expired' } } };
    sentEarly({
      '/me': { token: 'old-access', response: lost },
      '/me/wallet': { token: 'old-access', response: Promise.resolve(expired) },
    });

    await expect(request('/me')).resolves.toEqual({ name: '林小雅' });
    expect(calls).toEqual(['GET /me Bearer old-access']);
    await expect(request('/me/wallet')).resolves.toEqual({ name: '林小雅' });
    expect(calls.slice(1)).toEqual(['POST /auth/refresh -', 'GET /me/wallet Bearer new-access']);
  });

  it('never answers a write from an early GET', async () => {
    saveSession({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    const seen: FakeRequest[] = [];
    setFakeServer((req) => {
      seen.push(req);
      return { status: 200, body: { posted: true } };
    });
    sentEarly({
      '/me/consents/withdrawal': { token: 'access-1', response: Promise.resolve({ status: 200, body: {} }) },
    });
    await expect(request('/me/consents/withdrawal', { method: 'POST', data: {} })).resolves.toEqual({ posted: true });
    expect(seen).toHaveLength(1);
  });
});
