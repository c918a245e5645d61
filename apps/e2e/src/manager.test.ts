import {
  type Bill,
  type CreditLimitRequest,
  type CustomerList,
  type Dispute,
  formatFen,
  type ManagerReport,
  type ReconciliationReport,
  type StaffCatalog,
  type Wallet,
} from '@lumi/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectText, launchChromium, type MobilePage, openMobilePage, saveScreenshot } from './browser.ts';
import { DEMO_STAFF, StaffApi } from './staff-api.ts';
import { staffPhone } from './staff-session.ts';

/**
 * The manager's phone (issue 16) in two browser contexts on the demo salon: 王美丽 (beautician) and 刘店长
 * (manager of 国贸店), each logged in on the staff H5, checked against the API.
 */
/** In the page: each chart canvas, its backing width, and whether F2 painted more than a few pixels of it. */
const PAINTED_CHARTS = `[...document.querySelectorAll('canvas.mg__chart')].map((canvas) => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
  return { id: canvas.id, width: canvas.width, painted: painted > 100 };
})`;

/** Failed fetches Chromium logs as console errors when a refusal is the expected answer. */
const unexpected = (mobile: MobilePage, ...statuses: number[]) =>
  mobile.problems.filter((p) => !statuses.some((s) => p.includes(String(s))));

describe('the manager phone H5', () => {
  let browser: Browser;
  let beautician: StaffApi;
  let manager: StaffApi;

  beforeAll(async () => {
    browser = await launchChromium();
    beautician = await StaffApi.login(inject('apiUrl'), DEMO_STAFF.beautician);
    manager = await StaffApi.login(inject('apiUrl'), DEMO_STAFF.manager);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a beautician files a limit request; the manager approves less on the phone; the till takes it and refuses more', async () => {
    // A customer without a credit line or a request waiting: the beautician files for 挂账 ¥3,000.00.
    const customers = await beautician.send<CustomerList>('GET', '/staff/customers?limit=50');
    let filed: CreditLimitRequest | null = null;
    for (const c of customers.items) {
      const wallet = await beautician.send<Wallet>('GET', `/staff/customers/${c.id}/wallet`);
      if (wallet.credit.limitFen !== 0 || wallet.credit.owedFen !== 0) continue;
      const pending = await beautician.send<CreditLimitRequest[]>(
        'GET',
        `/staff/credit-requests?customerId=${c.id}&status=pending`,
      );
      if (pending.length > 0) continue;
      filed = await beautician.send<CreditLimitRequest>('POST', `/staff/customers/${c.id}/credit-requests`, {
        requestedLimitFen: 300_000,
        reason: '办疗程卡，申请月底统一结算',
      });
      break;
    }
    if (!filed) throw new Error('the demo salon has no customer without a credit line');
    const customerName = filed.customer.name ?? '';

    const phone = await staffPhone(browser, DEMO_STAFF.manager, '刘店长');
    const { page } = phone;
    const waiting = (await manager.send<{ counts: { total: number } }>('GET', '/staff/inbox')).counts.total;
    await expect.poll(() => page.locator('.home__badge').textContent()).toBe(String(waiting));
    await saveScreenshot(page, 'manager-home');
    await page.locator('.home__entry--inbox').click();
    await expectText(phone, `全部 ${waiting}`);
    await saveScreenshot(page, 'manager-inbox');
    await page.locator('.mg__item--credit_limit', { hasText: customerName }).first().click();
    await expectText(phone, '建议依据');
    await saveScreenshot(page, 'manager-credit-request');
    await page.locator('.mg__limit input').fill('1500');
    await page.locator('.mg__note input').fill('先批一千五，按时还款再提额');
    await page.locator('.mg__approve').click();
    await expectText(phone, '批准额度 ¥1,500.00');
    await saveScreenshot(page, 'manager-credit-approved');

    const decided = await manager.send<CreditLimitRequest>('GET', `/staff/credit-requests/${filed.id}`);
    expect(decided).toMatchObject({ status: 'approved', approvedLimitFen: 150_000, decidedBy: { name: '刘店长' } });
    const wallet = await beautician.send<Wallet>('GET', `/staff/customers/${filed.customer.id}/wallet`);
    expect(wallet.credit.limitFen).toBe(150_000);

    // At the till: two 光子嫩肤 bills. What the limit allows goes on the tab; a fen more is refused.
    const me = await beautician.me();
    const catalog = await beautician.send<StaffCatalog>('GET', '/staff/catalog');
    const photo = catalog.services.find((s) => s.name === '光子嫩肤');
    if (!photo) throw new Error('no 光子嫩肤 in the demo catalogue');
    const open = () =>
      beautician.send<Bill>('POST', '/staff/bills', {
        storeId: me.stores[0]?.id,
        customerId: filed.customer.id,
        lines: [{ type: 'service', serviceId: photo.id, performerIds: [me.id] }],
      });
    const first = await open();
    const onTab = await beautician.send<Bill>('POST', `/staff/bills/${first.id}/settlement`, {
      tenders: [{ method: 'credit', amountFen: first.totalFen }],
    });
    expect(onTab.status).toBe('settled');
    const left = 150_000 - first.totalFen;
    const second = await open();
    const over = await beautician.status('POST', `/staff/bills/${second.id}/settlement`, {
      tenders: [
        { method: 'credit', amountFen: left + 1 },
        { method: 'cash', amountFen: second.totalFen - left - 1 },
      ],
    });
    expect(over).toEqual({ status: 422, code: 'CREDIT_LIMIT_EXCEEDED' });
    const upTo = await beautician.send<Bill>('POST', `/staff/bills/${second.id}/settlement`, {
      tenders: [
        { method: 'credit', amountFen: left },
        { method: 'cash', amountFen: second.totalFen - left },
      ],
    });
    expect(upTo.status).toBe('settled');
    const after = await beautician.send<Wallet>('GET', `/staff/customers/${filed.customer.id}/wallet`);
    expect(after.credit.owedFen).toBe(150_000);
    expect(unexpected(phone)).toEqual([]);
    await phone.context.close();
  });

  it('shows the manager 逾期 and 客群 with charts drawn on a canvas, and a segment lists its customers', async () => {
    const phone = await staffPhone(browser, DEMO_STAFF.manager, '刘店长');
    const { page } = phone;
    await page.locator('.home__entry--overdue').click();
    await expectText(phone, /账龄（截至/);
    await expectText(phone, '90 天以上');
    await saveScreenshot(page, 'manager-overdue');

    await page.goBack();
    await page.locator('.home__entry--segments').click();
    await expectText(phone, '客群规模（点选查看顾客）');
    // Every chart is a canvas with a size that F2 has drawn on (some pixel is not transparent).
    await expect
      .poll(() => page.evaluate(PAINTED_CHARTS))
      .toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: 'segment-sizes', painted: true }),
          expect.objectContaining({ id: 'spend-share', painted: true }),
          expect.objectContaining({ id: 'liability', painted: true }),
        ]),
      );
    await saveScreenshot(page, 'manager-segments');

    const dashboard = await manager.send<{ segments: { segment: string; label: string; customers: number }[] }>(
      'GET',
      '/staff/segmentation/dashboard',
    );
    const biggest = [...dashboard.segments].sort((a, b) => b.customers - a.customers)[0];
    if (!biggest) throw new Error('no segments in the demo salon');
    expect(await page.locator(`.mg__datum--${biggest.segment}`).first().textContent()).toContain(
      `${biggest.customers} 人`,
    );
    await page.locator(`.mg__datum--${biggest.segment}`).first().click();
    await expectText(phone, new RegExp(`${biggest.label} · \\d+\\+? 位`));
    expect(await page.locator('.mg__member').count()).toBe(Math.min(biggest.customers, 50));
    await saveScreenshot(page, 'manager-segment-customers');
    // A customer of the segment opens on the front desk's card.
    const first = page.locator('.mg__member').filter({ visible: true }).first();
    const name = (await first.locator('.mg__main > *').first().textContent())?.trim() ?? '';
    await first.click();
    await expect.poll(() => page.url()).toContain('/front-desk/customer/index?id=');
    if (name && name !== '未留名顾客') await expectText(phone, name);
    await saveScreenshot(page, 'manager-segment-customer-card');
    expect(unexpected(phone)).toEqual([]);
    await phone.context.close();
  });

  it('shows 报表 for today and this month, the figures the API gives and the revenue chart drawn', async () => {
    const owner = await StaffApi.login(inject('apiUrl'), DEMO_STAFF.owner);
    const today = await owner.send<ManagerReport>('GET', '/staff/reports?period=day');
    const month = await owner.send<ManagerReport>('GET', '/staff/reports?period=month');
    expect(month.revenue.netFen).toBeGreaterThan(0);
    const phone = await staffPhone(browser, DEMO_STAFF.owner, '陈店主');
    const { page } = phone;
    await page.locator('.home__entry--reports').click();
    await expectText(phone, `营收 ${today.from}`);
    await expect
      .poll(() => page.locator('.mg__report-revenue').filter({ visible: true }).textContent())
      .toContain(formatFen(today.revenue.netFen));
    await saveScreenshot(page, 'manager-reports-today');
    await page.locator('.mg__period--month').filter({ visible: true }).click();
    await expectText(phone, `营收 ${month.from} 至 ${month.to}`);
    await expect
      .poll(() => page.evaluate(PAINTED_CHARTS))
      .toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: 'report-days', painted: true }),
          expect.objectContaining({ id: 'report-tenders', painted: true }),
          expect.objectContaining({ id: 'report-stores', painted: true }),
        ]),
      );
    // Every day of the month is in the list under the chart, with its number.
    expect(await page.locator('.mg__chart-card--report-days .mg__datum').filter({ visible: true }).count()).toBe(
      month.byDay.length,
    );
    await expectText(phone, formatFen(month.revenue.netFen));
    // The demo's WeChat Pay days (seed/demo-reconciliation.ts): two days ago WeChat's bills hold a top-up Lumi
    // never recorded; its money is the difference between what reached the account and what Lumi expected.
    const twoDaysAgo = new Date(Date.now() + 8 * 3_600_000 - 2 * 86_400_000).toISOString().slice(0, 10);
    const missed = await owner.send<ReconciliationReport>('GET', `/staff/payments/reconciliation?date=${twoDaysAgo}`);
    expect(missed.mismatches.map((m) => [m.kind, m.wechatAmountFen])).toEqual([['missing_in_lumi', 12_800]]);
    expect(missed.settlement && missed.settlement.netFen - missed.settlement.expectedNetFen).toBe(12_800);
    const settled = month.reconciliation.days.flatMap((d) => (d.settlement ? [d.settlement] : []));
    // Early in a month those days belong to the month before; the card shows the month's own days.
    if (settled.some((d) => d.netFen !== d.expectedNetFen)) {
      const differenceFen = settled.reduce((sum, d) => sum + d.netFen - d.expectedNetFen, 0);
      await expectText(phone, `相差 ${formatFen(differenceFen)}：微信实际入账多于系统记录，见下方差异`);
      await page.locator('.mg__report-reconciliation').filter({ visible: true }).scrollIntoViewIfNeeded();
    }
    await saveScreenshot(page, 'manager-reports-month');
    expect(unexpected(phone)).toEqual([]);
    await phone.context.close();
  });

  it('the manager answers an open dispute on the phone, with the bill, its staff and its ledger entries', async () => {
    // The owner sees every store's questions; the seeded open one may be at either store.
    const owner = await StaffApi.login(inject('apiUrl'), DEMO_STAFF.owner);
    const [open] = await owner.send<Dispute[]>('GET', '/staff/disputes?status=open');
    if (!open) throw new Error('the demo salon has no open dispute');
    const phone = await staffPhone(browser, DEMO_STAFF.owner, '陈店主');
    const { page } = phone;
    await page.locator('.home__entry--inbox').click();
    await page.locator('.mg__item--dispute', { hasText: open.billNumber }).click();
    await expectText(phone, open.reason);
    await expectText(phone, new RegExp(`账单 ${open.billNumber}`));
    await expectText(phone, '账户流水');
    await saveScreenshot(page, 'manager-dispute');
    await page.locator('.mg__note input').fill('已核实，当天护理时长不足，下次到店为您补足');
    await page.locator('.mg__answer-send').click();
    await expectText(phone, '答复：已核实，当天护理时长不足，下次到店为您补足');
    const answered = (await owner.send<Dispute[]>('GET', '/staff/disputes?status=answered')).find(
      (d) => d.id === open.id,
    );
    expect(answered).toMatchObject({ status: 'answered', answer: '已核实，当天护理时长不足，下次到店为您补足' });
    expect(unexpected(phone)).toEqual([]);
    await phone.context.close();
  });

  it('shows the finished wake-up campaign with its uplift, and drafts a new one with a live audience count', async () => {
    const phone = await staffPhone(browser, DEMO_STAFF.manager, '刘店长');
    const { page } = phone;
    await page.locator('.home__entry--campaigns').click();
    const { items } = await manager.send<{ items: { id: string; name: string }[] }>(
      'GET',
      '/staff/segmentation/campaigns',
    );
    const seeded = items.find((c) => c.name === '老客回归季');
    if (!seeded) throw new Error('the demo salon has no finished campaign');
    const results = await manager.send<{
      treated: { returned: number; customers: number };
      holdout: { customers: number };
    }>('GET', `/staff/segmentation/campaigns/${seeded.id}/results`);
    await page.locator('.mg__campaign', { hasText: '老客回归季' }).click();
    await expectText(phone, new RegExp(`^${results.treated.returned} / ${results.treated.customers} = `));
    // A small salon's audience may hold nobody out (20% of a handful): then the page says it cannot measure.
    if (results.holdout.customers > 0) {
      await expectText(phone, /回店率提升/);
      await expectText(phone, /95% 区间/);
    } else {
      await expectText(phone, '没有对照组，无法衡量活动带来的提升');
    }
    await saveScreenshot(page, 'manager-campaign-results');

    await page.goBack();
    await page.locator('.mg__new-campaign').click();
    const audience = await manager.send<{ count: number }>('POST', '/staff/segmentation/groups/preview', {
      rules: { segments: ['at_risk', 'dormant'] },
    });
    await expectText(phone, new RegExp(`共 ${audience.count} 位顾客`));
    await saveScreenshot(page, 'manager-campaign-new');
    await page.locator('.mg__campaign-name input').fill('e2e 唤醒草稿');
    await page.locator('.mg__create-campaign').click();
    await expectText(phone, 'e2e 唤醒草稿 · 草稿');
    await saveScreenshot(page, 'manager-campaign-draft');
    const drafts = await manager.send<{ items: { name: string; status: string; holdoutBasisPoints: number }[] }>(
      'GET',
      '/staff/segmentation/campaigns',
    );
    expect(drafts.items.find((c) => c.name === 'e2e 唤醒草稿')).toMatchObject({
      status: 'draft',
      holdoutBasisPoints: 2_000,
    });
    expect(unexpected(phone)).toEqual([]);
    await phone.context.close();
  });

  it('a beautician sees no manager tile, an empty page at a manager address, and the API answers her 403', async () => {
    const mobile = await staffPhone(browser, DEMO_STAFF.beautician, '王美丽');
    const { page } = mobile;
    expect(await page.locator('.home__entry--inbox').count()).toBe(0);
    await page.goto(`${inject('staffUrl')}/#/manager/inbox/index`);
    await page.locator('.mg--denied').waitFor({ state: 'attached', timeout: 15_000 });
    expect(await page.locator('.mg__item, .mg__chip').count()).toBe(0);
    await saveScreenshot(page, 'manager-denied-to-beautician');
    for (const path of ['/staff/inbox', '/staff/credit/collections', '/staff/segmentation/dashboard']) {
      expect(await beautician.status('GET', path)).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
    expect(unexpected(mobile)).toEqual([]);
    await mobile.context.close();
  });
});
