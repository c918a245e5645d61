import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectText, launchChromium, openMobilePage, saveScreenshot } from './browser.ts';

describe('customer H5', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a new visitor logs in through the WeChat simulator and sees their name and salon', async () => {
    const mobile = await openMobilePage(browser, inject('customerUrl'));
    const { page } = mobile;

    // No session yet: the home page's GET /me sends the visitor to the login page.
    await expectText(mobile, '微信一键登录（模拟）');
    expect(page.url()).toContain('#/pages/login/index');
    expect(await page.locator('input.login__openid').filter({ visible: true }).inputValue()).toBe('demo-customer-001');
    await saveScreenshot(page, 'customer-login');

    await page.getByText('微信一键登录（模拟）', { exact: true }).click();

    await expectText(mobile, '您好，林小雅');
    await expectText(mobile, '示例美容院');
    expect(page.url()).toContain('#/pages/home/index');
    await saveScreenshot(page, 'customer-home');
    expect(mobile.problems).toEqual([]);
    await mobile.context.close();
  });
});
