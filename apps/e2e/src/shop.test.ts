import { fileURLToPath } from 'node:url';
import type { ShopCatalogue, ShopOrderList, TierProgram } from '@lumi/shared';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectText, launchChromium, type MobilePage, openMobilePage, saveScreenshot } from './browser.ts';
import { fenOf, logInAsDemoCustomer } from './customer-app.ts';
import { DEMO_STAFF, StaffApi } from './staff-api.ts';
import { staffPhone } from './staff-session.ts';

const ITEM = '玻尿酸补水精华';
const NEW_ITEM = '玫瑰保湿纯露';

// Taro H5 keeps the pages below the current one in the DOM, hidden; only the shown page's elements count.
const shown = (locator: Locator) => locator.filter({ visible: true }).first();
const tap = (page: Page, text: string) => shown(page.getByText(text, { exact: true })).click();

const fill = (page: Page, selector: string, value: string) => shown(page.locator(selector)).fill(value);

const walletTotal = (page: Page) =>
  shown(page.locator('.wallet__total'))
    .textContent()
    .then((text) => fenOf(text));

/** A 96×96 PNG (a pale circle on rose) a manager picks from the phone's album. */
const PHOTO = fileURLToPath(new URL('../fixtures/shop-photo.png', import.meta.url));

/** The picture under `within` is the uploaded one and the browser decoded it (it came back as an image). */
async function expectPhoto(within: Locator, imagePath: string) {
  const img = within.locator(`img[src$="${imagePath}"]`).first();
  await expect
    .poll(() => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth), { timeout: 15_000 })
    .toBe(96);
}

describe('shop H5', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('刘店长 adds an item on his phone: category, price, member price, description, picture and stock', async () => {
    const manager = await StaffApi.login(inject('apiUrl'), DEMO_STAFF.manager);
    const [store] = (await manager.me()).stores;
    const [tier] = (await manager.send<TierProgram>('GET', '/staff/segmentation/tiers')).levels;
    if (!store || !tier) throw new Error('the demo manager has no store, or the salon no tier');
    const before = await manager.send<ShopCatalogue>('GET', '/staff/shop/catalogue');
    const category = before.categories[0];
    if (!category) throw new Error('the demo shop has no category');

    const phone = await staffPhone(browser, DEMO_STAFF.manager, '刘店长');
    const { page } = phone;
    await tap(page, '商城管理');
    await expectText(phone, '商品分类');
    await saveScreenshot(page, 'shop-staff-stock');
    await tap(page, '商品分类');
    await expectText(phone, '新增分类');
    await saveScreenshot(page, 'shop-staff-categories');
    await page.goBack();
    await tap(page, '新增商品');
    await expectText(phone, '各门店库存');
    await tap(page, category.name);
    await fill(page, 'input[placeholder="商品名称"]', NEW_ITEM);
    // A member price above the list price is refused before anything is sent.
    await fill(page, 'input[placeholder="售价"]', '128');
    await fill(page, `input[placeholder="${tier.name}价"]`, '130');
    await expectText(phone, `${tier.name}价不能高于售价`);
    await fill(page, `input[placeholder="${tier.name}价"]`, '118');
    await fill(page, 'textarea[placeholder="商品描述"]', '温和保湿，200ml');
    // 上传图片: Taro.chooseImage's file input, uploaded at once. Taro asks 拍摄 / 从相册选择 first only when the
    // browser's user agent is a phone's (is-mobile); headless Chromium's is a desktop one, so the input opens at once.
    const chooser = page.waitForEvent('filechooser');
    await tap(page, '上传图片');
    await (await chooser).setFiles(PHOTO);
    const uploaded = new RegExp(`^/shop-images/${(await manager.me()).tenantId}/[0-9a-f-]{36}\\.png$`);
    await expect
      .poll(() => shown(page.locator('input[placeholder="/shop-images/serum.svg"]')).inputValue(), { timeout: 15_000 })
      .toMatch(uploaded);
    await fill(page, `input[placeholder="${store.name}库存"]`, '6');
    await saveScreenshot(page, 'shop-staff-new-item');
    await tap(page, '新增商品');
    // Saved, the editor opens on the item.
    await shown(page.getByText('保存', { exact: true })).waitFor({ timeout: 15_000 });
    await saveScreenshot(page, 'shop-staff-item-saved');

    const after = await manager.send<ShopCatalogue>('GET', '/staff/shop/catalogue');
    const created = after.items.find((i) => i.name === NEW_ITEM);
    expect(created).toMatchObject({
      categoryId: category.id,
      kind: 'product',
      listPriceFen: 12_800,
      tierPrices: [{ tierId: tier.id, priceFen: 11_800 }],
      description: '温和保湿，200ml',
      onSale: true,
    });
    expect(created?.imagePath).toMatch(uploaded);
    expect(created?.stock.find((s) => s.storeId === store.id)?.quantity).toBe(6);
    expect(phone.problems).toEqual([]);
    await phone.context.close();

    // 林小雅 sees the photo in the shop: on the category's card and the item's page, loaded from the API.
    const mobile = await openMobilePage(browser, inject('customerUrl'));
    await logInAsDemoCustomer(mobile);
    await expectText(mobile, '储值余额');
    await tap(mobile.page, '商城');
    await tap(mobile.page, category.name);
    const card = shown(mobile.page.getByTestId(`item-${created?.id}`));
    await expectPhoto(card, created?.imagePath ?? '');
    await card.click();
    await expectText(mobile, '门店库存');
    await expectPhoto(shown(mobile.page.locator('.shop-item')), created?.imagePath ?? '');
    await saveScreenshot(mobile.page, 'shop-item-uploaded-photo');
    expect(mobile.problems).toEqual([]);
    await mobile.context.close();
  }, 180_000);

  it('林小雅 buys with a coupon, stored value + WeChat, earns points, collects with her code, and gets one unit refunded to both', async () => {
    const apiUrl = inject('apiUrl');
    const beautician = await StaffApi.login(apiUrl, DEMO_STAFF.beautician);
    const [store] = (await beautician.me()).stores;
    if (!store) throw new Error('the demo beautician has no store');
    // A shop coupon of her own for this test (满100减20), so the demo's other coupons stay as they are.
    const manager = await StaffApi.login(apiUrl, DEMO_STAFF.manager);
    await manager.send('POST', `/staff/customers/${await beautician.customerId('林小雅')}/coupons`, {
      offer: { kind: 'amount_off', title: '商城试用券', amountOffFen: 2_000, minSpendFen: 10_000, validDays: 7 },
      reason: '端到端测试',
    });

    const mobile = await openMobilePage(browser, inject('customerUrl'));
    const { page } = mobile;
    await logInAsDemoCustomer(mobile);
    await expectText(mobile, '储值余额');
    const before = await walletTotal(page);

    // 商城 tab → the item → two in the cart → 去结算.
    await tap(page, '商城');
    await expectText(mobile, '护肤精选');
    await saveScreenshot(page, 'shop-home');
    await tap(page, ITEM);
    await expectText(mobile, '门店库存');
    await expectText(mobile, '会员价');
    await tap(page, '＋');
    await tap(page, '加入购物车');
    await saveScreenshot(page, 'shop-item');
    await tap(page, '购物车');
    await expectText(mobile, '去结算');
    await saveScreenshot(page, 'shop-cart');
    await tap(page, '去结算');

    // 确认订单: pickup at the beautician's store, ¥100 from stored value, WeChat Pay for the rest.
    await expectText(mobile, '提交订单');
    await shown(page.getByText(new RegExp(`^(✓ )?${store.name}$`))).click();
    // 优惠: her coupon, priced by the API's quote.
    await shown(page.getByText(/^商城试用券 · 立减 ¥20\.00 · 满 ¥100\.00 可用 · /)).click();
    await expectText(mobile, '-¥20.00');
    await shown(page.locator('input[placeholder="0.00"]')).fill('100');
    await saveScreenshot(page, 'shop-checkout');
    await tap(page, '提交订单');

    // On H5 the simulator pays the WeChat part; the order page then shows it paid, with its pickup code.
    await expectText(mobile, '待核销', 30_000);
    const code = (await shown(page.locator('.shop-pickup-code')).textContent())?.trim() ?? '';
    expect(code).toMatch(/^\d{6}$/);
    await saveScreenshot(page, 'shop-order-paid');
    const orderUrl = page.url();
    const orderNumber = (await shown(page.getByText(/^SO-[A-Z0-9]+-\d{8}-\d{4,}$/)).textContent())?.trim() ?? '';
    expect(orderNumber).not.toBe('');

    // 王美丽 hands it over on her phone by the code she shows (商城订单 → 核销取货).
    const till = await staffPhone(browser, DEMO_STAFF.beautician, '王美丽');
    await tap(till.page, '商城订单');
    await expectText(till, '核销取货');
    const waiting = shown(till.page.getByText(new RegExp(`^${orderNumber} · `)));
    await waiting.waitFor({ timeout: 15_000 });
    await fill(till.page, 'input[placeholder="输入顾客的 6 位核销码"]', code);
    await saveScreenshot(till.page, 'shop-staff-pickup-code');
    await tap(till.page, '确定');
    // Handed over, it leaves 待核销.
    await till.page
      .getByText(new RegExp(`^${orderNumber} · `))
      .filter({ visible: true })
      .waitFor({ state: 'detached' });
    await saveScreenshot(till.page, 'shop-staff-collected');
    expect(till.problems).toEqual([]);
    await till.context.close();
    const collected = (
      await beautician.send<ShopOrderList>('GET', `/staff/shop/orders?storeId=${store.id}&status=collected`)
    ).items.find((o) => o.number === orderNumber);
    if (!collected) throw new Error(`${orderNumber} was not collected`);
    const paidFromStoredValue = 10_000;
    const wechatFen = collected.totalFen - paidFromStoredValue;
    expect(collected.tenders).toEqual([
      { method: 'stored_value', amountFen: paidFromStoredValue },
      { method: 'wechat', amountFen: wechatFen },
    ]);
    expect(collected.couponDiscountFen).toBe(2_000);
    // What she paid in money earned points, 1 a yuan (the demo's rule) times her tier's multiplier.
    expect(collected.pointsEarned).toBeGreaterThanOrEqual(Math.floor(collected.totalFen / 100));
    await page.reload();
    await expectText(mobile, '已核销');
    await expectText(mobile, '优惠券');
    await expectText(mobile, `+${collected.pointsEarned}`);

    // 申请售后 for one of the two.
    await tap(page, '申请售后');
    await tap(page, '＋');
    await shown(page.locator('input[placeholder="退款原因（至少 2 个字）"]')).fill('买多了一瓶');
    await tap(page, '提交申请');
    await expectText(mobile, '待审核');
    await saveScreenshot(page, 'shop-after-sale-requested');

    // 刘店长 approves on his phone (售后审核): half the order back, in proportion to stored value and WeChat.
    const review = await staffPhone(browser, DEMO_STAFF.manager, '刘店长');
    await tap(review.page, '售后审核');
    const card = shown(review.page.locator('.staff-shop__section').filter({ hasText: orderNumber }));
    await card.getByText('原因：买多了一瓶').waitFor({ timeout: 15_000 });
    await saveScreenshot(review.page, 'shop-staff-after-sale');
    await card.getByText(/^同意退款 /).click();
    // Decided, the card shows where the money went.
    await card.getByText(/^退回/).first().waitFor({ timeout: 15_000 });
    await saveScreenshot(review.page, 'shop-staff-after-sale-approved');
    expect(review.problems).toEqual([]);
    await review.context.close();
    const approved = (await manager.afterSales()).find((a) => a.orderNumber === orderNumber);
    expect(approved?.status).toBe('approved');
    const storedBack = approved?.tenders.find((t) => t.method === 'stored_value')?.amountFen ?? 0;
    const wechatBack = approved?.tenders.find((t) => t.method === 'wechat')?.amountFen ?? 0;
    expect(storedBack + wechatBack).toBe(collected.totalFen / 2);
    expect(storedBack).toBe(paidFromStoredValue / 2);

    await page.goto(orderUrl);
    await expectText(mobile, '已退款');
    await expectText(mobile, `${ITEM} × 2（已退 1）`);
    await saveScreenshot(page, 'shop-after-sale-approved');

    // Her wallet: ¥100 paid, half of it back.
    await page.goto(inject('customerUrl'));
    await expectText(mobile, '储值余额');
    await expect
      .poll(() => walletTotal(page), { timeout: 15_000, interval: 200 })
      .toBe(before - paidFromStoredValue + storedBack);

    expect(mobile.problems).toEqual([]);
    await mobile.context.close();
  }, 180_000);
});
