import type { AuditPage } from '@lumi/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectText, launchChromium, loadAfresh, type MobilePage, saveScreenshot } from './browser.ts';
import { DEMO_STAFF, StaffApi } from './staff-api.ts';
import { staffPhone } from './staff-session.ts';

/**
 * 审计 by who and by subject (issue 16): 刘店长 lists what 王美丽 did, opens 操作记录 from 林小雅's customer card and
 * from a bill, each listing exactly what the API's audit log holds about that one; 王美丽 sees no such link.
 */
describe('审计 by who and by subject H5', () => {
  let browser: Browser;
  let manager: StaffApi;
  let phone: MobilePage;

  beforeAll(async () => {
    browser = await launchChromium();
    manager = await StaffApi.login(inject('apiUrl'), DEMO_STAFF.manager);
    phone = await staffPhone(browser, DEMO_STAFF.manager, '刘店长');
  });
  afterAll(async () => {
    await browser?.close();
  });

  const shownActions = () => phone.page.locator('.mg__audit-action').allTextContents();
  const audit = (query: string) => manager.send<AuditPage>('GET', `/staff/audit?limit=30&${query}`);

  it('the manager picks 王美丽 from the team and sees only her doings', async () => {
    const { page } = phone;
    const her = await (await StaffApi.login(inject('apiUrl'), DEMO_STAFF.beautician)).me();
    await loadAfresh(phone, `${inject('staffUrl')}/#/manager/audit/index`);
    await page.locator('.mg__who', { hasText: '王美丽' }).click();
    const hers = await audit(`staffId=${her.id}`);
    expect(hers.items.length).toBeGreaterThan(0);
    await expect.poll(async () => (await shownActions()).length).toBe(hers.items.length);
    const actors = await page.locator('.mg__audit-entry .mg__main > :first-child').allTextContents();
    for (const line of actors) expect(line).toMatch(/· 王美丽$/);
    await saveScreenshot(page, 'manager-audit-by-staff');
    expect(phone.problems).toEqual([]);
  });

  it("操作记录 on 林小雅's card lists what was done to her", async () => {
    const { page } = phone;
    const xiaoya = await manager.customerId('林小雅');
    await loadAfresh(phone, `${inject('staffUrl')}/#/front-desk/customer/index?id=${xiaoya}`);
    await page.locator('.audit-trail-link').click({ timeout: 15_000 });
    await expectText(phone, '操作记录 · 林小雅');
    const about = await audit(`subjectId=${xiaoya}`);
    expect(about.items.length).toBeGreaterThan(0);
    await expect.poll(async () => (await shownActions()).length).toBe(about.items.length);
    await saveScreenshot(page, 'manager-audit-customer');
    expect(phone.problems).toEqual([]);
  });

  it('操作记录 on a bill lists what was done to that bill', async () => {
    const { page } = phone;
    // A bill of his own store: a manager reads only the bills of the stores he works at.
    const stores = new Set((await manager.me()).stores.map((s) => s.id));
    const billEntry = (await audit('subjectType=bill')).items.find((e) => e.storeId && stores.has(e.storeId));
    if (!billEntry) throw new Error("the demo has no audited bill of the manager's store");
    await loadAfresh(phone, `${inject('staffUrl')}/#/checkout/bill/index?id=${billEntry.subjectId}`);
    await page.locator('.audit-trail-link').click({ timeout: 15_000 });
    await expectText(phone, /操作记录 · 账单 /);
    const about = await audit(`subjectId=${billEntry.subjectId}`);
    await expect.poll(async () => (await shownActions()).length).toBe(about.items.length);
    await saveScreenshot(page, 'manager-audit-bill');
    expect(phone.problems).toEqual([]);
  });

  it('a beautician has no 操作记录 on the customer card', async () => {
    const desk = await staffPhone(browser, DEMO_STAFF.beautician, '王美丽');
    const xiaoya = await manager.customerId('林小雅');
    await loadAfresh(desk, `${inject('staffUrl')}/#/front-desk/customer/index?id=${xiaoya}`);
    await expectText(desk, '最近账单');
    await expectText(desk, '林小雅');
    await desk.page.waitForLoadState('networkidle');
    expect(await desk.page.locator('.audit-trail-link').count()).toBe(0);
    expect(desk.problems).toEqual([]);
    await desk.context.close();
  });
});
