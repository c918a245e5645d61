import type { ReconciliationMismatch, RefundState } from '@lumi/shared';
import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Payments } from './context.ts';
import { paymentOrders, paymentRefunds } from './tables.ts';
import type { LumiDayMoney } from './settlement.ts';
import type { TradeBill } from './trade-bill.ts';

export interface DayComparison {
  ordersChecked: number;
  refundsChecked: number;
  mismatches: ReconciliationMismatch[];
}

export interface BillComparison extends DayComparison {
  /** The bill's lines that are this tenant's. */
  mine: TradeBill;
  /** The day's money by Lumi's records, for the fund-flow check. */
  lumi: LumiDayMoney;
}

/** [start, end) of a Shanghai business day as SQL timestamps. */
export function businessDayBounds(businessDate: string): { dayStart: SQL; dayEnd: SQL } {
  return {
    dayStart: sql`(${businessDate}::date::timestamp at time zone 'Asia/Shanghai')`,
    dayEnd: sql`((${businessDate}::date + 1)::timestamp at time zone 'Asia/Shanghai')`,
  };
}

/** The tenant's refunds started on a business day (in `states` only, if given), oldest first, with their order's number. */
export function refundsStartedOn(db: Payments['db'], tenantId: string, businessDate: string, states?: RefundState[]) {
  const { dayStart, dayEnd } = businessDayBounds(businessDate);
  return db
    .select({ refund: paymentRefunds, outTradeNo: paymentOrders.outTradeNo })
    .from(paymentRefunds)
    .innerJoin(paymentOrders, eq(paymentOrders.id, paymentRefunds.orderId))
    .where(
      and(
        eq(paymentRefunds.tenantId, tenantId),
        states ? inArray(paymentRefunds.state, states) : undefined,
        sql`${paymentRefunds.createdAt} >= ${dayStart}`,
        sql`${paymentRefunds.createdAt} < ${dayEnd}`,
      ),
    )
    .orderBy(asc(paymentRefunds.createdAt));
}

export const mismatchOf = (
  kind: ReconciliationMismatch['kind'],
  fields: Partial<Omit<ReconciliationMismatch, 'kind'>> & { outTradeNo: string },
): ReconciliationMismatch => ({
  outRefundNo: null,
  localState: null,
  wechatState: null,
  localAmountFen: null,
  wechatAmountFen: null,
  ...fields,
  kind,
});

/** Refund states in which WeChat has (or may have) accepted the refund, so its bill should hold it. */
const AT_WECHAT: RefundState[] = ['PROCESSING', 'SUCCESS', 'ABNORMAL'];

/**
 * The day compared both ways with WeChat's trade bill, which lists every payment that succeeded that Beijing day
 * and every refund started that day, for the whole merchant (every salon shares it). A bill line belongs to the
 * tenant whose order it names, or — for an order Lumi never recorded — to the tenant in its 商户数据包 (attach).
 * Paid at WeChat but unknown or unpaid here, paid here but absent from the bill, amounts that differ; refunds
 * likewise.
 */
export async function compareWithBill(
  payments: Payments,
  tenantId: string,
  businessDate: string,
  bill: TradeBill,
): Promise<BillComparison> {
  const { db } = payments;
  const { dayStart, dayEnd } = businessDayBounds(businessDate);
  const named = [...new Set([...bill.payments, ...bill.refunds].map((line) => line.outTradeNo))];
  const refundNos = bill.refunds.map((line) => line.outRefundNo);
  const [namedOrders, namedRefunds, paidHere, startedHere] = await Promise.all([
    named.length ? db.select().from(paymentOrders).where(inArray(paymentOrders.outTradeNo, named)) : [],
    refundNos.length ? db.select().from(paymentRefunds).where(inArray(paymentRefunds.outRefundNo, refundNos)) : [],
    db
      .select()
      .from(paymentOrders)
      .where(
        and(
          eq(paymentOrders.tenantId, tenantId),
          inArray(paymentOrders.state, ['SUCCESS', 'REFUND']),
          sql`${paymentOrders.paidAt} >= ${dayStart}`,
          sql`${paymentOrders.paidAt} < ${dayEnd}`,
        ),
      ),
    refundsStartedOn(db, tenantId, businessDate, AT_WECHAT),
  ]);
  const orderByNo = new Map(namedOrders.map((order) => [order.outTradeNo, order]));
  const refundByNo = new Map(namedRefunds.map((refund) => [refund.outRefundNo, refund]));
  const mismatches: ReconciliationMismatch[] = [];
  const mine: TradeBill = { payments: [], refunds: [] };

  const billPaid = new Set<string>();
  for (const line of bill.payments) {
    const order = orderByNo.get(line.outTradeNo);
    if ((order?.tenantId ?? line.attach) !== tenantId) continue;
    mine.payments.push(line);
    billPaid.add(line.outTradeNo);
    const wechat = { outTradeNo: line.outTradeNo, wechatState: 'SUCCESS', wechatAmountFen: line.amountFen };
    if (!order) {
      mismatches.push(mismatchOf('missing_in_lumi', wechat));
      continue;
    }
    const local = { ...wechat, localState: order.state, localAmountFen: order.amountFen };
    if (order.state !== 'SUCCESS' && order.state !== 'REFUND') mismatches.push(mismatchOf('state', local));
    if (order.transferId === null) mismatches.push(mismatchOf('not_in_ledger', local));
    if (order.amountFen !== line.amountFen) mismatches.push(mismatchOf('amount', local));
  }
  for (const order of paidHere) {
    if (billPaid.has(order.outTradeNo)) continue;
    mismatches.push(
      mismatchOf('missing_at_wechat', {
        outTradeNo: order.outTradeNo,
        localState: order.state,
        localAmountFen: order.amountFen,
      }),
    );
  }

  const billRefunded = new Set<string>();
  for (const line of bill.refunds) {
    const refund = refundByNo.get(line.outRefundNo);
    if ((refund?.tenantId ?? orderByNo.get(line.outTradeNo)?.tenantId ?? line.attach) !== tenantId) continue;
    mine.refunds.push(line);
    billRefunded.add(line.outRefundNo);
    const wechat = {
      outTradeNo: line.outTradeNo,
      outRefundNo: line.outRefundNo,
      wechatState: line.status,
      wechatAmountFen: line.refundFen,
    };
    if (!refund) {
      mismatches.push(mismatchOf('missing_in_lumi', wechat));
      continue;
    }
    const local = { ...wechat, localState: refund.state, localAmountFen: refund.amountFen };
    // The bill's status is the one at the time it was made; a refund WeChat finished must be finished here too.
    const stateDiffers = line.status === 'SUCCESS' ? refund.state !== 'SUCCESS' : !AT_WECHAT.includes(refund.state);
    if (stateDiffers) mismatches.push(mismatchOf('state', local));
    if (refund.amountFen !== line.refundFen) mismatches.push(mismatchOf('amount', local));
  }
  for (const { refund, outTradeNo } of startedHere) {
    if (billRefunded.has(refund.outRefundNo)) continue;
    mismatches.push(
      mismatchOf('missing_at_wechat', {
        outTradeNo,
        outRefundNo: refund.outRefundNo,
        localState: refund.state,
        localAmountFen: refund.amountFen,
      }),
    );
  }

  return {
    ordersChecked: new Set([...billPaid, ...paidHere.map((order) => order.outTradeNo)]).size,
    refundsChecked: new Set([...billRefunded, ...startedHere.map(({ refund }) => refund.outRefundNo)]).size,
    mismatches,
    mine,
    lumi: {
      paidFen: paidHere.reduce((sum, order) => sum + order.amountFen, 0),
      refundedFen: startedHere.reduce((sum, { refund }) => sum + refund.amountFen, 0),
    },
  };
}
