import type { PaymentOrder, ShopItem, ShopOrder } from '@lumi/shared';
import type { AppConfig } from '../config/index.ts';
import { importingHistory, topUpPlans } from '../modules/ledger/index.ts';
import { simulatorControl } from './demo-reconciliation.ts';
import type { Member, Salon } from './demo-salon.ts';

/** The top-up offer with a gift: the trial card (last of the demo's package plans) comes with it. */
const GIFT_OFFER = { name: '充2000送300赠体验卡', payFen: 200_000, bonusFen: 30_000, bonusPoints: 0 };

/**
 * A top-up offer that gives a package card, sold in the shop, and 林小雅's order of it: her order page names the
 * gift card under the top-up line. The order is placed at the real time and paid through the WeChat Pay simulator the demo runs with, as in the reconciliation story; without
 * a simulator (the seed's own tests) it stays waiting for payment and still names the gift it will bring.
 */
export async function seedShopGiftTopUp(
  salon: Salon,
  xiaoya: Member,
  config: AppConfig,
  log: (line: string) => void,
): Promise<void> {
  const { till } = salon;
  const giftPlanId = salon.packagePlanIds.at(-1);
  if (!giftPlanId) return;
  const [plan] = await salon.db
    .insert(topUpPlans)
    .values({ ...GIFT_OFFER, tenantId: salon.tenantId, giftPackagePlanId: giftPlanId })
    .returning({ id: topUpPlans.id });
  // The salon lists the offer at the desk's time, like the rest of the shop's staff work.
  const seedClock = till.now;
  const owner = till.as(salon.owner);
  const category = await owner.post<{ id: string }>('/staff/shop/categories', { name: '充值有礼', sortOrder: 4 });
  const item = await owner.post<ShopItem>('/staff/shop/items', {
    categoryId: category.id,
    kind: 'top_up_plan',
    name: GIFT_OFFER.name,
    description: '到账 ¥2,300.00，另赠小气泡清洁3次体验卡一张',
    imagePath: '/shop-images/top-up.svg',
    listPriceFen: GIFT_OFFER.payFen,
    topUpPlanId: plan?.id,
  });
  try {
    // She orders it online at the real time (WeChat refuses an expiry already past on its clock).
    till.now = new Date();
    const me = till.asCustomer(xiaoya.id);
    await me.put('/me/shop/cart/lines', { itemId: item.id, quantity: 1 });
    const order = await me.post<ShopOrder>('/me/shop/orders', {
      storeId: xiaoya.store.id,
      fulfilment: 'pickup',
      tenders: [{ method: 'wechat', amountFen: GIFT_OFFER.payFen }],
    });
    const sim = weChatPayConfigured(salon) ? await simulatorControl(config.WECHAT_PAY_BASE) : null;
    if (!sim) {
      log(`  shop gift top-up: ${order.number} waits for WeChat Pay (no keys or no simulator)`);
      return;
    }
    const payment = await me.post<PaymentOrder>(`/me/shop/orders/${order.id}/payments`);
    if (!payment.requestPayment) throw new Error(`shop order ${order.number} cannot be paid`);
    const paidAt = new Date();
    await sim.payAt(paidAt, payment.requestPayment);
    // Her page polls; a poll past 10 s asks WeChat (the notify found no API listening yet). It posts when paid.
    till.now = new Date(paidAt.getTime() + 15_000);
    const paid = await importingHistory(
      () => paidAt,
      () => me.get<PaymentOrder>(`/me/payments/${payment.outTradeNo}`),
    );
    if (paid.state !== 'SUCCESS') throw new Error(`shop order ${order.number} is ${paid.state} after paying`);
    log(`  shop gift top-up: ${order.number} paid through WeChat Pay, the gift card in 林小雅's wallet`);
  } finally {
    till.now = seedClock;
  }
}

function weChatPayConfigured(salon: Salon): boolean {
  try {
    salon.till.app.payments.gateway.assertConfigured();
    return true;
  } catch {
    return false;
  }
}
