import type { ApprovalRequest, CustomerProfile, StaffCatalog, StaffProfile, Wallet } from '@lumi/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectText, launchChromium, loadAfresh, type MobilePage, openMobilePage, saveScreenshot } from './browser.ts';
import { DEMO_STAFF, StaffApi } from './staff-api.ts';
import { DEMO_BEAUTICIAN_PHONE, DEMO_STAFF_PASSWORD, submitLogin } from './staff-session.ts';

/** The API as the beautician: sets up the two customers and checks what the pages say against the server. */
async function beauticianApi() {
  const staff = await StaffApi.login(inject('apiUrl'), DEMO_STAFF.beautician);
  return <T>(path: string, body?: unknown): Promise<T> =>
    staff.send<T>(body === undefined ? 'GET' : 'POST', path, body);
}

/** The text of the visible element (H5 keeps the pages below the top one in the DOM, hidden). */
const text = (mobile: MobilePage, selector: string) =>
  mobile.page.locator(selector).filter({ visible: true }).first().textContent();

describe('转卡 on the beautician’s phone, approved on the manager’s (H5, two browser contexts)', () => {
  let browser: Browser;
  let api: Awaited<ReturnType<typeof beauticianApi>>;
  // New customers each run: the demo database is shared by the run's tests.
  const suffix = String(Date.now()).slice(-7);
  const giverName = `转卡甲${suffix.slice(-4)}`;
  const receiverName = `转卡乙${suffix.slice(-4)}`;
  const receiverPhone = `1370${suffix}`;

  beforeAll(async () => {
    browser = await launchChromium();
    api = await beauticianApi();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('she asks to move 10 of 12 sessions, 刘店长 approves, and both customers’ cards show the sessions moved', async () => {
    // Two customers of 国贸店; the giver bought the 12-session card.
    const me = await api<StaffProfile>('/staff/me');
    const storeId = me.stores[0]?.id as string;
    const giver = await api<CustomerProfile>('/staff/customers', { phone: `1371${suffix}`, name: giverName });
    const receiver = await api<CustomerProfile>('/staff/customers', { phone: receiverPhone, name: receiverName });
    const catalog = await api<StaffCatalog>('/staff/catalog');
    const plan = catalog.packagePlans.find((p) => p.sessions === 12);
    expect(plan).toBeTruthy();
    await api(`/staff/customers/${giver.id}/package-cards`, { storeId, planId: plan?.id, method: 'cash' });
    const [card] = (await api<Wallet>(`/staff/customers/${giver.id}/wallet`)).packageCards;
    expect(card).toMatchObject({ sessionsLeft: 12, sessionsTotal: 12 });

    const beautician = await openMobilePage(browser, inject('staffUrl'));
    const { page } = beautician;
    await submitLogin(beautician, DEMO_BEAUTICIAN_PHONE, DEMO_STAFF_PASSWORD);
    await expectText(beautician, '王美丽');
    await loadAfresh(beautician, `${inject('staffUrl')}/#/front-desk/customer/index?id=${giver.id}`);
    await expectText(beautician, giverName);
    await page.locator('.fd__card-transfer').filter({ visible: true }).first().click();
    await expectText(beautician, '选择转入顾客');

    // The receiver is found as at the desk: the shared search (paged, or her member code).
    await page.locator('.fd__customer-search input').fill(receiverPhone);
    await page.locator('.fd__customer-search input').press('Enter');
    await page.locator('.fd__customer', { hasText: receiverName }).filter({ visible: true }).click();
    await expectText(beautician, '全部转出，本卡剩余 0 次');
    const minus = page.locator('.fd__transfer-count .fd__step--minus').filter({ visible: true });
    await minus.click();
    await minus.click();
    await expectText(beautician, '本卡保留 2 次');
    await expect(text(beautician, '.fd__transfer-sessions')).resolves.toBe('10');
    await page.locator('.fd__transfer-reason input').fill('出国半年，转给妹妹，留 2 次回国用');
    await saveScreenshot(page, 'front-desk-card-transfer-ask');
    await page.locator('.fd__transfer-submit').filter({ visible: true }).click();
    await expectText(beautician, '待店长审批');
    await expectText(beautician, `${giverName} → ${receiverName} · 10 次，原卡保留 2 次`);

    const [request] = await api<ApprovalRequest[]>(
      `/staff/approval-requests?kind=package_transfer&customerId=${giver.id}`,
    );
    expect(request).toMatchObject({
      status: 'pending',
      amountFen: 10,
      packageTransfer: { sessions: 10, sessionsLeft: 12, to: { id: receiver.id } },
    });

    // 刘店长 reads what moves and what stays, and approves on his phone.
    const manager = await openMobilePage(browser, inject('staffUrl'));
    await submitLogin(manager, DEMO_STAFF.manager, DEMO_STAFF_PASSWORD);
    await expectText(manager, '刘店长');
    await manager.page.locator('.home__entry--inbox').click();
    await manager.page.locator('.mg__item--package_transfer', { hasText: giverName }).first().click();
    await expectText(manager, '次卡转让 · 待店长审批');
    await expect(text(manager, '.mg__transfer-sessions')).resolves.toBe('10 次');
    await expect(text(manager, '.mg__transfer-kept')).resolves.toBe('2 次');
    await saveScreenshot(manager.page, 'manager-card-transfer');
    await manager.page.locator('.mg__approve').filter({ visible: true }).click();
    await expectText(manager, '次卡转让 · 店长已批准并执行');
    expect(manager.problems).toEqual([]);
    await manager.context.close();

    // Her screen follows the request to the decision.
    await expectText(beautician, '店长已批准并执行', 30_000);
    await saveScreenshot(page, 'front-desk-card-transfer-approved');

    // The sessions moved once: 2 stay on her card, 10 arrived on a new card of the receiver's — 12 in all.
    const giverCards = (await api<Wallet>(`/staff/customers/${giver.id}/wallet`)).packageCards;
    const receiverCards = (await api<Wallet>(`/staff/customers/${receiver.id}/wallet`)).packageCards;
    expect(giverCards.map((c) => c.sessionsLeft)).toEqual([2]);
    expect(receiverCards.map((c) => [c.sessionsLeft, c.sessionsTotal])).toEqual([[10, 10]]);
    // Both customer cards show it.
    await loadAfresh(beautician, `${inject('staffUrl')}/#/front-desk/customer/index?id=${giver.id}`);
    await expectText(beautician, '剩余 2/12 次');
    await loadAfresh(beautician, `${inject('staffUrl')}/#/front-desk/customer/index?id=${receiver.id}`);
    await expectText(beautician, receiverName);
    await expectText(beautician, '剩余 10/10 次');
    await saveScreenshot(page, 'front-desk-card-transfer-received');
    expect(beautician.problems).toEqual([]);
    await beautician.context.close();
  });
});
