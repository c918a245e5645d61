import type {
  CreditLimitRequest,
  CustomerCredit,
  CustomerProfile,
  CustomerWaitingCreditRequest,
  StaffProfile,
} from '@lumi/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectText, launchChromium, loadAfresh, type MobilePage, openMobilePage, saveScreenshot } from './browser.ts';
import { DEMO_STAFF, StaffApi } from './staff-api.ts';
import { DEMO_BEAUTICIAN_PHONE, DEMO_STAFF_PASSWORD, staffPhone, submitLogin } from './staff-session.ts';

/** The texts of the visible elements (H5 keeps the pages below the top one in the DOM, hidden). */
const texts = (mobile: MobilePage, selector: string) =>
  mobile.page.locator(selector).filter({ visible: true }).allTextContents();

describe('挂账 at the front desk on the beautician’s phone (H5, real API)', () => {
  let browser: Browser;
  // A new customer each run: the demo database is shared by the run's tests.
  const suffix = String(Date.now()).slice(-7);
  const name = `挂账客${suffix.slice(-4)}`;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows her three instalments, files a limit request, and takes a repayment across two of them', async () => {
    // ¥1,200 on the tab in 3 monthly instalments of ¥400, against the ¥3,000 刘店长 granted her.
    const [beautician, manager] = await Promise.all([
      StaffApi.login(inject('apiUrl'), DEMO_STAFF.beautician),
      StaffApi.login(inject('apiUrl'), DEMO_STAFF.manager),
    ]);
    const me = await beautician.send<StaffProfile>('GET', '/staff/me');
    const storeId = me.stores[0]?.id as string;
    const customer = await beautician.send<CustomerProfile>('POST', '/staff/customers', {
      phone: `1372${suffix}`,
      name,
    });
    await manager.send('PUT', `/staff/customers/${customer.id}/credit-line/limit`, {
      limitFen: 300_000,
      reason: '老顾客，月结',
    });
    await beautician.send('POST', `/staff/customers/${customer.id}/credit-sales`, {
      storeId,
      amountFen: 120_000,
      items: [{ name: '年度护理套餐', quantity: 1, amountFen: 120_000 }],
      instalments: { count: 3 },
    });

    const mobile = await openMobilePage(browser, inject('staffUrl'));
    const { page } = mobile;
    await submitLogin(mobile, DEMO_BEAUTICIAN_PHONE, DEMO_STAFF_PASSWORD);
    await expectText(mobile, '王美丽');
    await loadAfresh(mobile, `${inject('staffUrl')}/#/front-desk/customer/index?id=${customer.id}`);
    await expectText(mobile, name);
    await page.getByText('挂账/还款', { exact: true }).filter({ visible: true }).click();
    await expectText(mobile, `${name} 的挂账`);
    await expect(texts(mobile, '.fd__owed-total')).resolves.toEqual(['¥1,200.00']);
    await expectText(mobile, '¥3,000.00 · ¥1,800.00');
    const dues = await texts(mobile, '.fd__due');
    expect(dues).toHaveLength(3);
    expect(dues.map((d) => /（第 (\d)\/3 期）/.exec(d)?.[1])).toEqual(['1', '2', '3']);
    for (const due of dues) expect(due).toContain('¥400.00');
    await saveScreenshot(page, 'front-desk-credit-instalments');

    // A higher limit: the suggestion and its reasons are on the page; she asks ¥5,000 with a reason.
    await page.locator('.fd__limit-input input').fill('5000');
    await page.locator('.fd__limit-reason input').fill('年卡老顾客，按时还款');
    await page.locator('.fd__limit-submit').filter({ visible: true }).click();
    await expectText(mobile, '已提交，等待店长审批');
    const [filed] = await beautician.send<CreditLimitRequest[]>(
      'GET',
      `/staff/credit-requests?customerId=${customer.id}`,
    );
    expect(filed).toMatchObject({
      status: 'pending',
      requestedLimitFen: 500_000,
      currentLimitFen: 300_000,
      reason: '年卡老顾客，按时还款',
    });
    await saveScreenshot(page, 'front-desk-credit-requested');

    // ¥500 in cash: the first instalment is paid off, ¥100 of the second; ¥700 still owed.
    await page.locator('.fd__repay-amount input').fill('500');
    await page.locator('.fd__repay-submit').filter({ visible: true }).click();
    await expectText(mobile, '已还 ¥500.00，还欠 ¥700.00');
    // The page reads her credit again after the message: wait for the new total before reading the rows.
    await expect.poll(() => texts(mobile, '.fd__owed-total'), { timeout: 30_000 }).toEqual(['¥700.00']);
    const left = await texts(mobile, '.fd__due');
    expect(left).toHaveLength(2);
    expect(left[0]).toContain('（第 2/3 期）');
    expect(left[0]).toContain('已还 ¥100.00');
    expect(left[0]).toContain('¥300.00');
    expect(left[1]).toContain('（第 3/3 期）');
    expect(left[1]).toContain('¥400.00');
    const credit = await beautician.send<CustomerCredit>('GET', `/staff/customers/${customer.id}/credit`);
    expect(credit.owedFen).toBe(70_000);
    expect(credit.nextDue).toMatchObject({ amountFen: 30_000 });
    await saveScreenshot(page, 'front-desk-credit-repaid');
    expect(mobile.problems).toEqual([]);
    await mobile.context.close();
    // A dozen steps, each against the real API, and a poll of up to 30 s: more than the default on a busy box.
  }, 90_000);

  it('shows a colleague’s waiting request instead of the form (two staff phones)', async () => {
    // 赵晓雪, of the other store, files a limit request on her phone; 王美丽 then opens the same customer's 挂账.
    const beautician = await StaffApi.login(inject('apiUrl'), DEMO_STAFF.beautician);
    const colleagueName = `同事客${suffix.slice(-4)}`;
    const customer = await beautician.send<CustomerProfile>('POST', '/staff/customers', {
      phone: `1373${suffix}`,
      name: colleagueName,
    });
    const creditPage = `${inject('staffUrl')}/#/front-desk/credit/index?customerId=${customer.id}`;

    const colleague = await staffPhone(browser, DEMO_STAFF.colleague, '赵晓雪');
    await loadAfresh(colleague, creditPage);
    await expectText(colleague, `${colleagueName} 的挂账`);
    await colleague.page.locator('.fd__limit-input input').fill('2000');
    await colleague.page.locator('.fd__limit-reason input').fill('常来做护理，想月底结算');
    await colleague.page.locator('.fd__limit-submit').filter({ visible: true }).click();
    await expectText(colleague, '已提交，等待店长审批');

    const mobile = await staffPhone(browser, DEMO_BEAUTICIAN_PHONE, '王美丽');
    await loadAfresh(mobile, creditPage);
    await expectText(mobile, '赵晓雪 已提交申请，等待店长审批');
    await expect(texts(mobile, '.fd__filed-amount')).resolves.toEqual(['¥2,000.00']);
    const [filedBy] = await texts(mobile, '.fd__filed-by');
    expect(filedBy).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} · 赵晓雪$/);
    // No form: a second request would be refused while hers waits.
    expect(await mobile.page.locator('.fd__limit-submit').filter({ visible: true }).count()).toBe(0);
    const { waiting } = await beautician.send<CustomerWaitingCreditRequest>(
      'GET',
      `/staff/customers/${customer.id}/credit-requests/waiting`,
    );
    expect(waiting).toMatchObject({ requestedLimitFen: 200_000, requestedBy: { name: '赵晓雪' } });
    await saveScreenshot(mobile.page, 'front-desk-credit-colleague-waiting');
    expect([...colleague.problems, ...mobile.problems]).toEqual([]);
    await Promise.all([colleague.context.close(), mobile.context.close()]);
  }, 60_000);
});
