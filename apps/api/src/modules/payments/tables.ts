import type {
  BillProblem,
  PaymentState,
  ReconciliationMismatch,
  ReconciliationSettlement,
  ReconciliationSource,
  RefundState,
} from '@lumi/shared';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { customers } from '../customers/tables.ts';
import { tenants } from '../tenants/tables.ts';

const timestamptz = () => timestamp({ withTimezone: true });

/**
 * One WeChat Pay JSAPI order. The row is written (with its Idempotency-Key) before WeChat is called, so a crash
 * or an unclear answer never leaves a payment Lumi does not know about; the ledger is only touched once WeChat
 * confirms the payment (notification or query), under a row lock on this order.
 */
export const paymentOrders = pgTable(
  'payment_orders',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    customerId: uuid().notNull(),
    /** The customer's home store when the order was made, for the ledger posting; online payments need none. */
    storeId: uuid(),
    /** top_up, bill, credit_repayment, shop_order — see purposes.ts. */
    purpose: text().notNull(),
    /** What the purpose points at (a top-up plan, a bill …). */
    purposeRef: text(),
    /** What the purpose needs later to complete or refund the payment. */
    purposeData: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /**
     * Set for purposes that allow one open order per reference (a bill, a customer's credit repayment): the
     * unique index below keeps two payable orders for the same thing from existing, however requests race.
     */
    exclusive: boolean().notNull().default(false),
    description: text().notNull(),
    /** Unique per merchant at WeChat; the merchant is shared by every tenant, so unique here globally. */
    outTradeNo: text().notNull(),
    amountFen: bigint({ mode: 'number' }).notNull(),
    state: text().$type<PaymentState>().notNull().default('NOTPAY'),
    appId: text().notNull(),
    mchid: text().notNull(),
    payerOpenid: text().notNull(),
    idempotencyKey: text().notNull(),
    requestHash: text().notNull(),
    /** The exact order body sent to WeChat: a retry re-sends it, and WeChat answers an identical repeat with the same prepay_id. */
    wechatRequest: jsonb().$type<Record<string, unknown>>().notNull(),
    prepayId: text(),
    /** Set before every create call and cleared by a verified answer: while set, query WeChat before sending again. */
    placementUncertain: boolean().notNull().default(false),
    transactionId: text(),
    timeExpire: timestamptz().notNull(),
    paidAt: timestamptz(),
    /** The ledger transfer the purpose posted when the payment was confirmed — exactly one per order. */
    transferId: bigint({ mode: 'number' }),
    /** First verified notification (reconciliation queries orders that never got one). */
    notifiedAt: timestamptz(),
    lastQueriedAt: timestamptz(),
    closedReason: text(),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    check('payment_orders_amount', sql`${t.amountFen} > 0`),
    check('payment_orders_state', sql`${t.state} in ('NOTPAY', 'SUCCESS', 'CLOSED', 'REFUND')`),
    check('payment_orders_paid_posted', sql`${t.state} not in ('SUCCESS', 'REFUND') or ${t.transferId} is not null`),
    unique('payment_orders_out_trade_no_key').on(t.outTradeNo),
    unique('payment_orders_tenant_id_id_key').on(t.tenantId, t.id),
    unique('payment_orders_idempotency_key').on(t.tenantId, t.customerId, t.idempotencyKey),
    uniqueIndex('payment_orders_transaction_id_key').on(t.transactionId).where(sql`${t.transactionId} is not null`),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    index('payment_orders_open_idx').on(t.createdAt).where(sql`${t.state} = 'NOTPAY'`),
    uniqueIndex('payment_orders_open_reference_key')
      .on(t.tenantId, t.purpose, t.purposeRef)
      .where(sql`${t.state} = 'NOTPAY' and ${t.exclusive}`),
    index('payment_orders_tenant_created_idx').on(t.tenantId, t.createdAt),
  ],
);

/** A refund of (part of) a paid order. out_refund_no is derived from the Idempotency-Key, so a retry reuses it. */
export const paymentRefunds = pgTable(
  'payment_refunds',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    orderId: uuid().notNull(),
    customerId: uuid().notNull(),
    outRefundNo: text().notNull(),
    idempotencyKey: text().notNull(),
    requestHash: text().notNull(),
    amountFen: bigint({ mode: 'number' }).notNull(),
    reason: text().notNull(),
    state: text().$type<RefundState>().notNull().default('PENDING'),
    /** WeChat's refund_id once it accepted the refund. */
    refundId: text(),
    staffId: uuid(),
    wechatRequest: jsonb().$type<Record<string, unknown>>().notNull(),
    /** How many times the refund was sent; after the first, a refusal is checked with a query before voiding. */
    attempts: integer().notNull().default(0),
    /** Ledger: value taken out of the wallet when the refund was requested (the purpose's hold). */
    holdTransferId: bigint({ mode: 'number' }),
    /** Ledger: the settlement on REFUND.SUCCESS. */
    transferId: bigint({ mode: 'number' }),
    /** Ledger: the reversal of the hold when WeChat closed the refund. */
    voidTransferId: bigint({ mode: 'number' }),
    closedReason: text(),
    succeededAt: timestamptz(),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    check('payment_refunds_amount', sql`${t.amountFen} > 0`),
    check('payment_refunds_state', sql`${t.state} in ('PENDING', 'PROCESSING', 'SUCCESS', 'CLOSED', 'ABNORMAL')`),
    check('payment_refunds_settled', sql`${t.state} <> 'SUCCESS' or ${t.transferId} is not null`),
    unique('payment_refunds_out_refund_no_key').on(t.outRefundNo),
    unique('payment_refunds_idempotency_key').on(t.tenantId, t.idempotencyKey),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [paymentOrders.tenantId, paymentOrders.id] }),
    index('payment_refunds_order_idx').on(t.orderId),
    index('payment_refunds_open_idx').on(t.createdAt).where(sql`${t.state} in ('PENDING', 'PROCESSING')`),
  ],
);

/**
 * Every notification whose signature verified, with what was done about it (also when it was then refused).
 * Requests that do not verify are not stored — anyone can post to the URL — only counted in the log (notify.ts);
 * tenant_id is set once a notification was matched to an order.
 */
export const paymentNotifications = pgTable(
  'payment_notifications',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid(),
    /** WeChat's event id (EV-…); unverified ones are whatever the body claimed, truncated. */
    eventId: text(),
    eventType: text(),
    serial: text(),
    verified: boolean().notNull(),
    outcome: text().notNull(),
    outTradeNo: text(),
    outRefundNo: text(),
    detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    receivedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    index('payment_notifications_tenant_idx').on(t.tenantId, t.receivedAt),
    index('payment_notifications_order_idx').on(t.outTradeNo),
  ],
);

/** The daily comparison of Lumi's payment and refund states with WeChat's, one row per tenant and business day. */
export const paymentReconciliationReports = pgTable(
  'payment_reconciliation_reports',
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    businessDate: date({ mode: 'string' }).notNull(),
    ordersChecked: integer().notNull(),
    refundsChecked: integer().notNull(),
    mismatches: jsonb().$type<ReconciliationMismatch[]>().notNull(),
    /** 'bill': compared with WeChat's trade bill both ways; 'queries': order by order (no bill yet). */
    source: text().$type<ReconciliationSource>().notNull().default('queries'),
    /** Why the trade bill was not used (source 'queries'); null when it was. */
    billProblem: text().$type<BillProblem>(),
    /** The day's money by the fund-flow bill beside Lumi's own figures; null when a bill could not be had. */
    settlement: jsonb().$type<ReconciliationSettlement>(),
    settlementProblem: text().$type<BillProblem>(),
    generatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.businessDate] })],
);
