import type { ReconciliationMismatch, ReconciliationReport } from '@lumi/shared';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { AppError } from '../../errors.ts';
import { shanghaiDate } from '../ledger/index.ts';
import {
  businessDayBounds,
  compareWithBill,
  type DayComparison,
  mismatchOf,
  refundsStartedOn,
} from './bill-comparison.ts';
import type { Payments } from './context.ts';
import { tenants } from '../tenants/index.ts';
import { paymentOrders, paymentReconciliationReports, paymentRefunds } from './tables.ts';
import { parseTradeBill, type TradeBill } from './trade-bill.ts';
import { WechatPayError } from './wechat-pay-client.ts';

const HOUR_MS = 3_600_000;
/**
 * WeChat makes day D's bill from 09:00 on D+1 and advises fetching it after 10:00. Only from noon on D+1 does
 * "no bill" (NO_STATEMENT_EXIST) mean the merchant had no trade that day rather than "not made yet".
 */
const BILL_SURELY_MADE_MS = (24 + 12) * HOUR_MS;

/**
 * The day's trade bill, or null when WeChat has none to give yet (or the download failed): the caller then
 * compares order by order instead, and the report says so.
 */
export async function loadTradeBill(payments: Payments, businessDate: string): Promise<TradeBill | null> {
  try {
    return parseTradeBill(await payments.gateway.downloadTradeBill(businessDate));
  } catch (error) {
    const dayStart = Date.parse(`${businessDate}T00:00:00+08:00`);
    const surelyMade = payments.now().getTime() >= dayStart + BILL_SURELY_MADE_MS;
    if (error instanceof WechatPayError && error.wechatCode === 'NO_STATEMENT_EXIST' && surelyMade) {
      return { payments: [], refunds: [] };
    }
    payments.log.warn({ err: error, businessDate }, 'WeChat Pay trade bill unavailable; reconciling order by order');
    return null;
  }
}

/** Which WeChat trade_state a local state must match. */
const EXPECTED_STATE: Record<string, string> = {
  NOTPAY: 'NOTPAY',
  SUCCESS: 'SUCCESS',
  CLOSED: 'CLOSED',
  REFUND: 'REFUND',
};

/**
 * Without a bill (today's, or yesterday's before WeChat made it): every order and refund created that day asked
 * about one by one. This cannot find what WeChat holds and Lumi never recorded; the bill comparison can.
 */
async function compareByQueries(payments: Payments, tenantId: string, businessDate: string): Promise<DayComparison> {
  const { dayStart, dayEnd } = businessDayBounds(businessDate);
  const orders = await payments.db
    .select()
    .from(paymentOrders)
    .where(
      and(
        eq(paymentOrders.tenantId, tenantId),
        sql`${paymentOrders.createdAt} >= ${dayStart}`,
        sql`${paymentOrders.createdAt} < ${dayEnd}`,
      ),
    )
    .orderBy(asc(paymentOrders.createdAt));
  const mismatches: ReconciliationMismatch[] = [];
  for (const order of orders) {
    const local = { outTradeNo: order.outTradeNo, localState: order.state, localAmountFen: order.amountFen };
    let remote: Awaited<ReturnType<typeof payments.gateway.queryOrder>>;
    try {
      remote = await payments.gateway.queryOrder(order.outTradeNo);
    } catch {
      mismatches.push(mismatchOf('query_failed', local));
      continue;
    }
    if (!remote) {
      // An order that never reached WeChat and is closed here is consistent; anything else is not.
      if (order.prepayId !== null || order.state !== 'CLOSED') mismatches.push(mismatchOf('missing_at_wechat', local));
      continue;
    }
    const both = { ...local, wechatState: remote.trade_state, wechatAmountFen: remote.amount.total };
    if (EXPECTED_STATE[order.state] !== remote.trade_state) mismatches.push(mismatchOf('state', both));
    if (remote.amount.total !== order.amountFen) mismatches.push(mismatchOf('amount', both));
    if (['SUCCESS', 'REFUND'].includes(remote.trade_state) && order.transferId === null) {
      mismatches.push(mismatchOf('not_in_ledger', both));
    }
  }

  const refunds = await refundsStartedOn(payments.db, tenantId, businessDate);
  for (const { refund, outTradeNo } of refunds) {
    const local = {
      outTradeNo,
      outRefundNo: refund.outRefundNo,
      localState: refund.state,
      localAmountFen: refund.amountFen,
    };
    let remote: Awaited<ReturnType<typeof payments.gateway.queryRefund>>;
    try {
      remote = await payments.gateway.queryRefund(refund.outRefundNo);
    } catch {
      mismatches.push(mismatchOf('query_failed', local));
      continue;
    }
    if (!remote) {
      // A refund WeChat refused outright is closed here and unknown there: consistent.
      if (refund.state !== 'CLOSED') mismatches.push(mismatchOf('missing_at_wechat', local));
      continue;
    }
    const both = { ...local, wechatState: remote.status, wechatAmountFen: remote.amount.refund };
    if (remote.status !== refund.state) mismatches.push(mismatchOf('state', both));
    if (remote.amount.refund !== refund.amountFen) mismatches.push(mismatchOf('amount', both));
  }
  return { ordersChecked: orders.length, refundsChecked: refunds.length, mismatches };
}

/**
 * The daily comparison of a tenant's business day with WeChat: against WeChat's trade bill when it can be had
 * (both ways: what WeChat holds and Lumi does not, and the reverse), else order by order. Stored per tenant and
 * day, replaced when run again; managers read it from GET /staff/payments/reconciliation?date=. `bill` lets a run
 * over many tenants download the merchant's one bill once (undefined: download it here).
 */
export async function buildDailyReconciliation(
  payments: Payments,
  tenantId: string,
  businessDate: string,
  bill?: TradeBill | null,
): Promise<ReconciliationReport> {
  const loaded = bill === undefined ? await loadTradeBill(payments, businessDate) : bill;
  const { ordersChecked, refundsChecked, mismatches } = loaded
    ? await compareWithBill(payments, tenantId, businessDate, loaded)
    : await compareByQueries(payments, tenantId, businessDate);
  const source = loaded ? 'bill' : 'queries';
  const generatedAt = payments.now();
  const row = { tenantId, businessDate, ordersChecked, refundsChecked, mismatches, source, generatedAt } as const;
  await payments.db
    .insert(paymentReconciliationReports)
    .values(row)
    .onConflictDoUpdate({
      target: [paymentReconciliationReports.tenantId, paymentReconciliationReports.businessDate],
      set: { ordersChecked, refundsChecked, mismatches, source, generatedAt },
    });
  if (mismatches.length > 0) {
    payments.log.warn(
      { tenantId, businessDate, source, mismatches: mismatches.length },
      'WeChat Pay reconciliation mismatches',
    );
  }
  return {
    date: businessDate,
    generatedAt: generatedAt.toISOString(),
    ordersChecked,
    refundsChecked,
    source,
    mismatches,
  };
}

/**
 * 立即对账: a manager's run of the daily comparison for today so far (the nightly runs only cover the day before)
 * or a past day. Keyed by tenant and day like the nightly report, so running it again replaces that day's report
 * and never adds a second. A day still to come is refused.
 */
export async function reconcileDayNow(
  payments: Payments,
  tenantId: string,
  businessDate: string,
): Promise<ReconciliationReport> {
  const today = shanghaiDate(payments.now());
  if (businessDate > today) {
    throw new AppError('VALIDATION_FAILED', 'A day that has not begun cannot be reconciled', [
      { field: 'body.date', message: `after today (${today})` },
    ]);
  }
  return buildDailyReconciliation(payments, tenantId, businessDate);
}

/** The Shanghai business day before `now`, e.g. the day the nightly runs report on. */
export function previousShanghaiDate(now: Date): string {
  return new Date(now.getTime() + 8 * HOUR_MS - 24 * HOUR_MS).toISOString().slice(0, 10);
}

/**
 * Every tenant with payments or refunds that day, or named in that day's bill, gets a report (tenants without
 * any get an empty one only on request). Runs at 04:30 (WeChat has no bill yet: order by order) and again at
 * 10:30 (with the bill), each replacing that day's reports.
 */
export async function runDailyReconciliation(
  payments: Payments,
  now: Date,
): Promise<{ date: string; tenants: number; mismatches: number; source: 'bill' | 'queries' }> {
  const date = previousShanghaiDate(now);
  const { dayStart, dayEnd } = businessDayBounds(date);
  const bill = await loadTradeBill(payments, date);
  const named = bill ? [...new Set([...bill.payments, ...bill.refunds].map((line) => line.outTradeNo))] : [];
  const attached = bill ? [...new Set([...bill.payments, ...bill.refunds].map((line) => line.attach))] : [];
  const [orderTenants, refundTenants, namedTenants, attachedTenants] = await Promise.all([
    payments.db
      .selectDistinct({ tenantId: paymentOrders.tenantId })
      .from(paymentOrders)
      .where(
        sql`(${paymentOrders.createdAt} >= ${dayStart} and ${paymentOrders.createdAt} < ${dayEnd})
            or (${paymentOrders.paidAt} >= ${dayStart} and ${paymentOrders.paidAt} < ${dayEnd})`,
      ),
    payments.db
      .selectDistinct({ tenantId: paymentRefunds.tenantId })
      .from(paymentRefunds)
      .where(sql`${paymentRefunds.createdAt} >= ${dayStart} and ${paymentRefunds.createdAt} < ${dayEnd}`),
    named.length
      ? payments.db
          .selectDistinct({ tenantId: paymentOrders.tenantId })
          .from(paymentOrders)
          .where(inArray(paymentOrders.outTradeNo, named))
      : [],
    // Only attach values that are tenant ids: anything else in 商户数据包 is not ours to report on.
    attached.some(isUuid)
      ? payments.db
          .select({ tenantId: tenants.id })
          .from(tenants)
          .where(inArray(tenants.id, attached.filter(isUuid)))
      : [],
  ]);
  const ids = new Set([...orderTenants, ...refundTenants, ...namedTenants, ...attachedTenants].map((t) => t.tenantId));
  let mismatches = 0;
  for (const tenantId of ids) {
    mismatches += (await buildDailyReconciliation(payments, tenantId, date, bill)).mismatches.length;
  }
  return { date, tenants: ids.size, mismatches, source: bill ? 'bill' : 'queries' };
}

const isUuid = (text: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);

export async function getReconciliationReport(
  payments: Payments,
  tenantId: string,
  businessDate: string,
): Promise<ReconciliationReport> {
  const [row] = await payments.db
    .select()
    .from(paymentReconciliationReports)
    .where(
      and(
        eq(paymentReconciliationReports.tenantId, tenantId),
        eq(paymentReconciliationReports.businessDate, businessDate),
      ),
    );
  if (!row) {
    throw new AppError('NOT_FOUND', 'No reconciliation report for that day yet (it is made at 04:30 the next day)');
  }
  return {
    date: row.businessDate,
    generatedAt: row.generatedAt.toISOString(),
    ordersChecked: row.ordersChecked,
    refundsChecked: row.refundsChecked,
    source: row.source,
    mismatches: row.mismatches,
  };
}
