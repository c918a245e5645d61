import type { AuditPage, ManagedTopUpPlan, TenantCreditSettings, TopUpPlan } from '@lumi/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectText, launchChromium, loadAfresh, type MobilePage, openMobilePage, saveScreenshot } from './browser.ts';
import { DEMO_STAFF, StaffApi } from './staff-api.ts';
import { staffPhone } from './staff-session.ts';

/**
 * 设置 and 审计 on the manager's phone (issue 16): 刘店长 changes a credit reminder and creates a top-up offer,
 * finds both in 审计 filtered by what was done, with before/after in Chinese and money in ¥; 王美丽's top-up
 * screen at the front desk offers the new plan, and no longer once he withdraws it.
 */
const PLAN = 'e2e 充800送88';

describe('设置 and 审计 H5', () => {
  let browser: Browser;
  let manager: StaffApi;
  let beautician: StaffApi;
  let phone: MobilePage;
  let creditBefore: TenantCreditSettings;

  beforeAll(async () => {
    browser = await launchChromium();
    manager = await StaffApi.login(inject('apiUrl'), DEMO_STAFF.manager);
    beautician = await StaffApi.login(inject('apiUrl'), DEMO_STAFF.beautician);
    creditBefore = await manager.send<TenantCreditSettings>('GET', '/staff/credit/settings');
    phone = await staffPhone(browser, DEMO_STAFF.manager, '刘店长');
  });
  afterAll(async () => {
    // The reminder days go back to what the other tests' salon had.
    await manager?.send('PUT', '/staff/credit/settings', { remindOverdueDays: creditBefore.remindOverdueDays });
    await browser?.close();
  });

  it('the manager changes a credit reminder and creates a top-up offer in 设置', async () => {
    const { page } = phone;
    await loadAfresh(phone, `${inject('staffUrl')}/#/manager/settings/index`);
    await expectText(phone, '充值方案');
    await expectText(phone, '会员等级');
    // The seeded offers, the anniversary one scheduled from tomorrow and the withdrawn trial among them.
    await expectText(phone, '周年庆 充2000送600 · 未开始');
    await expectText(phone, '体验 充300送30 · 已下架');
    expect(await page.locator('.tier-ladder__name input').count()).toBe(3);

    await page.locator('.mg__remind-overdue input').fill('2, 9');
    await page.locator('.mg__save').click();
    await expect
      .poll(async () => (await manager.send<TenantCreditSettings>('GET', '/staff/credit/settings')).remindOverdueDays)
      .toEqual([2, 9]);

    await page.locator('.top-up-plans__new').click();
    await page.locator('.top-up-plans__name-input input').fill(PLAN);
    await page.locator('.top-up-plans__pay input').fill('800');
    await page.locator('.top-up-plans__bonus input').fill('88');
    await page.locator('.top-up-plans__save').click();
    await expectText(phone, `${PLAN} · 在售`);
    await expectText(phone, '充¥800.00 送¥88.00');
    const plans = await manager.send<ManagedTopUpPlan[]>('GET', '/staff/settings/top-up-plans');
    expect(plans.find((p) => p.name === PLAN)).toMatchObject({ payFen: 80_000, bonusFen: 8_800, status: 'in_force' });
    await page.locator('.top-up-plans__plan', { hasText: PLAN }).scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'manager-settings');
    await page.locator('.tier-ladder').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'manager-settings-tiers');
    expect(phone.problems).toEqual([]);
  });

  it('审计 shows both changes, filtered by the action tapped, before/after in Chinese with ¥', async () => {
    const { page } = phone;
    await loadAfresh(phone, `${inject('staffUrl')}/#/manager/audit/index`);
    await expectText(phone, '新建充值方案');
    await page.locator('.mg__range--today').click();
    await saveScreenshot(page, 'manager-audit');

    await page.locator('.mg__audit-action', { hasText: '修改挂账设置' }).first().click();
    await expectText(phone, '修改挂账设置 ✕');
    await expect
      .poll(async () => [...new Set(await page.locator('.mg__audit-action').allTextContents())])
      .toEqual(['修改挂账设置']);
    await expectText(phone, /之后：逾期提醒（天）：2、9/);
    await saveScreenshot(page, 'manager-audit-credit-settings');

    await page.locator('.mg__action-on').click();
    await page.locator('.mg__audit-action', { hasText: '新建充值方案' }).first().click();
    await expect
      .poll(async () => [...new Set(await page.locator('.mg__audit-action').allTextContents())])
      .toEqual(['新建充值方案']);
    const entry = page.locator('.mg__audit-entry', { hasText: PLAN }).first();
    const after = (await entry.locator('.mg__after').textContent()) ?? '';
    for (const shown of ['充值金额：¥800.00', '赠送金额：¥88.00', `名称：${PLAN}`]) expect(after).toContain(shown);
    await saveScreenshot(page, 'manager-audit-top-up-plan');
    // The API agrees: today's entries of that action are the seed's two and this one.
    const created = await manager.send<AuditPage>('GET', '/staff/audit?action=top_up_plan.created');
    expect(created.items.map((e) => (e.after as { name: string }).name)).toContain(PLAN);
    expect(phone.problems).toEqual([]);
  });

  it("the beautician's top-up screen offers the new plan, and not once the manager withdraws it", async () => {
    const customerId = await beautician.customerId('林小雅');
    const desk = await staffPhone(browser, DEMO_STAFF.beautician, '王美丽');
    const topUpUrl = `${inject('staffUrl')}/#/front-desk/top-up/index?customerId=${customerId}`;
    await loadAfresh(desk, topUpUrl);
    await desk.page.locator('.fd__plan', { hasText: PLAN }).waitFor({ timeout: 15_000 });
    await desk.page.locator('.fd__plan', { hasText: PLAN }).click();
    await saveScreenshot(desk.page, 'front-desk-top-up-new-plan');

    const { page } = phone;
    await loadAfresh(phone, `${inject('staffUrl')}/#/manager/settings/index`);
    const row = page.locator('.top-up-plans__plan', { hasText: PLAN });
    await row.locator('.top-up-plans__withdraw').click();
    await row.locator('.top-up-plans__withdraw', { hasText: '确认下架' }).click();
    await expectText(phone, `${PLAN} · 已下架`);

    await loadAfresh(desk, topUpUrl);
    await desk.page.locator('.fd__plan', { hasText: '充1000送200' }).waitFor({ timeout: 15_000 });
    expect(await desk.page.locator('.fd__plan', { hasText: PLAN }).count()).toBe(0);
    const offered = await beautician.send<TopUpPlan[]>('GET', '/staff/top-up-plans');
    expect(offered.map((p) => p.name)).not.toContain(PLAN);
    expect(desk.problems).toEqual([]);
    await desk.context.close();
  });
});
