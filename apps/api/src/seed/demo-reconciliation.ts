import type { PaymentOrder, ReconciliationReport, RequestPaymentParams } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import type { AppConfig } from '../config/index.ts';
import { type Database, queryRows } from '../db/database.ts';
import { importingHistory } from '../modules/ledger/index.ts';
import { DAY_MS, shanghaiMidnight } from './demo-clock.ts';
import type { Member, Salon } from './demo-salon.ts';

/**
 * 微信支付对账 in the demo. The salon's year is paid at the till (cash, card, stored value), so WeChat Pay has
 * nothing to compare; here a few members top up in the customer mini-program on two past days, and the manager
 * reconciles both days: three days ago WeChat and Lumi agree to the fen; two days ago WeChat's bills also hold a
 * top-up paid from the salon's old mini-program, which Lumi never recorded (微信有、系统无, and the money it
 * leaves unexplained).
 *
 * Payments go through the WeChat Pay simulator the demo runs with (the dev server starts it and points
 * WECHAT_PAY_BASE at it), over its HTTP control routes as the H5 customer app pays — production code never
 * imports the simulator. Orders are placed at today's time (WeChat refuses a time_expire already past on its
 * clock, and every signed call needs the two clocks to agree); only the customer's payment is made with the
 * simulator's clock on the past day, so WeChat's success time, its bills and Lumi's paid-at fall on that day.
 * Without a simulator (the seed's own tests) this part is left out.
 */
const STORY = [
  {
    daysAgo: 3,
    topUps: [
      { member: 1, amountFen: 30_000, at: 11 * 60 + 20 },
      { member: 2, amountFen: 50_000, at: 15 * 60 + 45 },
    ],
    fromOldApp: null,
  },
  {
    daysAgo: 2,
    topUps: [{ member: 3, amountFen: 20_000, at: 10 * 60 + 5 }],
    fromOldApp: { amountFen: 12_800, at: 16 * 60 + 30 },
  },
] as const;

/** The simulator's control routes (packages/wechat-sim control-routes.ts), or null when none answers. */
export async function simulatorControl(base: string) {
  const url = (route: string) => new URL(`__control/${route}`, base);
  const call = async <T>(route: string, body?: object): Promise<T> => {
    const res = await fetch(url(route), {
      method: body ? 'POST' : 'GET',
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`WeChat simulator ${route}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  try {
    await call('clock');
  } catch {
    return null;
  }
  return {
    /** wx.requestPayment as the customer would, with WeChat's clock at `at` for that moment only. */
    /** A paid order the simulator has forgotten, given back with its numbers and time (no notification). */
    async remember(order: object, transactionId: string, paidAt: Date): Promise<void> {
      await call('paid-orders', { order, transaction_id: transactionId, success_time: paidAt.toISOString() });
    },
    async payAt(at: Date, params: RequestPaymentParams): Promise<void> {
      const { offsetSeconds } = await call<{ offsetSeconds: number }>('clock');
      await call('clock', { offsetSeconds: Math.round((at.getTime() - Date.now()) / 1000) });
      try {
        await call('pay', { ...params, appid: params.appId });
      } finally {
        await call('clock', { offsetSeconds });
      }
    },
  };
}

/** The JSAPI order of a story day's payment from the old mini-program: only WeChat's bills know it. */
function oldAppOrder(
  day: (typeof STORY)[number],
  dayStart: number,
  merchant: { appid: string; mchid: string; notifyUrl: string; tenantId: string },
) {
  const date = new Date(dayStart + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return {
    appid: merchant.appid,
    mchid: merchant.mchid,
    description: '会员储值（旧版小程序）',
    out_trade_no: `OLDAPP${date}01`,
    attach: merchant.tenantId,
    notify_url: merchant.notifyUrl,
    amount: { total: day.fromOldApp?.amountFen ?? 0, currency: 'CNY' as const },
    payer: { openid: `demo-old-app-${day.daysAgo}` },
  };
}

export async function seedDemoReconciliation(
  salon: Salon,
  members: Member[],
  config: AppConfig,
  now: Date,
  log: (line: string) => void,
): Promise<void> {
  const { till } = salon;
  const gateway = till.app.payments.gateway;
  const sim = await simulatorControl(config.WECHAT_PAY_BASE);
  try {
    gateway.assertConfigured();
  } catch {
    log('  WeChat Pay reconciliation: no WeChat Pay keys; left out');
    return;
  }
  if (!sim) {
    log('  WeChat Pay reconciliation: no WeChat Pay simulator answers; left out');
    return;
  }
  const seedClock = till.now;
  const manager = salon.stores[0]?.manager ?? salon.owner;
  const reports: ReconciliationReport[] = [];
  try {
    for (const day of STORY) {
      const dayStart = shanghaiMidnight(now.getTime()) - day.daysAgo * DAY_MS;
      for (const topUp of day.topUps) {
        const member = members.at(-topUp.member) as Member;
        const paidAt = new Date(dayStart + topUp.at * 60_000);
        till.now = new Date();
        const customer = till.asCustomer(member.id);
        const order = await customer.post<PaymentOrder>('/me/payments/top-ups', { amountFen: topUp.amountFen });
        if (!order.requestPayment) throw new Error(`top-up ${order.outTradeNo} cannot be paid`);
        await sim.payAt(paidAt, order.requestPayment);
        // The customer's page polls; a poll past 10 s asks WeChat, which answers paid (the notify found no API
        // listening yet). The top-up posts on the day it was paid.
        till.now = new Date(Date.now() + 15_000);
        const paid = await importingHistory(
          () => paidAt,
          () => customer.get<PaymentOrder>(`/me/payments/${order.outTradeNo}`),
        );
        if (paid.state !== 'SUCCESS') throw new Error(`top-up ${order.outTradeNo} is ${paid.state} after paying`);
      }
      if (day.fromOldApp) {
        // Paid at WeChat to the same merchant from the mini-program the salon used before Lumi: only WeChat's
        // bills know it.
        const paidAt = new Date(dayStart + day.fromOldApp.at * 60_000);
        const { prepay_id } = await gateway.createJsapiOrder({
          ...oldAppOrder(day, dayStart, {
            appid: gateway.appId,
            mchid: gateway.mchid,
            notifyUrl: gateway.notifyUrl,
            tenantId: salon.tenantId,
          }),
          time_expire: new Date(Date.now() + 30 * 60_000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
        });
        await sim.payAt(paidAt, gateway.requestPayment(prepay_id, new Date()));
      }
    }
    till.now = new Date();
    for (const day of STORY) {
      const date = new Date(shanghaiMidnight(now.getTime()) - day.daysAgo * DAY_MS + 8 * 3_600_000)
        .toISOString()
        .slice(0, 10);
      reports.push(await till.as(manager).post<ReconciliationReport>('/staff/payments/reconciliation', { date }));
    }
  } finally {
    till.now = seedClock;
  }
  log(
    `  WeChat Pay reconciliation: ${reports
      .map((r) => `${r.date} by ${r.source}, ${r.ordersChecked} payments, ${r.mismatches.length} mismatches`)
      .join('; ')}`,
  );
}

/**
 * A demo restarted on its kept database (seed-database.ts) meets a new simulator, which holds orders in memory
 * only: re-running 对账 for a seeded day would then find WeChat knowing none of its payments, and a refund of one
 * would be refused. So every order Lumi holds as paid, and the old mini-program's payments of the story, are
 * given back to the simulator as they were — the order body Lumi sent, its transaction id and time — and its
 * bills of those days read as when they were seeded.
 */
export async function rememberDemoWechatPayments(
  db: Database,
  config: AppConfig,
  now: Date,
  log: (line: string) => void,
): Promise<void> {
  const sim = await simulatorControl(config.WECHAT_PAY_BASE);
  if (!sim) return;
  const paid = await queryRows<{
    wechat_request: { appid: string; mchid: string; notify_url: string; attach: string };
    transaction_id: string;
    paid_at: string;
  }>(
    db,
    sql`select wechat_request, transaction_id, paid_at from payment_orders
        where transaction_id is not null and paid_at is not null order by paid_at`,
  );
  for (const order of paid) await sim.remember(order.wechat_request, order.transaction_id, new Date(order.paid_at));
  const merchant = paid[0]?.wechat_request;
  let oldApp = 0;
  for (const day of STORY) {
    if (!day.fromOldApp || !merchant) continue;
    const dayStart = shanghaiMidnight(now.getTime()) - day.daysAgo * DAY_MS;
    const order = oldAppOrder(day, dayStart, {
      ...merchant,
      notifyUrl: merchant.notify_url,
      tenantId: merchant.attach,
    });
    // Its first payment's number was never kept: one of WeChat's 28 digits, stable for the day.
    const transactionId = `420000000${order.out_trade_no.slice(6, 14)}${String(day.daysAgo).padStart(11, '0')}`;
    await sim.remember(order, transactionId, new Date(dayStart + day.fromOldApp.at * 60_000));
    oldApp++;
  }
  log(`WeChat Pay simulator: ${paid.length} paid orders and ${oldApp} from the old mini-program given back`);
}
