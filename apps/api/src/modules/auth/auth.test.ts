import { startWechatSim, type WechatSim } from '@lumi/wechat-sim';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import authPlugin from '../../plugins/auth.ts';
import { bearer, createTestApi, staffTokenFor, type TestApi, testConfig } from '../../testing/harness.ts';

let sim: WechatSim;
let api: TestApi;
let t: TenantFixture;

async function loginCode(openid: string, appid = api.config.WECHAT_CUSTOMER_APPID): Promise<string> {
  const res = await fetch(`${sim.url}/__control/login-codes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ appid, openid }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { code: string }).code;
}

beforeAll(async () => {
  sim = await startWechatSim({ port: 0 });
  api = await createTestApi({
    WECHAT_API_BASE: sim.url,
    STAFF_LOCKOUT_FAILURES: '3',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
  });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
});

afterAll(async () => {
  await api?.close();
  await sim?.close();
});

describe('customer login with a wx.login code', () => {
  it('exchanges the code through jscode2session and returns tokens for the existing customer', async () => {
    const customer = t.customers[0]!;
    const res = await api.app.inject({
      method: 'POST',
      url: '/auth/customer/wechat',
      payload: { tenant: t.slug, code: await loginCode(customer.openid) },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.customer).toEqual({ id: customer.id, tenantId: t.tenantId, name: customer.name, isNew: false });
    const me = await api.app.inject({ method: 'GET', url: '/me', headers: bearer(body.accessToken) });
    expect(me.statusCode).toBe(200);
    expect(me.json().name).toBe(customer.name);
  });

  it('creates a new customer on the first login of an unknown openid, and only one', async () => {
    const openid = `new-${Date.now()}`;
    const codes = await Promise.all([loginCode(openid), loginCode(openid), loginCode(openid)]);
    const results = await Promise.all(
      codes.map((code) =>
        api.app.inject({ method: 'POST', url: '/auth/customer/wechat', payload: { tenant: t.slug, code } }),
      ),
    );
    for (const r of results) expect(r.statusCode).toBe(200);
    const ids = new Set(results.map((r) => r.json().customer.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.json().customer.isNew).length).toBeGreaterThanOrEqual(1);
  });

  it('refuses a reused code with WECHAT_CODE_INVALID', async () => {
    const code = await loginCode(t.customers[1]!.openid);
    const first = await api.app.inject({
      method: 'POST',
      url: '/auth/customer/wechat',
      payload: { tenant: t.slug, code },
    });
    expect(first.statusCode).toBe(200);
    const again = await api.app.inject({
      method: 'POST',
      url: '/auth/customer/wechat',
      payload: { tenant: t.slug, code },
    });
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('WECHAT_CODE_INVALID');
  });

  it('refuses a made-up code and an unknown tenant', async () => {
    const bad = await api.app.inject({
      method: 'POST',
      url: '/auth/customer/wechat',
      payload: { tenant: t.slug, code: 'not-a-code' },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('WECHAT_CODE_INVALID');
    const tenant = await api.app.inject({
      method: 'POST',
      url: '/auth/customer/wechat',
      payload: { tenant: 'no-such-salon', code: await loginCode('x-openid') },
    });
    expect(tenant.statusCode).toBe(404);
    expect(tenant.json().error.code).toBe('TENANT_NOT_FOUND');
  });
});

describe('staff login with phone and password', () => {
  it('returns tokens whose claims carry tenant, role and stores', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/auth/staff/login',
      payload: { phone: t.beautician.phone, password: t.beautician.password },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.staff).toMatchObject({
      id: t.beautician.id,
      tenantId: t.tenantId,
      role: 'beautician',
      storeIds: t.beautician.storeIds,
    });
    const claims = api.app.jwt.decode<Record<string, unknown>>(body.accessToken);
    expect(claims).toMatchObject({ kind: 'staff', sub: t.beautician.id, tenantId: t.tenantId, role: 'beautician' });
    const me = await api.app.inject({ method: 'GET', url: '/staff/me', headers: bearer(body.accessToken) });
    expect(me.statusCode).toBe(200);
    expect(me.json().stores.map((s: { id: string }) => s.id)).toEqual(t.beautician.storeIds);
  });

  it('answers a wrong password and an unknown phone the same way', async () => {
    const wrong = await api.app.inject({
      method: 'POST',
      url: '/auth/staff/login',
      payload: { phone: t.owner.phone, password: 'nope' },
    });
    const unknown = await api.app.inject({
      method: 'POST',
      url: '/auth/staff/login',
      payload: { phone: '19999999999', password: 'nope' },
    });
    for (const r of [wrong, unknown]) {
      expect(r.statusCode).toBe(401);
      expect(r.json().error.code).toBe('INVALID_CREDENTIALS');
    }
    // A good login afterwards resets the failure count.
    const ok = await api.app.inject({
      method: 'POST',
      url: '/auth/staff/login',
      payload: { phone: t.owner.phone, password: t.owner.password },
    });
    expect(ok.statusCode).toBe(200);
  });

  it('locks the account after repeated failures, even for the right password', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await api.app.inject({
        method: 'POST',
        url: '/auth/staff/login',
        payload: { phone: t.manager.phone, password: `bad-${i}` },
      });
      expect(r.statusCode).toBe(401);
    }
    const locked = await api.app.inject({
      method: 'POST',
      url: '/auth/staff/login',
      payload: { phone: t.manager.phone, password: t.manager.password },
    });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('ACCOUNT_LOCKED');
  });
});

describe('tokens', () => {
  async function staffSession() {
    const res = await api.app.inject({
      method: 'POST',
      url: '/auth/staff/login',
      payload: { phone: t.owner.phone, password: t.owner.password },
    });
    return res.json() as { accessToken: string; refreshToken: string };
  }

  it('rotates the refresh token on use, and a replayed one revokes the whole family', async () => {
    const first = await staffSession();
    const r1 = await api.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: first.refreshToken },
    });
    expect(r1.statusCode).toBe(200);
    const second = r1.json();
    expect(second.refreshToken).not.toBe(first.refreshToken);

    const replay = await api.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: first.refreshToken },
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('REFRESH_TOKEN_INVALID');
    // The legitimate newer token died with its family.
    const afterTheft = await api.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: second.refreshToken },
    });
    expect(afterTheft.statusCode).toBe(401);
  });

  it('logout revokes the refresh token', async () => {
    const session = await staffSession();
    const out = await api.app.inject({
      method: 'POST',
      url: '/auth/logout',
      payload: { refreshToken: session.refreshToken },
    });
    expect(out.statusCode).toBe(204);
    const r = await api.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: session.refreshToken },
    });
    expect(r.statusCode).toBe(401);
  });

  it('rejects an expired access token with TOKEN_EXPIRED and a tampered one with UNAUTHENTICATED', async () => {
    const expired = api.app.jwt.sign(
      { kind: 'staff', sub: t.owner.id, tenantId: t.tenantId, role: 'owner', storeIds: t.owner.storeIds },
      { expiresIn: -10 },
    );
    const r = await api.app.inject({ method: 'GET', url: '/staff/me', headers: bearer(expired) });
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('TOKEN_EXPIRED');

    const { accessToken } = await staffSession();
    const tampered = `${accessToken.slice(0, -4)}AAAA`;
    const t2 = await api.app.inject({ method: 'GET', url: '/staff/me', headers: bearer(tampered) });
    expect(t2.statusCode).toBe(401);
    expect(t2.json().error.code).toBe('UNAUTHENTICATED');

    const none = await api.app.inject({ method: 'GET', url: '/staff/me' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('keeps customer tokens out of staff routes and staff tokens out of customer routes', async () => {
    const { accessToken: staffToken } = await staffSession();
    const customerToken = api.app.jwt.sign({ kind: 'customer', sub: t.customers[0]!.id, tenantId: t.tenantId });
    expect((await api.app.inject({ method: 'GET', url: '/staff/me', headers: bearer(customerToken) })).statusCode).toBe(
      403,
    );
    expect((await api.app.inject({ method: 'GET', url: '/me', headers: bearer(staffToken) })).statusCode).toBe(403);
  });

  it('authenticates before validating: an anonymous caller learns nothing about the schema', async () => {
    const badBody = { reason: 5, unexpected: true };
    const anonymous = await api.app.inject({
      method: 'POST',
      url: `/staff/bills/${t.customers[0]!.id}/void`,
      payload: badBody,
    });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error).toEqual({ code: 'UNAUTHENTICATED', message: expect.any(String) });

    const badQuery = await api.app.inject({ method: 'GET', url: '/staff/customers?limit=abc' });
    expect(badQuery.statusCode).toBe(401);
  });

  it('checks the role before validating: a beautician gets 403 on a manager route whatever the body', async () => {
    const beautician = staffTokenFor(api.app, t, 'beautician');
    const res = await api.app.inject({
      method: 'PUT',
      url: '/staff/checkout/settings',
      headers: bearer(beautician),
      payload: { nonsense: 'x' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect(res.json().error.details).toBeUndefined();
  });
});

describe('route guards', () => {
  it('refuses to start with a guard that would run after validation', async () => {
    const app = Fastify();
    await app.register(authPlugin, { config: testConfig() });
    try {
      expect(() => app.post('/late', { preHandler: app.requireStaff }, async () => ({}))).toThrow(/onRequest/);
      expect(() => app.post('/early', { onRequest: app.requireStaff }, async () => ({}))).not.toThrow();
    } finally {
      await app.close();
    }
  });
});
