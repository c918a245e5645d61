import { randomUUID } from 'node:crypto';
import { startWechatSim, type WechatSim } from '@lumi/wechat-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditClient } from '../../testing/credit-support.ts';
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

const call = (method: 'GET' | 'POST', url: string, token?: string, payload?: unknown) =>
  api.app.inject({
    method,
    url,
    headers: { ...(token ? bearer(token) : {}), ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}) },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const manager = () => staffTokenFor(api.app, t, 'manager');
const ok = async (method: 'GET' | 'POST', url: string, payload?: unknown, token = manager()) => {
  const res = await call(method, url, token, payload);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
};

const openid = () => `o${randomUUID().replace(/-/g, '').slice(0, 27)}`;
let phoneCounter = 0;
const newPhone = () => `1391${String(process.pid % 1000).padStart(3, '0')}${String(phoneCounter++).padStart(4, '0')}`;

async function signIn() {
  const { code } = sim.issueLoginCode(appId, openid());
  const res = await call('POST', '/auth/customer/wechat', undefined, { tenant: t.slug, code });
  expect(res.statusCode).toBe(200);
  return res.json() as { accessToken: string; customer: { id: string } };
}

const bindPhone = (token: string, phone: string) =>
  api.app.inject({
    method: 'POST',
    url: '/me/phone',
    headers: bearer(token),
    payload: { code: sim.issuePhoneCode(appId, phone).code },
  });

/** A customer's buckets straight from her accounts (customer's side: + held). */
async function holdings(customerId: string) {
  const { rows } = await api.db.rawQuery(
    `select kind, coalesce(sum(-balance), 0)::bigint as held from accounts
     where tenant_id = $1 and customer_id = $2 group by kind`,
    [t.tenantId, customerId],
  );
  const of = (kind: string) =>
    Number((rows as { kind: string; held: string }[]).find((r) => r.kind === kind)?.held ?? 0);
  return {
    principal: of('stored_principal'),
    bonus: of('stored_bonus'),
    points: of('points'),
    sessions: of('package_sessions'),
  };
}

async function tenantLiabilities() {
  const { rows } = await api.db.rawQuery(
    `select kind, sum(balance)::bigint as total from accounts where tenant_id = $1 and owner = 'customer' group by kind order by kind`,
    [t.tenantId],
  );
  return rows;
}

/** Both sides with money: the counter member (top-up, points) and the WeChat sign-up (top-up, bonus, points, a card). */
async function twoSignUpsWithMoney() {
  const store = t.storeIds[0];
  const phone = newPhone();
  const front = await ok('POST', '/staff/customers', { phone, name: '周女士' });
  await ok('POST', `/staff/customers/${front.id}/top-ups`, { storeId: store, amountFen: 100_000, method: 'cash' });
  await ok('POST', `/staff/customers/${front.id}/points-adjustments`, { points: 120, reason: '开业积分' });

  const signUp = await signIn();
  const me = signUp.customer.id;
  await ok('POST', `/staff/customers/${me}/top-ups`, { storeId: store, amountFen: 50_000, method: 'cash' });
  await ok('POST', `/staff/customers/${me}/stored-value-adjustments`, {
    account: 'bonus',
    amountFen: 8_000,
    reason: '活动赠送',
  });
  await ok('POST', `/staff/customers/${me}/points-adjustments`, { points: 300, reason: '注册赠送积分' });
  await ok('POST', `/staff/customers/${me}/package-cards`, {
    storeId: store,
    planId: t.packagePlanId,
    method: 'cash',
  });
  return { phone, front: front.id as string, signUp };
}

describe('merging a WeChat sign-up into the counter member when both hold money', () => {
  it('moves principal, bonus, points lots and cards through one customer_merge transfer, nothing duplicated', async () => {
    const { phone, front, signUp } = await twoSignUpsWithMoney();
    const frontBefore = await holdings(front);
    const signUpBefore = await holdings(signUp.customer.id);
    expect(signUpBefore.points).toBe(300);
    expect(signUpBefore.sessions).toBeGreaterThan(0);
    const lotsBefore = await api.db.rawQuery(
      'select remaining, expires_at from points_lots where customer_id = $1 and remaining > 0 order by expires_at',
      [signUp.customer.id],
    );
    const liabilitiesBefore = await tenantLiabilities();

    const bound = await bindPhone(signUp.accessToken, phone);
    expect(bound.statusCode, bound.body).toBe(200);
    expect(bound.json()).toMatchObject({ merged: true, customer: { id: front } });

    // The survivor holds the sum of both, bucket by bucket; the sign-up holds nothing.
    const after = await holdings(front);
    expect(after).toEqual({
      principal: frontBefore.principal + signUpBefore.principal,
      bonus: frontBefore.bonus + signUpBefore.bonus,
      points: frontBefore.points + signUpBefore.points,
      sessions: frontBefore.sessions + signUpBefore.sessions,
    });
    expect(await holdings(signUp.customer.id)).toEqual({ principal: 0, bonus: 0, points: 0, sessions: 0 });
    // What the salon owes its customers did not change by a fen, a point or a session.
    expect(await tenantLiabilities()).toEqual(liabilitiesBefore);

    // One transfer, keyed by the sign-up, naming both.
    const { rows: merges } = await api.db.rawQuery(
      "select customer_id, idempotency_key, details from transfers where tenant_id = $1 and kind = 'customer_merge' and reference_id = $2",
      [t.tenantId, signUp.customer.id],
    );
    expect(merges).toHaveLength(1);
    expect(merges[0]).toMatchObject({
      customer_id: front,
      idempotency_key: `merge/${signUp.customer.id}`,
      details: {
        fromCustomerId: signUp.customer.id,
        principalFen: signUpBefore.principal,
        bonusFen: 8_000,
        points: 300,
      },
    });
    // Her points keep their expiry; her card is the survivor's now, same sessions left.
    const { rows: lots } = await api.db.rawQuery(
      'select remaining, expires_at from points_lots where customer_id = $1 and earned_transfer_id in (select id from transfers where kind = $2) order by expires_at',
      [front, 'customer_merge'],
    );
    expect(lots).toEqual(lotsBefore.rows);
    const wallet = (await call('GET', '/me/wallet', bound.json().accessToken)).json();
    expect(wallet.packageCards.reduce((n: number, c: { sessionsLeft: number }) => n + c.sessionsLeft, 0)).toBe(
      after.sessions,
    );
    // The merge is in the survivor's history, in words.
    const entries = (await call('GET', '/me/entries?limit=100', bound.json().accessToken)).json();
    expect(entries.items.some((e: { kind: string }) => e.kind === 'customer_merge')).toBe(true);
    const { rows: audits } = await api.db.rawQuery(
      "select after from audit_log where tenant_id = $1 and action = 'customer.merged' and subject_id = $2",
      [t.tenantId, front],
    );
    expect((audits[0] as { after: unknown } | undefined)?.after).toMatchObject({
      moved: { principalFen: signUpBefore.principal, points: 300 },
    });
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });

  it('moves the money once when the same sign-up binds twice at the same moment', async () => {
    const { phone, front, signUp } = await twoSignUpsWithMoney();
    const signUpBefore = await holdings(signUp.customer.id);
    const frontBefore = await holdings(front);
    const [a, b] = await Promise.all([bindPhone(signUp.accessToken, phone), bindPhone(signUp.accessToken, phone)]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses[0]).toBe(200);
    expect(statuses[1]).not.toBe(200);
    expect(statuses[1]).toBeLessThan(500);
    expect((await holdings(front)).principal).toBe(frontBefore.principal + signUpBefore.principal);
    const { rows } = await api.db.rawQuery(
      "select count(*)::int as n from transfers where kind = 'customer_merge' and reference_id = $1",
      [signUp.customer.id],
    );
    expect(rows[0]).toEqual({ n: 1 });
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });

  it('refuses while the sign-up owes on credit, with a code a person can act on, and changes nothing', async () => {
    const c = creditClient(api);
    const phone = newPhone();
    const front = await ok('POST', '/staff/customers', { phone, name: '吴女士' });
    const signUp = await signIn();
    await c.setLimit(t, signUp.customer.id, 50_000);
    const sale = await c.sale(t, signUp.customer.id, { amountFen: 10_000, dueDate: '2099-01-01' });
    expect(sale.statusCode, sale.body).toBe(201);
    await ok('POST', `/staff/customers/${signUp.customer.id}/top-ups`, {
      storeId: t.storeIds[0],
      amountFen: 5_000,
      method: 'cash',
    });
    const before = await holdings(signUp.customer.id);

    const refused = await bindPhone(signUp.accessToken, phone);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'CUSTOMER_MERGE_CONFLICT',
      details: { customerId: front.id, reason: 'credit_owed' },
    });
    expect(await holdings(signUp.customer.id)).toEqual(before);
    expect((await call('GET', '/me', signUp.accessToken)).json()).toMatchObject({
      id: signUp.customer.id,
      phone: null,
    });

    // Once she has repaid, the same binding goes through.
    expect((await c.repay(t, signUp.customer.id, { amountFen: 10_000 })).statusCode).toBe(201);
    const bound = await bindPhone(signUp.accessToken, phone);
    expect(bound.statusCode, bound.body).toBe(200);
    expect((await holdings(front.id)).principal).toBe(5_000);
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });
});
