import { type ApprovalRequest, type Bill, type CustomerList, formatFen } from '@lumi/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectText, launchChromium, openMobilePage, saveScreenshot } from './browser.ts';
import { DEMO_STAFF, StaffApi } from './staff-api.ts';
import { DEMO_BEAUTICIAN_PHONE, DEMO_STAFF_PASSWORD, submitLogin } from './staff-session.ts';

/** The API as the beautician, to check what the pages say against the server. */
async function apiAsBeautician() {
  const staff = await StaffApi.login(inject('apiUrl'), DEMO_STAFF.beautician);
  return <T>(path: string): Promise<T> => staff.send<T>('GET', path);
}

describe('a large discount at the till, approved on the manager’s phone (H5, two browser contexts)', () => {
  let browser: Browser;
  let get: Awaited<ReturnType<typeof apiAsBeautician>>;

  beforeAll(async () => {
    browser = await launchChromium();
    get = await apiAsBeautician();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the beautician asks, 刘店长 approves, and her screen opens and settles the bill with the discount', async () => {
    const beautician = await openMobilePage(browser, inject('staffUrl'));
    const { page } = beautician;
    await submitLogin(beautician, DEMO_BEAUTICIAN_PHONE, DEMO_STAFF_PASSWORD);
    await expectText(beautician, '王美丽');

    await page.getByText('收银', { exact: true }).click();
    await page.locator('.ck__customer-search input').fill('林小雅');
    await page.locator('.ck__customer-search input').press('Enter');
    await page.locator('.ck__customer', { hasText: '林小雅' }).first().click();
    await expectText(beautician, '会员资产');
    const plus = page.locator('.ck__pick', { hasText: '深层补水护理' }).locator('.ck__step--plus');
    await plus.click();
    await plus.click();
    // ¥300.00 off two sessions (¥776.00): 38.7%, above the salon's 20% a beautician may give.
    await page.locator('.ck__discount input').fill('300');
    await page.locator('.ck__discount-reason input').fill('介绍两位新顾客办卡');
    await page.locator('.ck__open-bill').click();

    await expectText(beautician, '折扣需店长审批');
    await expectText(beautician, /优惠 ¥300\.00（原价 ¥776\.00 的 38\.7%）/);
    await page.locator('.ck__ask-manager').click();
    await expectText(beautician, '待店长审批');
    await saveScreenshot(page, 'staff-discount-asked-manager');
    const pending = await get<ApprovalRequest[]>('/staff/approval-requests?kind=discount&status=pending');
    const request = pending.find((r) => r.customer.name === '林小雅' && r.amountFen === 30_000);
    expect(request).toMatchObject({
      kind: 'discount',
      amountFen: 30_000,
      customer: { name: '林小雅' },
      discount: { subtotalFen: 77_600, manualDiscountFen: 30_000, billId: null },
    });

    // 刘店长 sees the lines, the list prices and the discount in ¥ and %, and approves it.
    const manager = await openMobilePage(browser, inject('staffUrl'));
    await submitLogin(manager, DEMO_STAFF.manager, DEMO_STAFF_PASSWORD);
    await expectText(manager, '刘店长');
    await manager.page.locator('.home__entry--inbox').click();
    await manager.page.locator('.mg__item--discount', { hasText: '林小雅' }).first().click();
    await expectText(manager, '大额折扣 · 待店长审批');
    await expect(manager.page.locator('.mg__discount-asked').filter({ visible: true }).textContent()).resolves.toBe(
      '−¥300.00（38.7%）',
    );
    await expect(manager.page.locator('.mg__discount-subtotal').filter({ visible: true }).textContent()).resolves.toBe(
      '¥776.00',
    );
    await saveScreenshot(manager.page, 'manager-discount-approval');
    await manager.page.locator('.mg__approve').filter({ visible: true }).click();
    await expectText(manager, '大额折扣 · 店长已批准');
    expect(manager.problems).toEqual([]);
    await manager.context.close();

    // Her screen follows the request and opens the approved bill by itself; she settles it in cash.
    await expectText(beautician, '支付方式', 30_000);
    const billId = new URL(page.url().replace('#', '')).searchParams.get('id') ?? '';
    const opened = await get<Bill>(`/staff/bills/${billId}`);
    expect(opened).toMatchObject({ subtotalFen: 77_600, manualDiscountFen: 30_000, status: 'open' });
    const used = await get<ApprovalRequest>(`/staff/approval-requests/${request?.id}`);
    expect(used.discount?.billId).toBe(billId);
    await expect(page.locator('.ck__bill-total').filter({ visible: true }).textContent()).resolves.toBe(
      formatFen(opened.totalFen),
    );
    await page.locator('.ck__tender--cash .ck__fill').click();
    await expect(page.locator('.ck__remaining').textContent()).resolves.toBe('¥0.00');
    await page.locator('.ck__settle').click();
    await page.waitForURL(/checkout\/bill\/index\?id=/);
    await expectText(beautician, '已结账');
    await saveScreenshot(page, 'staff-discount-settled');

    const settled = await get<Bill>(`/staff/bills/${billId}`);
    expect(settled.status).toBe('settled');
    expect(settled.tenders).toEqual([{ method: 'cash', amountFen: opened.totalFen }]);
    expect(settled.totalFen).toBe(opened.subtotalFen - opened.tierDiscountFen - 30_000);
    await expect(page.locator('.ck__bill-total').filter({ visible: true }).textContent()).resolves.toBe(
      formatFen(settled.totalFen),
    );
    const customers = await get<CustomerList>(`/staff/customers?q=${encodeURIComponent('林小雅')}`);
    expect(settled.customerId).toBe(customers.items[0]?.id);
    // The 403 that asked for a manager is the expected answer; Chromium logs every failed fetch.
    expect(beautician.problems.filter((p) => !p.includes('403'))).toEqual([]);
    await beautician.context.close();
  });
});
