import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/database.ts';
import { ledgerDeps } from '../../ledger-deps.ts';
import { describe, expect, it } from 'vitest';
import { PAYMENT_SCHEDULES, SCHEDULES, startJobs } from '../../jobs/index.ts';
import { buildDailyReconciliation, runDailyReconciliation } from './daily-reconciliation.ts';
import { reconcileWechatPayments } from './reconciliation.ts';
import { getOrder, orderTopUp, payInWechat, usePaymentsKit, wallet } from '../../testing/payments-kit.ts';

const kit = usePaymentsKit();
const minutes = (n: number) => new Date(Date.now() + n * 60_000);
const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

describe('payment reconciliation', () => {
  it('completes a paid order whose notification was lost', async () => {
    const order = await orderTopUp(kit, { amountFen: 8_800 });
    kit.sim.faults.add({ kind: 'notify-drop', outTradeNo: order.outTradeNo, times: 1 });
    payInWechat(kit, order);
    expect((await kit.sim.waitForNotification({ outTradeNo: order.outTradeNo })).status).toBe('dropped');
    expect((await getOrder(kit, order.outTradeNo)).state).toBe('NOTPAY');

    // Not yet: the order is younger than WECHAT_PAY_QUERY_AFTER_MINUTES.
    expect((await reconcileWechatPayments(kit.payments, new Date())).ordersQueried).toBe(0);
    const result = await reconcileWechatPayments(kit.payments, minutes(6));
    expect(result).toMatchObject({ completed: 1, failures: 0 });
    expect((await getOrder(kit, order.outTradeNo)).state).toBe('SUCCESS');
    expect((await wallet(kit)).principalFen).toBe(8_800);
    // Running again changes nothing.
    expect(await reconcileWechatPayments(kit.payments, minutes(7))).toMatchObject({ completed: 0, closed: 0 });
  });

  it('closes an expired order at WeChat, so it can no longer be paid', async () => {
    const order = await orderTopUp(kit, { amountFen: 9_900 });
    const halfway = await reconcileWechatPayments(kit.payments, minutes(10));
    expect(halfway.closed).toBe(0);
    expect((await getOrder(kit, order.outTradeNo)).state).toBe('NOTPAY');

    const result = await reconcileWechatPayments(kit.payments, minutes(31));
    expect(result.closed).toBeGreaterThanOrEqual(1);
    expect(kit.sim.order(order.outTradeNo)?.transaction.trade_state).toBe('CLOSED');
    expect((await getOrder(kit, order.outTradeNo)).state).toBe('CLOSED');
    const late = kit.sim.pay({ ...order.requestPayment!, appid: order.requestPayment!.appId });
    expect(late).toMatchObject({ ok: false, code: 'ORDER_CLOSED' });
  });

  it('reports local and WeChat states that differ, and shows the report to managers only', async () => {
    const order = await orderTopUp(kit, { amountFen: 7_700 });
    kit.sim.faults.add({ kind: 'notify-drop', outTradeNo: order.outTradeNo, times: 1 });
    payInWechat(kit, order);
    await kit.sim.waitForNotification({ outTradeNo: order.outTradeNo });

    const date = shanghaiToday();
    const report = await buildDailyReconciliation(kit.payments, kit.t.tenantId, date);
    // Compared with WeChat's trade bill: the two orders paid today (the expired one was never paid, so neither
    // side lists it).
    expect(report).toMatchObject({ source: 'bill', ordersChecked: 2, refundsChecked: 0 });
    expect(report.mismatches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          outTradeNo: order.outTradeNo,
          kind: 'state',
          localState: 'NOTPAY',
          wechatState: 'SUCCESS',
        }),
        expect.objectContaining({ outTradeNo: order.outTradeNo, kind: 'not_in_ledger' }),
      ]),
    );
    // Everything reconciled earlier in this file agrees with WeChat.
    expect(report.mismatches.every((m) => m.outTradeNo === order.outTradeNo)).toBe(true);

    const res = await kit.app.inject({
      method: 'GET',
      url: `/staff/payments/reconciliation?date=${date}`,
      headers: kit.managerHeaders(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().mismatches).toHaveLength(report.mismatches.length);
    const beautician = await kit.app.inject({
      method: 'GET',
      url: `/staff/payments/reconciliation?date=${date}`,
      headers: kit.beauticianHeaders(),
    });
    expect(beautician.statusCode).toBe(403);
    const none = await kit.app.inject({
      method: 'GET',
      url: '/staff/payments/reconciliation?date=2020-01-01',
      headers: kit.managerHeaders(),
    });
    expect(none.statusCode).toBe(404);

    // After the reconciliation run the next day's report (about today) is clean.
    await reconcileWechatPayments(kit.payments, minutes(6));
    const nextDay = await runDailyReconciliation(kit.payments, new Date(Date.now() + 86_400_000));
    expect(nextDay).toMatchObject({ date, tenants: 1, mismatches: 0, source: 'bill' });
  });

  it('lets a manager reconcile today so far (or a past day) on demand: one report per day, replaced when run again', async () => {
    const date = shanghaiToday();
    const run = (body: object, headers = kit.managerHeaders()) =>
      kit.app.inject({ method: 'POST', url: '/staff/payments/reconciliation', headers, payload: body });
    const reportsOf = (day: string) =>
      queryRows<{ n: number }>(
        kit.db.db,
        sql`select count(*)::int as n from payment_reconciliation_reports
            where tenant_id = ${kit.t.tenantId} and business_date = ${day}::date`,
      );

    // Paid at WeChat, the notification lost: today's run finds it at once, not tomorrow at 04:30.
    const order = await orderTopUp(kit, { amountFen: 6_600 });
    kit.sim.faults.add({ kind: 'notify-drop', outTradeNo: order.outTradeNo, times: 1 });
    payInWechat(kit, order);
    await kit.sim.waitForNotification({ outTradeNo: order.outTradeNo });
    const first = await run({ date });
    expect(first.statusCode).toBe(200);
    expect(first.json().mismatches).toEqual(
      expect.arrayContaining([expect.objectContaining({ outTradeNo: order.outTradeNo, kind: 'state' })]),
    );

    // The order is completed; running again updates today's report, never adds a second one.
    await reconcileWechatPayments(kit.payments, minutes(6));
    const second = await run({ date });
    expect(second.statusCode).toBe(200);
    expect(second.json().mismatches.filter((m: { outTradeNo: string }) => m.outTradeNo === order.outTradeNo)).toEqual(
      [],
    );
    expect(second.json().ordersChecked).toBe(first.json().ordersChecked);
    expect(Date.parse(second.json().generatedAt)).toBeGreaterThanOrEqual(Date.parse(first.json().generatedAt));
    expect(await reportsOf(date)).toEqual([{ n: 1 }]);
    const read = await kit.app.inject({
      method: 'GET',
      url: `/staff/payments/reconciliation?date=${date}`,
      headers: kit.managerHeaders(),
    });
    expect(read.json()).toEqual(second.json());

    // A past day without payments gets an empty report (no longer "not made yet"); a day to come is refused.
    const past = await run({ date: '2026-01-15' });
    expect(past.json()).toMatchObject({ date: '2026-01-15', ordersChecked: 0, refundsChecked: 0, mismatches: [] });
    const tomorrow = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
    const future = await run({ date: tomorrow });
    expect(future.statusCode).toBe(400);
    expect(future.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ field: 'body.date' })],
    });
    expect(await reportsOf(tomorrow)).toEqual([{ n: 0 }]);
    expect((await run({ date }, kit.beauticianHeaders())).statusCode).toBe(403);
  });

  it('registers its schedules in pg-boss when the process serves payments', async () => {
    const silent = { error: () => {}, info: () => {}, warn: () => {} } as never;
    const jobs = await startJobs(
      kit.db,
      ledgerDeps(() => new Date()),
      silent,
      {
        payments: kit.payments,
      },
    );
    try {
      const names = (await jobs.boss.getSchedules()).map((s: { name: string }) => s.name).sort();
      expect(names).toEqual([...Object.keys(SCHEDULES), ...Object.keys(PAYMENT_SCHEDULES)].sort());
    } finally {
      await jobs.stop();
    }
  });
});
