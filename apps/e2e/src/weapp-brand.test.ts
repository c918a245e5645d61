import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CustomerSession } from '@lumi/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { APP_IDS, appDir, distDir } from './apps.ts';
import { DEMO_STAFF, StaffApi } from './staff-api.ts';
import { WxHarness } from './wx-harness.ts';

/**
 * The salon's colour in the weapp build, as far as this machine can prove it without WeChat DevTools: the
 * compiled dist/weapp (what WeChat would run, minified, with Taro's weapp runtime and API bridge) runs in a small
 * stand-in for WeChat's runtime (wx-harness.ts) that records every wx call, against the real API and the
 * simulator's login. What it proves: the build asks WeChat for the right bar colours at the right moments. What it
 * cannot: that WeChat then paints them (no renderer here), see docs/brand.md.
 */

/** The API the weapp build was built for (.env): the harness sends its requests to the test's API instead. */
const BUILT_API = /^TARO_APP_API=(.*)$/m.exec(readFileSync(path.join(appDir('customer'), '.env'), 'utf8'))?.[1] ?? '';
const BRAND = '#2e7d32';
/** A colour she saw last time, remembered in wx storage. */
const REMEMBERED = '#a97c50';

/** 林小雅 logged in the way the app does it: a WeChat login code (from the simulator), exchanged at the API. */
async function customerSession(): Promise<CustomerSession> {
  const minted = await fetch(`${inject('simUrl')}/__control/login-codes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ appid: APP_IDS.customer, openid: 'demo-customer-001' }),
  });
  const { code } = (await minted.json()) as { code: string };
  const res = await fetch(`${inject('apiUrl')}/auth/customer/wechat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'demo', code }),
  });
  if (!res.ok) throw new Error(`customer login: ${res.status} ${await res.text()}`);
  return (await res.json()) as CustomerSession;
}

describe('customer weapp build: the brand colour through wx APIs', () => {
  let manager: StaffApi;
  let before: string;

  beforeAll(async () => {
    manager = await StaffApi.login(inject('apiUrl'), DEMO_STAFF.manager);
    before = (await manager.send<{ color: string }>('GET', '/staff/brand/settings')).color;
    await manager.send('PUT', '/staff/brand/settings', { color: BRAND });
  });

  afterAll(async () => {
    await manager?.send('PUT', '/staff/brand/settings', { color: before });
  });

  it('paints the remembered colour at launch, the salon colour once /me answers, and each page as it shows', async () => {
    expect(BUILT_API).not.toBe('');
    const session = await customerSession();
    const wx = new WxHarness(distDir('customer', 'weapp'), {
      storage: {
        'lumi.session': { accessToken: session.accessToken, refreshToken: session.refreshToken },
        'lumi.brand': REMEMBERED,
      },
      request: async ({ url, method, data, header }) => {
        const target = new URL(url.replace(BUILT_API, inject('apiUrl')));
        const body = method === 'GET' || data === undefined ? undefined : JSON.stringify(data);
        if (method === 'GET' && data && typeof data === 'object')
          for (const [key, value] of Object.entries(data)) target.searchParams.set(key, String(value));
        const res = await fetch(target, { method, headers: header, body });
        const text = await res.text();
        return { statusCode: res.status, data: text ? JSON.parse(text) : '' };
      },
    });

    // Launch on 首页: app.js's onLaunch applies the remembered colour at once, then asks /me for the current one.
    wx.launch('pages/home/index');
    // Taro runs the launch hook once React has mounted the app, a moment after onLaunch.
    await expect
      .poll(() => wx.callsTo('setNavigationBarColor')[0], { timeout: 15_000 })
      .toEqual({ frontColor: '#ffffff', backgroundColor: REMEMBERED });
    await expect
      .poll(() => wx.callsTo('setNavigationBarColor'), { timeout: 15_000 })
      .toContainEqual({ frontColor: '#ffffff', backgroundColor: BRAND });
    // Remembered for the next launch, with whether the salon's shop has a tab (the demo salon sells items). The tab
    // bar is the app's own (custom-tab-bar), which reads both from the app; WeChat's tab bar APIs are not used.
    expect(wx.storage.get('lumi.brand')).toBe(BRAND);
    expect(wx.storage.get('lumi.shopOpen')).toBe(true);
    expect(wx.callsTo('setTabBarStyle')).toEqual([]);
    // /me was really asked, with her token, at the API the build was made for.
    const meRequest = wx.callsTo('request').find((r) => (r as { url: string }).url === `${BUILT_API}/me`);
    expect(meRequest).toMatchObject({ header: { authorization: `Bearer ${session.accessToken}` } });

    // A weapp page keeps its own bar colour: each page paints it again as it shows, the home page first.
    const painted = wx.callsTo('setNavigationBarColor').length;
    wx.openPage('pages/home/index');
    await expect.poll(() => wx.callsTo('setNavigationBarColor').length, { timeout: 15_000 }).toBeGreaterThan(painted);
    expect(wx.callsTo('setNavigationBarColor').slice(painted)).toEqual(
      Array(wx.callsTo('setNavigationBarColor').length - painted).fill({
        frontColor: '#ffffff',
        backgroundColor: BRAND,
      }),
    );
    // A page of a subpackage (积分) too: its script runs with the main package's, as WeChat loads it.
    const beforePoints = wx.callsTo('setNavigationBarColor').length;
    wx.openPage('points/index/index');
    await expect
      .poll(() => wx.callsTo('setNavigationBarColor').length, { timeout: 15_000 })
      .toBeGreaterThan(beforePoints);
    expect(wx.callsTo('setNavigationBarColor').at(-1)).toEqual({ frontColor: '#ffffff', backgroundColor: BRAND });
  }, 60_000);

  it('gives a light salon colour black bar text, as WeChat allows only black or white', async () => {
    await manager.send('PUT', '/staff/brand/settings', { color: '#f5e6c8' });
    const session = await customerSession();
    const wx = new WxHarness(distDir('customer', 'weapp'), {
      storage: { 'lumi.session': { accessToken: session.accessToken, refreshToken: session.refreshToken } },
      request: async ({ url, method, header }) => {
        const res = await fetch(url.replace(BUILT_API, inject('apiUrl')), { method, headers: header });
        return { statusCode: res.status, data: await res.json() };
      },
    });
    wx.launch('pages/home/index');
    await expect
      .poll(() => wx.callsTo('setNavigationBarColor'), { timeout: 15_000 })
      .toContainEqual({ frontColor: '#000000', backgroundColor: '#f5e6c8' });
  }, 60_000);
});
