import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, type TestApi } from '../../testing/harness.ts';
import { HouseAccounts, postTransfer, requestHash } from '../ledger/index.ts';
import { creditClient, DAY_MS } from '../../testing/credit-support.ts';

let api: TestApi;
let t: TenantFixture;
let c: ReturnType<typeof creditClient>;
const start = new Date();
let clock = start;
const house = new HouseAccounts();

beforeAll(async () => {
  api = await createTestApi({}, { now: () => clock });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  c = creditClient(api);
});
afterAll(async () => {
  await api?.close();
});

const audit = async (f: TenantFixture, query: string) =>
  (await c.get(`/staff/audit?${query}`, f, 'manager')).json().items as {
    action: string;
    actorStaffId: string | null;
    before: Record<string, unknown>;
    after: Record<string, unknown>;
    reason: string | null;
  }[];

describe('credit-limit requests and approval', () => {
  it('a beautician files, gets the suggestion with its reasoning; a second pending request is refused', async () => {
    const customer = t.customers[0]!.id;
    const res = await c.post(`/staff/customers/${customer}/credit-requests`, t, {
      requestedLimitFen: 300_000,
      reason: '老客户，办理年卡需要挂账',
    });
    expect(res.statusCode).toBe(201);
    const request = res.json();
    expect(request).toMatchObject({
      status: 'pending',
      requestedLimitFen: 300_000,
      currentLimitFen: 0,
      requestedBy: { id: t.beautician.id, name: '美容师' },
      customer: { id: customer, name: '顾客甲' },
    });
    expect(request.suggestion.reasons.length).toBeGreaterThanOrEqual(4);
    expect(request.suggestion.reasons.at(-1)).toContain('高于建议额度');

    const again = await c.post(`/staff/customers/${customer}/credit-requests`, t, {
      requestedLimitFen: 1_000,
      reason: '再申请一次',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CREDIT_REQUEST_PENDING');

    const filed = await audit(t, `action=credit.request_filed&subjectId=${request.id}`);
    expect(filed).toHaveLength(1);
    expect(filed[0]).toMatchObject({ actorStaffId: t.beautician.id, reason: '老客户，办理年卡需要挂账' });
  });

  it('a beautician cannot approve; the filer cannot approve their own; another manager can, lowering with a note', async () => {
    const [pending] = (await c.get('/staff/credit-requests?status=pending', t, 'manager')).json();
    const url = `/staff/credit-requests/${pending.id}`;
    const byBeautician = await c.post(`${url}/approve`, t, {}, 'beautician');
    expect(byBeautician.statusCode).toBe(403);
    expect(byBeautician.json().error.code).toBe('FORBIDDEN');

    // A manager's own request: the manager files it, the owner decides it.
    const mine = await c.post(
      `/staff/customers/${t.customers[1]!.id}/credit-requests`,
      t,
      {
        requestedLimitFen: 20_000,
        reason: '店长自己提交',
      },
      'manager',
    );
    const self = await c.post(`/staff/credit-requests/${mine.json().id}/approve`, t, {}, 'manager');
    expect(self.statusCode).toBe(403);
    expect(self.json().error.code).toBe('CREDIT_SELF_APPROVAL');
    const selfReject = await c.post(`/staff/credit-requests/${mine.json().id}/reject`, t, { note: '不批' }, 'manager');
    expect(selfReject.json().error.code).toBe('CREDIT_SELF_APPROVAL');

    const raised = await c.post(`${url}/approve`, t, { approvedLimitFen: 300_001 }, 'manager');
    expect(raised.statusCode).toBe(400);
    const noNote = await c.post(`${url}/approve`, t, { approvedLimitFen: 200_000 }, 'manager');
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().error.details[0].field).toBe('body.note');

    const ok = await c.post(
      `${url}/approve`,
      t,
      { approvedLimitFen: 200_000, note: '先批两千，按时还款再提' },
      'manager',
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'approved',
      approvedLimitFen: 200_000,
      decidedBy: { id: t.manager.id },
      decisionNote: '先批两千，按时还款再提',
    });
    const credit = (await c.get(`/staff/customers/${pending.customer.id}/credit`, t)).json();
    expect(credit.limitFen).toBe(200_000);

    const twice = await c.post(`${url}/reject`, t, { note: '重复审批' }, 'owner');
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('CREDIT_REQUEST_NOT_PENDING');

    const approved = await audit(t, `action=credit.request_approved&subjectId=${pending.id}`);
    expect(approved).toHaveLength(1);
    expect(approved[0]).toMatchObject({
      actorStaffId: t.manager.id,
      before: { status: 'pending', requestedLimitFen: 300_000, limitFen: 0 },
      after: { status: 'approved', approvedLimitFen: 200_000, lowered: true },
      reason: '先批两千，按时还款再提',
    });
    const limitChanged = await audit(t, `action=credit.limit_changed&subjectId=${pending.customer.id}`);
    expect(limitChanged[0]).toMatchObject({ before: { limitFen: 0 }, after: { limitFen: 200_000 } });

    const rejected = await c.post(
      `/staff/credit-requests/${mine.json().id}/reject`,
      t,
      { note: '额度暂不调整' },
      'owner',
    );
    expect(rejected.json()).toMatchObject({ status: 'rejected', decidedBy: { id: t.owner.id } });
    expect(await audit(t, `action=credit.request_rejected&subjectId=${mine.json().id}`)).toHaveLength(1);
  });

  it('lists: managers see all requests, a beautician only their own', async () => {
    const all = (await c.get('/staff/credit-requests', t, 'manager')).json();
    expect(all).toHaveLength(2);
    const own = (await c.get('/staff/credit-requests', t, 'beautician')).json();
    expect(own.map((r: { requestedBy: { id: string } }) => r.requestedBy.id)).toEqual([t.beautician.id]);
    const managersRequest = all.find((r: { requestedBy: { id: string } }) => r.requestedBy.id === t.manager.id);
    expect((await c.get(`/staff/credit-requests/${managersRequest.id}`, t, 'beautician')).statusCode).toBe(404);
  });

  it("shows a beautician the customer's waiting request whoever filed it, and nothing once it is decided", async () => {
    const f = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
    const other = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
    const customer = f.customers[0]!.id;
    const url = `/staff/customers/${customer}/credit-requests/waiting`;
    expect((await c.get(url, f)).json()).toEqual({ waiting: null });

    // The manager files it: the beautician's own list stays empty, the customer's waiting request is his.
    const filed = (
      await c.post(
        `/staff/customers/${customer}/credit-requests`,
        f,
        { requestedLimitFen: 80_000, reason: '常客' },
        'manager',
      )
    ).json();
    expect((await c.get(`/staff/credit-requests?customerId=${customer}`, f)).json()).toEqual([]);
    const seen = await c.get(url, f);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toEqual({
      waiting: {
        id: filed.id,
        requestedBy: { id: f.manager.id, name: '店长' },
        requestedLimitFen: 80_000,
        currentLimitFen: 0,
        createdAt: filed.createdAt,
      },
    });
    // Another customer of the tenant has none; another tenant's staff cannot read hers.
    expect((await c.get(`/staff/customers/${f.customers[1]!.id}/credit-requests/waiting`, f)).json()).toEqual({
      waiting: null,
    });
    const foreign = await c.get(url, other);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('CUSTOMER_NOT_FOUND');

    await c.post(`/staff/credit-requests/${filed.id}/reject`, f, { note: '暂不调整' }, 'owner');
    expect((await c.get(url, f)).json()).toEqual({ waiting: null });
  });
});

describe('manager actions on the line', () => {
  it('sets a limit, freezes and unfreezes — every change audited; a frozen line takes no charges', async () => {
    const f = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
    const customer = f.customers[0]!.id;
    const byBeautician = await c.send('PUT', `/staff/customers/${customer}/credit-line/limit`, {
      f,
      who: 'beautician',
      payload: { limitFen: 1, reason: '自己改额度' },
    });
    expect(byBeautician.statusCode).toBe(403);
    await c.setLimit(f, customer, 10_000);
    const frozen = await c.post(
      `/staff/customers/${customer}/credit-line/freeze`,
      f,
      { reason: '客户投诉待查' },
      'manager',
    );
    expect(frozen.json()).toMatchObject({ status: 'frozen', frozenReason: '客户投诉待查' });
    const refused = await c.sale(f, customer, { amountFen: 100 });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({ code: 'CREDIT_LINE_FROZEN', details: { reason: '客户投诉待查' } });
    const unfrozen = await c.post(
      `/staff/customers/${customer}/credit-line/unfreeze`,
      f,
      { reason: '已查清' },
      'manager',
    );
    expect(unfrozen.json()).toMatchObject({ status: 'active', frozenReason: null });
    expect((await c.sale(f, customer, { amountFen: 100 })).statusCode).toBe(201);
    const actions = (await audit(f, `subjectType=credit_line&subjectId=${customer}`)).map((a) => a.action);
    expect(actions).toEqual(['credit.line_unfrozen', 'credit.line_frozen', 'credit.limit_changed']);
  });

  it('reads and changes the tenant credit settings (validated, audited)', async () => {
    const f = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
    const before = (await c.get('/staff/credit/settings', f, 'manager')).json();
    expect(before).toMatchObject({
      defaultDueDays: 30,
      remindDaysBeforeDue: [3],
      nearLimitPercent: 80,
      autoFreezeOverdueDays: 30,
    });
    const bad = await c.put('/staff/credit/settings', f, { remindOverdueDays: [1, 1] });
    expect(bad.statusCode).toBe(400);
    const changed = await c.put('/staff/credit/settings', f, {
      remindDaysBeforeDue: [7, 1],
      autoFreezeOverdueDays: null,
    });
    expect(changed.json()).toMatchObject({
      remindDaysBeforeDue: [7, 1],
      autoFreezeOverdueDays: null,
      defaultDueDays: 30,
    });
    expect((await c.get('/staff/credit/settings', f, 'manager')).json()).toEqual(changed.json());
    expect((await c.get('/staff/credit/settings', f, 'beautician')).statusCode).toBe(403);
    expect(await audit(f, 'action=credit.settings_changed')).toHaveLength(1);
  });
});

describe('suggestion reasoning on a hand-built history', () => {
  it('weighs 12 months of spend, tenure and punctuality', async () => {
    const f = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
    const customer = f.customers[0]!.id;
    const days = (n: number) => new Date(start.getTime() - n * DAY_MS);
    // Cash sales of services, imported with their dates: one outside the 12-month window.
    for (const [ago, amount] of [
      [400, 900_000],
      [200, 300_000],
      [30, 200_000],
    ] as const) {
      const key = randomUUID();
      await postTransfer(api.db.db, {
        tenantId: f.tenantId,
        kind: 'cash_sale',
        idempotencyKey: key,
        requestHash: requestHash({ key }),
        customerId: customer,
        storeId: f.storeIds[0],
        legs: [
          { accountId: await house.id(api.db.db, f.tenantId, 'cash', f.storeIds[0]), amount },
          { accountId: await house.id(api.db.db, f.tenantId, 'service_revenue', f.storeIds[0]), amount: -amount },
        ],
        at: days(ago),
      });
    }
    await c.setLimit(f, customer, 100_000);
    // One credit sale repaid on time, one 5 days late (the app clock is moved; these post at today's date).
    clock = days(100);
    const onTime = await c.sale(f, customer, { amountFen: 10_000, dueDate: shanghai(days(70)) });
    expect(onTime.statusCode).toBe(201);
    clock = days(80);
    expect((await c.repay(f, customer, { amountFen: 10_000 })).statusCode).toBe(201);
    clock = days(60);
    await c.sale(f, customer, { amountFen: 10_000, dueDate: shanghai(days(45)) });
    clock = days(40);
    await c.repay(f, customer, { amountFen: 10_000 });
    // The ledger stamps live postings with the database clock (real time, after `start`): read a minute later.
    clock = new Date(Date.now() + 60_000);

    const s = (await c.get(`/staff/customers/${customer}/credit/suggestion`, f)).json();
    // Within 12 months: 300,000 + 200,000 of cash sales and the two credit sales (20,000) = 520,000.
    expect(s.factors).toMatchObject({
      spend12mFen: 520_000,
      baseFen: 104_000,
      tenurePercent: 120,
      settledItems: 2,
      paidOnTime: 1,
      paidLate: 1,
      maxDaysLate: 5,
      overdueNow: 0,
      punctualityPercent: 60,
    });
    expect(s.factors.tenureMonths).toBeGreaterThanOrEqual(12);
    // 104,000 × 1.2 × 0.6 = 74,880 → ¥700.
    expect(s.suggestedLimitFen).toBe(70_000);
    expect(s.reasons).toEqual([
      '近12个月消费 ¥5,200.00，按20%计基础额度 ¥1,040.00',
      `成为会员 ${s.factors.tenureMonths} 个月（1–3年，老客户），时长系数 ×1.2`,
      '已还清 2 笔挂账，按时 1 笔、逾期 1 笔（按时率 50%，最长逾期 5 天），守时系数 ×0.6',
      '建议额度 ¥700.00（向下取整到百元）',
    ]);

    // An item overdue now: no credit suggested.
    clock = days(20);
    await c.sale(f, customer, { amountFen: 5_000, dueDate: shanghai(days(10)) });
    clock = new Date(Date.now() + 60_000);
    const overdue = (await c.get(`/staff/customers/${customer}/credit/suggestion`, f)).json();
    expect(overdue.suggestedLimitFen).toBe(0);
    expect(overdue.reasons[2]).toBe('当前有 1 笔欠款已逾期未还，暂不建议授信（系数 ×0）');
  });
});

function shanghai(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
}
