import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, customerTokenFor, staffTokenFor, type TestApi } from '../../testing/harness.ts';

let api: TestApi;
let a: TenantFixture;
let b: TenantFixture;

const customerToken = (t: TenantFixture, i: number) => customerTokenFor(api.app, t, i);
const staffToken = (t: TenantFixture) => staffTokenFor(api.app, t);

beforeAll(async () => {
  api = await createTestApi();
  a = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  b = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
});

afterAll(async () => {
  await api?.close();
});

describe('tenant and customer isolation', () => {
  it('a customer sees only their own profile', async () => {
    const me = await api.app.inject({ method: 'GET', url: '/me', headers: bearer(customerToken(a, 1)) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: a.customers[1]!.id, tenantId: a.tenantId });
  });

  it('a customer cannot use staff routes to read another customer', async () => {
    const res = await api.app.inject({
      method: 'GET',
      url: `/staff/customers/${a.customers[0]!.id}`,
      headers: bearer(customerToken(a, 1)),
    });
    expect(res.statusCode).toBe(403);
  });

  it("staff of tenant A get 404 for tenant B's customer and never see B in lists", async () => {
    const res = await api.app.inject({
      method: 'GET',
      url: `/staff/customers/${b.customers[0]!.id}`,
      headers: bearer(staffToken(a)),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('CUSTOMER_NOT_FOUND');
    const list = await api.app.inject({
      method: 'GET',
      url: '/staff/customers?limit=100',
      headers: bearer(staffToken(a)),
    });
    const ids = list.json().items.map((c: { id: string }) => c.id);
    expect(ids.sort()).toEqual(a.customers.map((c) => c.id).sort());
  });

  it('a token claiming tenant B with a staff id of tenant A finds nothing', async () => {
    const forged = api.app.jwt.sign({
      kind: 'staff',
      sub: a.beautician.id,
      tenantId: b.tenantId,
      role: 'owner',
      storeIds: [],
    });
    const res = await api.app.inject({ method: 'GET', url: '/staff/me', headers: bearer(forged) });
    expect(res.statusCode).toBe(404);
  });
});

describe('customer list', () => {
  it('pages with a keyset cursor without repeats or gaps', async () => {
    const token = staffToken(a);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/staff/customers?limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api.app.inject({ method: 'GET', url, headers: bearer(token) });
      expect(page.statusCode).toBe(200);
      const body = page.json() as { items: { id: string }[]; nextCursor: string | null };
      seen.push(...body.items.map((c) => c.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(a.customers.map((c) => c.id).sort());
  });

  it('searches by name and rejects a forged cursor with a 400', async () => {
    const token = staffToken(a);
    const found = await api.app.inject({
      method: 'GET',
      url: `/staff/customers?q=${encodeURIComponent('甲')}`,
      headers: bearer(token),
    });
    expect(found.json().items.map((c: { name: string }) => c.name)).toEqual(['顾客甲']);
    const bad = await api.app.inject({ method: 'GET', url: '/staff/customers?cursor=abc', headers: bearer(token) });
    expect(bad.statusCode).toBe(400);
  });
});
