import {
  type CustomerCredit,
  type CustomerList,
  type CustomerProfile,
  type CustomerSession,
  formatFen,
  type MemberCode,
  type PhoneBinding,
  type StaffSession,
  type Wallet,
} from '@lumi/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { APP_IDS } from './apps.ts';
import { expectText, launchChromium, loadAfresh, type MobilePage, openMobilePage, saveScreenshot } from './browser.ts';
import { DEMO_BEAUTICIAN_PHONE, DEMO_STAFF_PASSWORD, submitLogin } from './staff-session.ts';

async function json<T>(url: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const { token, ...rest } = init;
  const res = await fetch(url, {
    ...rest,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(rest.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
  });
  if (!res.ok) throw new Error(`${rest.method ?? 'GET'} ${url} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

const post = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body) });

/** What the customer app does on her phone: WeChat login, getPhoneNumber, and the member code it shows. */
async function customerShowsMemberCode(phone: string): Promise<{ binding: PhoneBinding; code: MemberCode }> {
  const api = inject('apiUrl');
  const sim = inject('simUrl');
  const { code: loginCode } = await json<{ code: string }>(
    `${sim}/__control/login-codes`,
    post({ appid: APP_IDS.customer }),
  );
  const session = await json<CustomerSession>(`${api}/auth/customer/wechat`, post({ tenant: 'demo', code: loginCode }));
  const { code: phoneCode } = await json<{ code: string }>(
    `${sim}/__control/phone-codes`,
    post({ appid: APP_IDS.customer, phone }),
  );
  const binding = await json<PhoneBinding>(`${api}/me/phone`, {
    ...post({ code: phoneCode }),
    token: session.accessToken,
  });
  const code = await json<MemberCode>(`${api}/me/member-code`, { ...post({}), token: binding.accessToken });
  return { binding, code };
}

async function staffToken(): Promise<string> {
  const session = await json<StaffSession>(
    `${inject('apiUrl')}/auth/staff/login`,
    post({ phone: DEMO_BEAUTICIAN_PHONE, password: DEMO_STAFF_PASSWORD }),
  );
  return session.accessToken;
}

/** The text of the visible element (H5 keeps the pages below the top one in the DOM, hidden). */
const text = (mobile: MobilePage, selector: string) =>
  mobile.page.locator(selector).filter({ visible: true }).first().textContent();

describe('staff front desk H5', () => {
  let browser: Browser;
  let mobile: MobilePage;
  let token: string;
  // A new phone each run: the demo database is shared by the run's tests.
  const phone = `139${String(Date.now()).slice(-8)}`;
  const name = `前台测试${phone.slice(-4)}`;
  let customerId = '';
  const api = <T>(path: string) => json<T>(`${inject('apiUrl')}${path}`, { token });

  beforeAll(async () => {
    browser = await launchChromium();
    token = await staffToken();
    mobile = await openMobilePage(browser, inject('staffUrl'));
    await expectText(mobile, '员工登录');
    await submitLogin(mobile, DEMO_BEAUTICIAN_PHONE, DEMO_STAFF_PASSWORD);
    await expectText(mobile, '王美丽');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('registers a walk-in and lands on her card', async () => {
    const { page } = mobile;
    await page.getByText('前台', { exact: true }).click();
    await expectText(mobile, '扫会员码');
    await saveScreenshot(page, 'front-desk-customers');
    await page.getByText('登记新顾客', { exact: true }).click();
    await page.locator('.fd__phone input').fill(phone);
    await page.locator('.fd__name input').fill(name);
    await page.getByText('朋友介绍', { exact: true }).click();
    await saveScreenshot(page, 'front-desk-register');
    await page.getByText('登记', { exact: true }).click();

    await page.waitForURL(/front-desk\/customer\/index\?id=/);
    await expectText(mobile, name);
    customerId = new URL(page.url().replace('#', '')).searchParams.get('id') ?? '';
    const found = await api<CustomerList>(`/staff/customers?q=${phone}`);
    expect(found.items.map((c) => c.id)).toEqual([customerId]);
    // A beautician sees the phone masked, on the screen as in the API.
    await expectText(mobile, new RegExp(`${phone.slice(0, 3)}\\*{4}${phone.slice(-4)}`));
    expect(mobile.problems).toEqual([]);
  });

  it('tops up 充3000送800 in cash and shows the new balance at once', async () => {
    const { page } = mobile;
    await page.locator('.fd__action', { hasText: '充值' }).click();
    await page.locator('.fd__plan', { hasText: '充3000送800' }).click();
    await saveScreenshot(page, 'front-desk-top-up');
    await page.getByText('收 ¥3,000.00 并充值', { exact: true }).click();
    await expectText(mobile, '充值成功');
    const wallet = await api<Wallet>(`/staff/customers/${customerId}/wallet`);
    expect(wallet).toMatchObject({ principalFen: 300_000, bonusFen: 80_000, totalFen: 380_000, points: 500 });
    await expect(text(mobile, '.fd__receipt-total')).resolves.toBe(formatFen(wallet.totalFen));
    await saveScreenshot(page, 'front-desk-top-up-receipt');
    await page.getByText('返回会员卡', { exact: true }).click();
    // Back on the card, which reloads what changed when it is shown again.
    await page
      .locator('.fd__balance-total', { hasText: formatFen(wallet.totalFen) })
      .filter({ visible: true })
      .waitFor({ timeout: 15_000 });
  });

  it('sells a package card in cash', async () => {
    const { page } = mobile;
    await page.locator('.fd__action', { hasText: '售次卡' }).click();
    await page.locator('.fd__plan', { hasText: '小气泡清洁3次体验卡' }).click();
    await saveScreenshot(page, 'front-desk-sell-card');
    await page.getByText('确认售卡', { exact: true }).click();
    await expectText(mobile, '售卡成功');
    await expectText(mobile, '剩余 3/3 次');
    await page.getByText('返回会员卡', { exact: true }).click();
    await expectText(mobile, '剩余 3/3 次');
  });

  it('bills a session of the card plus a service, paid with stored value and cash, and the card matches the API', async () => {
    const { page } = mobile;
    await page.locator('.fd__action', { hasText: '开单' }).click();
    await page.locator('.ck__pick', { hasText: '小气泡清洁3次体验卡' }).locator('.ck__step--plus').click();
    await page.locator('.ck__pick', { hasText: '深层补水护理' }).locator('.ck__step--plus').click();
    await page.locator('.ck__open-bill').click();
    await expectText(mobile, '支付方式');
    await page.locator('.ck__tender--stored_value input').fill('100');
    await page.locator('.ck__tender--cash .ck__fill').click();
    await page.locator('.ck__settle').click();
    await page.waitForURL(/checkout\/bill\/index\?id=/);
    await expectText(mobile, '已结账');

    await loadAfresh(mobile, `${inject('staffUrl')}/#/front-desk/customer/index?id=${customerId}`);
    await expectText(mobile, '会员资产');
    const wallet = await api<Wallet>(`/staff/customers/${customerId}/wallet`);
    const credit = await api<CustomerCredit>(`/staff/customers/${customerId}/credit`);
    expect(wallet.totalFen).toBe(380_000 - 10_000);
    expect(wallet.packageCards.map((c) => c.sessionsLeft)).toEqual([2]);
    await expect(text(mobile, '.fd__balance-total')).resolves.toBe(formatFen(wallet.totalFen));
    await expect(text(mobile, '.fd__principal')).resolves.toBe(`本金 ${formatFen(wallet.principalFen)}`);
    await expect(text(mobile, '.fd__bonus')).resolves.toBe(`赠送金 ${formatFen(wallet.bonusFen)}`);
    await expect(text(mobile, '.fd__points')).resolves.toBe(wallet.points.toLocaleString('en-US'));
    await expectText(mobile, '剩余 2/3 次');
    await expect(text(mobile, '.fd__credit-limit')).resolves.toBe(formatFen(credit.limitFen));
    await expect(text(mobile, '.fd__credit-owed')).resolves.toBe(formatFen(credit.owedFen));
    await expect(page.locator('.fd__bill').count()).resolves.toBe(1);
    await saveScreenshot(page, 'front-desk-customer-card');
    expect(mobile.problems).toEqual([]);
  });

  it('scans the member code her phone shows after she signs in with WeChat and shares the same phone', async () => {
    const { binding, code } = await customerShowsMemberCode(phone);
    // The WeChat sign-up became the customer the front desk registered.
    expect(binding).toMatchObject({ merged: true, customer: { id: customerId, name } });
    const { page } = mobile;
    await page.goto(`${inject('staffUrl')}/#/front-desk/customers/index`);
    await page.locator('.lumi-code-entry__input input').filter({ visible: true }).fill(code.code);
    await page.getByText('确定', { exact: true }).filter({ visible: true }).click();
    await page.waitForURL(new RegExp(`front-desk/customer/index\\?id=${customerId}`));
    await expectText(mobile, name);
    const profile = await api<CustomerProfile>(`/staff/customers/${customerId}`);
    await expectText(mobile, `${profile.phone} · 会员号 ${profile.memberNo}`);
    await saveScreenshot(page, 'front-desk-scanned');

    await page.goto(`${inject('staffUrl')}/#/front-desk/customers/index`);
    await page
      .locator('.lumi-code-entry__input input')
      .filter({ visible: true })
      .fill(`${code.code.slice(0, -2)}xx`);
    await page.getByText('确定', { exact: true }).filter({ visible: true }).click();
    await expectText(mobile, '无法识别的会员码');
  });
});
