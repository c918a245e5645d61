import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startLumiApi } from '@lumi/api/testing';
import { API_PREFIX, serveH5 } from '@lumi/dev-server';
import { formatFen } from '@lumi/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { APP_IDS, distDir } from './apps.ts';
import { expectText, launchChromium, type MobilePage, openMobilePage, saveScreenshot } from './browser.ts';
import { fenOf, logInAsDemoCustomer } from './customer-app.ts';
import { DEMO_STAFF, StaffApi } from './staff-api.ts';

const CUSTOMER = '林小雅';
/**
 * The demo seed leaves 林小雅 one bill waiting for her confirmation (眼部抗皱护理, held three days), so the app's
 * counts start there and the test's own bill is told apart by its amount.
 */
const SEEDED_WAITING = 1;
const DEMO_OPENID = 'demo-customer-001';

const totalFen = (page: Page) =>
  page
    .locator('.wallet__total')
    .first()
    .textContent()
    .then((text) => fenOf(text));

/** Taps 我的账单 on the home page and opens the first bill marked `status`. */
async function openBill(mobile: MobilePage, status: string): Promise<void> {
  await mobile.page.getByText('我的账单', { exact: true }).click();
  await expectText(mobile, status);
  expect(mobile.page.url()).toContain('#/pages/bills/index');
  await mobile.page.locator('.bill-card').filter({ hasText: status }).first().click();
  await expectText(mobile, '消费明细');
  expect(mobile.page.url()).toContain('#/bills/detail/index?id=');
}

describe('customer bills H5', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe('in a salon that asks its customers first (confirm_first)', () => {
    // The run's other tests expect the demo's notify mode, so this salon is an API of its own (fresh seeded
    // database) behind its own H5 server, sharing the run's build and WeChat simulator; its manager switches it.
    let salon: Awaited<ReturnType<typeof startLumiApi>>;
    let h5: Awaited<ReturnType<typeof serveH5>>;

    beforeAll(async () => {
      salon = await startLumiApi({ wechatApiBase: inject('simUrl') });
      const manager = await StaffApi.login(salon.url, DEMO_STAFF.manager);
      await manager.setCheckoutSettings({ confirmationMode: 'confirm_first' });
      h5 = await serveH5({
        root: distDir('customer', 'h5'),
        apiUrl: salon.url,
        config: { api: API_PREFIX, wechatSim: inject('simUrl'), appId: APP_IDS.customer, tenant: 'demo' },
      });
    });
    afterAll(async () => {
      await h5?.close();
      await salon?.close();
    });

    it('林小雅 sees the bill as 待确认, confirms it, and the balance drops by its total', async () => {
      const beautician = await StaffApi.login(salon.url, DEMO_STAFF.beautician);
      const service = await beautician.serviceNamed('小气泡清洁');
      const bill = await beautician.checkOut({
        customerId: await beautician.customerId(CUSTOMER),
        serviceIds: [service.id],
        tenders: (total) => [{ method: 'stored_value', amountFen: total }],
      });
      // Her tier's discount, whatever tier the seeded year gave her; nothing else comes off.
      const total = service.priceFen - bill.tierDiscountFen;
      expect(bill).toMatchObject({
        status: 'awaiting_customer',
        confirmationRequired: true,
        subtotalFen: service.priceFen,
        couponDiscountFen: 0,
        manualDiscountFen: 0,
        totalFen: total,
      });
      const shown = formatFen(total);

      const mobile = await openMobilePage(browser, h5.url);
      const { page } = mobile;
      await logInAsDemoCustomer(mobile);
      await expectText(mobile, `${SEEDED_WAITING + 1} 笔待确认`);
      const before = await totalFen(page);
      await saveScreenshot(page, 'customer-bills-home-waiting');

      await page.getByText('我的账单', { exact: true }).click();
      await expectText(mobile, `待确认（${SEEDED_WAITING + 1}）`);
      await expect(page.locator('.bill-card--waiting').count()).resolves.toBe(SEEDED_WAITING + 1);
      const waitingCard = page.locator('.bill-card--waiting', { hasText: shown });
      await expect(waitingCard.count()).resolves.toBe(1);
      await expect(waitingCard.locator('.bill-card__status').textContent()).resolves.toBe('待确认');
      await expect(waitingCard.textContent()).resolves.toContain(shown);
      await saveScreenshot(page, 'customer-bills-list');

      await waitingCard.click();
      await expectText(mobile, '小气泡清洁 ×1');
      expect(page.url()).toContain(`#/bills/detail/index?id=${bill.id}`);
      await expectText(mobile, '服务人员 王美丽');
      await expectText(mobile, '待扣款');
      await saveScreenshot(page, 'customer-bill-to-confirm');
      await page.getByText(`确认扣款 ${shown}`, { exact: true }).click();

      await expectText(mobile, '已完成');
      await expect(beautician.bill(bill.id)).resolves.toMatchObject({ status: 'settled' });
      await saveScreenshot(page, 'customer-bill-confirmed');

      // Back to 我的账单 (a tab), then the 首页 tab: the wallet reloads itself on return, and the stored value
      // paid the bill.
      await page.goBack();
      await expectText(mobile, '历史账单');
      await page.locator('.lumi-tab-bar').getByText('首页', { exact: true }).click();
      await page.waitForURL(/#\/pages\/home\/index/, { timeout: 15_000 });
      await expect.poll(() => totalFen(page), { timeout: 15_000, interval: 200 }).toBe(before - total);
      await expectText(mobile, `${SEEDED_WAITING} 笔待确认`);
      await expect(page.getByText(`${SEEDED_WAITING + 1} 笔待确认`).count()).resolves.toBe(0);

      expect(mobile.problems).toEqual([]);
      await mobile.context.close();
    });
  });

  describe('in a salon that settles at once and lets customers question bills (notify)', () => {
    it('林小雅 questions a settled bill; the manager sees it, answers, and the message opens the bill', async () => {
      const apiUrl = inject('apiUrl');
      const beautician = await StaffApi.login(apiUrl, DEMO_STAFF.beautician);
      const service = await beautician.serviceNamed('深层补水护理');
      const bill = await beautician.checkOut({
        customerId: await beautician.customerId(CUSTOMER),
        serviceIds: [service.id],
        tenders: (total) => [{ method: 'cash', amountFen: total }],
      });
      expect(bill.status).toBe('settled');
      expect(bill.disputeUntil).not.toBeNull();

      const mobile = await openMobilePage(browser, inject('customerUrl'));
      const { page } = mobile;
      await logInAsDemoCustomer(mobile);
      await openBill(mobile, '已完成');
      expect(page.url()).toContain(`id=${bill.id}`);
      await expectText(mobile, '现金');
      await expectText(mobile, /^如对本单有疑问，可在 .+ 前反馈$/);

      const reason = '护理时间比约定的短';
      await page.getByText('有疑问', { exact: true }).click();
      await page.locator('input.bill__reason').filter({ visible: true }).fill(reason);
      await saveScreenshot(page, 'customer-bill-dispute');
      await page.getByText('提交疑问', { exact: true }).click();
      await expectText(mobile, `我的疑问：${reason}`);
      await expectText(mobile, '处理中');
      await expect(page.getByText('有疑问', { exact: true }).count()).resolves.toBe(0);

      // Recorded: it is in the manager's queue.
      const manager = await StaffApi.login(apiUrl, DEMO_STAFF.manager);
      const open = (await manager.disputes('open')).filter((d) => d.billId === bill.id);
      expect(open).toMatchObject([{ reason, billNumber: bill.number, customerName: CUSTOMER }]);

      // Asking for consent before disputing let the answer go out as a subscribe message, which opens this bill.
      const answer = '已核实，护理时长不足，下次为您补足';
      await manager.answerDispute(open[0]?.id as string, answer);
      const lastAnswerMessage = async () => {
        const query = `openid=${DEMO_OPENID}&templateId=sim-dispute-answered`;
        const sent = (await (await fetch(`${inject('simUrl')}/__control/messages?${query}`)).json()) as {
          page?: string;
        }[];
        return sent.at(-1) ?? null;
      };
      await expect.poll(lastAnswerMessage, { timeout: 10_000, interval: 200 }).not.toBeNull();
      const message = await lastAnswerMessage();
      expect(message?.page).toBe(`bills/detail/index?id=${bill.id}`);
      const appJson = JSON.parse(await readFile(path.join(distDir('customer', 'weapp'), 'app.json'), 'utf8')) as {
        subPackages: { root: string; pages: string[] }[];
      };
      const pages = appJson.subPackages.flatMap((sub) => sub.pages.map((p) => `${sub.root}/${p}`));
      expect(pages).toContain(message?.page?.split('?')[0]);

      await page.goto(`${inject('customerUrl')}/#/${message?.page}`);
      await expectText(mobile, `门店答复：${answer}`);
      await expectText(mobile, '已答复');
      await saveScreenshot(page, 'customer-bill-answered');

      expect(mobile.problems).toEqual([]);
      await mobile.context.close();
    });
  });
});
