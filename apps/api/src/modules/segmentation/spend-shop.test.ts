import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import {
  type CreatedOrder,
  idempotencyKey,
  type PaymentsKit,
  payInWechat,
  startPaymentsKit,
  waitUntil,
} from '../../testing/payments-kit.ts';
import { shopCalls } from '../../testing/shop-support.ts';
import { evaluateTiers, recomputeRfm, refreshPreferences } from './index.ts';

/**
 * Shop orders (商城) in the one definition of a paid visit/order and net spend (spend.ts), on orders placed,
 * paid and refunded through the shop's routes: a paid order counts its net money like a bill, a partly refunded
 * one keeps what was not given back, an order refunded whole or never paid is nothing. A service voucher counts
 * its price when sold, as a package card does; using it at the till is a visit worth 0 more. Top-ups at the
 * counter (the wallet money these orders are paid with) are not visits either.
 */

let kit: PaymentsKit;
let shop: ReturnType<typeof shopCalls>;
let asOf: Date;

const NAMES = ['PAID', 'PART', 'WHOLE', 'UNPAID', 'TOPUP'] as const;
type Name = (typeof NAMES)[number];
/** Index of each named customer in kit.t.customers. */
const at = {} as Record<Name, number>;
const idOf = (name: Name) => kit.t.customers[at[name]]!.id;
/** When each paid order's payment was posted. */
const paidAt = {} as Record<Name, Date>;

async function order(name: Name, tenders: object[]) {
  return shop.ok(
    await shop.asCustomer(
      'POST',
      '/me/shop/orders',
      { storeId: kit.t.storeIds[0], fulfilment: 'pickup', tenders },
      at[name],
      idempotencyKey('order'),
    ),
    201,
  );
}

async function refund(name: Name, orderId: string, body: object) {
  const asked = await shop.asCustomer(
    'POST',
    `/me/shop/orders/${orderId}/after-sales`,
    { ...body, reason: '不想要了' },
    at[name],
  );
  expect(asked.statusCode, asked.body).toBe(201);
  const list = await shop.ok(await shop.asManager('GET', '/staff/shop/after-sales', undefined, null));
  const open = list.items.find(
    (a: { orderId: string; status: string }) => a.orderId === orderId && a.status === 'requested',
  );
  const decided = await shop.asManager('POST', `/staff/shop/after-sales/${open.id}/decision`, { approve: true });
  expect(decided.statusCode, decided.body).toBe(200);
}

async function payWechat(name: Name, orderId: string) {
  const res = await shop.asCustomer('POST', `/me/shop/orders/${orderId}/payments`, undefined, at[name]);
  expect(res.statusCode, res.body).toBe(201);
  payInWechat(kit, res.json() as CreatedOrder);
  await waitUntil(async () => {
    const o = (await shop.asCustomer('GET', `/me/shop/orders/${orderId}`, undefined, at[name], null)).json();
    return o.status !== 'pending_payment';
  });
}

async function paymentTime(orderId: string): Promise<Date> {
  const [row] = await queryRows<{ created_at: Date }>(
    kit.db.db,
    sql`select t.created_at from shop_orders o join transfers t on t.id = o.transfer_id where o.id = ${orderId}`,
  );
  return new Date(row!.created_at);
}

beforeAll(async () => {
  kit = await startPaymentsKit();
  shop = shopCalls(kit);
  for (const name of NAMES) {
    const phone = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const [row] = await queryRows<{ id: string }>(
      kit.db.db,
      sql`insert into customers (tenant_id, name, phone, created_at)
          values (${kit.t.tenantId}, ${name}, ${phone}, now() - interval '400 days') returning id`,
    );
    const openid = `openid-${row!.id.slice(0, 12)}`;
    await kit.db.db.execute(
      sql`insert into customer_identities (tenant_id, customer_id, app_id, openid)
          values (${kit.t.tenantId}, ${row!.id}, ${kit.config.WECHAT_CUSTOMER_APPID}, ${openid})`,
    );
    at[name] = kit.t.customers.push({ id: row!.id, name, openid }) - 1;
  }
  const c = await shop.catalogue({ stock: 20 }); // 玻尿酸精华 ¥100, 面部护理体验券 ¥60
  const stored = (amountFen: number) => [{ method: 'stored_value', amountFen }];

  // A serum and a facial voucher, paid from stored value: one order, ¥160 (the voucher's price counts when sold).
  await shop.topUp(50_000, at.PAID);
  await shop.addToCart(c.productId, 1, at.PAID);
  await shop.addToCart(c.voucherId, 1, at.PAID);
  await order('PAID', stored(16_000));
  // Later the voucher is the whole of a bill at the till (total 0): a visit, but its value was counted at sale.
  const vouchers = await shop.ok(await shop.asCustomer('GET', '/me/shop/vouchers', undefined, at.PAID, null));
  const staff = (url: string, payload: object) =>
    shop.call(kit.beauticianHeaders(), 'POST', url, payload, idempotencyKey('bill'));
  const bill = await shop.ok(
    await staff('/staff/bills', {
      storeId: kit.t.storeIds[0],
      customerId: idOf('PAID'),
      lines: [{ type: 'shop_voucher', shopVoucherId: vouchers.items[0].id, performerIds: [kit.t.beautician.id] }],
    }),
    201,
  );
  const settled = await shop.ok(await staff(`/staff/bills/${bill.id}/settlement`, { tenders: [] }));
  expect(settled.status).toBe('settled');
  const [billed] = await queryRows<{ created_at: Date }>(
    kit.db.db,
    sql`select t.created_at from bills b join transfers t on t.id = b.transfer_id where b.id = ${bill.id}`,
  );
  paidAt.PAID = new Date(billed!.created_at);

  // Two serums (¥200); one comes back: ¥100 kept.
  await shop.topUp(50_000, at.PART);
  await shop.addToCart(c.productId, 2, at.PART);
  const part = await order('PART', stored(20_000));
  const line = part.lines.find((l: { itemId: string }) => l.itemId === c.productId);
  await refund('PART', part.id, { lines: [{ lineId: line.id, quantity: 1 }] });
  paidAt.PART = await paymentTime(part.id);

  // A serum given back whole: as good as never bought.
  await shop.topUp(50_000, at.WHOLE);
  await shop.addToCart(c.productId, 1, at.WHOLE);
  const whole = await order('WHOLE', stored(10_000));
  await refund('WHOLE', whole.id, {});

  // Two orders waiting for WeChat Pay that never came: one cancelled, one still open.
  await shop.addToCart(c.productId, 1, at.UNPAID);
  const cancelled = await order('UNPAID', [{ method: 'wechat', amountFen: 10_000 }]);
  await shop.ok(await shop.asCustomer('POST', `/me/shop/orders/${cancelled.id}/cancel`, {}, at.UNPAID, null));
  await shop.addToCart(c.productId, 1, at.UNPAID);
  const open = await order('UNPAID', [{ method: 'wechat', amountFen: 10_000 }]);
  expect(open.status).toBe('pending_payment');

  // Two top-ups of 充1000送200 bought in the shop by WeChat Pay; the second is given back whole.
  const [plan] = await queryRows<{ id: string }>(
    kit.db.db,
    sql`select id from top_up_plans where tenant_id = ${kit.t.tenantId} and pay_fen = 100000`,
  );
  const topUpItem = await shop.ok(
    await shop.asManager('POST', '/staff/shop/items', {
      categoryId: c.categoryId,
      kind: 'top_up_plan',
      name: '充1000送200',
      listPriceFen: 100_000,
      topUpPlanId: plan!.id,
    }),
    201,
  );
  for (const giveBack of [false, true]) {
    await shop.addToCart(topUpItem.id, 1, at.TOPUP);
    const placed = await order('TOPUP', [{ method: 'wechat', amountFen: 100_000 }]);
    await payWechat('TOPUP', placed.id);
    if (giveBack) await refund('TOPUP', placed.id, {});
  }

  await shop.ledgerIsSound();
  asOf = new Date();
}, 120_000);

afterAll(async () => {
  await kit?.close();
});

/** Paid orders (all in the window), net spend, last paid order. */
const expected = (): Record<Name, { visits: number; spendFen: number; last: Date | null }> => ({
  PAID: { visits: 2, spendFen: 16_000, last: paidAt.PAID },
  PART: { visits: 1, spendFen: 10_000, last: paidAt.PART },
  WHOLE: { visits: 0, spendFen: 0, last: null },
  UNPAID: { visits: 0, spendFen: 0, last: null },
  // Top-ups are stored value, not spend: an order of top-ups alone is no order.
  TOPUP: { visits: 0, spendFen: 0, last: null },
});

describe('shop orders in paid visits and net spend', () => {
  it('RFM counts a paid order net of its refunds; a whole refund or no payment is nothing', async () => {
    await recomputeRfm(kit.db.db, kit.t.tenantId, { asOf });
    const rows = await queryRows<{
      customer_id: string;
      frequency: number;
      monetary_fen: string;
      last_paid_at: Date | null;
      segment: string;
    }>(
      kit.db.db,
      sql`select customer_id, frequency, monetary_fen, last_paid_at, segment from rfm_scores
          where tenant_id = ${kit.t.tenantId}`,
    );
    const got = Object.fromEntries(
      NAMES.map((name) => {
        const row = rows.find((r) => r.customer_id === idOf(name));
        return [
          name,
          {
            visits: row?.frequency,
            spendFen: Number(row?.monetary_fen),
            last: row?.last_paid_at ? new Date(row.last_paid_at) : null,
          },
        ];
      }),
    );
    expect(got).toEqual(expected());
    expect(rows.find((r) => r.customer_id === idOf('WHOLE'))?.segment).toBe('no_purchase');
    expect(rows.find((r) => r.customer_id === idOf('UNPAID'))?.segment).toBe('no_purchase');
    expect(rows.find((r) => r.customer_id === idOf('TOPUP'))?.segment).toBe('no_purchase');
  });

  it('the value analysis counts the same orders, spend and last visit', async () => {
    for (const name of NAMES) {
      const res = await kit.app.inject({
        method: 'GET',
        url: `/staff/customers/${idOf(name)}/value`,
        headers: kit.managerHeaders(),
      });
      expect(res.statusCode, res.body).toBe(200);
      const value = res.json();
      const want = expected()[name];
      expect({ visits: value.paidVisits, spendFen: value.lifetimeSpendFen, last: value.lastVisitAt }, name).toEqual({
        ...want,
        last: want.last?.toISOString() ?? null,
      });
    }
  });

  it('favourite items count what the orders kept: a line given back leaves it, a whole refund leaves nothing', async () => {
    await refreshPreferences(kit.db.db, kit.t.tenantId, asOf);
    const items = await queryRows<{ customer_id: string; item_name: string; quantity: number; amount_fen: string }>(
      kit.db.db,
      sql`select customer_id, item_name, quantity, amount_fen from customer_item_stats
          where tenant_id = ${kit.t.tenantId} order by item_name`,
    );
    const of = (name: Name) =>
      items.filter((i) => i.customer_id === idOf(name)).map((i) => [i.item_name, i.quantity, Number(i.amount_fen)]);
    expect(of('PART')).toEqual([['玻尿酸精华', 1, 10_000]]);
    expect(of('WHOLE')).toEqual([]);
    expect(of('UNPAID')).toEqual([]);
    expect(of('TOPUP')).toEqual([]);
    expect(of('PAID')).toContainEqual(['玻尿酸精华', 1, 10_000]);
  });

  it('tiers qualify on the same net spend', async () => {
    const put = await shop.asManager('PUT', '/staff/segmentation/tiers', {
      basis: 'spend',
      windowDays: 365,
      levels: [
        { name: '银卡', thresholdFen: 10_000, discountBasisPoints: 200, pointsMultiplierPercent: 100 },
        { name: '金卡', thresholdFen: 15_000, discountBasisPoints: 500, pointsMultiplierPercent: 100 },
      ],
    });
    expect(put.statusCode, put.body).toBe(200);
    await evaluateTiers(kit.db.db, kit.t.tenantId, asOf);
    const tiered = await queryRows<{ customer_id: string; name: string; qualifying_fen: string }>(
      kit.db.db,
      sql`select ct.customer_id, l.name, ct.qualifying_fen from customer_tiers ct
          join tier_levels l on l.id = ct.tier_id where ct.tenant_id = ${kit.t.tenantId}`,
    );
    const byName = Object.fromEntries(
      NAMES.flatMap((name) => {
        const row = tiered.find((r) => r.customer_id === idOf(name));
        return row ? [[name, [row.name, Number(row.qualifying_fen)]]] : [];
      }),
    );
    // Counted gross, PART (¥200) would be 金卡 and WHOLE (¥100) 银卡.
    expect(byName).toEqual({ PAID: ['金卡', 16_000], PART: ['银卡', 10_000] });
  });

  it('a top-up basis counts top-ups bought in the shop, less those given back', async () => {
    const put = await shop.asManager('PUT', '/staff/segmentation/tiers', {
      basis: 'top_up',
      windowDays: 365,
      levels: [
        { name: '银卡', thresholdFen: 50_000, discountBasisPoints: 200, pointsMultiplierPercent: 100 },
        { name: '金卡', thresholdFen: 100_000, discountBasisPoints: 500, pointsMultiplierPercent: 100 },
        { name: '钻石卡', thresholdFen: 150_000, discountBasisPoints: 800, pointsMultiplierPercent: 100 },
      ],
    });
    expect(put.statusCode, put.body).toBe(200);
    await evaluateTiers(kit.db.db, kit.t.tenantId, asOf);
    const tiered = await queryRows<{ customer_id: string; name: string; qualifying_fen: string }>(
      kit.db.db,
      sql`select ct.customer_id, l.name, ct.qualifying_fen from customer_tiers ct
          join tier_levels l on l.id = ct.tier_id where ct.tenant_id = ${kit.t.tenantId}`,
    );
    const byName = Object.fromEntries(
      NAMES.flatMap((name) => {
        const row = tiered.find((r) => r.customer_id === idOf(name));
        return row ? [[name, [row.name, Number(row.qualifying_fen)]]] : [];
      }),
    );
    // The counter's ¥500 top-ups, whatever the orders paid from them or got back into them; TOPUP keeps one
    // ¥1,000 top-up of the two she bought (both counted would be 钻石卡, none 无).
    expect(byName).toEqual({
      PAID: ['银卡', 50_000],
      PART: ['银卡', 50_000],
      WHOLE: ['银卡', 50_000],
      TOPUP: ['金卡', 100_000],
    });
  });
});
