import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKey, type PaymentsKit, startPaymentsKit } from './testing/payments-kit.ts';
import { ROUTE_ACCESS } from './testing/route-access.ts';
import { shopCalls } from './testing/shop-support.ts';

// Personal-information rules: a beautician never receives a customer's full phone number from the staff API;
// managers and the owner do. The test reads every staff GET route a beautician may call (from the authorization
// matrix, so a new route is covered as soon as it is registered) with real data behind it.
const CUSTOMER_PHONE = '13812340003';
const DELIVERY_PHONE = '13912345678';

let kit: PaymentsKit;
let orderId = '';

beforeAll(async () => {
  kit = await startPaymentsKit();
  const shop = shopCalls(kit);
  const customerId = kit.t.customers[0]?.id ?? '';
  await kit.db.db.execute(sql`update customers set phone = ${CUSTOMER_PHONE} where id = ${customerId}`);
  const c = await shop.catalogue({ stock: 2 });
  await shop.topUp(20_000);
  await shop.addToCart(c.productId, 1);
  const placed = await shop.ok(
    await shop.asCustomer(
      'POST',
      '/me/shop/orders',
      {
        storeId: kit.t.storeIds[0],
        fulfilment: 'delivery',
        address: { name: '林小姐', phone: DELIVERY_PHONE, region: '上海市 徐汇区', detail: '天钥桥路 1 号' },
        tenders: [{ method: 'stored_value', amountFen: 10_000 }],
      },
      0,
      idempotencyKey('order'),
    ),
    201,
  );
  orderId = placed.id;
});

afterAll(async () => {
  await kit?.close();
});

/** Every staff GET route a beautician may call, its path parameters filled with the fixture's records. */
function staffReadUrls(): string[] {
  const customerId = kit.t.customers[0]?.id ?? '';
  const fill: Record<string, string> = { customerId, storeId: kit.t.storeIds[0], outTradeNo: 'none000000' };
  return Object.entries(ROUTE_ACCESS)
    .filter(([route, access]) => route.startsWith('GET /staff') && access.caller === 'staff')
    .map(([route]) => {
      const path = route.slice('GET '.length);
      const id = path.startsWith('/staff/shop/orders/') ? orderId : customerId;
      return path.replace(/:(\w+)/g, (_, name: string) => (name === 'id' ? id : (fill[name] ?? customerId)));
    })
    .map((url) => (url.includes('?') ? url : `${url}?storeId=${kit.t.storeIds[0]}`));
}

async function read(url: string, headers: Record<string, string>) {
  // Query strings a route does not take answer 400; the same URL without one is read too.
  const res = await kit.app.inject({ method: 'GET', url, headers });
  const bare = await kit.app.inject({ method: 'GET', url: url.split('?')[0] ?? url, headers });
  return `${res.body}\n${bare.body}`;
}

describe('phone numbers on the staff API', () => {
  it('never reach a beautician in full, on any staff read', async () => {
    const urls = staffReadUrls();
    expect(urls.length).toBeGreaterThan(30);
    let masked = 0;
    for (const url of urls) {
      const body = await read(url, kit.beauticianHeaders());
      expect(body, url).not.toContain(CUSTOMER_PHONE);
      expect(body, url).not.toContain(DELIVERY_PHONE);
      if (body.includes('138****0003') || body.includes('139****5678')) masked++;
    }
    // The customer search, her card and the shop orders do show the masked numbers.
    expect(masked).toBeGreaterThanOrEqual(4);
  });

  it('reach managers in full on the customer card, the search and the shop orders', async () => {
    const customerId = kit.t.customers[0]?.id ?? '';
    for (const [url, phone] of [
      [`/staff/customers/${customerId}`, CUSTOMER_PHONE],
      ['/staff/customers', CUSTOMER_PHONE],
      ['/staff/shop/orders', DELIVERY_PHONE],
      [`/staff/shop/orders/${orderId}`, DELIVERY_PHONE],
    ] as const) {
      const res = await kit.app.inject({ method: 'GET', url, headers: kit.managerHeaders() });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body, url).toContain(phone);
    }
  });
});
