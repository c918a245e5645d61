import type { CustomerCredit, MyMessageList, MyPoints, Wallet } from '@lumi/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectText, launchChromium, type MobilePage, openMobilePage, saveScreenshot } from './browser.ts';
import { fenOf, logInAsDemoCustomer } from './customer-app.ts';
import { DEMO_STAFF, StaffApi } from './staff-api.ts';

/** 林小雅's own token, as the H5 app stored it (Taro keeps storage in localStorage as {data}). */
async function customerToken(page: Page): Promise<string> {
  const raw = await page.evaluate<string | null>("localStorage.getItem('lumi.session')");
  const stored = JSON.parse(raw ?? '{}') as { data?: { accessToken?: string } };
  const token = stored.data?.accessToken;
  if (!token) throw new Error(`no session in localStorage: ${raw}`);
  return token;
}

async function asCustomer<T>(page: Page, path: string): Promise<T> {
  const res = await fetch(`${inject('apiUrl')}${path}`, {
    headers: { authorization: `Bearer ${await customerToken(page)}` },
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const urlOf = (urlPart: string) => new RegExp(urlPart.replaceAll('/', '\\/'));

/** From 我的, one tap into a member screen; back to 我的 afterwards (see `backTo`). */
async function openFromMe(mobile: MobilePage, label: string, urlPart: string): Promise<void> {
  await mobile.page.locator('.me__label').getByText(label, { exact: true }).click();
  await mobile.page.waitForURL(urlOf(urlPart), { timeout: 15_000 });
}

/**
 * The browser's back button, then wait until the page it returns to is on screen, as a person looks before the
 * next tap. Taro's H5 router handles each popstate asynchronously (resolving a page may load its subpackage), so
 * two backs fired at once can be handled out of order and leave its page stack wrong.
 */
async function backTo(mobile: MobilePage, urlPart: string, shown: () => Promise<void>): Promise<void> {
  await mobile.page.goBack();
  await mobile.page.waitForURL(urlOf(urlPart), { timeout: 15_000 });
  await shown();
}

const backToMe = (mobile: MobilePage) => backTo(mobile, '#/pages/me/index', () => expectText(mobile, '退出登录'));

const text = (page: Page, selector: string) => page.locator(selector).filter({ visible: true }).first().textContent();

describe('customer member screens H5', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('林小雅 reaches every screen from 我的 and each matches the API; she repays an instalment through WeChat Pay', async () => {
    const mobile = await openMobilePage(browser, inject('customerUrl'));
    const { page } = mobile;
    await logInAsDemoCustomer(mobile);

    // The tab bar: 首页 · 账单 · 我的.
    await page.locator('.taro-tabbar__tabbar').getByText('我的', { exact: true }).click();
    await expectText(mobile, '会员等级');
    await saveScreenshot(page, 'customer-me');

    // 积分
    await openFromMe(mobile, '积分', '#/points/index/index');
    const points = await asCustomer<MyPoints>(page, '/me/points');
    await expectText(mobile, '可用积分');
    expect(await text(page, '.m-hero__value')).toBe(points.points.toLocaleString('en-US'));
    await expect
      .poll(() => page.locator('.points__lot').filter({ visible: true }).count())
      .toBe(points.expiring.length);
    await expect.poll(() => page.locator('.points__entry').filter({ visible: true }).count()).toBeGreaterThan(0);
    await saveScreenshot(page, 'customer-points');
    await backToMe(mobile);

    // 次卡, and one card's sessions used
    await openFromMe(mobile, '次卡', '#/cards/index/index');
    const wallet = await asCustomer<Wallet>(page, '/me/wallet');
    await expect.poll(() => page.locator('.card').filter({ visible: true }).count()).toBe(wallet.packageCards.length);
    await saveScreenshot(page, 'customer-cards');
    await page.locator('.card').filter({ visible: true }).first().click();
    await expectText(mobile, '使用记录');
    await saveScreenshot(page, 'customer-card-detail');
    await backTo(mobile, '#/cards/index/index', async () => {
      await expect.poll(() => page.getByText('使用记录', { exact: true }).filter({ visible: true }).count()).toBe(0);
      await expect.poll(() => page.locator('.card').filter({ visible: true }).count()).toBe(wallet.packageCards.length);
    });
    await backToMe(mobile);

    // 优惠券: the usable tab counts what the API calls usable
    await openFromMe(mobile, '优惠券', '#/coupons/index/index');
    const coupons = await asCustomer<{ items: { usable: boolean }[] }>(page, '/me/coupons?status=all');
    await expectText(mobile, `可使用（${coupons.items.filter((c) => c.usable).length}）`);
    await saveScreenshot(page, 'customer-coupons');
    await backToMe(mobile);

    // 会员等级
    await openFromMe(mobile, '会员等级', '#/tier/index/index');
    const tier = await asCustomer<{ name: string | null }>(page, '/me/tier');
    await expectText(mobile, '当前等级');
    expect(await text(page, '.tier__name')).toBe(tier.name ?? '普通会员');
    await saveScreenshot(page, 'customer-tier');
    await backToMe(mobile);

    // 消息: notices and offers
    await openFromMe(mobile, '消息', '#/messages/index/index');
    const messages = await asCustomer<MyMessageList>(page, '/me/messages');
    const campaigns = await asCustomer<{ items: unknown[] }>(page, '/me/campaigns');
    await expect
      .poll(() => page.locator('.message').filter({ visible: true }).count())
      .toBe(messages.items.length + campaigns.items.length);
    await saveScreenshot(page, 'customer-messages');
    await backToMe(mobile);

    // 我的资料
    await openFromMe(mobile, '我的资料', '#/profile/index/index');
    const me = await asCustomer<{ name: string; phone: string | null }>(page, '/me');
    await expectText(mobile, me.phone ?? '未绑定');
    await expectText(mobile, '授权管理');
    await saveScreenshot(page, 'customer-profile');
    await backToMe(mobile);

    // 会员码: a QR code of the token the API issued
    await openFromMe(mobile, '会员码', '#/member/code/index');
    await expectText(mobile, '请向美容师出示');
    expect(await page.locator('.lumi-qr__row').count()).toBeGreaterThan(20);
    await saveScreenshot(page, 'customer-member-code');
    await backToMe(mobile);

    // 挂账/分期: what she owes, then repay the suggested amount through the simulated WeChat Pay.
    await openFromMe(mobile, '挂账/分期', '#/credit/index/index');
    const before = await asCustomer<CustomerCredit>(page, '/me/credit');
    expect(before.owedFen).toBeGreaterThan(0);
    await expectText(mobile, '待还金额');
    expect(fenOf(await text(page, '.credit__owed'))).toBe(before.owedFen);
    await saveScreenshot(page, 'customer-credit');
    const amountFen = fenOf(await page.locator('.credit__input input').first().inputValue());
    expect(amountFen).toBeGreaterThan(0);
    await page.getByText('微信支付还款', { exact: true }).click();
    await expectText(mobile, '还款凭证', 30_000);
    await expect
      .poll(() => text(page, '.credit__owed').then(fenOf), { timeout: 15_000 })
      .toBe(before.owedFen - amountFen);
    const after = await asCustomer<CustomerCredit>(page, '/me/credit');
    expect(after.owedFen).toBe(before.owedFen - amountFen);
    // The staff see the same debt fall on her credit page.
    const manager = await StaffApi.login(inject('apiUrl'), DEMO_STAFF.manager);
    expect((await manager.creditOf(await manager.customerId('林小雅'))).owedFen).toBe(after.owedFen);
    await saveScreenshot(page, 'customer-credit-repaid');

    expect(mobile.problems).toEqual([]);
    await mobile.context.close();
    // Nine screens and a payment in one story: generous, as a busy shared machine needs.
  }, 180_000);
});
