import { sql } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import {
  type CreatedOrder,
  idempotencyKey,
  payInWechat,
  usePaymentsKit,
  waitUntil,
  wallet,
} from '../../testing/payments-kit.ts';
import { shopCalls } from '../../testing/shop-support.ts';
import { advanceDeliveredOrders } from './fulfilment.ts';

/**
 * Coupons and earned points on shop orders, the points price as a tender and
 * the shop's settings — on real PostgreSQL with the WeChat simulator, the ledger verified after each scenario.
 * The fixture salon earns 1 point a yuan and values a point at 1 fen.
 */

const kit = usePaymentsKit();
let shop: ReturnType<typeof shopCalls>;

beforeAll(async () => {
  shop = shopCalls(kit);
});

beforeEach(async () => {
  await kit.db.db.execute(sql`delete from shop_cart_lines`);
  await kit.db.db.execute(sql`delete from shop_settings`);
});

const atStore1 = () => ({ storeId: kit.t.storeIds[0], fulfilment: 'pickup' as const });
const customerId = (customer = 0) => kit.t.customers[customer]!.id;

async function order(body: object, customer = 0) {
  return shop.asCustomer('POST', '/me/shop/orders', body, customer, idempotencyKey('order'));
}

/** 满100减30, valid a week, in the customer's wallet. */
async function issueCoupon(customer = 0, minSpendFen = 10_000) {
  const res = await shop.asManager('POST', `/staff/customers/${customerId(customer)}/coupons`, {
    offer: { kind: 'amount_off', title: '商城礼', amountOffFen: 3_000, minSpendFen, validDays: 7 },
    reason: '商城测试',
  });
  return (await shop.ok(res, 201)).id as string;
}

async function couponStatus(couponId: string, customer = 0): Promise<string> {
  const all = await shop.ok(await shop.asCustomer('GET', '/me/coupons?status=all', undefined, customer, null));
  return all.items.find((c: { id: string }) => c.id === couponId)?.status;
}

async function payWechat(orderId: string, customer = 0) {
  const res = await shop.asCustomer('POST', `/me/shop/orders/${orderId}/payments`, undefined, customer);
  expect(res.statusCode, res.body).toBe(201);
  payInWechat(kit, res.json() as CreatedOrder);
  await waitUntil(async () => {
    const o = (await shop.asCustomer('GET', `/me/shop/orders/${orderId}`, undefined, customer, null)).json();
    return o.status !== 'pending_payment';
  });
}

async function afterSale(orderId: string, body: object, customer = 0) {
  return shop.ok(await shop.asCustomer('POST', `/me/shop/orders/${orderId}/after-sales`, body, customer), 201);
}

async function approveLatest(orderId: string) {
  const list = await shop.ok(await shop.asManager('GET', '/staff/shop/after-sales', undefined, null));
  const open = list.items.find(
    (a: { orderId: string; status: string }) => a.orderId === orderId && a.status === 'requested',
  );
  expect(open).toBeTruthy();
  return shop.ok(await shop.asManager('POST', `/staff/shop/after-sales/${open.id}/decision`, { approve: true }));
}

describe('coupons and earned points', () => {
  it('stored value + WeChat with a coupon: used on payment, points earned; refunds take points back, the last restores the coupon', async () => {
    const c = await shop.catalogue();
    const couponId = await issueCoupon();
    await shop.topUp(20_000);
    await shop.addToCart(c.productId, 2);
    const before = await wallet(kit);

    // The quote prices it as the order will be, and keeps nothing: the coupon is still hers to use.
    const quote = await shop.ok(await shop.asCustomer('POST', '/me/shop/quote', { couponId }, 0, null));
    expect(quote).toMatchObject({ totalFen: 17_000, couponDiscountFen: 3_000, pointsPricePoints: 0 });
    expect(await couponStatus(couponId)).toBe('issued');
    // The tenders must add up to the price after the coupon: 20,000 − 3,000 = 17,000.
    const short = await order({ ...atStore1(), couponId, tenders: [{ method: 'stored_value', amountFen: 20_000 }] });
    expect(short.json().error).toMatchObject({ code: 'BUSINESS_RULE_VIOLATED', details: { totalFen: 17_000 } });
    expect(await couponStatus(couponId)).toBe('issued');

    const placed = await shop.ok(
      await order({
        ...atStore1(),
        couponId,
        tenders: [
          { method: 'stored_value', amountFen: 10_000 },
          { method: 'wechat', amountFen: 7_000 },
        ],
      }),
      201,
    );
    expect(placed).toMatchObject({ status: 'pending_payment', totalFen: 17_000, couponDiscountFen: 3_000 });
    expect(placed.lines[0]).toMatchObject({ unitPriceFen: 10_000, amountFen: 17_000, couponDiscountFen: 3_000 });
    expect(await couponStatus(couponId)).toBe('reserved');

    await payWechat(placed.id);
    const paid = await shop.ok(await shop.asCustomer('GET', `/me/shop/orders/${placed.id}`, undefined, 0, null));
    expect(paid).toMatchObject({ status: 'awaiting_pickup', pointsEarned: 170 });
    expect(await couponStatus(couponId)).toBe('redeemed');
    const afterPay = await wallet(kit);
    expect(afterPay.points - before.points).toBe(170);
    expect(before.principalFen + before.bonusFen - (afterPay.principalFen + afterPay.bonusFen)).toBe(10_000);
    await shop.ledgerIsSound();

    // One of the two: half of what she paid (8,500) back by each tender's share, half the points taken back.
    const lineId = paid.lines[0].id;
    await afterSale(placed.id, { lines: [{ lineId, quantity: 1 }], reason: '买多了一瓶' });
    const first = await approveLatest(placed.id);
    expect(first.afterSales[0]).toMatchObject({ status: 'approved', amountFen: 8_500 });
    const refundedFen = first.afterSales[0].tenders.reduce((s: number, t: { amountFen: number }) => s + t.amountFen, 0);
    expect(refundedFen).toBe(8_500);
    expect((await wallet(kit)).points - before.points).toBe(85);
    expect(await couponStatus(couponId)).toBe('redeemed');
    await shop.ledgerIsSound();

    // The other: the order is refunded in full, its points all gone, the coupon back in her wallet.
    await afterSale(placed.id, { reason: '不想要了' });
    const second = await approveLatest(placed.id);
    expect(second.status).toBe('refunded');
    expect(second.afterSales[1]).toMatchObject({ amountFen: 8_500 });
    const end = await wallet(kit);
    expect(end.points).toBe(before.points);
    expect(end.principalFen + end.bonusFen).toBe(before.principalFen + before.bonusFen);
    expect(await couponStatus(couponId)).toBe('issued');
    expect(await shop.stockAt(c.productId)).toBe(10);
    await shop.ledgerIsSound();
  });

  it('gives the coupon back when an unpaid order is cancelled, and refuses one below its minimum or not hers', async () => {
    const c = await shop.catalogue();
    const couponId = await issueCoupon(0, 15_000);
    await shop.addToCart(c.productId, 1);
    const small = await order({ ...atStore1(), couponId, tenders: [{ method: 'wechat', amountFen: 7_000 }] });
    expect(small.json().error.code).toBe('COUPON_MIN_SPEND_NOT_MET');
    // Another customer naming it: not found, as if it did not exist.
    await shop.addToCart(c.productId, 2, 1);
    const theirs = await order({ ...atStore1(), couponId, tenders: [{ method: 'wechat', amountFen: 17_000 }] }, 1);
    expect(theirs.json().error.code).toBe('COUPON_NOT_FOUND');
    await shop.asCustomer('PUT', '/me/shop/cart/lines', { itemId: c.productId, quantity: 0 }, 1, null);

    await shop.addToCart(c.productId, 2);
    const placed = await shop.ok(
      await order({ ...atStore1(), couponId, tenders: [{ method: 'wechat', amountFen: 17_000 }] }),
      201,
    );
    expect(await couponStatus(couponId)).toBe('reserved');
    // Used twice while reserved: refused.
    await shop.addToCart(c.productId, 2);
    const again = await order({ ...atStore1(), couponId, tenders: [{ method: 'wechat', amountFen: 17_000 }] });
    expect(again.json().error.code).toBe('COUPON_NOT_USABLE');
    await shop.asCustomer('PUT', '/me/shop/cart/lines', { itemId: c.productId, quantity: 0 }, 0, null);

    const cancelled = await shop.asCustomer('POST', `/me/shop/orders/${placed.id}/cancel`, {}, 0, null);
    expect(cancelled.json().status, cancelled.body).toBe('closed');
    expect(await couponStatus(couponId)).toBe('issued');
    expect((await wallet(kit)).points).toBeGreaterThanOrEqual(0);
    await shop.ledgerIsSound();
  });
});

describe('every tender mix with a coupon', () => {
  // The serum is 10,000; the coupon takes 3,000 off; 7,000 is paid as below (a point is worth 1 fen).
  const mixes: [string, object[]][] = [
    ['stored value', [{ method: 'stored_value', amountFen: 7_000 }]],
    ['WeChat', [{ method: 'wechat', amountFen: 7_000 }]],
    ['points', [{ method: 'points', points: 7_000 }]],
    [
      'stored value + points',
      [
        { method: 'stored_value', amountFen: 4_000 },
        { method: 'points', points: 3_000 },
      ],
    ],
    [
      'points + WeChat',
      [
        { method: 'points', points: 2_000 },
        { method: 'wechat', amountFen: 5_000 },
      ],
    ],
    [
      'stored value + points + WeChat',
      [
        { method: 'stored_value', amountFen: 3_000 },
        { method: 'points', points: 1_000 },
        { method: 'wechat', amountFen: 3_000 },
      ],
    ],
  ];

  it.each(mixes)(
    '%s: paid with the coupon used, points earned on money; refunded whole, all of it back',
    async (_, tenders) => {
      const c = await shop.catalogue();
      const couponId = await issueCoupon(1);
      await shop.topUp(10_000, 1);
      await shop.givePoints(10_000, 1);
      const before = await wallet(kit, 1);
      await shop.addToCart(c.productId, 1, 1);
      const placed = await shop.ok(await order({ ...atStore1(), couponId, tenders }, 1), 201);
      if (placed.status === 'pending_payment') await payWechat(placed.id, 1);
      const paid = await shop.ok(await shop.asCustomer('GET', `/me/shop/orders/${placed.id}`, undefined, 1, null));
      const pointsPaid = (tenders as { method: string; points?: number }[]).reduce((s, t) => s + (t.points ?? 0), 0);
      expect(paid).toMatchObject({ status: 'awaiting_pickup', totalFen: 7_000, couponDiscountFen: 3_000 });
      expect(paid.pointsEarned).toBe(Math.floor((7_000 - pointsPaid) / 100));
      expect(await couponStatus(couponId, 1)).toBe('redeemed');
      const during = await wallet(kit, 1);
      expect(during.points - before.points).toBe(paid.pointsEarned - pointsPaid);
      await shop.ledgerIsSound();

      await afterSale(placed.id, { reason: '不需要了' }, 1);
      const refunded = await approveLatest(placed.id);
      expect(refunded.status).toBe('refunded');
      const wechat = refunded.afterSales[0].wechatOutRefundNo;
      if (wechat) {
        // The WeChat part goes back through WeChat Pay; the simulator pays it out.
        await waitUntil(async () => {
          const [row] = await queryRows<{ state: string }>(
            kit.db.db,
            sql`select state from payment_refunds where out_refund_no = ${wechat}`,
          );
          return row?.state === 'SUCCESS';
        });
      }
      const after = await wallet(kit, 1);
      expect(after.points).toBe(before.points);
      expect(after.principalFen + after.bonusFen).toBe(before.principalFen + before.bonusFen);
      expect(await couponStatus(couponId, 1)).toBe('issued');
      await shop.ledgerIsSound();
    },
  );
});

describe('the points price as a tender', () => {
  it('pays an item at its points price, mixed with stored value and a coupon on the money part', async () => {
    const c = await shop.catalogue();
    await shop.givePoints(6_000);
    await shop.topUp(20_000);
    const couponId = await issueCoupon(0, 5_000);
    await shop.addToCart(c.productId, 1); // points price 5,000
    await shop.addToCart(c.voucherId, 1); // 6,000 fen
    const before = await wallet(kit);

    const quote = await shop.ok(
      await shop.asCustomer('POST', '/me/shop/quote', { couponId, pointsPriceItemIds: [c.productId] }, 0, null),
    );
    expect(quote).toMatchObject({ totalFen: 8_000, couponDiscountFen: 3_000, pointsPricePoints: 5_000 });
    const noPoints = await order({
      ...atStore1(),
      pointsPriceItemIds: [c.productId],
      tenders: [{ method: 'stored_value', amountFen: 11_000 }],
    });
    expect(noPoints.json().error).toMatchObject({
      code: 'BUSINESS_RULE_VIOLATED',
      details: { pointsPricePoints: 5_000, tenderedPoints: 0 },
    });
    const notPriced = await order({
      ...atStore1(),
      pointsPriceItemIds: [c.voucherId],
      tenders: [{ method: 'stored_value', amountFen: 6_000 }],
    });
    expect(notPriced.json().error.details[0].field).toBe('body.pointsPriceItemIds.0');

    // The coupon (满50减30) comes off the voucher alone: 6,000 − 3,000 in money, the serum for 5,000 points.
    const placed = await shop.ok(
      await order({
        ...atStore1(),
        couponId,
        pointsPriceItemIds: [c.productId],
        tenders: [
          { method: 'points', points: 5_000 },
          { method: 'stored_value', amountFen: 3_000 },
        ],
      }),
      201,
    );
    expect(placed).toMatchObject({ status: 'awaiting_pickup', totalFen: 8_000, couponDiscountFen: 3_000 });
    const serum = placed.lines.find((l: { itemId: string }) => l.itemId === c.productId);
    expect(serum).toMatchObject({ pointsPrice: 5_000, unitPriceFen: 5_000, couponDiscountFen: 0 });
    // Earned on the 30 yuan paid in money only.
    expect(placed.pointsEarned).toBe(30);
    const after = await wallet(kit);
    expect(after.points - before.points).toBe(-5_000 + 30);
    expect(before.principalFen + before.bonusFen - (after.principalFen + after.bonusFen)).toBe(3_000);
    await shop.ledgerIsSound();

    // Points alone cover an order of points-price items; nothing is earned.
    await shop.givePoints(5_000);
    await shop.addToCart(c.productId, 1);
    const allPoints = await shop.ok(
      await order({ ...atStore1(), pointsPriceItemIds: [c.productId], tenders: [{ method: 'points', points: 5_000 }] }),
      201,
    );
    expect(allPoints).toMatchObject({ status: 'awaiting_pickup', totalFen: 5_000, pointsEarned: 0 });
    // Given back whole: the points return, the earned points (none) stay none.
    const pointsBefore = (await wallet(kit)).points;
    await afterSale(allPoints.id, { reason: '换别的' });
    await approveLatest(allPoints.id);
    expect((await wallet(kit)).points - pointsBefore).toBe(5_000);
    await shop.ledgerIsSound();
  });
});

describe('shop settings', () => {
  it('are a manager’s, audited: no review refunds on arrival; shorter auto-receive days move orders sooner', async () => {
    const defaults = await shop.ok(
      await shop.call(kit.beauticianHeaders(), 'GET', '/staff/shop/settings', undefined, null),
    );
    expect(defaults).toEqual({ afterSaleApproval: true, autoReceiveDays: 10, autoCompleteDays: 7 });
    const denied = await shop.call(
      kit.beauticianHeaders(),
      'PUT',
      '/staff/shop/settings',
      { autoReceiveDays: 3 },
      null,
    );
    expect(denied.statusCode).toBe(403);
    const bad = await shop.asManager('PUT', '/staff/shop/settings', { autoReceiveDays: 0 }, null);
    expect(bad.statusCode).toBe(400);
    const changed = await shop.ok(
      await shop.asManager('PUT', '/staff/shop/settings', { afterSaleApproval: false, autoReceiveDays: 2 }, null),
    );
    expect(changed).toEqual({ afterSaleApproval: false, autoReceiveDays: 2, autoCompleteDays: 7 });
    const audit = await queryRows<{ after: { autoReceiveDays: number } }>(
      kit.db.db,
      sql`select after from audit_log where tenant_id = ${kit.t.tenantId} and action = 'shop.settings_changed'`,
    );
    expect(audit.at(-1)?.after.autoReceiveDays).toBe(2);

    // No review: the request is refunded as it arrives.
    const c = await shop.catalogue();
    await shop.topUp(20_000, 1);
    await shop.addToCart(c.productId, 1, 1);
    const placed = await shop.ok(
      await order(
        {
          storeId: kit.t.storeIds[0],
          fulfilment: 'delivery',
          address: { name: '李女士', phone: '13800000000', region: '上海市', detail: '南京西路1号' },
          tenders: [{ method: 'stored_value', amountFen: 10_000 }],
        },
        1,
      ),
      201,
    );
    const before = await wallet(kit, 1);
    const asked = await afterSale(placed.id, { reason: '拍错了' }, 1);
    expect(asked.status).toBe('refunded');
    expect(asked.afterSales[0]).toMatchObject({ status: 'approved', amountFen: 10_000 });
    const after = await wallet(kit, 1);
    expect(after.principalFen + after.bonusFen - (before.principalFen + before.bonusFen)).toBe(10_000);
    await shop.ledgerIsSound();

    // Shipped 3 days ago: past this salon's 2 days, received.
    await shop.addToCart(c.productId, 1, 1);
    const shipped = await shop.ok(
      await order(
        {
          storeId: kit.t.storeIds[0],
          fulfilment: 'delivery',
          address: { name: '李女士', phone: '13800000000', region: '上海市', detail: '南京西路1号' },
          tenders: [{ method: 'stored_value', amountFen: 10_000 }],
        },
        1,
      ),
      201,
    );
    await shop.ok(
      await shop.asManager('POST', `/staff/shop/orders/${shipped.id}/shipment`, { trackingNote: '顺丰 SF123' }, null),
    );
    const threeDays = new Date(Date.now() + kit.clock.offsetMs + 3 * 86_400_000);
    expect(await advanceDeliveredOrders(kit.db.db, threeDays)).toBeGreaterThanOrEqual(1);
    const moved = await shop.ok(await shop.asCustomer('GET', `/me/shop/orders/${shipped.id}`, undefined, 1, null));
    expect(moved.status).toBe('received');
  });
});
