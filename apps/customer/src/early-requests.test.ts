import { readFileSync } from 'node:fs';
import path from 'node:path';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, setFakeServer } from '@lumi/mini/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getMyBills } from './services/bills.ts';
import { getMyProfile } from './services/profile.ts';
import { getMyEntries, getMyWallet } from './services/wallet.ts';

/** The inline script as index.html runs it: a <script> with the build's API in data-api. */
const SCRIPT = readFileSync(path.join(__dirname, 'early-requests.js'), 'utf8');

function runInlineScript(hash: string, apiOfBuild = 'http://api.of.build') {
  window.location.hash = hash;
  const script = document.createElement('script');
  script.dataset.api = apiOfBuild;
  // currentScript is what the script reads its data-api from; jsdom sets it only for scripts it runs itself.
  Object.defineProperty(document, 'currentScript', { value: script, configurable: true });
  new Function(SCRIPT)();
  Object.defineProperty(document, 'currentScript', { value: null, configurable: true });
}

const fetched: { url: string; authorization: string | null }[] = [];

beforeEach(() => {
  fetched.length = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      fetched.push({ url, authorization: new Headers(init?.headers).get('authorization') });
      return new Response(JSON.stringify({ early: url }), { status: 200 });
    }),
  );
  // As Taro's H5 storage keeps it (and as saveSession stores it in a real build).
  localStorage.setItem('lumi.session', JSON.stringify({ data: { accessToken: 'access-1', refreshToken: 'r-1' } }));
  saveSession({ accessToken: 'access-1', refreshToken: 'r-1' });
});

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
  delete window.__LUMI_CONFIG__;
  delete window.__LUMI_EARLY__;
});

describe('early requests (index.html, before the bundle)', () => {
  it('asks for the home page what it shows first, with the stored token, at the injected API', () => {
    window.__LUMI_CONFIG__ = { api: '/api' };
    runInlineScript('#/pages/home/index');
    expect(fetched).toEqual([
      { url: '/api/me', authorization: 'Bearer access-1' },
      { url: '/api/me/wallet', authorization: 'Bearer access-1' },
      { url: '/api/me/bills?status=awaiting_customer', authorization: 'Bearer access-1' },
    ]);
  });

  it('treats no route as the home page, and uses the API of the build without an injected one', () => {
    runInlineScript('', 'http://api.of.build/');
    expect(fetched.map((f) => f.url)).toEqual([
      'http://api.of.build/me',
      'http://api.of.build/me/wallet',
      'http://api.of.build/me/bills?status=awaiting_customer',
    ]);
  });

  it('asks for the first page of 明细 on that page, and nothing on other pages or without a session', () => {
    runInlineScript('#/wallet/entries/index?from=home');
    expect(fetched.map((f) => f.url)).toEqual(['http://api.of.build/me/entries?limit=20']);
    fetched.length = 0;
    runInlineScript('#/bills/detail/index?id=b1');
    expect(fetched).toEqual([]);
    localStorage.removeItem('lumi.session');
    runInlineScript('#/pages/home/index');
    expect(fetched).toEqual([]);
  });

  it('names each request as the services ask for it, so the app takes every answer instead of asking again', async () => {
    const askedTheApi: FakeRequest[] = [];
    setFakeServer((req) => {
      askedTheApi.push(req);
      return { status: 200, body: [] };
    });
    runInlineScript('#/pages/home/index');
    await expect(getMyProfile()).resolves.toEqual({ early: 'http://api.of.build/me' });
    await expect(getMyWallet()).resolves.toEqual({ early: 'http://api.of.build/me/wallet' });
    await expect(getMyBills('awaiting_customer')).resolves.toEqual({
      early: 'http://api.of.build/me/bills?status=awaiting_customer',
    });
    runInlineScript('#/wallet/entries/index');
    await expect(getMyEntries()).resolves.toEqual({ early: 'http://api.of.build/me/entries?limit=20' });
    expect(askedTheApi).toEqual([]);
  });
});
