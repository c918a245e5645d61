import { readCodeImageText } from '@lumi/wechat-sim';
import {
  COUNTER_PAYMENT_PAGE,
  counterPaymentScene,
  type CustomerList,
  formatFen,
  type MyCommissions,
  type StaffProfile,
  type StaffSession,
  type Takings,
  type Wallet,
} from '@lumi/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectText, launchChromium, loadAfresh, type MobilePage, openMobilePage, saveScreenshot } from './browser.ts';
import { logInAsDemoCustomer } from './customer-app.ts';
import { DEMO_BEAUTICIAN_PHONE, DEMO_STAFF_PASSWORD, submitLogin } from './staff-session.ts';

async function api<T>(path: string, token: string): Promise<T> {
  const res = await fetch(`${inject('apiUrl')}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${path} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

const visible = (mobile: MobilePage, selector: string) =>
  mobile.page.locator(selector).filter({ visible: true }).first();

/** The Shanghai day in the browser's terms, as the 我的业绩 page asks for it. */
const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

describe('staff counter H5: WeChat top-up paid on the customer’s phone, 我的业绩, 日结, 小票', () => {
  let browser: Browser;
  let staff: MobilePage;
  let token = '';
  let storeId = '';

  beforeAll(async () => {
    browser = await launchChromium();
    const login = await fetch(`${inject('apiUrl')}/auth/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: DEMO_BEAUTICIAN_PHONE, password: DEMO_STAFF_PASSWORD }),
    });
    token = ((await login.json()) as StaffSession).accessToken;
    storeId = (await api<StaffProfile>('/staff/me', token)).stores[0]?.id ?? '';
    staff = await openMobilePage(browser, inject('staffUrl'));
    await expectText(staff, '员工登录');
    await submitLogin(staff, DEMO_BEAUTICIAN_PHONE, DEMO_STAFF_PASSWORD);
    await expectText(staff, '王美丽');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens a WeChat top-up for 林小雅, she pays it in the customer app, and the staff screen shows the new balance', async () => {
    const found = await api<CustomerList>(`/staff/customers?q=${encodeURIComponent('林小雅')}`, token);
    const xiaoya = found.items[0];
    if (!xiaoya) throw new Error('the demo has no 林小雅');
    const before = await api<Wallet>(`/staff/customers/${xiaoya.id}/wallet`, token);

    const { page } = staff;
    await loadAfresh(staff, `${inject('staffUrl')}/#/front-desk/top-up/index?customerId=${xiaoya.id}`);
    await page.locator('.fd__plan', { hasText: '充1000送200' }).filter({ visible: true }).click();
    await page.getByText('微信扫码', { exact: true }).filter({ visible: true }).click();
    await page.getByText('生成付款码', { exact: true }).filter({ visible: true }).click();
    await expectText(staff, '请顾客用微信扫码付款');
    const orderText =
      (await page
        .locator('.fd-wechat .fd__muted', { hasText: '单号' })
        .filter({ visible: true })
        .first()
        .textContent()) ?? '';
    const outTradeNo = orderText.replace('单号', '').trim();
    expect(outTradeNo).toMatch(/^[0-9A-Za-z_\-|*]{6,32}$/);
    // The 小程序码 on the staff screen is the image WeChat (the simulator) drew for this order's scene and page.
    // Taro's H5 <Image> is a taro-image-core element around the <img>.
    const code = visible(staff, '.fd-wechat__code img');
    await code.waitFor({ timeout: 15_000 }).catch(async (cause: unknown) => {
      const shown = await visible(staff, '.fd-wechat__code').textContent();
      throw new Error(`no 小程序码 on the staff screen (it shows: ${shown ?? 'nothing'})`, { cause });
    });
    const src = (await code.getAttribute('src')) ?? '';
    const drawn = readCodeImageText(Buffer.from(src.replace(/^data:image\/png;base64,/, ''), 'base64'));
    expect(drawn).toEqual({ scene: counterPaymentScene(outTradeNo), page: COUNTER_PAYMENT_PAGE });
    const recorded = await fetch(
      `${inject('simUrl')}/__control/wxacodes?scene=${encodeURIComponent(drawn.scene ?? '')}`,
    );
    expect(await recorded.json()).toMatchObject([{ page: COUNTER_PAYMENT_PAGE, checkPath: true }]);
    await saveScreenshot(page, 'front-desk-wechat-top-up-code');

    // Her phone: a second browser context, signed in to the customer app, opened as scanning the code opens it —
    // on the code's page with its scene, URL-encoded as WeChat hands it over.
    const phone = await openMobilePage(browser, inject('customerUrl'));
    try {
      await logInAsDemoCustomer(phone);
      await loadAfresh(
        phone,
        `${inject('customerUrl')}/#/${drawn.page}?scene=${encodeURIComponent(drawn.scene ?? '')}`,
      );
      await expectText(phone, '微信支付 ¥1,000.00');
      await saveScreenshot(phone.page, 'customer-counter-pay');
      await phone.page.getByText('微信支付 ¥1,000.00', { exact: true }).filter({ visible: true }).click();
      await expectText(phone, '付款成功，已存入您的储值', 30_000);
    } finally {
      await phone.context.close();
    }

    // The staff screen follows the order until WeChat's notification has credited her wallet.
    await expectText(staff, '充值成功', 30_000);
    const after = await api<Wallet>(`/staff/customers/${xiaoya.id}/wallet`, token);
    expect(after.principalFen - before.principalFen).toBe(100_000);
    expect(after.bonusFen - before.bonusFen).toBe(20_000);
    await expect(visible(staff, '.fd__receipt-total').textContent()).resolves.toBe(formatFen(after.totalFen));
    await expect(visible(staff, '.fd__receipt-bonus').textContent()).resolves.toBe(formatFen(20_000));
    await saveScreenshot(page, 'front-desk-wechat-top-up-done');
    expect(staff.problems).toEqual([]);
  });

  it('shows 我的业绩 for today matching the API, and the month by day', async () => {
    const { page } = staff;
    await loadAfresh(staff, `${inject('staffUrl')}/#/front-desk/performance/index`);
    const today = shanghaiToday();
    const mine = await api<MyCommissions>(`/staff/commissions/mine?from=${today}&to=${today}`, token);
    await expectText(staff, /提成合计/);
    await expect(visible(staff, '.perf__total').textContent()).resolves.toBe(formatFen(mine.totalFen));
    await expect(page.locator('.perf__line').filter({ visible: true }).count()).resolves.toBe(mine.lines.length);
    await saveScreenshot(page, 'front-desk-performance-today');
    await page.getByText('本月', { exact: true }).filter({ visible: true }).click();
    const month = await api<MyCommissions>(`/staff/commissions/mine?from=${today.slice(0, 8)}01&to=${today}`, token);
    await page
      .locator('.perf__total', { hasText: formatFen(month.totalFen) })
      .filter({ visible: true })
      .waitFor({ timeout: 15_000 });
    await expect(page.locator('.perf__day').filter({ visible: true }).count()).resolves.toBe(month.days.length);
    await saveScreenshot(page, 'front-desk-performance-month');
  });

  it('shows her 交班 figures matching the API, the postings behind a tender, and a bill’s printable receipt', async () => {
    const { page } = staff;
    await loadAfresh(staff, `${inject('staffUrl')}/#/front-desk/day-close/index`);
    const day = await api<Takings>(`/staff/takings?storeId=${storeId}`, token);
    expect(day.scope).toBe('own');
    await expectText(staff, /我经手的实收/);
    await expect(visible(staff, '.dc__total').textContent()).resolves.toBe(formatFen(day.totalFen));
    await expect(visible(staff, '.dc__tender--cash .fd__amount').textContent()).resolves.toBe(
      formatFen(day.byTender.cash),
    );
    await saveScreenshot(page, 'front-desk-day-close');
    await visible(staff, '.dc__tender--cash').click();
    const cash = day.items.filter((i) => i.tenders.cash !== 0);
    await expectText(staff, new RegExp(`现金明细（${cash.length} 笔）`));
    const bill = cash.find((i) => i.billId);
    if (!bill) throw new Error('no cash bill today');
    await page
      .locator('.dc__item', { hasText: bill.billNumber ?? '' })
      .filter({ visible: true })
      .first()
      .click();
    await page.waitForURL(/checkout\/bill\/index\?id=/);
    await page.getByText('小票', { exact: true }).filter({ visible: true }).click();
    await expectText(staff, '消费小票');
    await expectText(staff, '打印小票');
    await saveScreenshot(page, 'checkout-receipt');
    // window.print opens the browser's dialog: the page offers it, the test only checks it is wired.
    await page.evaluate('window.__printed = false; window.print = () => { window.__printed = true; };');
    await visible(staff, '.receipt__print').click();
    const printed = await page.evaluate('window.__printed');
    expect(printed).toBe(true);
  });
});
