import { type CustomerCredit, formatFen, type MyMessageList, type MyPoints, type Wallet } from '@lumi/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectText, launchChromium, loadAfresh, type MobilePage, openMobilePage, saveScreenshot } from './browser.ts';
import { asCustomer } from './customer-api.ts';
import { fenOf, logInAsDemoCustomer } from './customer-app.ts';
import { DEMO_STAFF, StaffApi } from './staff-api.ts';
import { DEMO_BEAUTICIAN_PHONE, DEMO_STAFF_PASSWORD, submitLogin } from './staff-session.ts';

const urlOf = (urlPart: string) => new RegExp(urlPart.replaceAll('/', '\\/'));

/** From 我的, one tap into a member screen; back to 我的 afterwards (see `backTo`). */
async function openFromMe(mobile: MobilePage, label: string, urlPart: string): Promise<void> {
  await mobile.page.locator('.me__label').getByText(label, { exact: true }).click();
  await mobile.page.waitForURL(urlOf(urlPart), { timeout: 15_000 });
}

/**
 * The browser's back button, then wait until the page it returns to is on screen, as a person looks before the
 * next tap. Taro's H5 router handles each popstate asynchronously (resolving a page may load its subpackage), so
 * two backs fired at once can be handled out of order and leave its page stack wrong.
 */
async function backTo(mobile: MobilePage, urlPart: string, shown: () => Promise<void>): Promise<void> {
  await mobile.page.goBack();
  await mobile.page.waitForURL(urlOf(urlPart), { timeout: 15_000 });
  await shown();
}

const backToMe = (mobile: MobilePage) => backTo(mobile, '#/pages/me/index', () => expectText(mobile, '退出登录'));

const text = (page: Page, selector: string) => page.locator(selector).filter({ visible: true }).first().textContent();

/** The text of every visible element matching `selector`, in page order. */
const texts = (page: Page, selector: string) =>
  page
    .locator(selector)
    .filter({ visible: true })
    .allTextContents()
    .then((all) => all.map((t) => t.trim()));

/** Every "¥1,234.50" in a text, in fen. */
const amountsIn = (line: string) => [...line.matchAll(/¥[\d,]+\.\d{2}/g)].map((m) => fenOf(m[0]));

/** "2027年1月5日" → "2027-01-05". */
const isoDateIn = (line: string) => {
  const m = /(\d{4})年(\d{1,2})月(\d{1,2})日/.exec(line);
  return m ? `${m[1]}-${(m[2] ?? '').padStart(2, '0')}-${(m[3] ?? '').padStart(2, '0')}` : null;
};

type CouponItem = { title: string; status: string; validTo: string; usable: boolean };
/** The tab the customer app puts a coupon in, from the API's fields alone. */
function couponTab(c: CouponItem, now: number): '可使用' | '已使用' | '已过期' {
  if (c.status === 'redeemed') return '已使用';
  if (c.status === 'void' || Date.parse(c.validTo) <= now) return '已过期';
  return '可使用';
}

/** What is left of each instalment not yet paid off, as the staff's 挂账 page lists them. */
const outstandingDues = (credit: CustomerCredit) =>
  credit.openSales
    .flatMap((sale) => sale.items)
    .filter((item) => item.outstandingFen > 0)
    .map((item) => formatFen(item.outstandingFen));

/** The beautician's phone (a second browser context) on a customer's 挂账 page at the front desk. */
async function openStaffCreditPage(browser: Browser, customerId: string): Promise<MobilePage> {
  const staff = await openMobilePage(browser, inject('staffUrl'));
  await submitLogin(staff, DEMO_BEAUTICIAN_PHONE, DEMO_STAFF_PASSWORD);
  await expectText(staff, '王美丽');
  await loadAfresh(staff, `${inject('staffUrl')}/#/front-desk/customer/index?id=${customerId}`);
  await staff.page.getByText('挂账/还款', { exact: true }).filter({ visible: true }).click();
  await expectText(staff, '林小雅 的挂账');
  return staff;
}

describe('customer member screens H5', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('林小雅 reaches every screen from 我的 and each matches the API; she repays an instalment through WeChat Pay', async () => {
    const mobile = await openMobilePage(browser, inject('customerUrl'));
    const { page } = mobile;
    await logInAsDemoCustomer(mobile);

    // The tab bar: 首页 · 商城 (the demo salon has items on sale) · 账单 · 我的.
    await expect(texts(page, '.lumi-tab-bar__label')).resolves.toEqual(['首页', '商城', '账单', '我的']);
    await page.locator('.lumi-tab-bar').getByText('我的', { exact: true }).click();
    await expectText(mobile, '会员等级');
    await saveScreenshot(page, 'customer-me');

    // 积分
    await openFromMe(mobile, '积分', '#/points/index/index');
    const points = await asCustomer<MyPoints>(page, '/me/points');
    await expectText(mobile, '可用积分');
    expect(await text(page, '.m-hero__value')).toBe(points.points.toLocaleString('en-US'));
    await expect
      .poll(() => page.locator('.points__lot').filter({ visible: true }).count())
      .toBe(points.expiring.length);
    // Each lot: its day, its points and what they are worth at the tenant's rate, earliest first.
    const lots = await texts(page, '.points__lot');
    expect(lots.map(isoDateIn)).toEqual(points.expiring.map((l) => l.expiresOn));
    expect(lots.map((l) => Number((/([\d,]+) 积分/.exec(l)?.[1] ?? '').replaceAll(',', '')))).toEqual(
      points.expiring.map((l) => l.points),
    );
    if (points.pointValueFen > 0) {
      expect(lots.map((l) => amountsIn(l)[0])).toEqual(points.expiring.map((l) => l.points * points.pointValueFen));
      expect(amountsIn((await text(page, '.m-hero__note')) ?? '')).toEqual([points.valueFen, points.pointValueFen]);
    }
    await expect.poll(() => page.locator('.points__entry').filter({ visible: true }).count()).toBeGreaterThan(0);
    await saveScreenshot(page, 'customer-points');
    await backToMe(mobile);

    // 次卡, and one card's sessions used
    await openFromMe(mobile, '次卡', '#/cards/index/index');
    const wallet = await asCustomer<Wallet>(page, '/me/wallet');
    await expect.poll(() => page.locator('.card').filter({ visible: true }).count()).toBe(wallet.packageCards.length);
    // Sessions left of total and the value of one session, card by card.
    const sortedText = (lines: string[]) => [...lines].sort();
    expect(sortedText(await texts(page, '.card__left'))).toEqual(
      sortedText(wallet.packageCards.map((c) => `剩余 ${c.sessionsLeft}/${c.sessionsTotal} 次`)),
    );
    expect((await texts(page, '.card')).map((c) => amountsIn(c)[0]).sort((a = 0, b = 0) => a - b)).toEqual(
      wallet.packageCards.map((c) => c.valuePerSessionFen).sort((a, b) => a - b),
    );
    await saveScreenshot(page, 'customer-cards');
    await page.locator('.card').filter({ visible: true }).first().click();
    await expectText(mobile, '使用记录');
    await saveScreenshot(page, 'customer-card-detail');
    await backTo(mobile, '#/cards/index/index', async () => {
      await expect.poll(() => page.getByText('使用记录', { exact: true }).filter({ visible: true }).count()).toBe(0);
      await expect.poll(() => page.locator('.card').filter({ visible: true }).count()).toBe(wallet.packageCards.length);
    });
    await backToMe(mobile);

    // 优惠券: the usable tab counts what the API calls usable
    await openFromMe(mobile, '优惠券', '#/coupons/index/index');
    const coupons = await asCustomer<{ items: CouponItem[] }>(page, '/me/coupons?status=all');
    const now = Date.now();
    expect(coupons.items.filter((c) => couponTab(c, now) === '可使用').length).toBe(
      coupons.items.filter((c) => c.usable).length,
    );
    // Every state, each tab's count and titles as the API has them (the seed gives her one of each at least).
    for (const tab of ['可使用', '已使用', '已过期'] as const) {
      const inTab = coupons.items.filter((c) => couponTab(c, now) === tab);
      expect(inTab.length, tab).toBeGreaterThan(0);
      await page.locator('.m-tabs__tab').filter({ visible: true }).getByText(`${tab}（${inTab.length}）`).click();
      await expect.poll(() => texts(page, '.coupon__title')).toEqual(inTab.map((c) => c.title));
    }
    await page.locator('.m-tabs__tab').filter({ visible: true }).first().click();
    await saveScreenshot(page, 'customer-coupons');
    await backToMe(mobile);

    // 会员等级
    await openFromMe(mobile, '会员等级', '#/tier/index/index');
    const tier = await asCustomer<{ name: string | null; qualifyingFen: number }>(page, '/me/tier');
    const ladder = await asCustomer<{ levels: { name: string; thresholdFen: number }[] }>(page, '/me/tier/ladder');
    await expectText(mobile, '当前等级');
    expect(await text(page, '.tier__name')).toBe(tier.name ?? '普通会员');
    // The ladder level by level (thresholds), and what the next level still needs.
    expect((await texts(page, '.tier__level')).map((l) => amountsIn(l)[0])).toEqual(
      ladder.levels.map((l) => l.thresholdFen),
    );
    const next = [...ladder.levels]
      .sort((a, b) => a.thresholdFen - b.thresholdFen)
      .find((l) => l.thresholdFen > tier.qualifyingFen);
    const nextLine = (await text(page, '.tier__next')) ?? '';
    if (next) {
      expect(amountsIn(nextLine)).toEqual([next.thresholdFen - tier.qualifyingFen]);
      expect(nextLine).toContain(`「${next.name}」`);
    } else expect(nextLine).toBe('您已是最高等级');
    await saveScreenshot(page, 'customer-tier');
    await backToMe(mobile);

    // 消息: notices and offers
    await openFromMe(mobile, '消息', '#/messages/index/index');
    const messages = await asCustomer<MyMessageList>(page, '/me/messages');
    const campaigns = await asCustomer<{ items: { openedAt: string | null }[] }>(page, '/me/campaigns');
    await expect
      .poll(() => page.locator('.message').filter({ visible: true }).count())
      .toBe(messages.items.length + campaigns.items.length);
    // Unread as the API has it: notices not read, offers not opened.
    expect(await page.locator('.message--unread').filter({ visible: true }).count()).toBe(
      messages.items.filter((m) => m.readAt === null).length +
        campaigns.items.filter((c) => c.openedAt === null).length,
    );
    await saveScreenshot(page, 'customer-messages');
    await backToMe(mobile);

    // 我的资料
    await openFromMe(mobile, '我的资料', '#/profile/index/index');
    const me = await asCustomer<{ id: string; name: string; phone: string | null }>(page, '/me');
    await expectText(mobile, me.phone ?? '未绑定');
    await expectText(mobile, '授权管理');
    await saveScreenshot(page, 'customer-profile');
    await backToMe(mobile);

    // 会员码: a QR code of the token the API issued
    await openFromMe(mobile, '会员码', '#/member/code/index');
    await expectText(mobile, '请向美容师出示');
    expect(await page.locator('.lumi-qr__row').count()).toBeGreaterThan(20);
    await saveScreenshot(page, 'customer-member-code');
    await backToMe(mobile);

    // 挂账/分期: what she owes, then repay the suggested amount through the simulated WeChat Pay.
    await openFromMe(mobile, '挂账/分期', '#/credit/index/index');
    const before = await asCustomer<CustomerCredit>(page, '/me/credit');
    expect(before.owedFen).toBeGreaterThan(0);
    // Meanwhile at the salon: the beautician's phone has her 挂账 page open, showing the same debt.
    const staff = await openStaffCreditPage(browser, me.id);
    await expect(texts(staff.page, '.fd__owed-total')).resolves.toEqual([formatFen(before.owedFen)]);
    await expect(texts(staff.page, '.fd__due .fd__amount')).resolves.toEqual(outstandingDues(before));
    await expectText(mobile, '待还金额');
    expect(fenOf(await text(page, '.credit__owed'))).toBe(before.owedFen);
    // Each sale's outstanding amount, and each instalment's amount and due day.
    expect((await texts(page, '.credit__sale .m-strong')).map((t) => amountsIn(t)[0])).toEqual(
      before.openSales.map((sale) => sale.outstandingFen),
    );
    const items = before.openSales.flatMap((sale) => sale.items);
    const shownItems = await texts(page, '.credit__item');
    expect(shownItems).toHaveLength(items.length);
    shownItems.forEach((line, i) => {
      expect(amountsIn(line)).toContain(items[i]?.amountFen);
      expect(line).toContain(items[i]?.dueDate);
    });
    await saveScreenshot(page, 'customer-credit');
    const amountFen = fenOf(await page.locator('input.credit__input').filter({ visible: true }).first().inputValue());
    expect(amountFen).toBeGreaterThan(0);
    await page.getByText('微信支付还款', { exact: true }).click();
    await expectText(mobile, '还款凭证', 30_000);
    await expect
      .poll(() => text(page, '.credit__owed').then(fenOf), { timeout: 15_000 })
      .toBe(before.owedFen - amountFen);
    const after = await asCustomer<CustomerCredit>(page, '/me/credit');
    expect(after.owedFen).toBe(before.owedFen - amountFen);
    await saveScreenshot(page, 'customer-credit-repaid');
    // The beautician's screen, read again (as she would pull it down): the debt and the instalment fall by what
    // she paid in WeChat.
    await loadAfresh(staff, staff.page.url());
    await expect
      .poll(() => texts(staff.page, '.fd__owed-total'), { timeout: 30_000 })
      .toEqual([formatFen(after.owedFen)]);
    await expect(texts(staff.page, '.fd__due .fd__amount')).resolves.toEqual(outstandingDues(after));
    await saveScreenshot(staff.page, 'staff-credit-after-wechat-repayment');

    expect(mobile.problems).toEqual([]);
    expect(staff.problems).toEqual([]);
    await Promise.all([mobile.context.close(), staff.context.close()]);
    // Nine screens and a payment in one story: generous, as a busy shared machine needs.
  }, 180_000);

  it('the salon colour reaches her screens; a campaign message opens its offer and her survey answer reaches the manager; a withdrawn consent stops the next subscribe message', async () => {
    const mobile = await openMobilePage(browser, inject('customerUrl'));
    const { page } = mobile;
    await logInAsDemoCustomer(mobile);
    const manager = await StaffApi.login(inject('apiUrl'), DEMO_STAFF.manager);

    // 品牌: the manager changes the colour; on her next visit the pages and the tab bar wear it.
    const brand = await manager.send<{ color: string; name: string | null }>('GET', '/staff/brand/settings');
    await manager.send('PUT', '/staff/brand/settings', { color: '#2e7d32' });
    await loadAfresh(mobile, page.url());
    await expectText(mobile, '您好，林小雅');
    // In the page (strings: this file is compiled without the DOM's types).
    const styleOf = (selector: string, property: string) =>
      page.evaluate<string | null>(
        `(() => { const el = document.querySelector(${JSON.stringify(selector)});
          return el ? getComputedStyle(el).getPropertyValue(${JSON.stringify(property)}).trim() : null; })()`,
      );
    await expect.poll(() => styleOf('.lumi-page', '--brand')).toBe('#2e7d32');
    expect(await styleOf('html', '--brand')).toBe('#2e7d32');
    await expect.poll(() => styleOf('.lumi-tab-bar__item--on .lumi-tab-bar__label', 'color')).toBe('rgb(46, 125, 50)');
    await saveScreenshot(page, 'customer-home-brand');
    await manager.send('PUT', '/staff/brand/settings', { color: brand.color });

    // 消息 → the 回访 campaign: its coupon is in her wallet, and she answers the survey.
    const [campaign] = (
      await asCustomer<{ items: { id: string; title: string; couponId: string | null }[] }>(page, '/me/campaigns')
    ).items.filter((c) => c.title.includes('护理体验'));
    if (!campaign) throw new Error('the demo seed sent 林小雅 no 护理满意度回访 campaign');
    await page.locator('.lumi-tab-bar').getByText('我的', { exact: true }).click();
    await expectText(mobile, '会员等级');
    await openFromMe(mobile, '消息', '#/messages/index/index');
    await page.locator('.message').filter({ visible: true, hasText: campaign.title }).first().click();
    await page.waitForURL(urlOf('#/messages/campaign/index'), { timeout: 15_000 });
    expect(page.url()).toContain(`id=${campaign.id}`);
    await expectText(mobile, '问卷');
    await saveScreenshot(page, 'customer-campaign');
    await page.getByText('优惠券已放入您的券包', { exact: true }).click();
    await page.waitForURL(urlOf('#/coupons/index/index'), { timeout: 15_000 });
    await expectText(mobile, '回访感谢券');
    await backTo(mobile, '#/messages/campaign/index', () => expectText(mobile, '提交问卷'));
    await page.locator('.campaign__option').filter({ visible: true }).getByText('非常满意', { exact: true }).click();
    const wish = '想试试眼部抗皱护理';
    await page.locator('input.campaign__input').filter({ visible: true }).first().fill(wish);
    await page.getByText('提交问卷', { exact: true }).click();
    await expectText(mobile, '问卷已提交，感谢您的反馈');

    // The manager sees her answers on the campaign's results (staff H5), next to the questions.
    const staff = await openMobilePage(browser, inject('staffUrl'));
    await expectText(staff, '员工登录');
    await submitLogin(staff, DEMO_STAFF.manager, DEMO_STAFF_PASSWORD);
    await expectText(staff, '刘店长');
    await loadAfresh(staff, `${inject('staffUrl')}/#/manager/campaign/index?id=${campaign.id}`);
    const answer = staff.page.locator('.feedback__item').filter({ visible: true, hasText: '林小雅' }).first();
    await answer.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await answer.textContent()).toContain('非常满意');
    expect(await answer.textContent()).toContain(wish);
    const feedback = await manager.send<{
      items: { customerName: string | null; answers: Record<string, string> | null }[];
    }>('GET', `/staff/segmentation/campaigns/${campaign.id}/feedback`);
    expect(feedback.items.find((f) => f.customerName === '林小雅')?.answers).toEqual({
      satisfaction: '非常满意',
      wish,
    });
    await saveScreenshot(staff.page, 'manager-campaign-feedback');
    expect(staff.problems).toEqual([]);
    await staff.context.close();

    // 我的资料 → 授权管理: she withdraws her subscribe consents; the next bill reaches WeChat no more.
    const template = 'sim-bill-settled';
    const openid = 'demo-customer-001';
    await fetch(`${inject('simUrl')}/__control/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid, templateId: template, count: 2 }),
    });
    await asCustomer(page, '/me/subscriptions', { templateId: template });
    await loadAfresh(mobile, `${inject('customerUrl')}/#/profile/index/index`);
    await expectText(mobile, '授权管理');
    const row = page.locator('.profile__consent').filter({ visible: true, hasText: '订阅消息' }).first();
    await expect.poll(() => row.textContent()).toContain('还可接收');
    await row.getByText('撤回', { exact: true }).click();
    await page.getByText('确定', { exact: true }).filter({ visible: true }).first().click();
    await expectText(mobile, '下次操作时可重新订阅');
    expect((await asCustomer<{ subscriptions: unknown[] }>(page, '/me/consents')).subscriptions).toEqual([]);

    const sentTo = async () =>
      (
        (await (
          await fetch(`${inject('simUrl')}/__control/messages?openid=${openid}&templateId=${template}`)
        ).json()) as unknown[]
      ).length;
    const before = await sentTo();
    const beautician = await StaffApi.login(inject('apiUrl'), DEMO_STAFF.beautician);
    const service = await beautician.serviceNamed('深层补水护理');
    const bill = await beautician.checkOut({
      customerId: await beautician.customerId('林小雅'),
      serviceIds: [service.id],
      tenders: (totalFen) => [{ method: 'cash', amountFen: totalFen }],
    });
    // Her inbox has the notice (so the send has been decided); WeChat got nothing new.
    await expect
      .poll(
        async () => (await asCustomer<MyMessageList>(page, '/me/messages')).items.some((m) => m.billId === bill.id),
        {
          timeout: 15_000,
        },
      )
      .toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await sentTo()).toBe(before);

    expect(mobile.problems).toEqual([]);
    await mobile.context.close();
  }, 180_000);
});
