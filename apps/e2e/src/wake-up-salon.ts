import { startLumiApi } from '@lumi/api/testing';
import { API_PREFIX, serveH5 } from '@lumi/dev-server';
import type { Browser } from 'playwright-core';
import { inject } from 'vitest';
import { APP_IDS, distDir } from './apps.ts';
import { expectText, type MobilePage, openMobilePage } from './browser.ts';
import { StaffApi } from './staff-api.ts';
import { DEMO_STAFF_PASSWORD, submitLogin } from './staff-session.ts';

/** 晨曦美容's manager (apps/api/src/seed/wake-up-salon.ts). */
export const WAKE_UP_MANAGER = { phone: '13700000002', name: '周店长' };

/**
 * 晨曦美容 of the campaign tests: its own API (fresh database, the campaign job sending every second) behind its
 * own staff and customer H5 servers, sharing the run's builds and simulator; phones signed in to either app.
 */
export async function openWakeUpSalon(browser: Browser) {
  const api = await startLumiApi({ wechatApiBase: inject('simUrl'), salon: 'wake-up' });
  const staffH5 = await serveH5({
    root: distDir('staff', 'h5'),
    apiUrl: api.url,
    config: { api: API_PREFIX, wechatSim: inject('simUrl'), appId: APP_IDS.staff },
  });
  const customerH5 = await serveH5({
    root: distDir('customer', 'h5'),
    apiUrl: api.url,
    config: { api: API_PREFIX, wechatSim: inject('simUrl'), appId: APP_IDS.customer, tenant: 'wake-up' },
  });
  return {
    api,
    customerUrl: customerH5.url,
    manager: await StaffApi.login(api.url, WAKE_UP_MANAGER.phone),
    async staffPhone(who: { phone: string; name: string }): Promise<MobilePage> {
      const mobile = await openMobilePage(browser, staffH5.url);
      await expectText(mobile, '员工登录');
      await submitLogin(mobile, who.phone, DEMO_STAFF_PASSWORD);
      await expectText(mobile, who.name);
      return mobile;
    },
    async customerPhone(who: { name: string; openid: string }): Promise<MobilePage> {
      const mobile = await openMobilePage(browser, customerH5.url);
      await expectText(mobile, '微信一键登录（模拟）');
      await mobile.page.locator('input.login__openid').filter({ visible: true }).fill(who.openid);
      await mobile.page.getByText('微信一键登录（模拟）', { exact: true }).click();
      await expectText(mobile, `您好，${who.name}`);
      return mobile;
    },
    async close() {
      await customerH5.close();
      await staffH5.close();
      await api.close();
    },
  };
}

export type WakeUpSalon = Awaited<ReturnType<typeof openWakeUpSalon>>;
