import { sql } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { usePaymentsKit } from '../../testing/payments-kit.ts';
import { shopCalls } from '../../testing/shop-support.ts';

// The staff 售后 list is paged by keyset (waiting first, then decided, newest first), and any request opens by id.
const kit = usePaymentsKit();
let shop: ReturnType<typeof shopCalls>;

beforeAll(async () => {
  shop = shopCalls(kit);
});

beforeEach(async () => {
  await kit.db.db.execute(sql`delete from shop_cart_lines`);
});

/** A paid voucher order with an after-sale request waiting; its id. */
async function requested(): Promise<string> {
  const { voucherId } = await shop.catalogue();
  await shop.topUp(6_000);
  await shop.addToCart(voucherId, 1);
  const order = await shop.placePaid(6_000);
  const asked = await shop.ok(
    await shop.asCustomer('POST', `/me/shop/orders/${order.id}/after-sales`, { reason: '不想要了' }),
    201,
  );
  return asked.afterSales.at(-1).id;
}

const page = async (query: string) =>
  shop.ok(await shop.asManager('GET', `/staff/shop/after-sales${query}`, undefined, null));

describe('the staff 售后 list', () => {
  it('pages through every request once, waiting ones first, and opens any of them by id', async () => {
    await kit.db.db.execute(sql`delete from shop_after_sales`);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await requested());
    // The two oldest are refused: they go after the waiting ones.
    for (const id of ids.slice(0, 2)) {
      await shop.ok(
        await shop.asManager('POST', `/staff/shop/after-sales/${id}/decision`, { approve: false, note: '已使用' }),
      );
    }
    const seen: { id: string; status: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const body = await page(`?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items);
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    const [a, b, c, d, e] = ids;
    expect(seen.map((s) => s.id)).toEqual([e, d, c, b, a]);
    expect(seen.map((s) => s.status)).toEqual(['requested', 'requested', 'requested', 'refused', 'refused']);

    // The oldest, decided long ago, opens by its id (审批 已处理 links it).
    const oldest = await shop.ok(await shop.asManager('GET', `/staff/shop/after-sales/${a}`, undefined, null));
    expect(oldest).toMatchObject({ id: a, status: 'refused', decisionNote: '已使用' });
  });

  it('refuses a made-up cursor, and hides a request from a beautician and from another salon', async () => {
    const id = await requested();
    const bad = await shop.asManager('GET', '/staff/shop/after-sales?cursor=2~x~y', undefined, null);
    expect(bad.statusCode).toBe(400);
    const impossible = await shop.asManager(
      'GET',
      `/staff/shop/after-sales?cursor=${encodeURIComponent(`0~2026-02-30T00:00:00.000Z~${id}`)}`,
      undefined,
      null,
    );
    expect(impossible.statusCode).toBe(400);
    const beautician = await shop.call(
      kit.beauticianHeaders(),
      'GET',
      `/staff/shop/after-sales/${id}`,
      undefined,
      null,
    );
    expect(beautician.statusCode).toBe(403);
    const { headers } = await shop.otherSalonOwner();
    const theirs = await shop.call(headers, 'GET', `/staff/shop/after-sales/${id}`, undefined, null);
    expect(theirs.statusCode).toBe(404);
    expect((await shop.call(headers, 'GET', '/staff/shop/after-sales', undefined, null)).json().items).toEqual([]);
    await shop.ledgerIsSound();
  });
});
