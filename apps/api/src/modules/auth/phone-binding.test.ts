import { randomUUID } from 'node:crypto';
import { startWechatSim, type WechatSim } from '@lumi/wechat-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, staffTokenFor, type TestApi } from '../../testing/harness.ts';
import { verifyLedger } from '../ledger/index.ts';

let sim: WechatSim;
let api: TestApi;
let t: TenantFixture;
let appId: string;

beforeAll(async () => {
  sim = await startWechatSim({ port: 0, timeScale: 0.001 });
  api = await createTestApi({ WECHAT_API_BASE: sim.url, WECHAT_TIMEOUT_MS: '5000' });
  appId = api.config.WECHAT_CUSTOMER_APPID;
  t = await createTenantFixture(api.db.db, appId);
});

afterAll(async () => {
  await api?.close();
  await sim?.close();
});

const call = (method: 'GET' | 'POST', url: string, token?: string, payload?: unknown, key?: string) =>
  api.app.inject({
    method,
    url,
    headers: { ...(token ? bearer(token) : {}), ...(key ? { 'idempotency-key': key } : {}) },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

async function signIn(openid: string) {
  const { code } = sim.issueLoginCode(appId, openid);
  const res = await call('POST', '/auth/customer/wechat', undefined, { tenant: t.slug, code });
  expect(res.statusCode).toBe(200);
  return res.json() as { accessToken: string; refreshToken: string; customer: { id: string; isNew: boolean } };
}

const bindPhone = (token: string, phone: string) =>
  call('POST', '/me/phone', token, { code: sim.issuePhoneCode(appId, phone).code });

async function register(phone: string, name: string) {
  const res = await call('POST', '/staff/customers', staffTokenFor(api.app, t, 'manager'), { phone, name });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string };
}

const openid = () => `o${randomUUID().replace(/-/g, '').slice(0, 27)}`;

describe('binding a phone on first login', () => {
  it('makes the front-desk customer with that phone the account, her money, card and bills untouched', async () => {
    const staff = staffTokenFor(api.app, t, 'manager');
    const lin = await register('13900000001', '林小姐');
    const store = t.storeIds[0];
    const topUp = await call(
      'POST',
      `/staff/customers/${lin.id}/top-ups`,
      staff,
      { storeId: store, amountFen: 100_000, method: 'cash' },
      randomUUID(),
    );
    expect(topUp.statusCode).toBe(201);
    const card = await call(
      'POST',
      `/staff/customers/${lin.id}/package-cards`,
      staff,
      { storeId: store, planId: t.packagePlanId, method: 'stored_value' },
      randomUUID(),
    );
    expect(card.statusCode).toBe(201);
    const before = (await call('GET', `/staff/customers/${lin.id}/wallet`, staff)).json();
    const entriesBefore = (await call('GET', `/staff/customers/${lin.id}/entries?limit=100`, staff)).json();
    expect(before.totalFen).toBe(20_000);

    const user = openid();
    const signUp = await signIn(user);
    expect(signUp.customer.isNew).toBe(true);

    const bound = await bindPhone(signUp.accessToken, '13900000001');
    expect(bound.statusCode).toBe(200);
    const body = bound.json();
    expect(body.merged).toBe(true);
    expect(body.customer).toMatchObject({ id: lin.id, name: '林小姐', phone: '13900000001' });

    // The new token sees her wallet exactly as the front desk left it; the ledger was not touched.
    const wallet = (await call('GET', '/me/wallet', body.accessToken)).json();
    expect({ ...wallet, chainVerified: null }).toEqual({ ...before, chainVerified: null });
    expect(wallet.packageCards).toHaveLength(1);
    expect((await call('GET', `/staff/customers/${lin.id}/entries?limit=100`, staff)).json()).toEqual(entriesBefore);
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);

    // The sign-up is gone for everyone: its old token and refresh token, and the staff search.
    expect((await call('GET', '/me', signUp.accessToken)).statusCode).toBe(404);
    const refresh = await call('POST', '/auth/refresh', undefined, { refreshToken: signUp.refreshToken });
    expect(refresh.statusCode).toBe(401);
    const list = (await call('GET', '/staff/customers?limit=100', staff)).json();
    const ids = list.items.map((c: { id: string }) => c.id);
    expect(ids).toContain(lin.id);
    expect(ids).not.toContain(signUp.customer.id);

    // Signing in again with the same WeChat lands on her, not on a new sign-up.
    const again = await signIn(user);
    expect(again.customer).toMatchObject({ id: lin.id, isNew: false });
  });

  it('just records the phone when no front-desk customer has it', async () => {
    const signUp = await signIn(openid());
    const bound = await bindPhone(signUp.accessToken, '13900000002');
    expect(bound.statusCode).toBe(200);
    expect(bound.json()).toMatchObject({ merged: false, customer: { id: signUp.customer.id, phone: '13900000002' } });
  });

  it('refuses a used code, and a phone that another WeChat user already holds', async () => {
    const first = await signIn(openid());
    const { code } = sim.issuePhoneCode(appId, '13900000003');
    expect((await call('POST', '/me/phone', first.accessToken, { code })).statusCode).toBe(200);
    const reused = await call('POST', '/me/phone', first.accessToken, { code });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('PHONE_CODE_INVALID');

    const second = await signIn(openid());
    const taken = await bindPhone(second.accessToken, '13900000003');
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('PHONE_BOUND_ELSEWHERE');
    expect((await call('GET', '/me', second.accessToken)).json().phone).toBeNull();
  });

  it("merges two customers that both have money: the sign-up's moves to the front-desk one (modules/merging)", async () => {
    const staff = staffTokenFor(api.app, t, 'manager');
    const front = await register('13900000004', '周女士');
    const signUp = await signIn(openid());
    const topUp = await call(
      'POST',
      `/staff/customers/${signUp.customer.id}/top-ups`,
      staff,
      { storeId: t.storeIds[0], amountFen: 5_000, method: 'cash' },
      randomUUID(),
    );
    expect(topUp.statusCode).toBe(201);
    const bound = await bindPhone(signUp.accessToken, '13900000004');
    expect(bound.statusCode).toBe(200);
    expect(bound.json()).toMatchObject({ merged: true, customer: { id: front.id } });
    expect((await call('GET', '/me/wallet', bound.json().accessToken)).json().principalFen).toBe(5_000);
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });
});
