import type { Browser } from 'playwright-core';
import { inject } from 'vitest';
import { expectText, type MobilePage, openMobilePage } from './browser.ts';

/** The demo salon's staff (apps/api seed): every account has the same password. */
export const DEMO_STAFF_PASSWORD = 'lumi-demo-2026';
/** 王美丽, beautician at 示例美容院·国贸店. */
export const DEMO_BEAUTICIAN_PHONE = '13800000003';

export async function submitLogin({ page }: MobilePage, phone: string, password: string): Promise<void> {
  await page.locator('.login__phone input').fill(phone);
  await page.locator('.login__password input').fill(password);
  await page.getByText('登录', { exact: true }).click();
}

/** A member of staff on the staff H5, logged in and on the home page (which greets her by `name`). */
export async function staffPhone(browser: Browser, phone: string, name: string): Promise<MobilePage> {
  const mobile = await openMobilePage(browser, inject('staffUrl'));
  await expectText(mobile, '员工登录');
  await submitLogin(mobile, phone, DEMO_STAFF_PASSWORD);
  await expectText(mobile, name);
  return mobile;
}
