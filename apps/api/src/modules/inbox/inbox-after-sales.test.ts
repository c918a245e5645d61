import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { idempotencyKey, type PaymentsKit, startPaymentsKit } from '../../testing/payments-kit.ts';
import { shopCalls } from '../../testing/shop-support.ts';

/**
 * A shop after-sale (售后) waiting for a decision is one more thing in the manager's 审批: counted and listed for
 * the managers of the order's store (the owner: every store), gone once decided, and its arrival alerts them by
 * WeChat like the other requests. Real PostgreSQL, the WeChat simulator.
 */
let kit: PaymentsKit;
let shop: ReturnType<typeof shopCalls>;
const STAFF_APP = 'wx00000000000000staff';
const TEMPLATE = 'sim-approval-waiting';
const openids = { manager: 'staff-mgr-after-sale', owner: 'staff-own-after-sale' };

type Inbox = {
  counts: Record<string, number>;
  items: {
    kind: string;
    id: string;
    customerName: string | null;
    raisedBy: string | null;
    amountFen: number;
    summary: string;
  }[];
};
const inboxOf = async (who: 'manager' | 'owner'): Promise<Inbox> =>
  shop.ok(await (who === 'manager' ? shop.asManager : shop.asOwner)('GET', '/staff/inbox', undefined, null));
const alertsTo = (who: 'manager' | 'owner') =>
  kit.sim.messages({ appid: STAFF_APP, openid: openids[who], templateId: TEMPLATE });

/** A serum (¥100) bought with stored value at a store and picked up later: a paid order. */
async function paidOrder(productId: string, store: number): Promise<{ id: string; number: string }> {
  await shop.addToCart(productId, 1);
  const body = {
    storeId: kit.t.storeIds[store],
    fulfilment: 'pickup',
    tenders: [{ method: 'stored_value', amountFen: 10_000 }],
  };
  return shop.ok(await shop.asCustomer('POST', '/me/shop/orders', body, 0, idempotencyKey('order')), 201);
}

beforeAll(async () => {
  kit = await startPaymentsKit();
  shop = shopCalls(kit);
  for (const who of ['manager', 'owner'] as const) {
    const { code } = kit.sim.issueLoginCode(STAFF_APP, openids[who]);
    const as = who === 'manager' ? shop.asManager : shop.asOwner;
    await shop.ok(await as('POST', '/staff/me/wechat', { code }));
    kit.sim.grantSubscription({ appid: STAFF_APP, openid: openids[who], templateId: TEMPLATE, count: 5 });
  }
});
afterAll(async () => {
  await kit?.close();
});

describe('shop after-sales in 审批', () => {
  it('counts a waiting 售后 for its store, alerts its managers once, and drops it when decided', async () => {
    const c = await shop.catalogue();
    await shop.ok(
      await shop.asOwner('PUT', `/staff/shop/items/${c.productId}/stock`, { storeId: kit.t.storeIds[1], quantity: 5 }),
    );
    await shop.topUp(30_000);
    const before = await inboxOf('manager');
    expect(before.counts).toMatchObject({ after_sale: 0, total: 0 });

    const order = await paidOrder(c.productId, 0);
    const key = idempotencyKey('as');
    const ask = () =>
      shop.asCustomer('POST', `/me/shop/orders/${order.id}/after-sales`, { reason: '过敏，想退' }, 0, key);
    await shop.ok(await ask(), 201);

    const waiting = await inboxOf('manager');
    expect(waiting.counts).toMatchObject({ after_sale: 1, total: 1 });
    expect(waiting.items).toEqual([
      expect.objectContaining({
        kind: 'after_sale',
        customerName: '顾客甲',
        raisedBy: '顾客甲',
        amountFen: 10_000,
        summary: `${order.number}：过敏，想退`,
      }),
    ]);
    const afterSaleId = waiting.items[0]!.id;
    const onlyAfterSales = await shop.ok(await shop.asManager('GET', '/staff/inbox?kind=after_sale', undefined, null));
    expect(onlyAfterSales.items.map((i: { id: string }) => i.id)).toEqual([afterSaleId]);

    // The store's manager and the owner are alerted, naming the customer and the order.
    await vi.waitFor(() => expect(alertsTo('manager')).toHaveLength(1), { timeout: 15_000 });
    await vi.waitFor(() => expect(alertsTo('owner')).toHaveLength(1), { timeout: 15_000 });
    expect(alertsTo('manager')[0]).toMatchObject({
      page: 'manager/inbox/index',
      data: {
        thing1: { value: '商城售后申请' },
        thing2: { value: '顾客甲' },
        character_string4: { value: order.number },
      },
    });
    // A replay of the same request answers the same and alerts no one again.
    await shop.ok(await ask(), 201);
    const rows = await vi.waitFor(
      async () => {
        const r = await queryRows<{ status: string; n: number }>(
          kit.db.db,
          sql`select status, count(*)::int as n from staff_messages
              where tenant_id = ${kit.t.tenantId} and dedupe_key = ${`after_sale:${afterSaleId}`} group by 1`,
        );
        expect(r).toEqual([{ status: 'sent', n: 2 }]);
        return r;
      },
      { timeout: 15_000 },
    );
    expect(rows).toHaveLength(1);
    expect((await inboxOf('manager')).counts.after_sale).toBe(1);

    // An order of store 2: the owner's inbox has it, store 1's manager neither sees it nor is alerted.
    const other = await paidOrder(c.productId, 1);
    await shop.ok(
      await shop.asCustomer('POST', `/me/shop/orders/${other.id}/after-sales`, { reason: '买重了' }, 0),
      201,
    );
    await vi.waitFor(() => expect(alertsTo('owner')).toHaveLength(2), { timeout: 15_000 });
    expect((await inboxOf('owner')).counts).toMatchObject({ after_sale: 2, total: 2 });
    expect((await inboxOf('manager')).counts).toMatchObject({ after_sale: 1, total: 1 });
    expect(alertsTo('manager')).toHaveLength(1);

    // Decided, it leaves the inbox.
    await shop.ok(
      await shop.asManager('POST', `/staff/shop/after-sales/${afterSaleId}/decision`, {
        approve: false,
        note: '已开封',
      }),
    );
    expect((await inboxOf('manager')).counts).toMatchObject({ after_sale: 0, total: 0 });
    expect((await inboxOf('owner')).counts).toMatchObject({ after_sale: 1, total: 1 });
  });
});
