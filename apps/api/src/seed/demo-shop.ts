import type { Bill, ShopItem, ShopOrder, ShopQuote, ShopTender, ShopVoucher, TierProgram } from '@lumi/shared';
import { topUp, type Member, type Salon } from './demo-salon.ts';

/** The shop's catalogue: pictures are the SVGs in apps/api/static/shop-images. */
const PRODUCTS = [
  { name: '玻尿酸补水精华', image: 'serum', priceFen: 29_800, points: 30_000, text: '高浓度玻尿酸，深层补水，30ml' },
  { name: '修护保湿面霜', image: 'cream', priceFen: 38_800, points: null, text: '神经酰胺修护屏障，50g' },
  { name: '蚕丝补水面膜（10片）', image: 'mask', priceFen: 16_800, points: 15_000, text: '院线同款，护理后居家使用' },
  { name: '氨基酸洁面乳', image: 'cleanser', priceFen: 12_800, points: 12_000, text: '温和清洁不紧绷，120ml' },
  { name: '轻薄防晒乳 SPF50+', image: 'sunscreen', priceFen: 19_800, points: null, text: '清爽不油腻，适合日常通勤' },
];

/** After the desk's takings (deskTakingsToday ends 40 minutes in), still inside the hour before the real time. */
const SHOP_AFTER_DESK_MINUTES = 45;

export interface ShopClock {
  /** The desk's start this morning (deskNow): in opening hours and at least an hour before `now`. */
  deskStart: Date;
  now: Date;
}

export interface ShopCounts {
  items: number;
  orders: Record<string, number>;
}

/**
 * The online shop this morning: a catalogue with pictures, member prices and stock in every store, and orders
 * in each state — 待付款, 已关闭, 待核销 (林小雅's, with its pickup code), 已核销, 待发货, 已发货, 已收货, 已完成 (a voucher),
 * 已退款 — plus an after-sale request waiting for a manager. Everything goes through the API, as the apps would.
 */
export async function seedShop(salon: Salon, members: Member[], clock: ShopClock): Promise<ShopCounts> {
  const { till } = salon;
  // The shop's staff work (stock, pickups, shipments, refunds, the top-ups before each order) happens at the
  // desk, after its morning's takings; only the order still waiting for WeChat is placed at the real time.
  till.now = new Date(clock.deskStart.getTime() + SHOP_AFTER_DESK_MINUTES * 60_000);
  const owner = till.as(salon.owner);
  const tiers = await owner.get<TierProgram>('/staff/segmentation/tiers');
  const memberPrice = (fen: number) =>
    tiers.levels.map((t, i) => ({ tierId: t.id, priceFen: Math.round((fen * (95 - 5 * i)) / 100) }));

  const category = (name: string, sortOrder: number) =>
    owner.post<{ id: string }>('/staff/shop/categories', { name, sortOrder });
  const skincare = await category('护肤精选', 1);
  const services = await category('服务体验券', 2);
  const cards = await category('次卡', 3);

  const items: ShopItem[] = [];
  for (const [i, p] of PRODUCTS.entries()) {
    const item = await owner.post<ShopItem>('/staff/shop/items', {
      categoryId: skincare.id,
      kind: 'product',
      name: p.name,
      description: p.text,
      imagePath: `/shop-images/${p.image}.svg`,
      listPriceFen: p.priceFen,
      tierPrices: memberPrice(p.priceFen),
      pointsPrice: p.points,
      sortOrder: i,
    });
    for (const store of salon.stores) {
      await owner.put(`/staff/shop/items/${item.id}/stock`, { storeId: store.id, quantity: 12 + i * 3 });
    }
    items.push(item);
  }
  const service = salon.services[0];
  const voucher = service
    ? await owner.post<ShopItem>('/staff/shop/items', {
        categoryId: services.id,
        kind: 'service_voucher',
        name: `${service.name}体验券`,
        description: '到店出示即可预约体验一次',
        imagePath: '/shop-images/voucher-facial.svg',
        listPriceFen: Math.round(service.priceFen * 0.8),
        serviceId: service.id,
      })
    : null;
  const planId = salon.packagePlanIds[0];
  if (planId) {
    await owner.post('/staff/shop/items', {
      categoryId: cards.id,
      kind: 'package_card',
      name: '护理次卡（线上专享）',
      description: '购买后即存入会员卡包',
      imagePath: '/shop-images/package-card.svg',
      listPriceFen: 198_000,
      packagePlanId: planId,
    });
  }

  const orders: Record<string, number> = {};
  const xiaoya = members.find((m) => m.index === 0);
  // Regulars first: the shop is where a salon keeps its customers buying between visits.
  const others = members
    .filter((m) => m.index !== 0)
    .sort((x, y) => Number(y.plan.rhythm === 'regular') - Number(x.plan.rhythm === 'regular'))
    .slice(0, 7);
  if (!xiaoya) return { items: items.length, orders };

  /** She tops up at the till, then buys `itemId` with stored value, `wechatFen` left for WeChat. */
  const buy = async (
    m: Member,
    itemId: string,
    quantity: number,
    fulfilment: 'pickup' | 'delivery',
    wechatFen = 0,
    orderedAt?: Date,
  ) => {
    const me = till.asCustomer(m.id);
    const cart = await me.put<{ totalFen: number }>('/me/shop/cart/lines', { itemId, quantity });
    const storedFen = cart.totalFen - wechatFen;
    // Part of a balance may be held by a bill waiting for her, so she tops up what the order takes first.
    await topUp(salon, m, Math.ceil(storedFen / 10_000) * 10_000);
    if (orderedAt) till.now = orderedAt;
    const tenders: ShopTender[] = [{ method: 'stored_value', amountFen: storedFen }];
    if (wechatFen > 0) tenders.push({ method: 'wechat', amountFen: wechatFen });
    const order = await me.post<ShopOrder>('/me/shop/orders', {
      storeId: m.store.id,
      fulfilment,
      address:
        fulfilment === 'delivery'
          ? { name: '会员', phone: '13800000000', region: '上海市 徐汇区', detail: `天钥桥路 ${m.index + 1} 号` }
          : null,
      tenders,
    });
    orders[order.status] = (orders[order.status] ?? 0) + 1;
    return order;
  };
  const item = (i: number) => items[i % items.length] as ShopItem;
  const staffOf = (m: Member) => till.as(m.store.beautician);
  const count = (from: string, to: string) => {
    orders[from] = (orders[from] ?? 1) - 1;
    orders[to] = (orders[to] ?? 0) + 1;
  };

  // 林小雅: one order waiting for pickup (her screen shows the code), one collected with a refund request pending.
  await buy(xiaoya, item(0).id, 1, 'pickup');
  const collected = await buy(xiaoya, item(2).id, 2, 'pickup');
  await staffOf(xiaoya).post('/staff/shop/pickups', { storeId: xiaoya.store.id, code: collected.pickupCode });
  count('awaiting_pickup', 'collected');
  await till.asCustomer(xiaoya.id).post(`/me/shop/orders/${collected.id}/after-sales`, {
    lines: [{ lineId: collected.lines[0]?.id, quantity: 1 }],
    reason: '买多了一盒，未拆封',
  });

  const [a, b, c, d, e, f, g] = others;
  if (a) {
    const o = await buy(a, item(1).id, 1, 'pickup');
    await staffOf(a).post('/staff/shop/pickups', { storeId: a.store.id, code: o.pickupCode });
    count('awaiting_pickup', 'collected');
  }
  if (b) await buy(b, item(3).id, 2, 'delivery');
  if (c) {
    const o = await buy(c, item(4).id, 1, 'delivery');
    await staffOf(c).post(`/staff/shop/orders/${o.id}/shipment`, { trackingNote: '顺丰速运 SF1400023581' });
    count('awaiting_shipment', 'shipped');
  }
  if (d) {
    const o = await buy(d, item(0).id, 1, 'delivery');
    await staffOf(d).post(`/staff/shop/orders/${o.id}/shipment`, { trackingNote: '中通快递 ZT7730018842' });
    await till.asCustomer(d.id).post(`/me/shop/orders/${o.id}/receipt`);
    count('awaiting_shipment', 'received');
  }
  if (e && voucher) {
    // Two sessions bought online; one already used as a line of a bill at the till (her beautician performed it,
    // so it carries a commission), one still in her wallet for the next visit.
    const o = await buy(e, voucher.id, 2, 'pickup');
    const { items: vouchers } = await staffOf(e).get<{ items: ShopVoucher[] }>(
      `/staff/customers/${e.id}/shop-vouchers`,
    );
    const first = vouchers.find((v) => v.orderNumber === o.number);
    if (first) {
      const bill = await staffOf(e).post<Bill>('/staff/bills', {
        storeId: e.store.id,
        customerId: e.id,
        lines: [{ type: 'shop_voucher', shopVoucherId: first.id, performerIds: [e.store.beautician.id] }],
      });
      await staffOf(e).post(`/staff/bills/${bill.id}/settlement`, { tenders: [] });
    }
  }
  await discountedOrders(salon, a, b, items, orders);
  if (f) {
    // Ordered online just now, and not yet paid: it must still be payable when the demo opens.
    const deskTime = till.now;
    await buy(f, item(1).id, 1, 'pickup', 10_000, clock.now);
    till.now = deskTime;
  }
  if (g) {
    const o = await buy(g, item(3).id, 1, 'pickup', 5_000);
    await till.asCustomer(g.id).post(`/me/shop/orders/${o.id}/cancel`, { reason: '不想要了' });
    count('pending_payment', 'closed');
    const refunded = await buy(g, item(2).id, 1, 'pickup');
    const asked = await till
      .asCustomer(g.id)
      .post<ShopOrder>(`/me/shop/orders/${refunded.id}/after-sales`, { reason: '过敏，申请退款' });
    const request = asked.afterSales[0];
    if (request) {
      await till
        .as(g.store.manager)
        .post(`/staff/shop/after-sales/${request.id}/decision`, { approve: true, note: '同意' });
      count('awaiting_pickup', 'refunded');
    }
  }
  // The salon lets delivered orders count as received a week after shipping (商城设置).
  await owner.put('/staff/shop/settings', { autoReceiveDays: 7 });
  return { items: items.length + (voucher ? 1 : 0) + (planId ? 1 : 0), orders };
}

/**
 * A coupon and the points price at work: one member pays for a face cream with a shop coupon off (priced by the
 * quote, as the app does), another takes the serum for its points price.
 */
async function discountedOrders(
  salon: Salon,
  withCoupon: Member | undefined,
  withPoints: Member | undefined,
  items: ShopItem[],
  orders: Record<string, number>,
) {
  const { till } = salon;
  const place = async (m: Member, body: object) => {
    const order = await till
      .asCustomer(m.id)
      .post<ShopOrder>('/me/shop/orders', { storeId: m.store.id, fulfilment: 'pickup', ...body });
    orders[order.status] = (orders[order.status] ?? 0) + 1;
  };
  const cream = items[1];
  if (withCoupon && cream) {
    const coupon = await till
      .as(withCoupon.store.manager)
      .post<{ id: string }>(`/staff/customers/${withCoupon.id}/coupons`, {
        offer: { kind: 'amount_off', title: '商城专享券', amountOffFen: 3_000, minSpendFen: 20_000, validDays: 30 },
        reason: '商城上线礼',
      });
    const me = till.asCustomer(withCoupon.id);
    await me.put('/me/shop/cart/lines', { itemId: cream.id, quantity: 1 });
    const quote = await me.post<ShopQuote>('/me/shop/quote', { couponId: coupon.id });
    await topUp(salon, withCoupon, Math.ceil(quote.totalFen / 10_000) * 10_000);
    await place(withCoupon, {
      couponId: coupon.id,
      tenders: [{ method: 'stored_value', amountFen: quote.totalFen }],
    });
  }
  const serum = items[0];
  if (withPoints && serum?.pointsPrice) {
    await till.as(withPoints.store.manager).post(`/staff/customers/${withPoints.id}/points-adjustments`, {
      points: serum.pointsPrice,
      reason: '积分兑换活动赠送',
    });
    await till.asCustomer(withPoints.id).put('/me/shop/cart/lines', { itemId: serum.id, quantity: 1 });
    await place(withPoints, {
      pointsPriceItemIds: [serum.id],
      tenders: [{ method: 'points', points: serum.pointsPrice }],
    });
  }
}
