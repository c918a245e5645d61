import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectText, launchChromium, type MobilePage, openMobilePage } from './browser.ts';
import { DEMO_BEAUTICIAN_PHONE, DEMO_STAFF_PASSWORD, submitLogin } from './staff-session.ts';

/** What the issue found on the H5 screens: input text at the top of its field, button borders cut off. */
interface Measured {
  /** Per visible input: how far the text box's centre is from the field's centre, in px. */
  inputOffsets: number[];
  /** Per visible button: how much of its drawn border (the ::after box) falls outside the button, in px. */
  borderOverflow: number[];
}

// Runs in the page (a string, so the test's own types need no DOM library).
const MEASURE = `(() => {
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const inputOffsets = [...document.querySelectorAll('taro-input-core')].filter(shown).map((box) => {
    const inner = box.querySelector('input');
    if (!inner) return 0;
    const a = box.getBoundingClientRect();
    const b = inner.getBoundingClientRect();
    return Math.abs(a.top + a.height / 2 - (b.top + b.height / 2));
  });
  const borderOverflow = [...document.querySelectorAll('taro-button-core')].filter(shown).map((button) => {
    const after = getComputedStyle(button, '::after');
    if (after.content === 'none' || after.borderStyle === 'none') return 0;
    const box = button.getBoundingClientRect();
    const width = parseFloat(after.width) * (after.transform === 'none' ? 1 : 0.5);
    const height = parseFloat(after.height) * (after.transform === 'none' ? 1 : 0.5);
    return Math.max(0, width - box.width, height - box.height);
  });
  return { inputOffsets, borderOverflow };
})()`;

describe('staff H5 display: inputs centred, button borders whole', () => {
  let browser: Browser;
  let staff: MobilePage;

  beforeAll(async () => {
    browser = await launchChromium();
    staff = await openMobilePage(browser, inject('staffUrl'));
    await expectText(staff, '员工登录');
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function measure(): Promise<Measured> {
    return (await staff.page.evaluate(MEASURE)) as Measured;
  }

  it('on the login page, the customer search and the top-up page', async () => {
    const login = await measure();
    expect(login.inputOffsets.length).toBeGreaterThanOrEqual(2);
    await submitLogin(staff, DEMO_BEAUTICIAN_PHONE, DEMO_STAFF_PASSWORD);
    await expectText(staff, '王美丽');
    await staff.page.getByText('前台', { exact: true }).click();
    await expectText(staff, '扫会员码');
    const search = await measure();
    await staff.page.locator('.fd__customer, .fd__row').filter({ visible: true }).first().click();
    await staff.page.waitForURL(/front-desk\/customer\/index/);
    await staff.page.locator('.fd__action', { hasText: '充值' }).filter({ visible: true }).click();
    await expectText(staff, '或输入金额（元）');
    const topUp = await measure();
    for (const m of [login, search, topUp]) {
      for (const offset of m.inputOffsets) expect(offset).toBeLessThanOrEqual(2);
      for (const overflow of m.borderOverflow) expect(overflow).toBeLessThanOrEqual(0.5);
    }
    expect(search.borderOverflow.length + topUp.borderOverflow.length).toBeGreaterThan(0);
  });
});
