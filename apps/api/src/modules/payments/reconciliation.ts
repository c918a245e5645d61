import type { ReconciliationMismatch, ReconciliationReport } from '@lumi/shared';
import { and, asc, eq, sql } from 'drizzle-orm';
import { AppError } from '../../errors.ts';
import { shanghaiDate } from '../ledger/index.ts';
import type { Payments } from './context.ts';
import { applyRefundStatus, refundsOpenBefore, sendRefund } from './refunds.ts';
import { applyRemoteState, closeLocally, completePayment, openOrdersBefore } from './service.ts';
import { paymentOrders, paymentReconciliationReports, paymentRefunds } from './tables.ts';
import { WechatPayError } from './wechat-pay-client.ts';

const BATCH = 200;

export interface ReconcileResult {
  ordersQueried: number;
  completed: number;
  closed: number;
  refundsUpdated: number;
  failures: number;
}

/**
 * Runs every few minutes (pg-boss) and is a plain function so tests call it with a moved clock. WeChat's
 * notifications may be late or never come; this asks WeChat about every order still unpaid after
 * `queryAfterMinutes` and completes (paid), closes (closed at WeChat) or, once past time_expire, closes it at
 * WeChat first so it can no longer be paid. Refunds WeChat has not finished are queried (or sent again) likewise.
 */
export async function reconcileWechatPayments(payments: Payments, now: Date): Promise<ReconcileResult> {
  const result: ReconcileResult = { ordersQueried: 0, completed: 0, closed: 0, refundsUpdated: 0, failures: 0 };
  const cutoff = new Date(now.getTime() - payments.queryAfterMinutes * 60_000);
  for (const order of await openOrdersBefore(payments.db, cutoff, BATCH)) {
    const expired = order.timeExpire <= now;
    try {
      if (!order.prepayId && !order.placementUncertain) {
        // Never reached WeChat (the create was refused or the process stopped before sending): nothing to ask.
        if (expired) {
          await closeLocally(payments, order, 'never placed at WeChat');
          result.closed++;
        }
        continue;
      }
      result.ordersQueried++;
      const remote = await payments.gateway.queryOrder(order.outTradeNo);
      if (remote === null) {
        if (expired || !order.prepayId) {
          await closeLocally(payments, order, 'WeChat does not know the order');
          result.closed++;
        }
        continue;
      }
      if (remote.trade_state !== 'NOTPAY' || !expired) {
        const after = await applyRemoteState(payments, order, remote);
        if (after.state === 'SUCCESS' || after.state === 'REFUND') result.completed++;
        if (after.state === 'CLOSED') result.closed++;
        continue;
      }
      // Expired but still payable at WeChat (its clock or our time_expire disagree): close it there first.
      try {
        await payments.gateway.closeOrder(order.outTradeNo);
      } catch (error) {
        if (!(error instanceof WechatPayError) || error.wechatCode !== 'ORDERPAID') throw error;
        // Paid in the last moment: credit it instead.
        const paid = await payments.gateway.queryOrder(order.outTradeNo);
        if (paid) await completePayment(payments, paid, 'query');
        result.completed++;
        continue;
      }
      await closeLocally(payments, order, 'expired; closed at WeChat');
      result.closed++;
    } catch (error) {
      result.failures++;
      payments.log.warn({ err: error, outTradeNo: order.outTradeNo }, 'payment reconciliation failed for an order');
    }
  }

  for (const refund of await refundsOpenBefore(payments, cutoff, BATCH)) {
    try {
      if (refund.state === 'PENDING') {
        const sent = await sendRefund(payments, refund);
        if (sent.state !== 'PENDING') result.refundsUpdated++;
        continue;
      }
      const remote = await payments.gateway.queryRefund(refund.outRefundNo);
      if (!remote) continue;
      const { changed } = await applyRefundStatus(payments, refund.outRefundNo, remote);
      if (changed) result.refundsUpdated++;
    } catch (error) {
      result.failures++;
      payments.log.warn({ err: error, outRefundNo: refund.outRefundNo }, 'refund reconciliation failed');
    }
  }
  return result;
}

/** Which WeChat trade_state a local state must match. */
const EXPECTED_STATE: Record<string, string> = {
  NOTPAY: 'NOTPAY',
  SUCCESS: 'SUCCESS',
  CLOSED: 'CLOSED',
  REFUND: 'REFUND',
};

/**
 * The daily comparison (a pg-boss job at 04:30 Shanghai for the day before): for every order and refund of the
 * tenant's business day, Lumi's state and amount against WeChat's, and whether each paid order reached the
 * ledger. Stored per tenant and day, replaced when run again; managers read it from
 * GET /staff/payments/reconciliation?date=.
 */
export async function buildDailyReconciliation(
  payments: Payments,
  tenantId: string,
  businessDate: string,
): Promise<ReconciliationReport> {
  const dayStart = sql`(${businessDate}::date::timestamp at time zone 'Asia/Shanghai')`;
  const dayEnd = sql`((${businessDate}::date + 1)::timestamp at time zone 'Asia/Shanghai')`;
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
  const base = (outTradeNo: string, outRefundNo: string | null = null) => ({
    outTradeNo,
    outRefundNo,
    localState: null,
    wechatState: null,
    localAmountFen: null,
    wechatAmountFen: null,
  });

  for (const order of orders) {
    const local = { localState: order.state, localAmountFen: order.amountFen };
    let remote: Awaited<ReturnType<typeof payments.gateway.queryOrder>>;
    try {
      remote = await payments.gateway.queryOrder(order.outTradeNo);
    } catch {
      mismatches.push({ ...base(order.outTradeNo), ...local, kind: 'query_failed' });
      continue;
    }
    if (!remote) {
      // An order that never reached WeChat and is closed here is consistent; anything else is not.
      if (order.prepayId !== null || order.state !== 'CLOSED') {
        mismatches.push({ ...base(order.outTradeNo), ...local, kind: 'missing_at_wechat' });
      }
      continue;
    }
    const wechat = { wechatState: remote.trade_state, wechatAmountFen: remote.amount.total };
    if (EXPECTED_STATE[order.state] !== remote.trade_state) {
      mismatches.push({ ...base(order.outTradeNo), ...local, ...wechat, kind: 'state' });
    }
    if (remote.amount.total !== order.amountFen) {
      mismatches.push({ ...base(order.outTradeNo), ...local, ...wechat, kind: 'amount' });
    }
    if (['SUCCESS', 'REFUND'].includes(remote.trade_state) && order.transferId === null) {
      mismatches.push({ ...base(order.outTradeNo), ...local, ...wechat, kind: 'not_in_ledger' });
    }
  }

  const refunds = await payments.db
    .select({ refund: paymentRefunds, outTradeNo: paymentOrders.outTradeNo })
    .from(paymentRefunds)
    .innerJoin(paymentOrders, eq(paymentOrders.id, paymentRefunds.orderId))
    .where(
      and(
        eq(paymentRefunds.tenantId, tenantId),
        sql`${paymentRefunds.createdAt} >= ${dayStart}`,
        sql`${paymentRefunds.createdAt} < ${dayEnd}`,
      ),
    )
    .orderBy(asc(paymentRefunds.createdAt));
  for (const { refund, outTradeNo } of refunds) {
    const local = { localState: refund.state, localAmountFen: refund.amountFen };
    let remote: Awaited<ReturnType<typeof payments.gateway.queryRefund>>;
    try {
      remote = await payments.gateway.queryRefund(refund.outRefundNo);
    } catch {
      mismatches.push({ ...base(outTradeNo, refund.outRefundNo), ...local, kind: 'query_failed' });
      continue;
    }
    if (!remote) {
      // A refund WeChat refused outright is closed here and unknown there: consistent.
      if (refund.state !== 'CLOSED') {
        mismatches.push({ ...base(outTradeNo, refund.outRefundNo), ...local, kind: 'missing_at_wechat' });
      }
      continue;
    }
    const wechat = { wechatState: remote.status, wechatAmountFen: remote.amount.refund };
    if (remote.status !== refund.state) {
      mismatches.push({ ...base(outTradeNo, refund.outRefundNo), ...local, ...wechat, kind: 'state' });
    }
    if (remote.amount.refund !== refund.amountFen) {
      mismatches.push({ ...base(outTradeNo, refund.outRefundNo), ...local, ...wechat, kind: 'amount' });
    }
  }

  const generatedAt = payments.now();
  const row = {
    tenantId,
    businessDate,
    ordersChecked: orders.length,
    refundsChecked: refunds.length,
    mismatches,
    generatedAt,
  };
  await payments.db
    .insert(paymentReconciliationReports)
    .values(row)
    .onConflictDoUpdate({
      target: [paymentReconciliationReports.tenantId, paymentReconciliationReports.businessDate],
      set: { ordersChecked: row.ordersChecked, refundsChecked: row.refundsChecked, mismatches, generatedAt },
    });
  if (mismatches.length > 0) {
    payments.log.warn(
      { tenantId, businessDate, mismatches: mismatches.length },
      'WeChat Pay reconciliation mismatches',
    );
  }
  return {
    date: businessDate,
    generatedAt: generatedAt.toISOString(),
    ordersChecked: orders.length,
    refundsChecked: refunds.length,
    mismatches,
  };
}

/**
 * 立即对账: a manager's run of the daily comparison for today so far (the 04:30 job only covers the day before)
 * or a past day. Keyed by tenant and day like the nightly report, so running it again replaces that day's report
 * and never adds a second; the 04:30 run later replaces today's with the whole day. A day still to come is refused.
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

/** The Shanghai business day before `now`, e.g. the day the 04:30 run reports on. */
export function previousShanghaiDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
}

/** Every tenant with payments that day gets a report (tenants without any get an empty one only on request). */
export async function runDailyReconciliation(
  payments: Payments,
  now: Date,
): Promise<{ date: string; tenants: number; mismatches: number }> {
  const date = previousShanghaiDate(now);
  const tenants = await payments.db
    .selectDistinct({ tenantId: paymentOrders.tenantId })
    .from(paymentOrders)
    .where(
      and(
        sql`${paymentOrders.createdAt} >= (${date}::date::timestamp at time zone 'Asia/Shanghai')`,
        sql`${paymentOrders.createdAt} < ((${date}::date + 1)::timestamp at time zone 'Asia/Shanghai')`,
      ),
    );
  const refundTenants = await payments.db
    .selectDistinct({ tenantId: paymentRefunds.tenantId })
    .from(paymentRefunds)
    .where(
      and(
        sql`${paymentRefunds.createdAt} >= (${date}::date::timestamp at time zone 'Asia/Shanghai')`,
        sql`${paymentRefunds.createdAt} < ((${date}::date + 1)::timestamp at time zone 'Asia/Shanghai')`,
      ),
    );
  const ids = new Set([...tenants, ...refundTenants].map((t) => t.tenantId));
  let mismatches = 0;
  for (const tenantId of ids) {
    mismatches += (await buildDailyReconciliation(payments, tenantId, date)).mismatches.length;
  }
  return { date, tenants: ids.size, mismatches };
}

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
    mismatches: row.mismatches,
  };
}
