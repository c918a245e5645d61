import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, customerTokenFor, staffTokenFor, type TestApi } from '../../testing/harness.ts';

let api: TestApi;
let a: TenantFixture;
let b: TenantFixture;
let clock = new Date('2026-03-01T02:00:00Z');

beforeAll(async () => {
  api = await createTestApi({}, { now: () => clock });
  a = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  b = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
});

afterAll(async () => {
  await api?.close();
});

const post = (url: string, token: string, payload: unknown) =>
  api.app.inject({ method: 'POST', url, headers: bearer(token), payload: payload as object });
const get = (url: string, token: string) => api.app.inject({ method: 'GET', url, headers: bearer(token) });

const walkIn = {
  phone: '13800000003',
  name: '林小姐',
  gender: 'female',
  birthday: '1992-05-20',
  source: 'walk_in',
  marketingConsent: true,
};

describe('registering a walk-in customer', () => {
  it('creates the customer with a member number, and a second registration of the phone answers 409 with her', async () => {
    const created = await post('/staff/customers', staffTokenFor(api.app, a, 'manager'), walkIn);
    expect(created.statusCode).toBe(201);
    const profile = created.json();
    expect(profile).toMatchObject({
      name: '林小姐',
      phone: '13800000003',
      gender: 'female',
      birthday: '1992-05-20',
      source: 'walk_in',
      marketingConsent: true,
    });
    expect(profile.memberNo).toMatch(/^\d+$/);

    const again = await post('/staff/customers', staffTokenFor(api.app, a), { ...walkIn, name: '另一个人' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CUSTOMER_PHONE_TAKEN');
    // A beautician is answered with the masked phone, even here.
    expect(again.json().error.details.customer).toMatchObject({ id: profile.id, name: '林小姐', phone: '138****0003' });
  });

  it('lets another tenant register the same phone', async () => {
    const other = await post('/staff/customers', staffTokenFor(api.app, b), walkIn);
    expect(other.statusCode).toBe(201);
  });

  it('refuses a bad phone and a blank name with the field at fault, writing nothing', async () => {
    const token = staffTokenFor(api.app, a);
    const bad = await post('/staff/customers', token, { ...walkIn, phone: '12345', name: '  ' });
    expect(bad.statusCode).toBe(400);
    const fields = (bad.json().error.details as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['body.phone', 'body.name']));
    const list = await get('/staff/customers?q=12345', token);
    expect(list.json().items).toEqual([]);
  });
});

describe('search and phone masking', () => {
  it('finds by member number, phone and name; beauticians see 138****0003, managers the full number', async () => {
    const manager = staffTokenFor(api.app, a, 'manager');
    const beautician = staffTokenFor(api.app, a);
    const byPhone = await get('/staff/customers?q=13800000003', manager);
    const [found] = byPhone.json().items;
    expect(found).toMatchObject({ name: '林小姐', phone: '13800000003' });
    const byNo = await get(`/staff/customers?q=${found.memberNo}`, beautician);
    expect(byNo.json().items).toEqual([{ ...found, phone: '138****0003' }]);
    const byName = await get(`/staff/customers?q=${encodeURIComponent('林')}`, beautician);
    expect(byName.json().items.map((c: { id: string }) => c.id)).toEqual([found.id]);
    const card = await get(`/staff/customers/${found.id}`, beautician);
    expect(card.json().phone).toBe('138****0003');
    expect((await get(`/staff/customers/${found.id}`, staffTokenFor(api.app, a, 'owner'))).json().phone).toBe(
      '13800000003',
    );
  });
});

describe('member codes', () => {
  it('a customer gets a signed code that resolves to her at her own salon only', async () => {
    const issued = await post('/me/member-code', customerTokenFor(api.app, a, 1), {});
    expect(issued.statusCode).toBe(200);
    const { code, expiresAt } = issued.json();
    expect(code).not.toContain(a.customers[1]!.id);
    expect(Date.parse(expiresAt) - clock.getTime()).toBe(api.config.MEMBER_CODE_TTL_SECONDS * 1000);

    const resolved = await post('/staff/customers/member-code', staffTokenFor(api.app, a), { code });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({ id: a.customers[1]!.id, name: '顾客乙' });
    expect(resolved.json().phone).toMatch(/^\d{3}\*{4}\d{4}$/);

    const elsewhere = await post('/staff/customers/member-code', staffTokenFor(api.app, b), { code });
    expect(elsewhere.statusCode).toBe(422);
    expect(elsewhere.json().error.code).toBe('MEMBER_CODE_INVALID');
  });

  it('refuses a tampered code and an expired one with their own codes', async () => {
    const { code } = (await post('/me/member-code', customerTokenFor(api.app, a, 0), {})).json();
    const [prefix, payload, mac] = code.split('.');
    // Swap the customer in the payload for another's: the MAC no longer matches.
    const bytes = Buffer.from(payload, 'base64url');
    Buffer.from(a.customers[1]!.id.replace(/-/g, ''), 'hex').copy(bytes, 0);
    const tampered = `${prefix}.${bytes.toString('base64url')}.${mac}`;
    for (const bad of [tampered, 'hello', `${code}x`, a.customers[0]!.id]) {
      const res = await post('/staff/customers/member-code', staffTokenFor(api.app, a), { code: bad });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('MEMBER_CODE_INVALID');
    }
    clock = new Date(clock.getTime() + (api.config.MEMBER_CODE_TTL_SECONDS + 1) * 1000);
    const late = await post('/staff/customers/member-code', staffTokenFor(api.app, a), { code });
    expect(late.statusCode).toBe(422);
    expect(late.json().error.code).toBe('MEMBER_CODE_EXPIRED');
  });
});

describe('staff notes', () => {
  it('adds a note that the next reader sees with its author, newest first', async () => {
    const customerId = a.customers[0]!.id;
    const first = await post(`/staff/customers/${customerId}/notes`, staffTokenFor(api.app, a), { body: '对芒果过敏' });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ body: '对芒果过敏', authorName: '美容师', authorId: a.beautician.id });
    await post(`/staff/customers/${customerId}/notes`, staffTokenFor(api.app, a, 'manager'), { body: '喜欢安静' });
    const list = await get(`/staff/customers/${customerId}/notes`, staffTokenFor(api.app, a, 'owner'));
    expect(list.json().items.map((n: { body: string }) => n.body)).toEqual(['喜欢安静', '对芒果过敏']);
  });

  it("is 404 for another tenant's customer and 400 for an empty note", async () => {
    const foreign = await post(`/staff/customers/${b.customers[0]!.id}/notes`, staffTokenFor(api.app, a), {
      body: 'x',
    });
    expect(foreign.statusCode).toBe(404);
    const empty = await post(`/staff/customers/${a.customers[0]!.id}/notes`, staffTokenFor(api.app, a), {
      body: ' ',
    });
    expect(empty.statusCode).toBe(400);
  });
});
