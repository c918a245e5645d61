import type { ShopCatalogue, ShopOrderList } from '@lumi/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectText, launchChromium, type MobilePage, openMobilePage, saveScreenshot } from './browser.ts';
import { asCustomer } from './customer-api.ts';
import { logInAsDemoCustomer } from './customer-app.ts';

const visible = (page: Page, selector: string) => page.locator(selector).filter({ visible: true });
const tabLabels = (page: Page) => visible(page, '.lumi-tab-bar__label').allTextContents();
const selectedTab = (page: Page) => visible(page, '.lumi-tab-bar__item--on').textContent();

async function tapTab(mobile: MobilePage, label: string, urlPart: string): Promise<void> {
  await mobile.page.locator('.lumi-tab-bar').getByText(label, { exact: true }).click();
  await mobile.page.waitForURL(new RegExp(urlPart), { timeout: 15_000 });
  await expect.poll(() => selectedTab(mobile.page)).toBe(label);
}

describe('the customer tab bar and the screens behind 商城 and 我的 (H5, real API)', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('switches tabs, hides on other pages, and reaches a shop category, her orders and 对账单', async () => {
    const mobile = await openMobilePage(browser, inject('customerUrl'));
    const { page } = mobile;
    // No tab bar on the login page.
    await expectText(mobile, '微信一键登录（模拟）');
    expect(await visible(page, '.lumi-tab-bar').count()).toBe(0);
    await logInAsDemoCustomer(mobile);

    // The demo salon sells items, so /me says its shop is open and 商城 is a tab.
    expect((await asCustomer<{ shopOpen: boolean }>(page, '/me')).shopOpen).toBe(true);
    await expect.poll(() => tabLabels(page)).toEqual(['首页', '商城', '账单', '我的']);
    expect(await selectedTab(page)).toBe('首页');
    // The bar stays clear of the content: the last of the page can be scrolled above it.
    const bar = await visible(page, '.lumi-tab-bar').boundingBox();
    const viewport = page.viewportSize();
    expect(bar && viewport && Math.round(bar.y + bar.height)).toBe(viewport?.height);
    await saveScreenshot(page, 'customer-tab-bar-home');

    // 商城 → a category: its items and title; the bar is gone on the sub-page and back on the tab.
    await tapTab(mobile, '商城', '#/pages/shop/index');
    const catalogue = await asCustomer<ShopCatalogue>(page, '/me/shop/catalogue');
    const category = catalogue.categories.find((c) => catalogue.items.some((i) => i.categoryId === c.id));
    if (!category) throw new Error('the demo shop has no category with items on sale');
    await visible(page, '.shop-chip').getByText(category.name, { exact: true }).click();
    await page.waitForURL(/#\/shop\/category\/index/, { timeout: 15_000 });
    const inCategory = catalogue.items.filter((i) => i.categoryId === category.id);
    for (const item of inCategory) await expectText(mobile, item.name);
    await expect.poll(() => page.title()).toBe(category.name);
    expect(await visible(page, '.lumi-tab-bar').count()).toBe(0);
    await saveScreenshot(page, 'customer-shop-category');
    await page.goBack();
    await page.waitForURL(/#\/pages\/shop\/index/, { timeout: 15_000 });
    await expect.poll(() => selectedTab(page)).toBe('商城');

    // 我的订单: each of her orders with its number.
    const orders = (await asCustomer<ShopOrderList>(page, '/me/shop/orders')).items;
    await visible(page, '.shop-home__actions').getByText('我的订单', { exact: true }).click();
    await page.waitForURL(/#\/shop\/orders\/index/, { timeout: 15_000 });
    if (orders.length === 0) await expectText(mobile, '还没有订单');
    for (const order of orders) await expectText(mobile, order.number);
    await saveScreenshot(page, 'customer-shop-orders');
    await page.goBack();
    await page.waitForURL(/#\/pages\/shop\/index/, { timeout: 15_000 });

    // 账单 and 我的 → 对账单.
    await tapTab(mobile, '账单', '#/pages/bills/index');
    await tapTab(mobile, '我的', '#/pages/me/index');
    await visible(page, '.me__label').getByText('对账单', { exact: true }).click();
    await page.waitForURL(/#\/profile\/statement\/index/, { timeout: 15_000 });
    await expectText(mobile, '下载 CSV');
    await saveScreenshot(page, 'customer-statement');

    expect(mobile.problems).toEqual([]);
    await mobile.context.close();
  }, 120_000);
});
