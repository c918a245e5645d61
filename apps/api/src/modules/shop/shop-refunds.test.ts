import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import {
  type CreatedOrder,
  idempotencyKey,
  type PaymentsKit,
  payInWechat,
  startPaymentsKit,
  waitUntil,
  wallet,
} from '../../testing/payments-kit.ts';
import { addWalletCustomer, shopCalls } from '../../testing/shop-support.ts';

/**
 * After-sale refunds of mixed orders: points-price lines give back their points and money lines money (to the
 * money tenders, the coupon's share as priced), and orders with wallet items (package cards, top-ups, vouchers)
 * given back whole while those are unused. Real PostgreSQL, the WeChat simulator, the ledger verified throughout.
 * The fixture salon earns 1 point a yuan and values a point at 1 fen.
 */

let kit: PaymentsKit;
let shop: ReturnType<typeof shopCalls>;

beforeAll(async () => {
  kit = await startPaymentsKit();
  shop = shopCalls(kit);
  // Two more customers, each with a wallet of her own for a scenario.
  for (const name of ['顾客丙', '顾客丁']) await addWalletCustomer(kit, name);
});

afterAll(async () => {
  await kit?.close();
});

beforeEach(async () => {
  await kit.db.db.execute(sql`delete from shop_cart_lines`);
});

const store1 = () => kit.t.storeIds[0]!;
const customerId = (customer: number) => kit.t.customers[customer]!.id;

async function order(body: object, customer: number) {
  return shop.ok(
    await shop.asCustomer(
      'POST',
      '/me/shop/orders',
      { storeId: store1(), fulfilment: 'pickup', ...body },
      customer,
      idempotencyKey('order'),
    ),
    201,
  );
}

async function payWechat(orderId: string, customer: number) {
  const res = await shop.asCustomer('POST', `/me/shop/orders/${orderId}/payments`, undefined, customer);
  expect(res.statusCode, res.body).toBe(201);
  payInWechat(kit, res.json() as CreatedOrder);
  await waitUntil(async () => {
    const o = (await shop.asCustomer('GET', `/me/shop/orders/${orderId}`, undefined, customer, null)).json();
    return o.status !== 'pending_payment';
  });
}

const askAfterSale = (orderId: string, body: object, customer: number, key = idempotencyKey('as')) =>
  shop.asCustomer('POST', `/me/shop/orders/${orderId}/after-sales`, body, customer, key);

async function approveLatest(orderId: string, key = idempotencyKey('decide')) {
  const list = await shop.ok(await shop.asManager('GET', '/staff/shop/after-sales', undefined, null));
  const open = list.items.find(
    (a: { orderId: string; status: string }) => a.orderId === orderId && a.status === 'requested',
  );
  expect(open).toBeTruthy();
  return shop.asManager('POST', `/staff/shop/after-sales/${open.id}/decision`, { approve: true }, key);
}

const byMethod = (tenders: { method: string; amountFen: number; points?: number }[]) =>
  Object.fromEntries(tenders.map((t) => [t.method, t.method === 'points' ? [t.points, t.amountFen] : t.amountFen]));

async function issueCoupon(customer: number) {
  const res = await shop.asManager('POST', `/staff/customers/${customerId(customer)}/coupons`, {
    offer: { kind: 'amount_off', title: '商城礼', amountOffFen: 3_000, minSpendFen: 10_000, validDays: 7 },
    reason: '商城测试',
  });
  return (await shop.ok(res, 201)).id as string;
}

async function couponStatus(couponId: string, customer: number): Promise<string> {
  const all = await shop.ok(await shop.asCustomer('GET', '/me/coupons?status=all', undefined, customer, null));
  return all.items.find((c: { id: string }) => c.id === couponId)?.status;
}

async function item(body: object) {
  const c = await shop.ok(
    await shop.asManager('POST', '/staff/shop/categories', { name: '更多', sortOrder: 2 }, idempotencyKey('cat')),
    201,
  );
  return shop.ok(await shop.asManager('POST', '/staff/shop/items', { categoryId: c.id, ...body }), 201);
}

describe('a partial refund of an order mixing points-price and money lines', () => {
  it('gives points back for the points-price line and money to the money tenders, the coupon as priced', async () => {
    const CUSTOMER = 0;
    const c = await shop.catalogue();
    const cleanser = await item({ kind: 'product', name: '洁面乳', listPriceFen: 8_000 });
    await shop.ok(
      await shop.asManager('PUT', `/staff/shop/items/${cleanser.id}/stock`, { storeId: store1(), quantity: 10 }),
    );
    await shop.givePoints(5_000, CUSTOMER);
    await shop.topUp(10_000, CUSTOMER);
    const couponId = await issueCoupon(CUSTOMER);
    await shop.addToCart(c.productId, 1, CUSTOMER); // the serum, at its points price: 5,000 points
    await shop.addToCart(cleanser.id, 2, CUSTOMER); // 16,000 fen, less the coupon's 3,000
    const start = await wallet(kit, CUSTOMER);

    const placed = await order(
      {
        couponId,
        pointsPriceItemIds: [c.productId],
        tenders: [
          { method: 'points', points: 5_000 },
          { method: 'stored_value', amountFen: 6_500 },
          { method: 'wechat', amountFen: 6_500 },
        ],
      },
      CUSTOMER,
    );
    expect(placed.totalFen).toBe(18_000);
    await payWechat(placed.id, CUSTOMER);
    const paid = await shop.ok(await shop.asCustomer('GET', `/me/shop/orders/${placed.id}`, undefined, CUSTOMER, null));
    expect(paid.pointsEarned).toBe(130);
    const serumLine = paid.lines.find((l: { itemId: string }) => l.itemId === c.productId);
    const cleanserLine = paid.lines.find((l: { itemId: string }) => l.itemId === cleanser.id);
    expect(cleanserLine).toMatchObject({ amountFen: 13_000, couponDiscountFen: 3_000 });
    await shop.ledgerIsSound();

    // One cleanser: its 6,500 (8,000 less its 1,500 of the coupon) back to stored value and WeChat, no points.
    const one = await askAfterSale(
      placed.id,
      { lines: [{ lineId: cleanserLine.id, quantity: 1 }], reason: '多买了' },
      CUSTOMER,
    );
    expect(one.statusCode, one.body).toBe(201);
    const first = await shop.ok(await approveLatest(placed.id));
    expect(first.afterSales[0]).toMatchObject({ amountFen: 6_500, status: 'approved' });
    expect(byMethod(first.afterSales[0].tenders)).toEqual({ stored_value: 3_250, wechat: 3_250 });
    await shop.ledgerIsSound();

    // The serum: exactly its 5,000 points back, no money.
    await askAfterSale(placed.id, { lines: [{ lineId: serumLine.id, quantity: 1 }], reason: '换别的' }, CUSTOMER);
    const second = await shop.ok(await approveLatest(placed.id));
    const serumRefund = second.afterSales.find((a: { amountFen: number }) => a.amountFen === 5_000);
    expect(byMethod(serumRefund.tenders)).toEqual({ points: [5_000, 5_000] });
    await shop.ledgerIsSound();

    // The rest: the last cleanser's 6,500 to the money tenders; the coupon comes back, every earned point goes.
    await askAfterSale(placed.id, { reason: '都不要了' }, CUSTOMER);
    const third = await shop.ok(await approveLatest(placed.id));
    expect(third.status).toBe('refunded');
    const last = third.afterSales.find(
      (a: { id: string; amountFen: number }) => a.id !== first.afterSales[0].id && a.amountFen === 6_500,
    );
    expect(byMethod(last.tenders)).toEqual({ stored_value: 3_250, wechat: 3_250 });
    expect(await couponStatus(couponId, CUSTOMER)).toBe('issued');
    const end = await wallet(kit, CUSTOMER);
    expect(end.points).toBe(start.points);
    expect(end.principalFen + end.bonusFen).toBe(start.principalFen + start.bonusFen);
    // Both WeChat refunds paid out by the simulator.
    await waitUntil(async () => {
      const rows = await queryRows<{ n: number }>(
        kit.db.db,
        sql`select count(*)::int as n from payment_refunds where tenant_id = ${kit.t.tenantId} and state = 'SUCCESS'`,
      );
      return Number(rows[0]?.n) >= 2;
    }, 15_000);
    await shop.ledgerIsSound();
  });
});

describe('an order with wallet items', () => {
  async function walletCatalogue() {
    const c = await shop.catalogue();
    const [plan] = await queryRows<{ id: string }>(
      kit.db.db,
      sql`select id from top_up_plans where tenant_id = ${kit.t.tenantId} and bonus_points > 0`,
    );
    const topUp = await item({
      kind: 'top_up_plan',
      name: '充3000送800',
      listPriceFen: 300_000,
      topUpPlanId: plan!.id,
    });
    return { ...c, topUpId: topUp.id as string };
  }

  async function cardOf(orderId: string, customer: number) {
    const [card] = await queryRows<{ id: string }>(
      kit.db.db,
      sql`select c.id from package_cards c join shop_orders o on o.transfer_id = c.sold_transfer_id
          where o.id = ${orderId} and c.customer_id = ${customerId(customer)}`,
    );
    return card!.id;
  }

  const useSession = (cardId: string, customer: number) =>
    shop.asManager(
      'POST',
      `/staff/customers/${customerId(customer)}/package-cards/${cardId}/consumptions`,
      { storeId: store1(), sessions: 1 },
      idempotencyKey('use'),
    );

  it('is given back whole while they are unused: card, top-up and voucher taken back, the money and coupon returned', async () => {
    const CUSTOMER = 1;
    const c = await walletCatalogue();
    const couponId = await issueCoupon(CUSTOMER);
    await shop.addToCart(c.cardId, 1, CUSTOMER);
    await shop.addToCart(c.topUpId, 1, CUSTOMER);
    await shop.addToCart(c.voucherId, 1, CUSTOMER);
    const start = await wallet(kit, CUSTOMER);
    const placed = await order({ couponId, tenders: [{ method: 'wechat', amountFen: 353_000 }] }, CUSTOMER);
    expect(placed.totalFen).toBe(353_000);
    await payWechat(placed.id, CUSTOMER);
    const paid = await wallet(kit, CUSTOMER);
    // The top-up's 300,000 + 80,000 bonus and its 300 points, and the points the card and voucher earned (530).
    expect(paid.principalFen - start.principalFen).toBe(300_000);
    expect(paid.bonusFen - start.bonusFen).toBe(80_000);
    expect(paid.points - start.points).toBe(300 + 530);
    await shop.ledgerIsSound();

    // A wallet line alone cannot be asked for; the whole order can.
    const lines = (
      await shop.ok(await shop.asCustomer('GET', `/me/shop/orders/${placed.id}`, undefined, CUSTOMER, null))
    ).lines as { id: string; kind: string }[];
    const cardLine = lines.find((l) => l.kind === 'package_card')!;
    const alone = await askAfterSale(
      placed.id,
      { lines: [{ lineId: cardLine.id, quantity: 1 }], reason: '不要了' },
      CUSTOMER,
    );
    expect(alone.json().error.code).toBe('REFUND_NOT_ALLOWED');

    const key = idempotencyKey('whole');
    const asked = await askAfterSale(placed.id, { reason: '不要了' }, CUSTOMER, key);
    expect(asked.statusCode, asked.body).toBe(201);
    const replay = await askAfterSale(placed.id, { reason: '不要了' }, CUSTOMER, key);
    expect(replay.json()).toEqual(asked.json());
    const decideKey = idempotencyKey('decide');
    const approved = await shop.ok(await approveLatest(placed.id, decideKey));
    expect(approved.status).toBe('refunded');
    expect(approved.afterSales[0]).toMatchObject({ amountFen: 353_000, status: 'approved' });
    expect(byMethod(approved.afterSales[0].tenders)).toEqual({ wechat: 353_000 });
    const end = await wallet(kit, CUSTOMER);
    expect([end.principalFen, end.bonusFen, end.points]).toEqual([start.principalFen, start.bonusFen, start.points]);
    const [sessions] = await queryRows<{ left: string }>(
      kit.db.db,
      sql`select -balance as left from accounts where package_card_id = ${await cardOf(placed.id, CUSTOMER)}`,
    );
    expect(Number(sessions?.left)).toBe(0);
    expect(await couponStatus(couponId, CUSTOMER)).toBe('issued');
    const vouchers = await shop.ok(await shop.asCustomer('GET', '/me/shop/vouchers', undefined, CUSTOMER, null));
    expect(vouchers.items.filter((v: { orderNumber: string }) => v.orderNumber === placed.number)).toMatchObject([
      { status: 'void' },
    ]);
    await shop.ledgerIsSound();
  });

  it('refuses with SHOP_WALLET_ITEM_USED once a session is used or the top-up balance spent', async () => {
    const CUSTOMER = 2;
    const c = await walletCatalogue();
    await shop.addToCart(c.cardId, 1, CUSTOMER);
    const withCard = await order({ tenders: [{ method: 'wechat', amountFen: 50_000 }] }, CUSTOMER);
    await payWechat(withCard.id, CUSTOMER);
    const cardId = await cardOf(withCard.id, CUSTOMER);
    const cardLine = (
      await shop.ok(await shop.asCustomer('GET', `/me/shop/orders/${withCard.id}`, undefined, CUSTOMER, null))
    ).lines[0];
    expect((await useSession(cardId, CUSTOMER)).statusCode).toBe(201);
    const refused = await askAfterSale(withCard.id, { reason: '不要了' }, CUSTOMER);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({
      code: 'SHOP_WALLET_ITEM_USED',
      details: { lineId: cardLine.id, itemKind: 'package_card' },
    });

    await shop.addToCart(c.topUpId, 1, CUSTOMER);
    const withTopUp = await order({ tenders: [{ method: 'wechat', amountFen: 300_000 }] }, CUSTOMER);
    await payWechat(withTopUp.id, CUSTOMER);
    await shop.addToCart(c.productId, 1, CUSTOMER);
    await order({ tenders: [{ method: 'stored_value', amountFen: 10_000 }] }, CUSTOMER);
    const spent = await askAfterSale(withTopUp.id, { reason: '不要了' }, CUSTOMER);
    expect(spent.json().error).toMatchObject({ code: 'SHOP_WALLET_ITEM_USED', details: { itemKind: 'top_up_plan' } });
    await shop.ledgerIsSound();
  });

  it('takes a card back or lets its session be used, never both, when the two meet', async () => {
    const CUSTOMER = 3;
    const c = await walletCatalogue();
    await shop.addToCart(c.cardId, 1, CUSTOMER);
    const placed = await order({ tenders: [{ method: 'wechat', amountFen: 50_000 }] }, CUSTOMER);
    await payWechat(placed.id, CUSTOMER);
    const cardId = await cardOf(placed.id, CUSTOMER);
    expect((await askAfterSale(placed.id, { reason: '不要了' }, CUSTOMER)).statusCode).toBe(201);

    const [approve, use] = await Promise.all([approveLatest(placed.id), useSession(cardId, CUSTOMER)]);
    const outcomes = [approve.statusCode, use.statusCode];
    // Exactly one wins: refunded with nothing used, or used and the refund refused (the request still waiting).
    if (approve.statusCode === 200) {
      expect(use.statusCode).toBe(422);
      expect(approve.json().status).toBe('refunded');
    } else {
      expect(outcomes).toEqual([422, 201]);
      expect(approve.json().error.code).toBe('SHOP_WALLET_ITEM_USED');
      const after = await shop.ok(
        await shop.asCustomer('GET', `/me/shop/orders/${placed.id}`, undefined, CUSTOMER, null),
      );
      expect(after.afterSales[0].status).toBe('requested');
    }
    await shop.ledgerIsSound();
  });
});
