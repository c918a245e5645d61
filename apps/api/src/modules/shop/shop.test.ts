import { sql } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { bearer } from '../../testing/harness.ts';
import {
  type CreatedOrder,
  getOrder,
  idempotencyKey,
  payInWechat,
  usePaymentsKit,
  waitUntil,
  wallet,
} from '../../testing/payments-kit.ts';
import { placeInTier, shopCalls } from '../../testing/shop-support.ts';
import { expireShopOrders } from './orders.ts';
import { advanceDeliveredOrders } from './fulfilment.ts';

const kit = usePaymentsKit();
let shop: ReturnType<typeof shopCalls>;

beforeAll(async () => {
  shop = shopCalls(kit);
});

beforeEach(async () => {
  // Each test starts from an empty cart and shop; wallets carry over, so tests compare before and after.
  await kit.db.db.execute(sql`delete from shop_cart_lines`);
});

const pickup = { storeId: '', fulfilment: 'pickup' as const };
const atStore1 = () => ({ ...pickup, storeId: kit.t.storeIds[0] });

async function order(body: object, customer = 0, key = idempotencyKey('order')) {
  return shop.asCustomer('POST', '/me/shop/orders', body, customer, key);
}

async function payWechat(orderId: string, customer = 0) {
  const res = await shop.asCustomer('POST', `/me/shop/orders/${orderId}/payments`, undefined, customer);
  expect(res.statusCode, res.body).toBe(201);
  const payment = res.json() as CreatedOrder;
  payInWechat(kit, payment);
  await waitUntil(async () => {
    const o = (await shop.asCustomer('GET', `/me/shop/orders/${orderId}`, undefined, customer, null)).json();
    return o.status !== 'pending_payment';
  });
  return payment;
}

const availablePoints = async (customer = 0) => (await wallet(kit, customer)).points;

describe('catalogue', () => {
  it('is managed by managers with audit, and shows a customer her tier price and only what is on sale', async () => {
    const tierId = await placeInTier(kit, 1);
    const c = await shop.catalogue({ tierPrice: { tierId, priceFen: 8_800 } });
    const beautician = await shop.call(kit.beauticianHeaders(), 'POST', '/staff/shop/categories', { name: '彩妆' });
    expect(beautician.statusCode).toBe(403);

    const mine = await shop.ok(await shop.asCustomer('GET', '/me/shop/catalogue', undefined, 1, null));
    const product = mine.items.find((i: { id: string }) => i.id === c.productId);
    expect(product).toMatchObject({ priceFen: 8_800, listPriceFen: 10_000, pointsPrice: 5_000 });
    expect(product.stock).toEqual([expect.objectContaining({ storeId: kit.t.storeIds[0], quantity: 10 })]);
    expect(mine.tierName).toBe('金卡');
    const other = await shop.ok(await shop.asCustomer('GET', `/me/shop/items/${c.productId}`, undefined, 0, null));
    expect(other.priceFen).toBe(10_000);

    // Off sale: gone from the customer's shop, still in the staff catalogue.
    const item = await shop.ok(await shop.asManager('GET', '/staff/shop/catalogue'));
    const voucher = item.items.find((i: { id: string }) => i.id === c.voucherId);
    const { id: _id, stock: _s, priceFen: _p, ...request } = voucher;
    await shop.ok(await shop.asManager('PUT', `/staff/shop/items/${c.voucherId}`, { ...request, onSale: false }));
    const after = await shop.ok(await shop.asCustomer('GET', '/me/shop/catalogue', undefined, 0, null));
    expect(after.items.map((i: { id: string }) => i.id)).not.toContain(c.voucherId);
    expect((await shop.asCustomer('GET', `/me/shop/items/${c.voucherId}`, undefined, 0, null)).statusCode).toBe(404);

    // A product's member prices name tiers of this salon too: one made up is 404 on the field, the product unchanged.
    const productRow = item.items.find((i: { id: string }) => i.id === c.productId);
    const { id: _pid, stock: _ps, priceFen: _pp, ...productRequest } = productRow;
    const madeUp = await shop.asManager('PUT', `/staff/shop/items/${c.productId}`, {
      ...productRequest,
      tierPrices: [{ tierId: crypto.randomUUID(), priceFen: 5_000 }],
    });
    expect(madeUp.statusCode).toBe(404);
    expect(madeUp.json().error.details).toEqual([{ field: 'body.tierPrices', message: 'not found' }]);

    const audit = await queryRows<{ action: string }>(
      kit.db.db,
      sql`select action from audit_log where tenant_id = ${kit.t.tenantId} and action like 'shop.%'`,
    );
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['shop.category_created', 'shop.item_created', 'shop.stock_set', 'shop.item_updated']),
    );
    // The picture is served by the API itself.
    const image = await kit.app.inject({ method: 'GET', url: '/shop-images/serum.svg' });
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toContain('image/svg+xml');
  });
});

describe('ordering and paying', () => {
  it('pays with stored value at once: stock taken, price snapshot, pickup code; staff hand it over once', async () => {
    const c = await shop.catalogue({ stock: 5 });
    await shop.topUp(30_000);
    const before = await wallet(kit);
    await shop.addToCart(c.productId, 2);
    const placed = await shop.ok(
      await order({ ...atStore1(), tenders: [{ method: 'stored_value', amountFen: 20_000 }] }),
      201,
    );
    expect(placed).toMatchObject({ status: 'awaiting_pickup', totalFen: 20_000 });
    expect(placed.pickupCode).toMatch(/^\d{6}$/);
    expect(placed.lines[0]).toMatchObject({ quantity: 2, unitPriceFen: 10_000, amountFen: 20_000 });
    expect(await shop.stockAt(c.productId)).toBe(3);
    const after = await wallet(kit);
    expect(before.principalFen + before.bonusFen - (after.principalFen + after.bonusFen)).toBe(20_000);
    // The cart was emptied; a later price change does not touch the order.
    expect((await shop.ok(await shop.asCustomer('GET', '/me/shop/cart', undefined, 0, null))).lines).toEqual([]);

    // Wrong store: the owner works at both, but the order waits at store 1.
    const wrongStore = await shop.asOwner('POST', '/staff/shop/pickups', {
      storeId: kit.t.storeIds[1],
      code: placed.pickupCode,
    });
    expect(wrongStore.json().error.code).toBe('PICKUP_CODE_INVALID');
    // Another salon's staff: their own store does not have it, and naming ours is refused.
    const { other, headers: otherOwner } = await shop.otherSalonOwner();
    const elsewhere = await shop.call(otherOwner, 'POST', '/staff/shop/pickups', {
      storeId: other.storeIds[0],
      code: placed.pickupCode,
    });
    expect(elsewhere.json().error.code).toBe('PICKUP_CODE_INVALID');
    const naming = await shop.call(otherOwner, 'POST', '/staff/shop/pickups', {
      storeId: kit.t.storeIds[0],
      code: placed.pickupCode,
    });
    expect(naming.statusCode).toBe(403);
    expect((await shop.call(otherOwner, 'GET', `/staff/shop/orders/${placed.id}`)).statusCode).toBe(404);
    expect(
      (
        await shop.call(
          bearer(kit.app.jwt.sign({ kind: 'customer', sub: other.customers[0]!.id, tenantId: other.tenantId })),
          'GET',
          `/me/shop/orders/${placed.id}`,
        )
      ).statusCode,
    ).toBe(404);
    expect((await shop.asCustomer('GET', `/me/shop/orders/${placed.id}`, undefined, 1, null)).statusCode).toBe(404);

    const collected = await shop.ok(
      await shop.asManager('POST', '/staff/shop/pickups', { storeId: kit.t.storeIds[0], code: placed.pickupCode }),
    );
    expect(collected.status).toBe('collected');
    expect(collected.pickupCode).toBeNull();
    const reused = await shop.asManager('POST', '/staff/shop/pickups', {
      storeId: kit.t.storeIds[0],
      code: placed.pickupCode,
    });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('PICKUP_CODE_INVALID');
    await shop.ledgerIsSound();
  });

  it('replays an order under the same key, refuses the key with another body, and refuses tenders that do not add up', async () => {
    const c = await shop.catalogue();
    await shop.topUp(20_000);
    await shop.addToCart(c.voucherId, 1);
    const key = idempotencyKey('same');
    const body = { ...atStore1(), tenders: [{ method: 'stored_value', amountFen: 6_000 }] };
    const first = await shop.ok(await order(body, 0, key), 201);
    expect(first.status).toBe('completed');
    const again = await shop.ok(await order(body, 0, key), 200);
    expect(again.id).toBe(first.id);
    const other = await order({ ...body, fulfilment: 'delivery' }, 0, key);
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    await shop.addToCart(c.voucherId, 1);
    const short = await order({ ...atStore1(), tenders: [{ method: 'stored_value', amountFen: 5_000 }] });
    expect(short.statusCode).toBe(422);
    expect(short.json().error.details).toMatchObject({ totalFen: 6_000, differenceFen: 1_000 });
    const vouchers = await queryRows<{ n: number }>(
      kit.db.db,
      sql`select count(*)::int as n from shop_vouchers where order_id = ${first.id} and status = 'issued'`,
    );
    expect(vouchers[0]?.n).toBe(1);
    await shop.ledgerIsSound();
  });

  it('refuses an order under a key a top-up already used, and writes no order (one key contract)', async () => {
    const c = await shop.catalogue();
    const key = idempotencyKey('crossed');
    await shop.ok(
      await shop.asManager(
        'POST',
        `/staff/customers/${kit.t.customers[0]!.id}/top-ups`,
        { storeId: kit.t.storeIds[0], amountFen: 10_000, method: 'cash' },
        key,
      ),
      201,
    );
    await shop.addToCart(c.voucherId, 1);
    const count = async () =>
      (await queryRows<{ n: number }>(kit.db.db, sql`select count(*)::int as n from shop_orders`))[0]?.n;
    const before = await count();
    const crossed = await order({ ...atStore1(), tenders: [{ method: 'stored_value', amountFen: 6_000 }] }, 0, key);
    expect(crossed.statusCode).toBe(422);
    expect(crossed.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await count()).toBe(before);
  });

  it('sells the last unit exactly once when two customers order it at the same time', async () => {
    const c = await shop.catalogue({ stock: 1 });
    await shop.topUp(20_000, 0);
    await shop.topUp(20_000, 1);
    await shop.addToCart(c.productId, 1, 0);
    await shop.addToCart(c.productId, 1, 1);
    const tenders = [{ method: 'stored_value', amountFen: 10_000 }];
    const results = await Promise.all([order({ ...atStore1(), tenders }, 0), order({ ...atStore1(), tenders }, 1)]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 422]);
    expect(results.find((r) => r.statusCode === 422)?.json().error.code).toBe('SHOP_OUT_OF_STOCK');
    expect(await shop.stockAt(c.productId)).toBe(0);
    const sold = await queryRows<{ n: number }>(
      kit.db.db,
      sql`select coalesce(sum(quantity), 0)::int as n from shop_order_lines where item_id = ${c.productId}`,
    );
    expect(sold[0]?.n).toBe(1);
    await shop.ledgerIsSound();
  });

  it('sells exactly the stock when six customers race for three units', async () => {
    const c = await shop.catalogue({ stock: 3 });
    const racers = await queryRows<{ id: string }>(
      kit.db.db,
      sql`insert into customers (tenant_id, name)
          select ${kit.t.tenantId}, '抢购顾客' || n from generate_series(1, 6) n returning id`,
    );
    const headers = (id: string) => bearer(kit.app.jwt.sign({ kind: 'customer', sub: id, tenantId: kit.t.tenantId }));
    for (const { id } of racers) {
      await shop.ok(
        await shop.asManager('POST', `/staff/customers/${id}/top-ups`, {
          storeId: kit.t.storeIds[0],
          amountFen: 10_000,
          method: 'cash',
        }),
        201,
      );
      await shop.ok(
        await shop.call(headers(id), 'PUT', '/me/shop/cart/lines', { itemId: c.productId, quantity: 1 }, null),
      );
    }
    const body = { ...atStore1(), tenders: [{ method: 'stored_value', amountFen: 10_000 }] };
    const results = await Promise.all(racers.map(({ id }) => shop.call(headers(id), 'POST', '/me/shop/orders', body)));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(3);
    const refused = results.filter((r) => r.statusCode !== 201);
    expect(refused.map((r) => r.json().error.code)).toEqual(Array(3).fill('SHOP_OUT_OF_STOCK'));
    const sold = await queryRows<{ n: number }>(
      kit.db.db,
      sql`select coalesce(sum(quantity), 0)::int as n from shop_order_lines where item_id = ${c.productId}`,
    );
    expect(sold[0]?.n).toBe(3);
    expect(await shop.stockAt(c.productId)).toBe(0);
    await shop.ledgerIsSound();
  });

  it('issues a package card on payment, which after-sale does not take back on its own (only with the whole order)', async () => {
    const c = await shop.catalogue();
    await shop.topUp(60_000);
    await shop.addToCart(c.cardId, 1);
    const placed = await shop.ok(
      await order({ ...atStore1(), tenders: [{ method: 'stored_value', amountFen: 50_000 }] }),
      201,
    );
    expect(placed.status).toBe('completed');
    const cards = await queryRows<{ n: number }>(
      kit.db.db,
      sql`select count(*)::int as n from package_cards where customer_id = ${kit.t.customers[0]!.id} and sold_transfer_id is not null and price_fen = 50000`,
    );
    expect(cards[0]?.n).toBeGreaterThanOrEqual(1);
    const refund = await shop.asCustomer('POST', `/me/shop/orders/${placed.id}/after-sales`, {
      lines: [{ lineId: placed.lines[0].id, quantity: 1 }],
      reason: '不想要了',
    });
    expect(refund.json().error.code).toBe('REFUND_NOT_ALLOWED');
    await shop.ledgerIsSound();
  });
});

describe('WeChat Pay, expiry and cancellation', () => {
  it('holds stored value while the WeChat part is paid, then refunds one line to both tenders on approval', async () => {
    const c = await shop.catalogue({ stock: 4 });
    await shop.topUp(10_000);
    const before = await wallet(kit);
    await shop.addToCart(c.productId, 2);
    const placed = await shop.ok(
      await order({
        ...atStore1(),
        tenders: [
          { method: 'stored_value', amountFen: 8_000 },
          { method: 'wechat', amountFen: 12_000 },
        ],
      }),
      201,
    );
    expect(placed.status).toBe('pending_payment');
    expect(placed.pickupCode).toBeNull();
    expect(await shop.stockAt(c.productId)).toBe(2);
    const payment = await payWechat(placed.id);
    const paid = await shop.ok(await shop.asCustomer('GET', `/me/shop/orders/${placed.id}`, undefined, 0, null));
    expect(paid.status).toBe('awaiting_pickup');
    expect(paid.pickupCode).toMatch(/^\d{6}$/);
    const afterPay = await wallet(kit);
    expect(before.principalFen + before.bonusFen - (afterPay.principalFen + afterPay.bonusFen)).toBe(8_000);

    const asked = await shop.ok(
      await shop.asCustomer('POST', `/me/shop/orders/${placed.id}/after-sales`, {
        lines: [{ lineId: paid.lines[0].id, quantity: 1 }],
        reason: '买多了一瓶',
      }),
      201,
    );
    const request = asked.afterSales[0];
    expect(request).toMatchObject({ status: 'requested', amountFen: 10_000 });
    const waiting = await shop.ok(await shop.asManager('GET', '/staff/shop/after-sales'));
    expect(waiting.items[0].id).toBe(request.id);
    // A beautician cannot decide.
    const beautician = await shop.call(
      kit.beauticianHeaders(),
      'POST',
      `/staff/shop/after-sales/${request.id}/decision`,
      {
        approve: true,
      },
    );
    expect(beautician.statusCode).toBe(403);
    const key = idempotencyKey('decide');
    const decided = await shop.ok(
      await shop.asManager(
        'POST',
        `/staff/shop/after-sales/${request.id}/decision`,
        { approve: true, note: '同意' },
        key,
      ),
    );
    const approved = decided.afterSales[0];
    expect(approved.status).toBe('approved');
    // 10 000 back: 4 000 to stored value and 6 000 to WeChat, in proportion to what each paid.
    expect(approved.tenders).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ method: 'stored_value', amountFen: 4_000 }),
        expect.objectContaining({ method: 'wechat', amountFen: 6_000 }),
      ]),
    );
    const replay = await shop.asManager(
      'POST',
      `/staff/shop/after-sales/${request.id}/decision`,
      { approve: true, note: '同意' },
      key,
    );
    expect(replay.statusCode).toBe(200);
    const afterRefund = await wallet(kit);
    expect(afterRefund.principalFen + afterRefund.bonusFen - (afterPay.principalFen + afterPay.bonusFen)).toBe(4_000);
    // Unshipped goods go back on the shelf.
    expect(await shop.stockAt(c.productId)).toBe(3);
    await waitUntil(async () => {
      const o = await getOrder(kit, payment.outTradeNo);
      return o.refunds.some((r) => r.state === 'SUCCESS');
    });
    expect((await getOrder(kit, payment.outTradeNo)).refundedFen).toBe(6_000);
    const line = decided.lines[0];
    expect(line.refundedQuantity).toBe(1);
    await shop.ledgerIsSound();
  });

  it('closes an unpaid order when it expires: the WeChat order is closed, stock and held balance go back', async () => {
    const c = await shop.catalogue({ stock: 3 });
    await shop.topUp(5_000);
    const before = await wallet(kit);
    await shop.addToCart(c.productId, 1);
    const placed = await shop.ok(
      await order({
        ...atStore1(),
        tenders: [
          { method: 'stored_value', amountFen: 5_000 },
          { method: 'wechat', amountFen: 5_000 },
        ],
      }),
      201,
    );
    const res = await shop.asCustomer('POST', `/me/shop/orders/${placed.id}/payments`);
    const payment = res.json() as CreatedOrder;
    expect(await shop.stockAt(c.productId)).toBe(2);
    // Held, not spent: the wallet's balance is untouched but its available part shrank.
    expect((await wallet(kit)).principalFen).toBe(before.principalFen);

    expect(await expireShopOrders(kit.db.db, kit.app.shop, new Date(Date.now()))).toBe(0);
    kit.clock.offsetMs = 31 * 60_000;
    expect(await expireShopOrders(kit.db.db, kit.app.shop, new Date(Date.now() + kit.clock.offsetMs))).toBe(1);
    const closed = await shop.ok(await shop.asCustomer('GET', `/me/shop/orders/${placed.id}`, undefined, 0, null));
    expect(closed).toMatchObject({ status: 'closed', closedReason: 'expired' });
    expect(await shop.stockAt(c.productId)).toBe(3);
    expect((await getOrder(kit, payment.outTradeNo)).state).toBe('CLOSED');
    const holds = await queryRows<{ n: number }>(
      kit.db.db,
      sql`select count(*)::int as n from holds where reference_type = 'shop_order' and reference_id = ${placed.id} and status = 'active'`,
    );
    expect(holds[0]?.n).toBe(0);
    await shop.ledgerIsSound();
  });

  it('lets the customer cancel an unpaid order, and refuses to pay it afterwards', async () => {
    const c = await shop.catalogue({ stock: 2 });
    await shop.addToCart(c.productId, 2);
    const placed = await shop.ok(
      await order({ ...atStore1(), tenders: [{ method: 'wechat', amountFen: 20_000 }] }),
      201,
    );
    expect(await shop.stockAt(c.productId)).toBe(0);
    const cancelled = await shop.ok(await shop.asCustomer('POST', `/me/shop/orders/${placed.id}/cancel`, {}, 0, null));
    expect(cancelled).toMatchObject({ status: 'closed', closedReason: 'cancelled' });
    expect(await shop.stockAt(c.productId)).toBe(2);
    const pay = await shop.asCustomer('POST', `/me/shop/orders/${placed.id}/payments`);
    expect(pay.statusCode).toBe(409);
    await shop.ledgerIsSound();
  });
});

describe('points, delivery and whole-order refunds', () => {
  it('pays with points and stored value, ships and completes a delivery, and refunds the whole order to both', async () => {
    const c = await shop.catalogue({ stock: 2 });
    await shop.topUp(20_000);
    await shop.givePoints(2_000);
    const pointsBefore = await availablePoints();
    const settings = await queryRows<{ v: number }>(
      kit.db.db,
      sql`select coalesce((settings->'ledger'->>'pointValueFen')::int, 1) as v from tenants where id = ${kit.t.tenantId}`,
    );
    const pointValue = Number(settings[0]?.v ?? 1);
    const points = 1_000;
    await shop.addToCart(c.productId, 1);
    const placed = await shop.ok(
      await order({
        storeId: kit.t.storeIds[0],
        fulfilment: 'delivery',
        address: { name: '林小姐', phone: '13800000000', region: '上海市 徐汇区', detail: '天钥桥路 1 号' },
        tenders: [
          { method: 'points', points },
          { method: 'stored_value', amountFen: 10_000 - points * pointValue },
        ],
      }),
      201,
    );
    expect(placed.status).toBe('awaiting_shipment');
    // What she paid in money (not in points) earns points, as at the till: 1 a yuan.
    const earned = Math.floor((10_000 - points * pointValue) / 100);
    expect(placed.pointsEarned).toBe(earned);
    expect(await availablePoints()).toBe(pointsBefore - points + earned);
    const beautician = await shop.call(kit.beauticianHeaders(), 'POST', `/staff/shop/orders/${placed.id}/shipment`, {
      trackingNote: '顺丰 SF1234567890',
    });
    expect((await shop.ok(beautician)).status).toBe('shipped');
    const received = await shop.ok(await shop.asCustomer('POST', `/me/shop/orders/${placed.id}/receipt`, {}, 0, null));
    expect(received.status).toBe('received');
    const now = Date.now() + 8 * 86_400_000;
    expect(await advanceDeliveredOrders(kit.db.db, new Date(now))).toBeGreaterThanOrEqual(1);
    expect(
      (await shop.ok(await shop.asCustomer('GET', `/me/shop/orders/${placed.id}`, undefined, 0, null))).status,
    ).toBe('completed');

    const before = await wallet(kit);
    const asked = await shop.ok(
      await shop.asCustomer('POST', `/me/shop/orders/${placed.id}/after-sales`, { reason: '过敏，全部退' }),
      201,
    );
    await shop.ok(
      await shop.asManager('POST', `/staff/shop/after-sales/${asked.afterSales[0].id}/decision`, { approve: true }),
    );
    const after = await wallet(kit);
    // Her points come back; the points the order earned go.
    expect(after.points - before.points).toBe(points - earned);
    expect(after.principalFen + after.bonusFen - (before.principalFen + before.bonusFen)).toBe(
      10_000 - points * pointValue,
    );
    const refunded = await shop.ok(await shop.asCustomer('GET', `/me/shop/orders/${placed.id}`, undefined, 0, null));
    expect(refunded.status).toBe('refunded');
    // Shipped goods are with the customer: no stock comes back.
    expect(await shop.stockAt(c.productId)).toBe(1);
    const again = await shop.asCustomer('POST', `/me/shop/orders/${placed.id}/after-sales`, { reason: '再退一次' });
    expect(again.statusCode).toBe(409);
    await shop.ledgerIsSound();
  });

  it('lets a manager refuse a request, after which another can be asked', async () => {
    const c = await shop.catalogue({ stock: 2 });
    await shop.topUp(10_000);
    await shop.addToCart(c.productId, 1);
    const placed = await shop.ok(
      await order({ ...atStore1(), tenders: [{ method: 'stored_value', amountFen: 10_000 }] }),
      201,
    );
    const first = await shop.ok(
      await shop.asCustomer('POST', `/me/shop/orders/${placed.id}/after-sales`, { reason: '不喜欢' }),
      201,
    );
    const second = await shop.asCustomer('POST', `/me/shop/orders/${placed.id}/after-sales`, { reason: '还是不喜欢' });
    expect(second.statusCode).toBe(409);
    const refused = await shop.ok(
      await shop.asManager('POST', `/staff/shop/after-sales/${first.afterSales[0].id}/decision`, {
        approve: false,
        note: '已拆封',
      }),
    );
    expect(refused.afterSales[0]).toMatchObject({ status: 'refused', decisionNote: '已拆封' });
    expect(refused.status).toBe('awaiting_pickup');
    const again = await shop.asCustomer('POST', `/me/shop/orders/${placed.id}/after-sales`, { reason: '还是不喜欢' });
    expect(again.statusCode).toBe(201);
    await shop.ledgerIsSound();
  });
});
