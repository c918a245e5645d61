import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, customerTokenFor, injectAs, staffTokenFor, type TestApi } from '../../testing/harness.ts';

/** GET /me says whether the salon's shop has an item on sale: the customer app shows its 商城 tab only then. */
let api: TestApi;
let t: TenantFixture;
let other: TenantFixture;

const shopOpenFor = async (f: TenantFixture) =>
  (await injectAs(api.app, 'GET', '/me', customerTokenFor(api.app, f, 0))).json().shopOpen;

async function asManager(method: 'POST' | 'PUT', url: string, payload: object) {
  const res = await api.app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${staffTokenFor(api.app, t, 'manager')}`,
      'idempotency-key': crypto.randomUUID(),
    },
    payload,
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
}

beforeAll(async () => {
  api = await createTestApi({ WECHAT_API_BASE: 'http://127.0.0.1:9' });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  other = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
});
afterAll(async () => {
  await api?.close();
});

describe('GET /me shopOpen', () => {
  it('is true only while the salon has an item on sale, for that salon alone', async () => {
    expect(await shopOpenFor(t)).toBe(false);
    const category = await asManager('POST', '/staff/shop/categories', { name: '护肤', sortOrder: 1 });
    expect(await shopOpenFor(t)).toBe(false);

    const item = {
      categoryId: category.id,
      kind: 'product',
      name: '玻尿酸精华',
      description: '补水保湿',
      listPriceFen: 10_000,
      tierPrices: [],
      pointsPrice: null,
    };
    const created = await asManager('POST', '/staff/shop/items', item);
    expect(await shopOpenFor(t)).toBe(true);
    expect(await shopOpenFor(other)).toBe(false);

    await asManager('PUT', `/staff/shop/items/${created.id}`, { ...item, onSale: false });
    expect(await shopOpenFor(t)).toBe(false);
  });
});
