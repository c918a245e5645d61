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
 * A top-up plan sold in the shop issues the plan's gift package card in the order's posting, as a counter top-up
 * does, and a whole-order after-sale takes it back while no session of it is used. Real PostgreSQL, the WeChat
 * simulator, the ledger verified after each scenario.
 */

let kit: PaymentsKit;
let shop: ReturnType<typeof shopCalls>;
const mine: number[] = [];
let giftPlanId: string;
let topUpPlanId: string;
let topUpItemId: string;
let cardItemId: string;

beforeAll(async () => {
  kit = await startPaymentsKit();
  shop = shopCalls(kit);
  for (const name of ['赠卡甲', '赠卡乙', '赠卡丙']) mine.push(await addWalletCustomer(kit, name));
  const [gift] = await queryRows<{ id: string }>(
    kit.db.db,
    sql`insert into package_plans (tenant_id, service_id, name, sessions, price_fen, valid_days)
        values (${kit.t.tenantId}, ${kit.t.serviceId}, '补水护理3次', 3, 30000, 90) returning id`,
  );
  giftPlanId = gift!.id;
  const [plan] = await queryRows<{ id: string }>(
    kit.db.db,
    sql`insert into top_up_plans (tenant_id, name, pay_fen, bonus_fen, bonus_points, gift_package_plan_id)
        values (${kit.t.tenantId}, '充2000送300加护理3次', 200000, 30000, 0, ${giftPlanId}) returning id`,
  );
  topUpPlanId = plan!.id;
  const category = await shop.ok(
    await shop.asManager('POST', '/staff/shop/categories', { name: '充值有礼', sortOrder: 5 }, idempotencyKey('c')),
    201,
  );
  const item = (body: object) =>
    shop.asManager('POST', '/staff/shop/items', { categoryId: category.id, ...body }, idempotencyKey('i'));
  topUpItemId = (
    await shop.ok(
      await item({ kind: 'top_up_plan', name: '充2000送300', listPriceFen: 200_000, topUpPlanId: topUpPlanId }),
      201,
    )
  ).id;
  // A package card of the very plan the top-up gives away, so the two cards of one order must be told apart.
  cardItemId = (
    await shop.ok(
      await item({ kind: 'package_card', name: '补水护理3次卡', listPriceFen: 30_000, packagePlanId: giftPlanId }),
      201,
    )
  ).id;
});

afterAll(async () => {
  await kit?.close();
});

beforeEach(async () => {
  await kit.db.db.execute(sql`delete from shop_cart_lines`);
  await kit.db.db.execute(sql`update top_up_plans set gift_package_plan_id = ${giftPlanId} where id = ${topUpPlanId}`);
  await kit.db.db.execute(sql`update package_plans set active = true where id = ${giftPlanId}`);
});

async function placeAndPay(
  customer: number,
  items: [string, number][],
  totalFen: number,
  beforePaying?: (placed: { id: string }) => Promise<unknown>,
) {
  for (const [itemId, quantity] of items) await shop.addToCart(itemId, quantity, customer);
  const placed = await shop.ok(
    await shop.asCustomer(
      'POST',
      '/me/shop/orders',
      { storeId: kit.t.storeIds[0], fulfilment: 'pickup', tenders: [{ method: 'wechat', amountFen: totalFen }] },
      customer,
      idempotencyKey('order'),
    ),
    201,
  );
  await beforePaying?.(placed);
  const pay = await shop.asCustomer('POST', `/me/shop/orders/${placed.id}/payments`, undefined, customer);
  expect(pay.statusCode, pay.body).toBe(201);
  payInWechat(kit, pay.json() as CreatedOrder);
  await waitUntil(async () => (await orderOf(placed.id, customer)).status === 'completed');
  return placed.id as string;
}

const orderOf = async (orderId: string, customer: number) =>
  shop.ok(await shop.asCustomer('GET', `/me/shop/orders/${orderId}`, undefined, customer, null));

/** Her cards of the gift plan: price, sessions left, and whether the order's transfer issued them. */
async function cardsOf(customer: number, orderId: string) {
  const rows = await queryRows<{ id: string; price_fen: string; left: string; in_order: boolean }>(
    kit.db.db,
    sql`select c.id, c.price_fen, -a.balance as left,
          c.sold_transfer_id = (select transfer_id from shop_orders where id = ${orderId}) as in_order
        from package_cards c join accounts a on a.package_card_id = c.id
        where c.customer_id = ${kit.t.customers[customer]!.id} and c.plan_id = ${giftPlanId}
        order by c.price_fen`,
  );
  return rows.map((r) => ({ id: r.id, priceFen: Number(r.price_fen), left: Number(r.left), inOrder: r.in_order }));
}

const ask = (orderId: string, customer: number) =>
  shop.asCustomer(
    'POST',
    `/me/shop/orders/${orderId}/after-sales`,
    { reason: '不想要了' },
    customer,
    idempotencyKey('as'),
  );

async function approve(orderId: string) {
  const list = await shop.ok(await shop.asManager('GET', '/staff/shop/after-sales', undefined, null));
  const { id } = list.items.find(
    (a: { orderId: string; status: string }) => a.orderId === orderId && a.status === 'requested',
  ) as { id: string };
  return shop.asManager('POST', `/staff/shop/after-sales/${id}/decision`, { approve: true }, idempotencyKey('ok'));
}

const useSession = (customer: number, cardId: string) =>
  shop.asManager(
    'POST',
    `/staff/customers/${kit.t.customers[customer]!.id}/package-cards/${cardId}/consumptions`,
    { storeId: kit.t.storeIds[0], sessions: 1 },
    idempotencyKey('use'),
  );

describe('a top-up plan with a gift package card, sold in the shop', () => {
  it('issues the gift card in the order posting, as the plan said at placement, and takes it back with the order', async () => {
    const CUSTOMER = mine[0]!;
    const start = await wallet(kit, CUSTOMER);
    // The salon drops the gift while she is paying: she gets what she ordered.
    const orderId = await placeAndPay(
      CUSTOMER,
      [
        [topUpItemId, 1],
        [cardItemId, 1],
      ],
      230_000,
      () => kit.db.db.execute(sql`update top_up_plans set gift_package_plan_id = null where id = ${topUpPlanId}`),
    );
    const paid = await wallet(kit, CUSTOMER);
    expect([paid.principalFen - start.principalFen, paid.bonusFen - start.bonusFen]).toEqual([200_000, 30_000]);
    const cards = await cardsOf(CUSTOMER, orderId);
    // The gift (worth 0) and the card she bought (30,000), 3 sessions each, both in the order's one transfer.
    expect(cards.map((c) => [c.priceFen, c.left, c.inOrder])).toEqual([
      [0, 3, true],
      [30_000, 3, true],
    ]);
    const [line] = await queryRows<{ gift: string[] }>(
      kit.db.db,
      sql`select top_up_gift_card_ids as gift from shop_order_lines where order_id = ${orderId} and kind = 'top_up_plan'`,
    );
    expect(line!.gift).toEqual([cards[0]!.id]);
    const [details] = await queryRows<{ ids: string[] }>(
      kit.db.db,
      sql`select t.details->'giftPackageCardIds' as ids from transfers t
          join shop_orders o on o.transfer_id = t.id where o.id = ${orderId}`,
    );
    expect(details!.ids).toEqual([cards[0]!.id]);
    // Her order names the gift on the top-up line, as the plan said when she ordered, and on no other line.
    const view = await orderOf(orderId, CUSTOMER);
    const byKind = view.lines
      .map((l: { kind: string; giftCard: unknown }) => [l.kind, l.giftCard])
      .sort((a: [string], b: [string]) => a[0].localeCompare(b[0]));
    expect(byKind).toEqual([
      ['package_card', null],
      ['top_up_plan', { name: '补水护理3次', sessions: 3 }],
    ]);
    await shop.ledgerIsSound();

    expect((await ask(orderId, CUSTOMER)).statusCode).toBe(201);
    const approved = await approve(orderId);
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await cardsOf(CUSTOMER, orderId)).map((c) => c.left)).toEqual([0, 0]);
    const [moved] = await queryRows<{ sessions: string }>(
      kit.db.db,
      sql`select coalesce(sum(e.amount), 0) as sessions from entries e join accounts a on a.id = e.account_id
          join shop_after_sales s on s.transfer_id = e.transfer_id
          where s.order_id = ${orderId} and a.kind = 'package_sessions'`,
    );
    expect(Number(moved!.sessions)).toBe(6);
    const end = await wallet(kit, CUSTOMER);
    expect([end.principalFen, end.bonusFen]).toEqual([start.principalFen, start.bonusFen]);
    await shop.ledgerIsSound();
  });

  it('is no longer given back once a gift session is used, at the request or at the approval', async () => {
    const CUSTOMER = mine[1]!;
    const first = await placeAndPay(CUSTOMER, [[topUpItemId, 1]], 200_000);
    const [gift] = await cardsOf(CUSTOMER, first);
    expect(gift).toMatchObject({ priceFen: 0, left: 3, inOrder: true });
    expect((await useSession(CUSTOMER, gift!.id)).statusCode).toBe(201);
    const refused = await ask(first, CUSTOMER);
    expect(refused.statusCode).toBe(422);
    const topUpLine = (await orderOf(first, CUSTOMER)).lines[0];
    expect(refused.json().error).toMatchObject({
      code: 'SHOP_WALLET_ITEM_USED',
      details: { lineId: topUpLine.id, itemKind: 'top_up_plan', giftCardId: gift!.id },
    });

    // Asked while unused, a session used before the manager decides: the approval is refused, the request waits.
    const second = await placeAndPay(CUSTOMER, [[topUpItemId, 1]], 200_000);
    const secondGift = (await cardsOf(CUSTOMER, second)).find((c) => c.inOrder)!;
    expect((await ask(second, CUSTOMER)).statusCode).toBe(201);
    expect((await useSession(CUSTOMER, secondGift.id)).statusCode).toBe(201);
    const late = await approve(second);
    expect(late.statusCode).toBe(422);
    expect(late.json().error).toMatchObject({ code: 'SHOP_WALLET_ITEM_USED', details: { giftCardId: secondGift.id } });
    expect((await orderOf(second, CUSTOMER)).afterSales[0].status).toBe('requested');
    const w = await wallet(kit, CUSTOMER);
    expect([w.principalFen, w.bonusFen]).toEqual([400_000, 60_000]);
    await shop.ledgerIsSound();
  });

  it('issues none when the gift plan was withdrawn before payment, and refunds the money part alone', async () => {
    const CUSTOMER = mine[2]!;
    const orderId = await placeAndPay(CUSTOMER, [[topUpItemId, 2]], 400_000, async (placed) => {
      // Unpaid, the order names the gift its plan promised.
      expect((await orderOf(placed.id, CUSTOMER)).lines[0].giftCard).toEqual({ name: '补水护理3次', sessions: 3 });
      await kit.db.db.execute(sql`update package_plans set active = false where id = ${giftPlanId}`);
    });
    expect(await cardsOf(CUSTOMER, orderId)).toEqual([]);
    // Paid without it, the order no longer promises a card she did not get.
    expect((await orderOf(orderId, CUSTOMER)).lines[0].giftCard).toBeNull();
    const paid = await wallet(kit, CUSTOMER);
    expect([paid.principalFen, paid.bonusFen]).toEqual([400_000, 60_000]);
    expect((await ask(orderId, CUSTOMER)).statusCode).toBe(201);
    expect((await approve(orderId)).statusCode).toBe(200);
    const end = await wallet(kit, CUSTOMER);
    expect([end.principalFen, end.bonusFen]).toEqual([0, 0]);
    await shop.ledgerIsSound();
  });

  it('issues one gift card a unit', async () => {
    const CUSTOMER = mine[2]!;
    const orderId = await placeAndPay(CUSTOMER, [[topUpItemId, 2]], 400_000);
    const cards = await cardsOf(CUSTOMER, orderId);
    expect(cards.filter((c) => c.inOrder).map((c) => [c.priceFen, c.left])).toEqual([
      [0, 3],
      [0, 3],
    ]);
    await shop.ledgerIsSound();
  });
});
