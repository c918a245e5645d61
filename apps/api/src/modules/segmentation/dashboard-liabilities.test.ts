import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, staffTokenFor, type TestApi } from '../../testing/harness.ts';
import { getWallet } from '../ledger/index.ts';

/**
 * 客群's liabilities on real PostgreSQL: stored value, points and package sessions owed, the same figures 报表
 * reports, adding up to what the customers' wallets hold.
 */
let api: TestApi;
let t: TenantFixture;

async function ok(method: 'GET' | 'POST', url: string, payload?: unknown) {
  const headers = { ...bearer(staffTokenFor(api.app, t, 'manager')), 'idempotency-key': randomUUID() };
  const res = await api.app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
}

beforeAll(async () => {
  api = await createTestApi();
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
});
afterAll(async () => {
  await api?.close();
});

describe('segmentation dashboard liabilities', () => {
  it('owes the stored value, points and package sessions the wallets hold, as 报表 does', async () => {
    const [a, b] = t.customers.map((c) => c.id) as [string, string];
    const store = t.storeIds[0];
    await ok('POST', `/staff/customers/${a}/top-ups`, { storeId: store, amountFen: 50_000, method: 'cash' });
    await ok('POST', `/staff/customers/${a}/points-adjustments`, { points: 120, reason: '开业积分' });
    await ok('POST', `/staff/customers/${b}/points-adjustments`, { points: 80, reason: '老客回馈' });
    // Two 10-session cards (¥1,000 each).
    await ok('POST', `/staff/customers/${a}/package-cards`, {
      storeId: store,
      planId: t.packagePlanId,
      method: 'cash',
    });
    await ok('POST', `/staff/customers/${b}/package-cards`, {
      storeId: store,
      planId: t.packagePlanId,
      method: 'cash',
    });

    const wallets = await Promise.all([a, b].map((id) => getWallet(api.db.db, t.tenantId, id, new Date())));
    const held = {
      principal: wallets.reduce((n, w) => n + w.principalFen, 0),
      bonus: wallets.reduce((n, w) => n + w.bonusFen, 0),
      points: wallets.reduce((n, w) => n + w.points, 0),
      sessions: wallets.reduce((n, w) => n + w.packageCards.reduce((s, c) => s + c.sessionsLeft, 0), 0),
    };
    expect(held.principal).toBe(50_000);
    expect(held.sessions).toBe(20);
    expect(held.points).toBeGreaterThanOrEqual(200);

    const dashboard = await ok('GET', '/staff/segmentation/dashboard');
    expect(dashboard.liabilities).toEqual({
      storedPrincipalFen: held.principal,
      storedBonusFen: held.bonus,
      points: held.points,
      packageSessions: 20,
      packageDeferredFen: 200_000,
      voucherDeferredFen: 0,
    });
    expect(dashboard.storedValueLiability.totalFen).toBe(held.principal + held.bonus);
    expect((await ok('GET', '/staff/reports')).liabilities).toEqual(dashboard.liabilities);
  });
});
