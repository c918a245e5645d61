import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectText, launchChromium, openMobilePage, saveScreenshot } from './browser.ts';
import { fenOf, logInAsDemoCustomer } from './customer-app.ts';

const PRINCIPAL = '.wallet__part--principal .wallet__part-value';

interface Balances {
  totalFen: number;
  principalFen: number;
  bonusFen: number;
}

async function readBalances(page: Page): Promise<Balances> {
  const read = async (selector: string) => fenOf(await page.locator(selector).first().textContent());
  return {
    totalFen: await read('.wallet__total'),
    principalFen: await read(PRINCIPAL),
    bonusFen: await read('.wallet__part--bonus .wallet__part-value'),
  };
}

interface SimNotification {
  id: string;
  eventType: string;
  url: string;
  status: string;
  attempts: { statusCode?: number }[];
}

/** WeChat Pay's success notifications the simulator has sent this run, oldest first. */
async function successNotifications(): Promise<SimNotification[]> {
  const res = await fetch(`${inject('simUrl')}/__control/notifications?event_type=TRANSACTION.SUCCESS`);
  return (await res.json()) as SimNotification[];
}

describe('customer wallet H5', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('林小雅 tops up 充1000送200 with WeChat Pay (simulator) and sees the new balance and the 充值 entry', async () => {
    const mobile = await openMobilePage(browser, inject('customerUrl'));
    const { page } = mobile;
    await logInAsDemoCustomer(mobile);

    // The wallet as the demo seed left it.
    await expectText(mobile, '储值余额');
    await expectText(mobile, '✓ 账本校验通过');
    const before = await readBalances(page);
    const principalTextBefore = await page.locator(PRINCIPAL).first().textContent();
    // Other tests of the run pay through the same simulator (a credit repayment): count only this one.
    const paidBefore = new Set((await successNotifications()).map((n) => n.id));
    expect(before.totalFen).toBe(before.principalFen + before.bonusFen);
    await saveScreenshot(page, 'customer-wallet-before');

    // 充值 → pick the offer → pay. On H5 the shared requestPayment has the simulator pay the order, which then
    // notifies the API over HTTP; the page polls the order until the API reports SUCCESS.
    await page.getByText('充值', { exact: true }).click();
    await expectText(mobile, '充1000送200');
    expect(page.url()).toContain('#/wallet/top-up/index');
    await page.getByText('充1000送200', { exact: true }).click();
    await expectText(mobile, '微信支付 ¥1,000.00');
    await saveScreenshot(page, 'customer-top-up');
    await page.getByText('微信支付 ¥1,000.00', { exact: true }).click();

    // Back on the wallet, which reloads itself on return: wait for the principal to change, then compare.
    await page.waitForURL(/#\/pages\/home\/index/, { timeout: 20_000 });
    await expect
      .poll(() => page.locator(PRINCIPAL).first().textContent(), { timeout: 15_000, interval: 200 })
      .not.toBe(principalTextBefore);
    await expectText(mobile, '储值余额');
    const after = await readBalances(page);
    expect(after.principalFen - before.principalFen).toBe(100_000);
    expect(after.bonusFen - before.bonusFen).toBe(20_000);
    expect(after.totalFen - before.totalFen).toBe(120_000);
    await saveScreenshot(page, 'customer-wallet-after');

    // WeChat's notification reached the API's own notify route over real HTTP and was accepted.
    const notifications = (await successNotifications()).filter((n) => !paidBefore.has(n.id));
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({ url: `${inject('apiUrl')}/payments/wechat/notify`, status: 'acked' });
    expect(notifications[0]?.attempts[0]?.statusCode).toBeLessThan(300);

    // 明细: the newest event is the top-up, principal and bonus apart.
    await page.getByText('明细', { exact: true }).click();
    await expectText(mobile, '+¥1,000.00');
    expect(page.url()).toContain('#/wallet/entries/index');
    const newest = page.locator('.entry').filter({ visible: true }).first();
    await expect(newest.locator('.entry__kind').textContent()).resolves.toBe('充值');
    const lines = await newest.locator('.entry__line').allTextContents();
    expect(lines).toEqual([
      expect.stringMatching(/^本金\+¥1,000\.00余额 ¥/),
      expect.stringMatching(/^赠送金\+¥200\.00余额 ¥/),
    ]);
    await saveScreenshot(page, 'customer-entries');

    expect(mobile.problems).toEqual([]);
    await mobile.context.close();
  });
});
