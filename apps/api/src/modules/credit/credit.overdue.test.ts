import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, type TestApi } from '../../testing/harness.ts';
import { runCreditOverdue } from './index.ts';
import { creditClient } from '../../testing/credit-support.ts';

let api: TestApi;
let t: TenantFixture;
let c: ReturnType<typeof creditClient>;
let clock = new Date('2026-01-01T02:00:00Z');
const at = (day: string) => {
  clock = new Date(`${day}T02:00:00Z`);
};
const job = () => runCreditOverdue(api.db.db, { now: () => clock }, { tenantId: t.tenantId });
let A: string;
let B: string;

beforeAll(async () => {
  api = await createTestApi({}, { now: () => clock });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  c = creditClient(api);
  A = t.customers[0]!.id;
  B = t.customers[1]!.id;
  await c.setLimit(t, A, 10_000_000);
  await c.setLimit(t, B, 10_000_000);
  // Hand-built due dates, seen from 2026-06-01 (Shanghai): A owes items 120, 75, 45 and 30 days overdue, one due
  // today and one due later; B owes one item 5 days overdue.
  at('2026-01-01');
  for (const [amount, due] of [
    [1_000, '2026-02-01'], // 120 days → 90+
    [2_000, '2026-03-18'], // 75 → 61–90
    [3_000, '2026-04-17'], // 45 → 31–60
    [4_000, '2026-05-02'], // 30 → 1–30
    [5_000, '2026-06-01'], // due today → not due
    [6_000, '2026-07-01'], // not due
  ] as const) {
    expect((await c.sale(t, A, { amountFen: amount, dueDate: due })).statusCode).toBe(201);
  }
  expect((await c.sale(t, B, { amountFen: 7_000, dueDate: '2026-05-27' })).statusCode).toBe(201);
});
afterAll(async () => {
  await api?.close();
});

describe('aging', () => {
  it('buckets what each customer owes by Shanghai days overdue, with tenant totals', async () => {
    at('2026-06-01');
    const res = await c.get('/staff/credit/aging', t, 'manager');
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report.asOf).toBe('2026-06-01');
    expect(report.totals).toEqual({
      notDueFen: 11_000,
      days1to30Fen: 11_000,
      days31to60Fen: 3_000,
      days61to90Fen: 2_000,
      days90plusFen: 1_000,
      overdueFen: 17_000,
      owedFen: 28_000,
    });
    expect(report.customers.map((r: { customer: { id: string } }) => r.customer.id)).toEqual([A, B]);
    expect(report.customers[0]).toMatchObject({
      oldestOverdueDays: 120,
      limitFen: 10_000_000,
      lineStatus: 'active',
      buckets: { notDueFen: 11_000, days1to30Fen: 4_000, overdueFen: 10_000, owedFen: 21_000 },
    });
    expect(report.customers[1]).toMatchObject({ oldestOverdueDays: 5, buckets: { days1to30Fen: 7_000 } });
    // 16:00 UTC is midnight in Shanghai: the next business day already.
    clock = new Date('2026-06-01T16:00:00Z');
    expect((await c.get('/staff/credit/aging', t, 'manager')).json().totals.notDueFen).toBe(6_000);
    expect((await c.get('/staff/credit/aging', t, 'beautician')).statusCode).toBe(403);
  });
});

describe('automatic freeze and collection tasks', () => {
  it('freezes a line overdue past the threshold (a system action, audited) and opens one collection task each', async () => {
    at('2026-06-01');
    expect(await job()).toEqual({ frozen: 1, tasksOpened: 2 });
    const credit = (await c.get(`/staff/customers/${A}/credit`, t)).json();
    expect(credit).toMatchObject({ status: 'frozen' });
    expect(credit.frozenReason).toContain('逾期 120 天');
    expect((await c.sale(t, A, { amountFen: 1 })).json().error.code).toBe('CREDIT_LINE_FROZEN');
    const [entry] = (await c.get(`/staff/audit?action=credit.line_auto_frozen&subjectId=${A}`, t, 'manager')).json()
      .items;
    expect(entry).toMatchObject({
      actorStaffId: null,
      actorCustomerId: null,
      before: { status: 'active' },
      after: { status: 'frozen' },
    });
    // B is 5 days overdue: not frozen, but a task is open.
    expect((await c.get(`/staff/customers/${B}/credit`, t)).json().status).toBe('active');
    expect(await job()).toEqual({ frozen: 0, tasksOpened: 0 });
  });

  it("respects a manager's unfreeze for items already past the threshold, and freezes again for a new one", async () => {
    await c.post(`/staff/customers/${A}/credit-line/unfreeze`, t, { reason: '客户承诺本周还款' }, 'manager');
    expect(await job()).toEqual({ frozen: 0, tasksOpened: 0 });
    at('2026-06-02');
    expect((await job()).frozen).toBe(0);
    expect((await c.get(`/staff/customers/${A}/credit`, t)).json().status).toBe('active');
  });

  it('lets the assignee record outcomes; a promise opens a follow-up; the board shows buckets, last contact, open tasks', async () => {
    const mine = (await c.get('/staff/collection-tasks?status=open', t, 'beautician')).json();
    // The job assigned both to the beautician who made the credit sales.
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatchObject({
      assignee: { id: t.beautician.id },
      createdBy: null,
      dueDate: '2026-06-01',
      status: 'open',
    });
    const taskA = mine.find((x: { customer: { id: string } }) => x.customer.id === A);
    const taskB = mine.find((x: { customer: { id: string } }) => x.customer.id === B);

    const noDate = await c.post(`/staff/collection-tasks/${taskA.id}/outcome`, t, { outcome: 'promised' });
    expect(noDate.statusCode).toBe(400);
    const promised = await c.post(`/staff/collection-tasks/${taskA.id}/outcome`, t, {
      outcome: 'promised',
      promisedDate: '2026-06-05',
      note: '客户说周五来店里还',
    });
    expect(promised.statusCode).toBe(200);
    expect(promised.json()).toMatchObject({ status: 'done', outcome: 'promised', promisedDate: '2026-06-05' });
    const again = await c.post(`/staff/collection-tasks/${taskA.id}/outcome`, t, { outcome: 'called' });
    expect(again.statusCode).toBe(409);
    expect(
      (await c.post(`/staff/collection-tasks/${taskB.id}/outcome`, t, { outcome: 'disputed', note: '对金额有异议' }))
        .statusCode,
    ).toBe(200);

    // The manager plans one more step for B.
    const planned = await c.post(
      `/staff/customers/${B}/collection-tasks`,
      t,
      { assigneeId: t.manager.id, dueDate: '2026-06-03', note: '店长亲自沟通' },
      'manager',
    );
    expect(planned.statusCode).toBe(201);
    expect(planned.json()).toMatchObject({ createdBy: { id: t.manager.id }, assignee: { id: t.manager.id } });
    expect(
      (await c.post(`/staff/customers/${B}/collection-tasks`, t, { dueDate: '2026-06-03', note: 'x' }, 'beautician'))
        .statusCode,
    ).toBe(403);
    // A beautician cannot record on a task that is not theirs.
    expect(
      (await c.post(`/staff/collection-tasks/${planned.json().id}/outcome`, t, { outcome: 'called' })).statusCode,
    ).toBe(404);

    const board = (await c.get('/staff/credit/collections', t, 'manager')).json();
    expect(board.asOf).toBe('2026-06-02');
    expect(board.customers.map((x: { customer: { id: string } }) => x.customer.id)).toEqual([A, B]);
    const [rowA, rowB] = board.customers;
    expect(rowA).toMatchObject({
      lineStatus: 'active',
      oldestOverdueDays: 121,
      buckets: { overdueFen: 15_000, owedFen: 21_000 },
      lastContact: {
        outcome: 'promised',
        promisedDate: '2026-06-05',
        note: '客户说周五来店里还',
        staff: { id: t.beautician.id },
      },
    });
    expect(rowA.openTasks).toHaveLength(1);
    expect(rowA.openTasks[0]).toMatchObject({ dueDate: '2026-06-06', assignee: { id: t.beautician.id } });
    expect(rowB.lastContact).toMatchObject({ outcome: 'disputed' });
    expect(rowB.openTasks.map((x: { note: string }) => x.note)).toEqual(['店长亲自沟通']);
    expect(board.totals.overdueFen).toBe(22_000);

    // No new automatic task while one is open or within the follow-up gap.
    at('2026-06-04');
    expect((await job()).tasksOpened).toBe(0);
  });

  it('drops a customer from the board once they have repaid what is overdue', async () => {
    at('2026-06-04');
    expect((await c.repay(t, B, { amountFen: 7_000 })).statusCode).toBe(201);
    const board = (await c.get('/staff/credit/collections', t, 'manager')).json();
    expect(board.customers.map((x: { customer: { id: string } }) => x.customer.id)).toEqual([A]);
    // A repays the oldest items: the oldest-first allocation moves A's oldest overdue date forward.
    expect(
      (await c.repay(t, A, { amountFen: 3_000 })).json().allocations.map((a: { dueDate: string }) => a.dueDate),
    ).toEqual(['2026-02-01', '2026-03-18']);
    const aging = (await c.get('/staff/credit/aging', t, 'manager')).json();
    expect(aging.customers[0]).toMatchObject({
      oldestOverdueDays: 48,
      buckets: { days90plusFen: 0, days61to90Fen: 0 },
    });
  });

  it('freezes again when another item crosses the threshold after the manager unfroze the line', async () => {
    at('2026-07-01'); // the 2026-06-01 item is 30 days overdue now
    expect(await job()).toEqual({ frozen: 1, tasksOpened: 0 });
    expect((await c.get(`/staff/customers/${A}/credit`, t)).json()).toMatchObject({ status: 'frozen' });
    expect((await c.get(`/staff/customers/${B}/credit`, t)).json()).toMatchObject({ status: 'active', owedFen: 0 });
  });
});
