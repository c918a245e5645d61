import { randomUUID } from 'node:crypto';
import { startWechatSim, type WechatSim } from '@lumi/wechat-sim';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, customerTokenFor, staffTokenFor, type TestApi } from '../../testing/harness.ts';

/**
 * 审批 alerts end to end: a manager binds the staff app's WeChat, grants the template (wx.requestSubscribeMessage),
 * and whatever arrives in the inbox — a limit request, a void request, a customer's question — reaches the
 * simulator as a subscribe message of the staff app; staff of other stores and beauticians get nothing.
 */
let sim: WechatSim;
let api: TestApi;
let t: TenantFixture;
type Who = 'beautician' | 'manager' | 'owner';
const STAFF_APP = 'wx00000000000000staff';
const TEMPLATE = 'sim-approval-waiting';
const openids = {
  manager: `staff-mgr-${randomUUID()}`,
  owner: `staff-own-${randomUUID()}`,
  beautician: `staff-b-${randomUUID()}`,
};

async function call(method: 'GET' | 'POST', url: string, payload?: object, token?: string) {
  return api.app.inject({
    method,
    url,
    headers: { ...bearer(token ?? staffTokenFor(api.app, t, 'beautician')), 'idempotency-key': randomUUID() },
    ...(payload ? { payload } : {}),
  });
}

async function bind(who: Who) {
  const { code } = sim.issueLoginCode(STAFF_APP, openids[who]);
  const res = await call('POST', '/staff/me/wechat', { code }, staffTokenFor(api.app, t, who));
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json()).toEqual({ bound: true, approvalTemplateId: TEMPLATE });
}

const alertsTo = (who: Who) => sim.messages({ appid: STAFF_APP, openid: openids[who], templateId: TEMPLATE });

async function settledBill(quantity: number) {
  const opened = await call('POST', '/staff/bills', {
    storeId: t.storeIds[0],
    customerId: t.customers[0]!.id,
    lines: [{ type: 'service', serviceId: t.serviceId, quantity, performerIds: [] }],
  });
  expect(opened.statusCode, opened.body).toBe(201);
  const settled = await call('POST', `/staff/bills/${opened.json().id}/settlement`, {
    tenders: [{ method: 'cash', amountFen: opened.json().totalFen }],
  });
  expect(settled.statusCode, settled.body).toBe(200);
  return settled.json() as { id: string; number: string };
}

beforeAll(async () => {
  sim = await startWechatSim({ port: 0, timeScale: 0.001 });
  api = await createTestApi({ WECHAT_API_BASE: sim.url, WECHAT_TIMEOUT_MS: '5000' });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  await bind('manager');
  await bind('owner');
  await bind('beautician');
  for (const who of ['manager', 'owner', 'beautician'] as const) {
    sim.grantSubscription({ appid: STAFF_APP, openid: openids[who], templateId: TEMPLATE, count: 10 });
  }
});
afterAll(async () => {
  await api?.close();
  await sim?.close();
});

describe('审批 alerts to managers', () => {
  it('tells the managers of the store when a beautician asks for a credit limit or a void', async () => {
    const filed = await call('POST', `/staff/customers/${t.customers[0]!.id}/credit-requests`, {
      requestedLimitFen: 200_000,
      reason: '老顾客，月底统一结算',
    });
    expect(filed.statusCode, filed.body).toBe(201);
    await vi.waitFor(() => expect(alertsTo('manager')).toHaveLength(1), { timeout: 15_000 });
    await vi.waitFor(() => expect(alertsTo('owner')).toHaveLength(1), { timeout: 15_000 });
    expect(alertsTo('manager')[0]).toMatchObject({
      page: 'manager/inbox/index',
      data: { thing1: { value: '挂账额度申请' }, thing2: { value: '顾客甲' } },
    });

    const bill = await settledBill(2); // ¥776, above the ¥500 approval threshold
    const asked = await call('POST', `/staff/bills/${bill.id}/approval-requests`, { kind: 'void', reason: '重复开单' });
    expect(asked.statusCode, asked.body).toBe(201);
    await vi.waitFor(() => expect(alertsTo('manager')).toHaveLength(2), { timeout: 15_000 });
    expect(alertsTo('manager')[1]?.data).toMatchObject({
      thing1: { value: '撤销申请' },
      character_string4: { value: bill.number },
    });
    // The one who files is no manager: she is not alerted.
    expect(alertsTo('beautician')).toHaveLength(0);

    // Manager and owner, two arrivals each: every alert recorded once and sent.
    await vi.waitFor(
      async () => {
        const rows = await queryRows<{ status: string; n: number }>(
          api.db.db,
          sql`select status, count(*)::int as n from staff_messages where tenant_id = ${t.tenantId} group by 1`,
        );
        expect(rows).toEqual([{ status: 'sent', n: 4 }]);
      },
      { timeout: 15_000 },
    );
  });

  it("alerts for a customer's question about a bill, and records WeChat's refusal when no grant is left", async () => {
    // The owner binds a new phone whose WeChat has granted nothing yet.
    const fresh = `staff-own-new-${randomUUID()}`;
    const { code } = sim.issueLoginCode(STAFF_APP, fresh);
    expect((await call('POST', '/staff/me/wechat', { code }, staffTokenFor(api.app, t, 'owner'))).statusCode).toBe(200);
    const bill = await settledBill(1);
    const before = alertsTo('manager').length;
    const disputed = await call(
      'POST',
      `/me/bills/${bill.id}/disputes`,
      { reason: '护理时间不够' },
      customerTokenFor(api.app, t, 0),
    );
    expect(disputed.statusCode, disputed.body).toBe(201);
    await vi.waitFor(() => expect(alertsTo('manager')).toHaveLength(before + 1), { timeout: 15_000 });
    expect(alertsTo('manager').at(-1)?.data).toMatchObject({
      thing1: { value: '账单异议' },
      character_string4: { value: bill.number },
      thing2: { value: '顾客甲' },
    });
    const outcomes = await vi.waitFor(
      async () => {
        const rows = await queryRows<{ role: string; status: string; reason: string | null }>(
          api.db.db,
          sql`select s.role, m.status, m.reason from staff_messages m join staff s on s.id = m.staff_id
              where m.tenant_id = ${t.tenantId} and m.dedupe_key like 'dispute:%' and m.status <> 'sending'
              order by s.role`,
        );
        if (rows.length < 2) throw new Error('alerts still sending');
        return rows;
      },
      { timeout: 15_000 },
    );
    expect(outcomes).toEqual([
      { role: 'owner', status: 'failed', reason: expect.stringMatching(/^43101 /) },
      { role: 'manager', status: 'sent', reason: null },
    ]);
    expect(sim.messages({ openid: fresh })).toHaveLength(0);
  });

  it('refuses a bad code and keeps one staff member per WeChat user', async () => {
    const bad = await call('POST', '/staff/me/wechat', { code: 'not-a-code' }, staffTokenFor(api.app, t, 'manager'));
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('WECHAT_CODE_INVALID');
    // The owner signs in on the manager's phone: the alerts follow the WeChat user to the owner.
    const { code } = sim.issueLoginCode(STAFF_APP, openids.manager);
    expect((await call('POST', '/staff/me/wechat', { code }, staffTokenFor(api.app, t, 'owner'))).statusCode).toBe(200);
    const holders = await queryRows<{ role: string }>(
      api.db.db,
      sql`select role from staff where wechat_openid = ${openids.manager}`,
    );
    expect(holders).toEqual([{ role: 'owner' }]);
  });
});
