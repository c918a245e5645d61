import { type CreditItem, type CustomerCredit, formatFen } from '@lumi/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectText, launchChromium, loadAfresh, type MobilePage, openMobilePage, saveScreenshot } from './browser.ts';
import { fenOf, logInAsDemoCustomer } from './customer-app.ts';
import { DEMO_STAFF, StaffApi } from './staff-api.ts';
import { DEMO_STAFF_PASSWORD, submitLogin } from './staff-session.ts';

/**
 * 分期还款 at the front desk, in two browser contexts: 王美丽 (beautician) records the first instalment of 林小雅's
 * plan on the staff H5's 挂账/还款 page, and 林小雅 sees that instalment paid on her 挂账 page — each step checked
 * against the API. Repayments go to the oldest due item first, so the test starts from a plan of her own: whatever
 * the demo (or an earlier test) left owing is settled in cash through the API, then a service is billed to her tab
 * in three interest-free instalments.
 */
const ROW_OF = (item: CreditItem) => `第 ${item.seq}/${item.of} 期 · ${item.dueDate}`;

/** The visible text of each of her 挂账 page's instalment rows, and whether the row is marked paid. */
const customerRows = (mobile: MobilePage) =>
  mobile.page
    .locator('.credit__item')
    .filter({ visible: true })
    .evaluateAll((rows) =>
      rows.map((row) => ({ text: row.textContent ?? '', paid: row.classList.contains('credit__item--paid') })),
    );

describe('instalment repayment on the staff H5', () => {
  let browser: Browser;
  let beautician: StaffApi;
  let customerId: string;

  beforeAll(async () => {
    browser = await launchChromium();
    beautician = await StaffApi.login(inject('apiUrl'), DEMO_STAFF.beautician);
    customerId = await beautician.customerId('林小雅');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a beautician records the first instalment; 林小雅 sees it paid on her 挂账 page and the rest still due', async () => {
    const [store] = (await beautician.me()).stores;
    if (!store) throw new Error('the beautician has no store');
    const owed = (await beautician.creditOf(customerId)).owedFen;
    if (owed > 0) {
      await beautician.send('POST', `/staff/customers/${customerId}/credit-repayments`, {
        storeId: store.id,
        amountFen: owed,
        method: 'cash',
      });
    }
    const service = await beautician.serviceNamed('深层补水护理');
    const bill = await beautician.checkOut({
      customerId,
      serviceIds: [service.id],
      tenders: (totalFen) => [{ method: 'credit', amountFen: totalFen, instalments: { count: 3, interestFree: true } }],
    });
    const before = await beautician.creditOf(customerId);
    const [sale] = before.openSales;
    expect(before.openSales).toHaveLength(1);
    expect(sale).toMatchObject({ plan: 'instalments', instalmentCount: 3, outstandingFen: bill.totalFen });
    const items = sale?.items ?? [];
    const first = items[0] as CreditItem;
    expect(items.map((i) => [i.seq, i.status])).toEqual([
      [1, 'open'],
      [2, 'open'],
      [3, 'open'],
    ]);

    // 林小雅's phone: her 挂账 page shows the plan, nothing paid yet.
    const customer = await openMobilePage(browser, inject('customerUrl'));
    await logInAsDemoCustomer(customer);
    await loadAfresh(customer, `${inject('customerUrl')}/#/credit/index/index`);
    await expectText(customer, '待还金额');
    await expect
      .poll(() => customerRows(customer))
      .toEqual(items.map((i) => ({ text: expect.stringContaining(ROW_OF(i)), paid: false })));
    await saveScreenshot(customer.page, 'instalment-customer-before');

    // The beautician's phone: 挂账/还款 for 林小雅, the first instalment's amount in cash.
    const staff = await openMobilePage(browser, inject('staffUrl'));
    await expectText(staff, '员工登录');
    await submitLogin(staff, DEMO_STAFF.beautician, DEMO_STAFF_PASSWORD);
    await expectText(staff, '王美丽');
    await loadAfresh(staff, `${inject('staffUrl')}/#/front-desk/credit/index?customerId=${customerId}`);
    await expectText(staff, '林小雅 的挂账');
    const owedTotal = staff.page.locator('.fd__owed-total').filter({ visible: true }).first();
    expect(fenOf(await owedTotal.textContent())).toBe(before.owedFen);
    await expectText(staff, `${first.dueDate} 到期（第 1/3 期）`);
    await staff.page
      .locator('.fd__repay-amount input')
      .filter({ visible: true })
      .fill((first.outstandingFen / 100).toFixed(2));
    await saveScreenshot(staff.page, 'instalment-staff-before');
    await staff.page.getByText('确认还款', { exact: true }).filter({ visible: true }).click();
    const owedAfter = before.owedFen - first.outstandingFen;
    await expectText(staff, `已还 ${formatFen(first.outstandingFen)}，还欠 ${formatFen(owedAfter)}`);
    await expect.poll(async () => fenOf(await owedTotal.textContent())).toBe(owedAfter);
    await saveScreenshot(staff.page, 'instalment-staff-repaid');

    // The API: the first instalment is paid, the other two still open, the debt down by exactly its amount.
    const after: CustomerCredit = await beautician.creditOf(customerId);
    expect(after.owedFen).toBe(owedAfter);
    expect(after.openSales[0]?.items.map((i) => [i.seq, i.status, i.outstandingFen])).toEqual([
      [1, 'paid', 0],
      [2, 'open', items[1]?.outstandingFen],
      [3, 'open', items[2]?.outstandingFen],
    ]);

    // 林小雅 opens her 挂账 page again: 第 1/3 期 已还清, the others still to pay, the same debt as the API.
    await loadAfresh(customer, `${inject('customerUrl')}/#/credit/index/index`);
    await expect
      .poll(async () => fenOf(await customer.page.locator('.credit__owed').filter({ visible: true }).textContent()))
      .toBe(owedAfter);
    const rows = await customerRows(customer);
    expect(rows.map((r) => r.paid)).toEqual([true, false, false]);
    expect(rows[0]?.text).toContain(`${ROW_OF(first)}`);
    expect(rows[0]?.text).toContain('已还清');
    expect(rows.slice(1).some((r) => r.text.includes('已还清'))).toBe(false);
    await saveScreenshot(customer.page, 'instalment-customer-repaid');

    expect(staff.problems).toEqual([]);
    expect(customer.problems).toEqual([]);
    await staff.context.close();
    await customer.context.close();
  });
});
