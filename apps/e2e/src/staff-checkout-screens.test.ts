import { type Bill, type CustomerList, formatFen, type StaffCatalog, type Wallet } from '@lumi/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectText, launchChromium, loadAfresh, saveScreenshot } from './browser.ts';
import { DEMO_STAFF, StaffApi } from './staff-api.ts';
import { DEMO_BEAUTICIAN_PHONE, staffPhone } from './staff-session.ts';

/** The visible texts of `selector` (H5 keeps the pages below the top one in the DOM, hidden). */
const visibleTexts = (page: Page, selector: string) =>
  page.locator(selector).filter({ visible: true }).allTextContents();

describe('收银 screens on the beautician’s phone: 收银, 开单, 今日账单, 部分退款 (H5, real API)', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows each checkout screen with Chinese wording and amounts that add up', async () => {
    // A settled bill of two 深层补水护理 for 林小雅, split between stored value and cash: 今日账单 lists it and
    // 部分退款 refunds one of the two.
    const staff = await StaffApi.login(inject('apiUrl'), DEMO_STAFF.beautician);
    const me = await staff.me();
    const [found, catalog] = await Promise.all([
      staff.send<CustomerList>('GET', `/staff/customers?q=${encodeURIComponent('林小雅')}`),
      staff.send<StaffCatalog>('GET', '/staff/catalog'),
    ]);
    const customerId = found.items[0]?.id as string;
    const service = catalog.services.find((s) => s.name === '深层补水护理');
    if (!service) throw new Error('no 深层补水护理 in the demo catalogue');
    const opened = await staff.send<Bill>('POST', '/staff/bills', {
      storeId: me.stores[0]?.id,
      customerId,
      lines: [{ type: 'service', serviceId: service.id, quantity: 2, performerIds: [me.id] }],
    });
    await staff.send<Bill>('POST', `/staff/bills/${opened.id}/settlement`, {
      tenders: [
        { method: 'stored_value', amountFen: 10_000 },
        { method: 'cash', amountFen: opened.totalFen - 10_000 },
      ],
    });
    const wallet = await staff.send<Wallet>('GET', `/staff/customers/${customerId}/wallet`);

    const mobile = await staffPhone(browser, DEMO_BEAUTICIAN_PHONE, '王美丽');
    const { page } = mobile;
    const staffUrl = inject('staffUrl');

    // 收银: find her by name.
    await page.getByText('收银', { exact: true }).click();
    await page.locator('.ck__customer-search input').fill('林小雅');
    await page.locator('.ck__customer-search input').press('Enter');
    await page.locator('.ck__customer', { hasText: '林小雅' }).first().waitFor();
    await saveScreenshot(page, 'checkout-customers');

    // 开单: her assets, then one service picked.
    await page.locator('.ck__customer', { hasText: '林小雅' }).first().click();
    await expectText(mobile, '会员资产');
    await expect(page.locator('.ck__balance-total').textContent()).resolves.toBe(formatFen(wallet.totalFen));
    await page.locator('.ck__pick', { hasText: '深层补水护理' }).locator('.ck__step--plus').click();
    await saveScreenshot(page, 'checkout-new-bill');

    // 今日账单: the bill above with its total and status, and the day's takings.
    await loadAfresh(mobile, `${staffUrl}/#/checkout/bills/index`);
    const item = page.locator('.ck__bill-item', { hasText: opened.number });
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain(formatFen(opened.totalFen));
    await expect(item.textContent()).resolves.toContain('已结账');
    await saveScreenshot(page, 'checkout-bills');

    // 部分退款: one of the two sessions.
    await item.click();
    await expectText(mobile, '已结账');
    await page.locator('.ck__to-refund').click();
    await page.locator('.ck__refund-line', { hasText: '深层补水护理' }).locator('.ck__refund-plus').click();
    await expect(visibleTexts(page, '.ck__refund-line .ck__count')).resolves.toEqual(['1']);
    await saveScreenshot(page, 'checkout-refund');
    expect(mobile.problems).toEqual([]);
    await mobile.context.close();
  });
});
