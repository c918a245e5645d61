import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { storeDayCounters } from '../tenants/store-day-numbers.ts';
import { tenants } from '../tenants/tables.ts';

export const billStatus = pgEnum('bill_status', ['open', 'awaiting_customer', 'settled', 'voided', 'cancelled']);
export const billLineType = pgEnum('bill_line_type', ['service', 'product', 'package_session', 'shop_voucher']);

/**
 * A bill opened by a beautician for one customer at one store. Totals are computed on the server from the
 * catalogue, the customer's tier, a coupon and an audited manual discount; the client never sends a total.
 */
export const bills = pgTable(
  'bills',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    /** Printed on the receipt: store code, Shanghai business day, the store's sequence that day (S01-20261207-0042). */
    number: text().notNull(),
    storeId: uuid().notNull(),
    customerId: uuid().notNull(),
    openedBy: uuid().notNull(),
    status: billStatus().notNull().default('open'),
    subtotalFen: bigint({ mode: 'number' }).notNull(),
    tierDiscountFen: bigint({ mode: 'number' }).notNull().default(0),
    couponId: uuid(),
    couponDiscountFen: bigint({ mode: 'number' }).notNull().default(0),
    manualDiscountFen: bigint({ mode: 'number' }).notNull().default(0),
    manualDiscountReason: text(),
    totalFen: bigint({ mode: 'number' }).notNull(),
    memo: text(),
    tenders: jsonb().notNull().default([]),
    confirmationRequired: boolean().notNull().default(false),
    customerConfirmedAt: timestamp({ withTimezone: true }),
    wechatPaidAt: timestamp({ withTimezone: true }),
    holdExpiresAt: timestamp({ withTimezone: true }),
    transferId: bigint({ mode: 'number' }),
    voidTransferId: bigint({ mode: 'number' }),
    disputeUntil: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    settledAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    check('bills_amounts', sql`${t.subtotalFen} >= 0 and ${t.totalFen} >= 0`),
    uniqueIndex('bills_number_key').on(t.tenantId, t.number),
    index('bills_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
    index('bills_store_status_idx').on(t.tenantId, t.storeId, t.status, t.createdAt),
    index('bills_hold_expiry_idx').on(t.holdExpiresAt).where(sql`${t.status} = 'awaiting_customer'`),
  ],
);

export const billLines = pgTable(
  'bill_lines',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    billId: uuid()
      .notNull()
      .references(() => bills.id),
    position: integer().notNull(),
    type: billLineType().notNull(),
    serviceId: uuid(),
    productId: uuid(),
    packageCardId: uuid(),
    /** A service voucher bought in the shop, used as this line (shop_vouchers). */
    shopVoucherId: uuid(),
    name: text().notNull(),
    category: text(),
    quantity: integer().notNull(),
    listPriceFen: bigint({ mode: 'number' }).notNull(),
    unitPriceFen: bigint({ mode: 'number' }).notNull(),
    /** This line's share of the bill's tier, coupon and manual discounts. */
    discountFen: bigint({ mode: 'number' }).notNull().default(0),
    amountFen: bigint({ mode: 'number' }).notNull(),
    performerIds: uuid().array().notNull().default(sql`'{}'::uuid[]`),
  },
  (t) => [
    check('bill_lines_amounts', sql`${t.quantity} > 0 and ${t.amountFen} >= 0`),
    index('bill_lines_bill_idx').on(t.billId),
  ],
);

/**
 * Every accepted settlement request: its Idempotency-Key belongs to this bill and this request for good, even
 * after the bill reopens (declined, hold expired), so a late retry replays instead of settling again, and the
 * key can never settle another bill.
 */
export const billSettlements = pgTable(
  'bill_settlements',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    billId: uuid()
      .notNull()
      .references(() => bills.id),
    idempotencyKey: text().notNull(),
    requestHash: text().notNull(),
    staffId: uuid().notNull(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('bill_settlements_idempotency_key').on(t.tenantId, t.idempotencyKey),
    index('bill_settlements_bill_idx').on(t.billId),
  ],
);

/** The last bill number given out per store and Shanghai business day (tenants/store-day-numbers.ts). */
export const billNumberCounters = storeDayCounters('bill_number_counters');

/** How a tenant pays commission (提成): per service or product, or a default, by role. */
export const commissionRules = pgTable(
  'commission_rules',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    lineType: billLineType().notNull(),
    /** A service or product id; null applies to every item of the line type. */
    itemId: uuid(),
    role: text(),
    /** percent: basis points of the line amount; fixed: fen per unit (per session). */
    kind: text().notNull(),
    value: bigint({ mode: 'number' }).notNull(),
  },
  (t) => [
    check('commission_rules_kind', sql`${t.kind} in ('percent', 'fixed') and ${t.value} >= 0`),
    index('commission_rules_tenant_idx').on(t.tenantId),
  ],
);

/** Commission earned on a settled line; a void adds the negative row, so totals are sums. */
export const commissions = pgTable(
  'commissions',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid().notNull(),
    billId: uuid().notNull(),
    lineId: uuid().notNull(),
    staffId: uuid().notNull(),
    amountFen: bigint({ mode: 'number' }).notNull(),
    reversal: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('commissions_staff_idx').on(t.tenantId, t.staffId, t.createdAt),
    index('commissions_bill_idx').on(t.billId),
  ],
);

export const disputeStatus = pgEnum('dispute_status', ['open', 'answered', 'reversed']);

/** A customer's "有疑问" on a bill; a manager answers it or reverses the bill. */
export const disputes = pgTable(
  'disputes',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    billId: uuid().notNull(),
    customerId: uuid().notNull(),
    reason: text().notNull(),
    status: disputeStatus().notNull().default('open'),
    answer: text(),
    resolvedBy: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('disputes_tenant_status_idx').on(t.tenantId, t.status, t.createdAt),
    uniqueIndex('disputes_open_bill_key').on(t.billId).where(sql`${t.status} = 'open'`),
  ],
);

/**
 * A refund of part of a settled bill, or its void (everything still unrefunded). The money moved in one ledger
 * transfer; these rows say what it was for, so later refunds know what is left per line and per tender.
 */
export const billRefunds = pgTable(
  'bill_refunds',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    billId: uuid()
      .notNull()
      .references(() => bills.id),
    kind: text().$type<'refund' | 'void'>().notNull(),
    idempotencyKey: text().notNull(),
    requestHash: text().notNull(),
    amountFen: bigint({ mode: 'number' }).notNull(),
    /** Per line: units returned, money refunded (after the line's discount) and package sessions given back. */
    lines: jsonb().$type<RefundedLine[]>().notNull(),
    /** Per tender, what went back; stored value with its principal/bonus split, points with their value. */
    tenders: jsonb().$type<RefundedTender[]>().notNull(),
    pointsClawedBack: integer().notNull().default(0),
    reason: text().notNull(),
    staffId: uuid().notNull(),
    transferId: bigint({ mode: 'number' }).notNull(),
    wechatOutRefundNo: text(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    check('bill_refunds_amount', sql`${t.amountFen} >= 0`),
    check('bill_refunds_kind', sql`${t.kind} in ('refund', 'void')`),
    uniqueIndex('bill_refunds_idempotency_key').on(t.tenantId, t.idempotencyKey),
    index('bill_refunds_bill_idx').on(t.billId),
  ],
);

export interface RefundedLine {
  lineId: string;
  quantity: number;
  /** Money refunded, after discount. */
  amountFen: number;
  /** The line's discount that comes back out with it (revenue goes back gross, the discount contra with it). */
  discountFen: number;
  sessions: number;
  /** Package value un-recognised for the sessions given back. */
  recognisedFen: number;
}

export type RefundedTender =
  | { method: 'stored_value'; amountFen: number; principalFen: number; bonusFen: number }
  | { method: 'points'; points: number; amountFen: number }
  | { method: 'cash' | 'card' | 'wechat' | 'credit'; amountFen: number };

/**
 * 请店长审批: what a beautician asked a manager to decide, one state machine (pending → approved | rejected) for
 * every kind. A void or refund is kept as she filed it and performed on approval through refundBill under the key
 * `approval/<id>`; a package transfer is performed on approval through the ledger under the same key; a large
 * discount is only approved, and used once when she opens the bill it names (`billId`, `usedAt`).
 */
export const approvalRequests = pgTable(
  'approval_requests',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    /** The bill to void or refund; a discount's bill once opened; null for a package transfer. */
    billId: uuid().references(() => bills.id),
    storeId: uuid().notNull(),
    /** The bill's customer, a discount's customer or the card's owner. */
    customerId: uuid().notNull(),
    kind: text().$type<'void' | 'refund' | 'discount' | 'package_transfer'>().notNull(),
    /** The refund request (lines, tenders, restock, reason) as filed; null for a void. */
    refund: jsonb().$type<Record<string, unknown>>(),
    /**
     * A discount: {draft, lines, subtotalFen, tierDiscountFen, limitBasisPoints} as priced when filed; a package
     * transfer: {packageCardId, toCustomerId, sessions, toCardId}.
     */
    details: jsonb().$type<Record<string, unknown>>(),
    reason: text().notNull(),
    amountFen: bigint({ mode: 'number' }).notNull(),
    thresholdFen: bigint({ mode: 'number' }).notNull(),
    status: text().$type<'pending' | 'approved' | 'rejected'>().notNull().default('pending'),
    requestedBy: uuid().notNull(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    decidedBy: uuid(),
    decidedAt: timestamp({ withTimezone: true, precision: 3 }),
    decisionNote: text(),
    /** The approving manager's Idempotency-Key: a replay of the approval answers as the first did. */
    decisionKey: text(),
    refundId: uuid().references(() => billRefunds.id),
    /** The ledger transfer an approved package transfer posted. */
    transferId: bigint({ mode: 'number' }),
    /** When an approved discount opened its bill. */
    usedAt: timestamp({ withTimezone: true, precision: 3 }),
  },
  (t) => [
    check('approval_requests_kind', sql`${t.kind} in ('void', 'refund', 'discount', 'package_transfer')`),
    check('approval_requests_status', sql`${t.status} in ('pending', 'approved', 'rejected')`),
    index('approval_requests_tenant_status_idx').on(t.tenantId, t.status, t.createdAt),
    // A discount's bill is null until used, so this index holds for voids and refunds only.
    uniqueIndex('approval_requests_pending_bill_key').on(t.billId).where(sql`${t.status} = 'pending'`),
    uniqueIndex('approval_requests_pending_card_key')
      .on(sql`(${t.details}->>'packageCardId')`)
      .where(sql`${t.status} = 'pending' and ${t.kind} = 'package_transfer'`),
    uniqueIndex('approval_requests_bill_used_key').on(t.billId).where(sql`${t.kind} = 'discount'`),
    uniqueIndex('approval_requests_decision_key').on(t.tenantId, t.decisionKey),
  ],
);
