import type { CreditLimitRequest, CustomerCredit, CustomerProfile } from '@lumi/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectText, launchChromium, loadAfresh, type MobilePage, saveScreenshot } from './browser.ts';
import { DEMO_STAFF, StaffApi } from './staff-api.ts';
import { staffPhone } from './staff-session.ts';

/** Opens one limit request on the manager's phone, ready for a decision. */
async function openRequest(phone: MobilePage, id: string): Promise<void> {
  await loadAfresh(phone, `${inject('staffUrl')}/#/manager/credit-request/index?id=${id}`);
  await expectText(phone, '建议依据');
}

describe('保留现有额度: the manager approves a request below the limit the customer has (staff H5, real API)', () => {
  let browser: Browser;
  const suffix = String(Date.now()).slice(-7);
  const name = `保留额度${suffix.slice(-4)}`;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a plain approval keeps her higher limit; 降至批准额度 with a note lowers it', async () => {
    const [beautician, manager] = await Promise.all([
      StaffApi.login(inject('apiUrl'), DEMO_STAFF.beautician),
      StaffApi.login(inject('apiUrl'), DEMO_STAFF.manager),
    ]);
    const customer = await beautician.send<CustomerProfile>('POST', '/staff/customers', {
      phone: `1374${suffix}`,
      name,
    });
    const file = (requestedLimitFen: number, reason: string) =>
      beautician.send<CreditLimitRequest>('POST', `/staff/customers/${customer.id}/credit-requests`, {
        requestedLimitFen,
        reason,
      });
    const limitNow = async () =>
      (await beautician.send<CustomerCredit>('GET', `/staff/customers/${customer.id}/credit`)).limitFen;

    // She asks ¥3,000; before a manager decides, her limit is raised to ¥5,000 directly.
    const first = await file(300_000, '办年卡，月底统一结算');
    await manager.send('PUT', `/staff/customers/${customer.id}/credit-line/limit`, {
      limitFen: 500_000,
      reason: '老顾客，直接提额',
    });

    const phone = await staffPhone(browser, DEMO_STAFF.manager, '刘店长');
    const { page } = phone;
    await openRequest(phone, first.id);
    await expect(page.locator('.mg__line-limit').textContent()).resolves.toBe('¥5,000.00');
    await expectText(phone, '提交时额度 ¥0.00');
    await expectText(phone, '该顾客现有额度 ¥5,000.00，高于批准额度：批准后保留现有额度');
    await saveScreenshot(page, 'manager-credit-keep-limit');
    await page.locator('.mg__approve').click();
    await expectText(phone, '保留现有额度 ¥5,000.00');
    await expectText(phone, '批准额度 ¥3,000.00');
    await saveScreenshot(page, 'manager-credit-limit-kept');
    const kept = await manager.send<CreditLimitRequest>('GET', `/staff/credit-requests/${first.id}`);
    expect(kept).toMatchObject({ status: 'approved', approvedLimitFen: 300_000, limitAfterFen: 500_000 });
    expect(await limitNow()).toBe(500_000);

    // A second request for ¥4,000: this time the manager lowers her line to it on purpose, saying why.
    const second = await file(400_000, '按近期消费调整额度');
    await openRequest(phone, second.id);
    await page.locator('.mg__lower-existing').click();
    await page.locator('.mg__approve').click();
    await expectText(phone, '请填写降额原因（至少 2 个字）');
    expect(await limitNow()).toBe(500_000);
    await page.locator('.mg__note input').fill('近三个月消费下降，额度随之下调');
    await page.locator('.mg__approve').click();
    await expectText(phone, '批准额度 ¥4,000.00');
    expect(await page.getByText(/保留现有额度/).count()).toBe(0);
    await saveScreenshot(page, 'manager-credit-limit-lowered');
    const lowered = await manager.send<CreditLimitRequest>('GET', `/staff/credit-requests/${second.id}`);
    expect(lowered).toMatchObject({
      status: 'approved',
      approvedLimitFen: 400_000,
      limitAfterFen: 400_000,
      decisionNote: '近三个月消费下降，额度随之下调',
    });
    expect(await limitNow()).toBe(400_000);
    expect(phone.problems).toEqual([]);
    await phone.context.close();
  });
});
