import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { sqlState, UNIQUE_VIOLATION } from '../../db/pg-errors.ts';
import { changedTables, snapshotDatabase } from '../../testing/db-snapshot.ts';
import { bearer } from '../../testing/harness.ts';
import { idempotencyKey, usePaymentsKit, waitUntil } from '../../testing/payments-kit.ts';
import { shopCalls } from '../../testing/shop-support.ts';
import { assignPickupCode } from './payment.ts';

// Issue 13 applied to the shop: numbers and pickup codes that cannot collide, and orders only their owner can act on.
const kit = usePaymentsKit();
let shop: ReturnType<typeof shopCalls>;

beforeAll(async () => {
  shop = shopCalls(kit);
});

beforeEach(async () => {
  await kit.db.db.execute(sql`delete from shop_cart_lines`);
});

// Every test here pays orders (stored value, 36 of them at once in the first): the ledger must verify after each.
afterEach(async () => {
  await shop.ledgerIsSound();
});

const atStore1 = () => ({ storeId: kit.t.storeIds[0], fulfilment: 'pickup' as const });

/** Customers of the fixture tenant made for one test, each with stored value, and a way to call as them. */
async function newCustomers(n: number, name: string) {
  const rows = await queryRows<{ id: string }>(
    kit.db.db,
    sql`insert into customers (tenant_id, name) select ${kit.t.tenantId}, ${name} || n from generate_series(1, ${n}) n
        returning id`,
  );
  for (const { id } of rows) {
    await shop.ok(
      await shop.asManager('POST', `/staff/customers/${id}/top-ups`, {
        storeId: kit.t.storeIds[0],
        amountFen: 100_000,
        method: 'cash',
      }),
      201,
    );
  }
  const headers = (id: string) => bearer(kit.app.jwt.sign({ kind: 'customer', sub: id, tenantId: kit.t.tenantId }));
  return rows.map(({ id }) => ({ id, headers: headers(id) }));
}

describe('shop order numbers', () => {
  it('are the store’s daily sequence: many orders at once in one day all get distinct, readable numbers', async () => {
    const c = await shop.catalogue({ stock: 100 });
    const buyers = await newCustomers(12, '编号顾客');
    const body = { ...atStore1(), tenders: [{ method: 'stored_value', amountFen: 10_000 }] };
    const numbers: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (const b of buyers) {
        await shop.ok(
          await shop.call(b.headers, 'PUT', '/me/shop/cart/lines', { itemId: c.productId, quantity: 1 }, null),
        );
      }
      // All at once: the counter row is the only thing they queue on.
      const placed = await Promise.all(buyers.map((b) => shop.call(b.headers, 'POST', '/me/shop/orders', body)));
      for (const res of placed) numbers.push((await shop.ok(res, 201)).number);
    }
    expect(numbers).toHaveLength(36);
    expect(new Set(numbers).size).toBe(36);
    for (const n of numbers) expect(n).toMatch(/^SO-S01-\d{8}-\d{4,}$/);
    // One day, one store: consecutive sequence numbers, none skipped (every order committed).
    const days = new Set(numbers.map((n) => n.split('-')[2]));
    expect(days.size).toBe(1);
    const sequence = numbers.map((n) => Number(n.split('-')[3])).sort((a, b) => a - b);
    expect(sequence.at(-1)! - sequence[0]! + 1).toBe(36);

    // The unique index backs the construction: a copied number is refused by the database itself.
    const copied = kit.db.db.execute(
      sql`insert into shop_orders (tenant_id, number, customer_id, store_id, status, fulfilment, total_fen, tenders,
                                   idempotency_key, request_hash, created_at)
          select tenant_id, number, customer_id, store_id, status, fulfilment, total_fen, tenders,
                 idempotency_key || '-copy', request_hash, created_at
          from shop_orders where tenant_id = ${kit.t.tenantId} and number = ${numbers[0]!}`,
    );
    const error = await copied.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(sqlState(error)).toBe(UNIQUE_VIOLATION);
  });

  it('count each store on its own', async () => {
    const c = await shop.catalogue();
    const [buyer] = await newCustomers(1, '两店顾客');
    const placeAt = async (storeId: string) => {
      await shop.ok(
        await shop.call(buyer!.headers, 'PUT', '/me/shop/cart/lines', { itemId: c.voucherId, quantity: 1 }, null),
      );
      const body = { storeId, fulfilment: 'pickup', tenders: [{ method: 'stored_value', amountFen: 6_000 }] };
      return (await shop.ok(await shop.call(buyer!.headers, 'POST', '/me/shop/orders', body), 201)).number as string;
    };
    expect(await placeAt(kit.t.storeIds[1]!)).toMatch(/^SO-S02-\d{8}-\d{4}$/);
    expect(await placeAt(kit.t.storeIds[0]!)).toMatch(/^SO-S01-\d{8}-\d{4}$/);
  });
});

describe('pickup codes', () => {
  /** Two paid orders waiting at store 1, with their codes. */
  async function twoWaitingOrders() {
    const c = await shop.catalogue({ stock: 10 });
    const buyers = await newCustomers(2, '取货顾客');
    const orders: { id: string; pickupCode: string }[] = [];
    for (const b of buyers) {
      await shop.ok(
        await shop.call(b.headers, 'PUT', '/me/shop/cart/lines', { itemId: c.productId, quantity: 1 }, null),
      );
      const body = { ...atStore1(), tenders: [{ method: 'stored_value', amountFen: 10_000 }] };
      orders.push(await shop.ok(await shop.call(b.headers, 'POST', '/me/shop/orders', body), 201));
    }
    return orders as [(typeof orders)[0], (typeof orders)[0]];
  }
  const codeOf = async (id: string) =>
    (
      await queryRows<{ code: string | null }>(
        kit.db.db,
        sql`select pickup_code as code from shop_orders where id = ${id}`,
      )
    )[0]?.code;
  /** Draws the given codes in turn, then fails the test if asked again. */
  const drawing = (...codes: string[]) => {
    const queue = [...codes];
    return () => {
      const next = queue.shift();
      if (!next) throw new Error('drew more codes than expected');
      return next;
    };
  };

  it('draws again when the code is taken at the store', async () => {
    const [a, b] = await twoWaitingOrders();
    const free = a.pickupCode === '000001' ? '000002' : '000001';
    await kit.db.db.execute(sql`update shop_orders set pickup_code = null where id = ${b.id}`);
    const code = await kit.db.db.transaction((tx) => assignPickupCode(tx, b, drawing(a.pickupCode, free)));
    expect(code).toBe(free);
    expect(await codeOf(b.id)).toBe(free);
    expect(await codeOf(a.id)).toBe(a.pickupCode);
  });

  it('draws again when an order paid at the same moment, not yet committed, drew the same code (no 500)', async () => {
    const [a, b] = await twoWaitingOrders();
    const contested = '424242';
    const free = '131313';
    await kit.db.db.execute(sql`update shop_orders set pickup_code = null where id in (${a.id}, ${b.id})`);
    let commitFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => {
      commitFirst = resolve;
    });
    let firstWrote!: () => void;
    const written = new Promise<void>((resolve) => {
      firstWrote = resolve;
    });
    // The first payment writes the code and holds its transaction open.
    const first = kit.db.db.transaction(async (tx) => {
      const code = await assignPickupCode(tx, a, drawing(contested));
      firstWrote();
      await firstMayCommit;
      return code;
    });
    await written;
    // The second draws the same code: a check before writing would see nothing, and its write waits on the first.
    const second = kit.db.db.transaction((tx) => assignPickupCode(tx, b, drawing(contested, free)));
    await waitUntil(async () => {
      const waiting = await queryRows<{ n: number }>(
        kit.db.db,
        sql`select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and query like '%shop_orders%' and query like '%pickup_code%'`,
      );
      return (waiting[0]?.n ?? 0) > 0;
    });
    commitFirst();
    expect(await first).toBe(contested);
    expect(await second).toBe(free);
    expect(await codeOf(a.id)).toBe(contested);
    expect(await codeOf(b.id)).toBe(free);
  });

  it('rethrows any other failure instead of drawing again', async () => {
    const failed = await kit.db.db
      .transaction((tx) => assignPickupCode(tx, { id: 'not-a-uuid' }, drawing('123456')))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(sqlState(failed)).toBe('22P02');
  });
});

describe("another customer's order", () => {
  it('answers 404 to paying, cancelling, confirming receipt and asking an after-sale, and writes nothing', async () => {
    const c = await shop.catalogue({ stock: 10 });
    const [owner, other] = await newCustomers(2, '订单顾客');
    const place = async (body: object, itemId: string) => {
      await shop.ok(await shop.call(owner!.headers, 'PUT', '/me/shop/cart/lines', { itemId, quantity: 1 }, null));
      return shop.ok(await shop.call(owner!.headers, 'POST', '/me/shop/orders', body), 201);
    };
    // Each order is in the state where its owner's request would succeed.
    const unpaid = await place({ ...atStore1(), tenders: [{ method: 'wechat', amountFen: 10_000 }] }, c.productId);
    expect(unpaid.status).toBe('pending_payment');
    const delivery = {
      storeId: kit.t.storeIds[0],
      fulfilment: 'delivery',
      address: { name: '周女士', phone: '13800000000', region: '上海市', detail: '淮海中路 1 号' },
      tenders: [{ method: 'stored_value', amountFen: 10_000 }],
    };
    const shipped = await place(delivery, c.productId);
    await shop.ok(
      await shop.asManager('POST', `/staff/shop/orders/${shipped.id}/shipment`, { trackingNote: 'SF1' }, null),
    );
    const paid = await place({ ...atStore1(), tenders: [{ method: 'stored_value', amountFen: 10_000 }] }, c.productId);
    expect(paid.status).toBe('awaiting_pickup');

    const attempts: [string, object | undefined][] = [
      [`/me/shop/orders/${unpaid.id}/payments`, undefined],
      [`/me/shop/orders/${unpaid.id}/cancel`, {}],
      [`/me/shop/orders/${shipped.id}/receipt`, {}],
      [
        `/me/shop/orders/${paid.id}/after-sales`,
        { lines: [{ lineId: paid.lines[0].id, quantity: 1 }], reason: '不要了' },
      ],
      [`/me/shop/orders/${paid.id}/after-sales`, { reason: '整单退' }],
    ];
    const before = await snapshotDatabase(kit.db);
    for (const [url, body] of attempts) {
      const res = await shop.call(other!.headers, 'POST', url, body, idempotencyKey('theirs'));
      expect(res.statusCode, `${url}: ${res.body}`).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    expect(changedTables(before, await snapshotDatabase(kit.db))).toEqual([]);

    // The same requests by the owner go through, so the 404s were about whose order it is.
    const cancelled = await shop.call(owner!.headers, 'POST', `/me/shop/orders/${unpaid.id}/cancel`, {}, null);
    expect((await shop.ok(cancelled)).status).toBe('closed');
    const received = await shop.call(owner!.headers, 'POST', `/me/shop/orders/${shipped.id}/receipt`, {}, null);
    expect((await shop.ok(received)).status).toBe('received');
    const asked = await shop.call(owner!.headers, 'POST', `/me/shop/orders/${paid.id}/after-sales`, {
      reason: '整单退',
    });
    expect((await shop.ok(asked, 201)).afterSales).toHaveLength(1);
  });
});
