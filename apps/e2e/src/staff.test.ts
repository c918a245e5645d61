import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectText, launchChromium, openMobilePage, saveScreenshot } from './browser.ts';
import { DEMO_BEAUTICIAN_PHONE, DEMO_STAFF_PASSWORD, submitLogin } from './staff-session.ts';

describe('staff H5', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a beautician logs in with phone and password and sees their name, role and store', async () => {
    const mobile = await openMobilePage(browser, inject('staffUrl'));
    await expectText(mobile, '员工登录');
    expect(mobile.page.url()).toContain('#/pages/login/index');

    await submitLogin(mobile, DEMO_BEAUTICIAN_PHONE, DEMO_STAFF_PASSWORD);

    await expectText(mobile, '王美丽');
    await expectText(mobile, '美容师');
    await expectText(mobile, '示例美容院·国贸店');
    expect(mobile.page.url()).toContain('#/pages/home/index');
    await saveScreenshot(mobile.page, 'staff-home');
    expect(mobile.problems).toEqual([]);
    await mobile.context.close();
  });

  it('a wrong password shows the error in Chinese and stays on the login page', async () => {
    const mobile = await openMobilePage(browser, inject('staffUrl'));
    await expectText(mobile, '员工登录');

    // Another account than the test above: a failed attempt counts towards that account's lockout.
    await submitLogin(mobile, '13800000004', 'not-the-password');

    await expectText(mobile, '手机号或密码错误');
    expect(mobile.page.url()).toContain('#/pages/login/index');
    await expect(mobile.page.locator('.login__error').textContent()).resolves.toBe('手机号或密码错误');
    await saveScreenshot(mobile.page, 'staff-login-wrong-password');
    // The 401 is the expected answer; Chromium logs every failed fetch as a console error.
    expect(mobile.problems.filter((p) => !p.includes('401'))).toEqual([]);
    await mobile.context.close();
  });
});
