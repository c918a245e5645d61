import type { BillProblem, ReconciliationMismatch, ReconciliationReport, ReconciliationSettlement } from '@lumi/shared';
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
import { FundFlowBillFormatError, type FundFlowBill, parseFundFlowBill } from './fund-flow-bill.ts';
import { settlementOf } from './settlement.ts';
import { parseTradeBill, type TradeBill, TradeBillFormatError } from './trade-bill.ts';
import { WechatPayError } from './wechat-pay-client.ts';

const HOUR_MS = 3_600_000;
/**
 * WeChat makes day D's bills from 09:00 on D+1 and advises fetching them after 10:00. Only from noon on D+1 does
 * "no bill" (NO_STATEMENT_EXIST) mean the merchant had no trade (or no money moved) that day rather than "not made
 * yet".
 */
const BILL_SURELY_MADE_MS = (24 + 12) * HOUR_MS;

/** A bill as read, or why there is none to use. */
export type LoadedBill<T> = { bill: T; problem: null } | { bill: null; problem: BillProblem };

/** The merchant's two bills of a day; the fund-flow bill is only fetched when the trade bill could be had. */
export interface DayBills {
  trade: LoadedBill<TradeBill>;
  fund: LoadedBill<FundFlowBill>;
}

const REFUSED_FILE = new Set(['BILL_HASH_MISMATCH', 'BILL_HASH_TYPE', 'BILL_APPLICATION_INVALID', 'BILL_URL_FOREIGN']);

/**
 * Downloads and reads one bill. A file that does not match the SHA1 of its signed application, or does not read
 * as a bill, is refused whole ('integrity') — nothing of it is compared — and logged as an error, since it means
 * the download was tampered with or broken.
 */
async function loadBill<T>(
  payments: Payments,
  businessDate: string,
  name: string,
  download: () => Promise<string>,
  parse: (text: string) => T,
  empty: T,
): Promise<LoadedBill<T>> {
  try {
    return { bill: parse(await download()), problem: null };
  } catch (error) {
    const dayStart = Date.parse(`${businessDate}T00:00:00+08:00`);
    const surelyMade = payments.now().getTime() >= dayStart + BILL_SURELY_MADE_MS;
    const code = error instanceof WechatPayError ? error.wechatCode : null;
    if (code === 'NO_STATEMENT_EXIST' && surelyMade) return { bill: empty, problem: null };
    const integrity =
      (code !== null && REFUSED_FILE.has(code)) ||
      error instanceof TradeBillFormatError ||
      error instanceof FundFlowBillFormatError;
    if (integrity) {
      payments.log.error(
        { err: error, businessDate },
        `WeChat Pay ${name} refused: it does not match its signed application`,
      );
      return { bill: null, problem: 'integrity' };
    }
    const notReady = code === 'NO_STATEMENT_EXIST' || code === 'STATEMENT_CREATING';
    payments.log.warn({ err: error, businessDate }, `WeChat Pay ${name} unavailable`);
    return { bill: null, problem: notReady ? 'not_ready' : 'unavailable' };
  }
}

/**
 * The day's trade bill and, when it could be had, the fund-flow bill of the basic account. Without the trade bill
 * the caller compares order by order instead, and the report says why.
 */
export async function loadDayBills(payments: Payments, businessDate: string): Promise<DayBills> {
  const trade = await loadBill(
    payments,
    businessDate,
    'trade bill',
    () => payments.gateway.downloadTradeBill(businessDate),
    parseTradeBill,
    { payments: [], refunds: [] },
  );
  // The fund-flow bill names movements only by WeChat's numbers; without the trade bill none is a salon's.
  const fund: LoadedBill<FundFlowBill> = trade.bill
    ? await loadBill(
        payments,
        businessDate,
        'fund-flow bill',
        () => payments.gateway.downloadFundFlowBill(businessDate),
        parseFundFlowBill,
        { movements: [] },
      )
    : { bill: null, problem: trade.problem };
  return { trade, fund };
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
 * (both ways: what WeChat holds and Lumi does not, and the reverse), else order by order; and the day's money by
 * the fund-flow bill beside Lumi's own figures. Stored per tenant and day in one statement, replaced whole when run
 * again; managers read it from GET /staff/payments/reconciliation?date=. `bills` lets a run over many tenants
 * download the merchant's bills once (undefined: download them here).
 */
export async function buildDailyReconciliation(
  payments: Payments,
  tenantId: string,
  businessDate: string,
  bills?: DayBills,
): Promise<ReconciliationReport> {
  const { trade, fund } = bills ?? (await loadDayBills(payments, businessDate));
  let compared: DayComparison;
  let settlement: ReconciliationSettlement | null = null;
  if (trade.bill) {
    const withBill = await compareWithBill(payments, tenantId, businessDate, trade.bill);
    if (fund.bill) settlement = settlementOf(withBill.mine, fund.bill, withBill.lumi);
    compared = withBill;
  } else {
    compared = await compareByQueries(payments, tenantId, businessDate);
  }
  const { ordersChecked, refundsChecked, mismatches } = compared;
  const fields = {
    ordersChecked,
    refundsChecked,
    mismatches,
    source: trade.bill ? ('bill' as const) : ('queries' as const),
    billProblem: trade.problem,
    settlement,
    settlementProblem: fund.problem,
    generatedAt: payments.now(),
  };
  await payments.db
    .insert(paymentReconciliationReports)
    .values({ tenantId, businessDate, ...fields })
    .onConflictDoUpdate({
      target: [paymentReconciliationReports.tenantId, paymentReconciliationReports.businessDate],
      set: fields,
    });
  const unexplainedFen = settlement ? settlement.netFen - settlement.expectedNetFen : 0;
  if (mismatches.length > 0 || unexplainedFen !== 0) {
    payments.log.warn(
      { tenantId, businessDate, source: fields.source, mismatches: mismatches.length, unexplainedFen },
      'WeChat Pay reconciliation mismatches',
    );
  }
  return reportOf({ businessDate, ...fields });
}

const reportOf = (row: Omit<typeof paymentReconciliationReports.$inferSelect, 'tenantId'>): ReconciliationReport => ({
  date: row.businessDate,
  generatedAt: row.generatedAt.toISOString(),
  ordersChecked: row.ordersChecked,
  refundsChecked: row.refundsChecked,
  source: row.source,
  billProblem: row.billProblem,
  mismatches: row.mismatches,
  settlement: row.settlement,
  settlementProblem: row.settlementProblem,
});

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
  const bills = await loadDayBills(payments, date);
  const bill = bills.trade.bill;
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
    mismatches += (await buildDailyReconciliation(payments, tenantId, date, bills)).mismatches.length;
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
  return reportOf(row);
}
