import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, type TestApi } from '../../testing/harness.ts';
import { runCreditOverdue } from './index.ts';
import { creditClient } from '../../testing/credit-support.ts';

/** Every credit route, asked by another salon's staff or customer about this salon's rows. */
let api: TestApi;
let t: TenantFixture;
let o: TenantFixture;
let c: ReturnType<typeof creditClient>;
let clock = new Date('2026-03-01T02:00:00Z');
let customer: string;
let requestId: string;
let taskId: string;

beforeAll(async () => {
  api = await createTestApi({}, { now: () => clock });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  o = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  c = creditClient(api);
  customer = t.customers[0]!.id;
  await c.setLimit(t, customer, 50_000);
  expect((await c.sale(t, customer, { amountFen: 10_000, dueDate: '2026-03-10' })).statusCode).toBe(201);
  requestId = (
    await c.post(`/staff/customers/${customer}/credit-requests`, t, { requestedLimitFen: 80_000, reason: '申请提额' })
  ).json().id;
  clock = new Date('2026-03-20T02:00:00Z');
  await runCreditOverdue(api.db.db, { now: () => clock }, { tenantId: t.tenantId });
  taskId = (await c.get('/staff/collection-tasks', t, 'manager')).json()[0].id;
});
afterAll(async () => {
  await api?.close();
});

describe('tenant isolation of the credit routes', () => {
  it("answers 404 for another tenant's customer, request and task on every route that names one", async () => {
    const base = `/staff/customers/${customer}`;
    const calls: [string, string, unknown, 'manager' | 'beautician'][] = [
      ['GET', `${base}/credit`, undefined, 'manager'],
      ['GET', `${base}/credit/suggestion`, undefined, 'manager'],
      ['GET', `${base}/credit/reminders`, undefined, 'manager'],
      ['POST', `${base}/credit-sales`, { storeId: o.storeIds[0], amountFen: 100 }, 'manager'],
      ['POST', `${base}/credit-repayments`, { storeId: o.storeIds[0], amountFen: 100, method: 'cash' }, 'manager'],
      ['POST', `${base}/credit-requests`, { requestedLimitFen: 1, reason: '跨店申请' }, 'manager'],
      ['PUT', `${base}/credit-line/limit`, { limitFen: 9_999_999, reason: '跨店改额度' }, 'manager'],
      ['POST', `${base}/credit-line/freeze`, { reason: '跨店冻结' }, 'manager'],
      ['POST', `${base}/credit-line/unfreeze`, { reason: '跨店解冻' }, 'manager'],
      ['POST', `${base}/collection-tasks`, { dueDate: '2026-03-21', note: '跨店' }, 'manager'],
      ['GET', `/staff/credit-requests/${requestId}`, undefined, 'manager'],
      ['POST', `/staff/credit-requests/${requestId}/approve`, {}, 'manager'],
      ['POST', `/staff/credit-requests/${requestId}/reject`, { note: '跨店拒绝' }, 'manager'],
      ['POST', `/staff/collection-tasks/${taskId}/outcome`, { outcome: 'paid' }, 'manager'],
      ['POST', `/staff/collection-tasks/${taskId}/outcome`, { outcome: 'paid' }, 'beautician'],
    ];
    for (const [method, url, payload, who] of calls) {
      const res = await c.send(method as 'GET', url, { f: o, who, ...(payload === undefined ? {} : { payload }) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    // Nothing changed in t.
    const credit = (await c.get(`${base}/credit`, t, 'manager')).json();
    expect(credit).toMatchObject({ limitFen: 50_000, owedFen: 10_000, status: 'active' });
    expect((await c.get(`/staff/credit-requests/${requestId}`, t, 'manager')).json().status).toBe('pending');
    expect((await c.get('/staff/collection-tasks', t, 'manager')).json()[0].status).toBe('open');
  });

  it("never lists another tenant's rows", async () => {
    expect((await c.get('/staff/credit-requests', o, 'manager')).json()).toEqual([]);
    expect((await c.get(`/staff/credit-requests?customerId=${customer}`, o, 'manager')).json()).toEqual([]);
    expect((await c.get('/staff/collection-tasks', o, 'manager')).json()).toEqual([]);
    expect((await c.get(`/staff/collection-tasks?customerId=${customer}`, o, 'manager')).json()).toEqual([]);
    expect((await c.get('/staff/credit/aging', o, 'manager')).json().customers).toEqual([]);
    expect((await c.get('/staff/credit/collections', o, 'manager')).json().customers).toEqual([]);
    expect((await c.get('/staff/credit/aging', t, 'manager')).json().customers).toHaveLength(1);
  });

  it("keeps settings, the customer's own views and consents per tenant", async () => {
    await c.put('/staff/credit/settings', o, { defaultDueDays: 7 });
    expect((await c.get('/staff/credit/settings', t, 'manager')).json().defaultDueDays).toBe(30);
    const mine = (await c.get('/me/credit', o, 'customer')).json();
    expect(mine).toMatchObject({ customerId: o.customers[0]!.id, limitFen: 0, owedFen: 0, openSales: [] });
    expect((await c.get('/me/wallet', o, 'customer')).json().credit).toEqual({ owedFen: 0, limitFen: 0 });
    expect((await c.get('/me/wallet', t, 'customer')).json().credit).toEqual({ owedFen: 10_000, limitFen: 50_000 });
    await c.send('POST', '/me/subscriptions', { f: o, who: 'customer', payload: { templateId: 'sim-credit-due' } });
    expect((await c.get('/me/subscriptions', t, 'customer')).json()).toEqual([]);
    // A token of one tenant with a customer id of another is still only ever that tenant's customer.
    const forged = api.app.jwt.sign({ kind: 'customer', sub: customer, tenantId: o.tenantId });
    const res = await api.app.inject({
      method: 'GET',
      url: '/me/credit',
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(res.json()).toMatchObject({ limitFen: 0, owedFen: 0, openSales: [] });
  });

  it('runs the jobs per tenant', async () => {
    expect(await runCreditOverdue(api.db.db, { now: () => clock }, { tenantId: o.tenantId })).toEqual({
      frozen: 0,
      tasksOpened: 0,
    });
  });
});
