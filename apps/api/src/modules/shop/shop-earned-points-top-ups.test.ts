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
 * Earned points go back with the lines that earned them (never more than earned, never below zero), and a top-up
 * sold in the shop is refunded by what it granted, whatever its plan says later. Real PostgreSQL, the WeChat
 * simulator, the ledger verified throughout. The fixture salon earns 1 point a yuan and values a point at 1 fen.
 */

let kit: PaymentsKit;
let shop: ReturnType<typeof shopCalls>;
/** Customers of their own, each starting with an empty wallet. */
const mine: number[] = [];

beforeAll(async () => {
  kit = await startPaymentsKit();
  shop = shopCalls(kit);
  for (const name of ['积分甲', '积分乙', '充值丙']) mine.push(await addWalletCustomer(kit, name));
});

afterAll(async () => {
  await kit?.close();
});

beforeEach(async () => {
  await kit.db.db.execute(sql`delete from shop_cart_lines`);
});

const store1 = () => kit.t.storeIds[0]!;

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

const orderOf = async (orderId: string, customer: number) =>
  shop.ok(await shop.asCustomer('GET', `/me/shop/orders/${orderId}`, undefined, customer, null));

/** Asks for some lines (or the whole order) back and has the manager approve; answers the approved after-sale row. */
async function giveBack(orderId: string, customer: number, lines?: { lineId: string; quantity: number }[]) {
  const asked = await shop.asCustomer(
    'POST',
    `/me/shop/orders/${orderId}/after-sales`,
    { ...(lines ? { lines } : {}), reason: '不要了' },
    customer,
    idempotencyKey('as'),
  );
  expect(asked.statusCode, asked.body).toBe(201);
  const list = await shop.ok(await shop.asManager('GET', '/staff/shop/after-sales', undefined, null));
  const { id } = list.items.find(
    (a: { orderId: string; status: string }) => a.orderId === orderId && a.status === 'requested',
  ) as { id: string };
  await shop.ok(
    await shop.asManager('POST', `/staff/shop/after-sales/${id}/decision`, { approve: true }, idempotencyKey('ok')),
  );
  const [row] = await queryRows<{ points_clawed_back: number; tenders: { method: string; amountFen: number }[] }>(
    kit.db.db,
    sql`select points_clawed_back, tenders from shop_after_sales where id = ${id}`,
  );
  const [transfer] = await queryRows<{ details: { pointsForgiven?: number } }>(
    kit.db.db,
    sql`select t.details from transfers t join shop_after_sales a on a.transfer_id = t.id where a.id = ${id}`,
  );
  return {
    pointsClawedBack: Number(row!.points_clawed_back),
    pointsForgiven: Number(transfer!.details.pointsForgiven),
    tenders: Object.fromEntries(row!.tenders.map((t) => [t.method, t.amountFen])),
  };
}

async function product(name: string, listPriceFen: number, pointsPrice?: number) {
  const category = await shop.ok(
    await shop.asManager('POST', '/staff/shop/categories', { name: '积分测试', sortOrder: 3 }, idempotencyKey('c')),
    201,
  );
  const item = await shop.ok(
    await shop.asManager('POST', '/staff/shop/items', {
      categoryId: category.id,
      kind: 'product',
      name,
      listPriceFen,
      ...(pointsPrice ? { pointsPrice } : {}),
    }),
    201,
  );
  await shop.ok(await shop.asManager('PUT', `/staff/shop/items/${item.id}/stock`, { storeId: store1(), quantity: 20 }));
  return item.id as string;
}

describe('points earned on a shop order', () => {
  it('go back with the lines that earned them: none for a points-price line, each money line its own', async () => {
    const CUSTOMER = mine[0]!;
    const serum = await product('积分精华', 10_000, 5_000);
    const cleanser = await product('洁面乳', 8_000);
    const mask = await product('面膜', 4_000);
    await shop.givePoints(5_000, CUSTOMER);
    await shop.topUp(30_000, CUSTOMER);
    await shop.addToCart(serum, 1, CUSTOMER);
    await shop.addToCart(cleanser, 2, CUSTOMER);
    await shop.addToCart(mask, 1, CUSTOMER);
    const start = await wallet(kit, CUSTOMER);

    // 5,000 points for the serum, 20,000 in stored value for the rest: 200 points earned, 160 by the two
    // cleansers (16,000) and 40 by the mask (4,000).
    const placed = await order(
      {
        pointsPriceItemIds: [serum],
        tenders: [
          { method: 'points', points: 5_000 },
          { method: 'stored_value', amountFen: 20_000 },
        ],
      },
      CUSTOMER,
    );
    expect(placed.totalFen).toBe(25_000);
    const paid = await orderOf(placed.id, CUSTOMER);
    expect(paid.pointsEarned).toBe(200);
    const line = (itemId: string) => paid.lines.find((l: { itemId: string }) => l.itemId === itemId).id as string;
    expect((await wallet(kit, CUSTOMER)).points).toBe(start.points - 5_000 + 200);

    // The serum alone: its 5,000 points back, not one earned point taken (the money lines earned them all).
    const serumBack = await giveBack(placed.id, CUSTOMER, [{ lineId: line(serum), quantity: 1 }]);
    expect(serumBack).toMatchObject({ pointsClawedBack: 0, pointsForgiven: 0, tenders: { points: 5_000 } });
    expect((await wallet(kit, CUSTOMER)).points).toBe(start.points + 200);
    await shop.ledgerIsSound();

    // One cleanser: 8,000 back to stored value and the 80 points it earned.
    const oneCleanser = await giveBack(placed.id, CUSTOMER, [{ lineId: line(cleanser), quantity: 1 }]);
    expect(oneCleanser).toMatchObject({ pointsClawedBack: 80, tenders: { stored_value: 8_000 } });
    await shop.ledgerIsSound();

    // The rest (a cleanser and the mask): 80 + 40 — all 200 taken back in the end, never more.
    const rest = await giveBack(placed.id, CUSTOMER);
    expect(rest).toMatchObject({ pointsClawedBack: 120, pointsForgiven: 0, tenders: { stored_value: 12_000 } });
    const refunded = await orderOf(placed.id, CUSTOMER);
    expect(refunded.status).toBe('refunded');
    // Her 订单进度: each step dated, oldest first, each after-sale with its amount, and what it took back.
    expect(refunded.timeline.map((t: { step: string; amountFen: number | null }) => [t.step, t.amountFen])).toEqual([
      ['placed', 25_000],
      ['paid', 25_000],
      ['after_sale_requested', 5_000],
      ['after_sale_approved', 5_000],
      ['after_sale_requested', 8_000],
      ['after_sale_approved', 8_000],
      ['after_sale_requested', 12_000],
      ['after_sale_approved', 12_000],
      ['refunded', null],
    ]);
    const times = refunded.timeline.map((t: { at: string }) => Date.parse(t.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(refunded.afterSales.map((a: { pointsClawedBack: number }) => a.pointsClawedBack)).toEqual([0, 80, 120]);
    const end = await wallet(kit, CUSTOMER);
    expect([end.points, end.principalFen + end.bonusFen]).toEqual([start.points, start.principalFen + start.bonusFen]);
    await shop.ledgerIsSound();
  });

  it('already spent are not taken below zero: the refund takes what is left and forgives the rest', async () => {
    const CUSTOMER = mine[1]!;
    const cleanser = await product('洁面乳', 8_000);
    const mask = await product('面膜', 4_000);
    await shop.topUp(30_000, CUSTOMER);
    expect((await wallet(kit, CUSTOMER)).points).toBe(0);

    // Two cleansers in stored value: 160 points, 80 each.
    await shop.addToCart(cleanser, 2, CUSTOMER);
    const placed = await order({ tenders: [{ method: 'stored_value', amountFen: 16_000 }] }, CUSTOMER);
    const cleanserLine = (await orderOf(placed.id, CUSTOMER)).lines[0].id as string;
    expect((await wallet(kit, CUSTOMER)).points).toBe(160);

    // She spends 150 of them on a mask (and earns 38 on its 3,850 in money): 48 points left.
    await shop.addToCart(mask, 1, CUSTOMER);
    await order(
      {
        tenders: [
          { method: 'points', points: 150 },
          { method: 'stored_value', amountFen: 3_850 },
        ],
      },
      CUSTOMER,
    );
    expect((await wallet(kit, CUSTOMER)).points).toBe(48);

    // One cleanser back: 80 due, 48 there — 48 taken, 32 forgiven, her points at 0, not below.
    const first = await giveBack(placed.id, CUSTOMER, [{ lineId: cleanserLine, quantity: 1 }]);
    expect(first).toMatchObject({ pointsClawedBack: 48, pointsForgiven: 32, tenders: { stored_value: 8_000 } });
    expect((await wallet(kit, CUSTOMER)).points).toBe(0);
    await shop.ledgerIsSound();

    // The other: 80 due, nothing there — nothing taken, and the 32 forgiven before are not asked for again.
    const second = await giveBack(placed.id, CUSTOMER);
    expect(second).toMatchObject({ pointsClawedBack: 0, pointsForgiven: 80, tenders: { stored_value: 8_000 } });
    expect((await wallet(kit, CUSTOMER)).points).toBe(0);
    const [lots] = await queryRows<{ negative: number }>(
      kit.db.db,
      sql`select count(*)::int as negative from accounts a join customers c on c.id = a.customer_id
          where c.id = ${kit.t.customers[CUSTOMER]!.id} and a.kind = 'points' and -a.balance < 0`,
    );
    expect(Number(lots!.negative)).toBe(0);
    await shop.ledgerIsSound();
  });
});

describe('a top-up sold in the shop', () => {
  it('grants what the plan offered when she ordered and is refunded by that, after the plan changed twice', async () => {
    const CUSTOMER = mine[2]!;
    const [plan] = await queryRows<{ id: string }>(
      kit.db.db,
      sql`insert into top_up_plans (tenant_id, name, pay_fen, bonus_fen, bonus_points)
          values (${kit.t.tenantId}, '充1000送200', 100000, 20000, 100) returning id`,
    );
    const category = await shop.ok(
      await shop.asManager('POST', '/staff/shop/categories', { name: '充值', sortOrder: 4 }, idempotencyKey('c')),
      201,
    );
    const item = await shop.ok(
      await shop.asManager('POST', '/staff/shop/items', {
        categoryId: category.id,
        kind: 'top_up_plan',
        name: '充1000送200',
        listPriceFen: 100_000,
        topUpPlanId: plan!.id,
      }),
      201,
    );
    const setPlan = (bonusFen: number, bonusPoints: number) =>
      kit.db.db.execute(
        sql`update top_up_plans set bonus_fen = ${bonusFen}, bonus_points = ${bonusPoints} where id = ${plan!.id}`,
      );
    const start = await wallet(kit, CUSTOMER);
    await shop.addToCart(item.id, 1, CUSTOMER);
    const placed = await order({ tenders: [{ method: 'wechat', amountFen: 100_000 }] }, CUSTOMER);

    // The plan grows its bonus while she is paying: she gets what she ordered (200 + 100 points).
    await setPlan(50_000, 0);
    const pay = await shop.asCustomer('POST', `/me/shop/orders/${placed.id}/payments`, undefined, CUSTOMER);
    expect(pay.statusCode, pay.body).toBe(201);
    payInWechat(kit, pay.json() as CreatedOrder);
    await waitUntil(async () => (await orderOf(placed.id, CUSTOMER)).status === 'completed');
    const paid = await wallet(kit, CUSTOMER);
    expect([
      paid.principalFen - start.principalFen,
      paid.bonusFen - start.bonusFen,
      paid.points - start.points,
    ]).toEqual([100_000, 20_000, 100]);
    await shop.ledgerIsSound();

    // Changed again before the refund: the refund takes back exactly the 100,000 + 20,000 and 100 points granted
    // (by the plan as it is now it would take 10,000 and 500 points — more points than she has: refused as used).
    await setPlan(10_000, 500);
    const back = await giveBack(placed.id, CUSTOMER);
    expect(back.tenders).toEqual({ wechat: 100_000 });
    const end = await wallet(kit, CUSTOMER);
    expect([end.principalFen, end.bonusFen, end.points]).toEqual([start.principalFen, start.bonusFen, start.points]);
    const [bonus] = await queryRows<{ sum: string }>(
      kit.db.db,
      sql`select coalesce(sum(e.amount), 0) as sum from entries e join accounts a on a.id = e.account_id
          join shop_after_sales s on s.transfer_id = e.transfer_id
          where s.order_id = ${placed.id} and a.kind = 'bonus_expense'`,
    );
    expect(Number(bonus!.sum)).toBe(-20_000);
    await shop.ledgerIsSound();
  });
});
