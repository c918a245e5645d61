import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, customerTokenFor, injectAs, staffTokenFor, type TestApi } from '../../testing/harness.ts';

/**
 * The salon's brand: a manager changes it (audited, validated), and the customer's /me carries it, with whether the
 * salon's shop has an item on sale (the customer app shows its 商城 tab only then).
 */
let api: TestApi;
let t: TenantFixture;
let other: TenantFixture;

const customer = (f: TenantFixture) => customerTokenFor(api.app, f, 0);
const staff = (f: TenantFixture, who: 'beautician' | 'manager') => staffTokenFor(api.app, f, who);
const send = (method: 'GET' | 'PUT', url: string, token: string | null, payload?: unknown) =>
  injectAs(api.app, method, url, token, payload);

const shopOpen = async (f: TenantFixture) => (await send('GET', '/me', customer(f))).json().shopOpen;

async function asManager(method: 'POST' | 'PUT', url: string, payload: object) {
  const res = await api.app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${staff(t, 'manager')}`,
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

describe('brand settings', () => {
  it("starts from the default colour and the tenant's own name", async () => {
    expect((await send('GET', '/staff/brand/settings', staff(t, 'manager'))).json()).toEqual({
      color: '#a97c50',
      name: null,
    });
    const me = (await send('GET', '/me', customer(t))).json();
    expect(me.brandColor).toBe('#a97c50');
    expect(me.tenantName).toBe(`测试美容院 ${t.slug}`);
  });

  it('lets a manager change the colour and the name customers see, for their tenant only, audited', async () => {
    const changed = await send('PUT', '/staff/brand/settings', staff(t, 'manager'), {
      color: '#c2185b',
      name: '  小雅美学  ',
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toEqual({ color: '#c2185b', name: '小雅美学' });
    // Only what is given changes.
    const colourOnly = await send('PUT', '/staff/brand/settings', staff(t, 'manager'), { color: '#2E7D32' });
    expect(colourOnly.json()).toEqual({ color: '#2E7D32', name: '小雅美学' });

    const me = (await send('GET', '/me', customer(t))).json();
    expect(me).toMatchObject({ brandColor: '#2E7D32', tenantName: '小雅美学' });
    expect((await send('GET', '/me', customer(other))).json().brandColor).toBe('#a97c50');

    const audit = await send('GET', '/staff/audit?action=brand.settings_changed', staff(t, 'manager'));
    expect(audit.statusCode).toBe(200);
    const entries = audit.json().items as { before: unknown; after: unknown }[];
    expect(entries).toHaveLength(2);
    expect(entries.map((e) => e.after)).toContainEqual({ color: '#c2185b', name: '小雅美学' });
    expect(entries.map((e) => e.before)).toContainEqual({ color: '#a97c50', name: null });
  });

  it('a null name goes back to the tenant name', async () => {
    await send('PUT', '/staff/brand/settings', staff(t, 'manager'), { name: null });
    expect((await send('GET', '/me', customer(t))).json().tenantName).toBe(`测试美容院 ${t.slug}`);
  });

  it('refuses a bad colour or name, and anyone but a manager, changing nothing', async () => {
    const before = (await send('GET', '/staff/brand/settings', staff(t, 'manager'))).json();
    const cases = [
      { token: staff(t, 'manager'), payload: { color: 'red' }, status: 400, field: 'color' },
      { token: staff(t, 'manager'), payload: { color: '#12345' }, status: 400, field: 'color' },
      { token: staff(t, 'manager'), payload: { color: '#1234567' }, status: 400, field: 'color' },
      { token: staff(t, 'manager'), payload: { color: 'url(#abcdef)' }, status: 400, field: 'color' },
      { token: staff(t, 'manager'), payload: { name: '' }, status: 400, field: 'name' },
      { token: staff(t, 'manager'), payload: { name: '名'.repeat(21) }, status: 400, field: 'name' },
      { token: staff(t, 'manager'), payload: { logo: 'x' }, status: 400, field: null },
      { token: staff(t, 'beautician'), payload: { color: '#000000' }, status: 403, field: null },
      { token: customer(t), payload: { color: '#000000' }, status: 403, field: null },
      { token: null, payload: { color: '#000000' }, status: 401, field: null },
    ];
    for (const c of cases) {
      const res = await send('PUT', '/staff/brand/settings', c.token, c.payload);
      expect(res.statusCode, JSON.stringify(c.payload)).toBe(c.status);
      expect(res.json().error.code).toEqual(expect.any(String));
      if (c.field) expect(JSON.stringify(res.json().error), JSON.stringify(c.payload)).toContain(c.field);
    }
    expect((await send('GET', '/staff/brand/settings', staff(t, 'manager'))).json()).toEqual(before);
  });
});

describe('GET /me shopOpen', () => {
  it('is true only while the salon has an item on sale, for that salon alone', async () => {
    expect(await shopOpen(t)).toBe(false);
    const category = await asManager('POST', '/staff/shop/categories', { name: '护肤', sortOrder: 1 });
    expect(await shopOpen(t)).toBe(false);

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
    expect(await shopOpen(t)).toBe(true);
    expect(await shopOpen(other)).toBe(false);

    await asManager('PUT', `/staff/shop/items/${created.id}`, { ...item, onSale: false });
    expect(await shopOpen(t)).toBe(false);
  });
});
