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
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { customers } from '../customers/index.ts';
import { staff } from '../staff/index.ts';
import { stores, tenants } from '../tenants/index.ts';

export const creditLineStatus = pgEnum('credit_line_status', ['active', 'frozen']);
export const creditSalePlan = pgEnum('credit_sale_plan', ['due_date', 'instalments']);
export const creditSaleStatus = pgEnum('credit_sale_status', ['open', 'settled', 'cancelled']);
export const creditItemStatus = pgEnum('credit_item_status', ['open', 'paid', 'cancelled']);
export const creditRequestStatus = pgEnum('credit_request_status', ['pending', 'approved', 'rejected']);
export const collectionTaskStatus = pgEnum('collection_task_status', ['open', 'done']);
export const collectionOutcome = pgEnum('collection_outcome', ['called', 'promised', 'paid', 'disputed']);

/**
 * One credit line per customer: the limit and whether it may be used. What the customer owes is NOT kept here:
 * it is the balance of their credit_receivable account in the ledger. Every charge locks this row
 * (SELECT … FOR UPDATE) and checks owed + amount ≤ limit in the transaction that posts it.
 */
export const creditLines = pgTable(
  'credit_lines',
  {
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    limitFen: bigint({ mode: 'number' }).notNull().default(0),
    status: creditLineStatus().notNull().default('active'),
    /** Bumped on every limit or status change, so a limit reminder may fire again after one. */
    version: integer().notNull().default(0),
    frozenReason: text(),
    frozenAt: timestamp({ withTimezone: true }),
    /** null with status frozen: frozen by the overdue job. */
    frozenBy: uuid(),
    /** When a manager last unfroze the line: the overdue job does not re-freeze for items already overdue then. */
    unfrozenAt: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    check('credit_lines_limit_nonnegative', sql`${t.limitFen} >= 0`),
  ],
);

/** A credit sale (赊销) or tab charge (挂账): the ledger transfer that put it on the receivable, and its plan. */
export const creditSales = pgTable(
  'credit_sales',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    customerId: uuid().notNull(),
    /** The ledger transfer that debited credit_receivable (FK added in the migration). */
    transferId: bigint({ mode: 'number' }).notNull(),
    storeId: uuid(),
    staffId: uuid(),
    principalFen: bigint({ mode: 'number' }).notNull(),
    plan: creditSalePlan().notNull(),
    instalmentCount: integer().notNull(),
    interestFree: boolean().notNull().default(true),
    referenceType: text(),
    referenceId: text(),
    status: creditSaleStatus().notNull().default('open'),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    unique('credit_sales_tenant_id_id_key').on(t.tenantId, t.id),
    unique('credit_sales_transfer_key').on(t.tenantId, t.transferId),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ columns: [t.tenantId, t.storeId], foreignColumns: [stores.tenantId, stores.id] }),
    index('credit_sales_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
    check('credit_sales_principal_positive', sql`${t.principalFen} > 0`),
    check('credit_sales_instalments', sql`${t.instalmentCount} >= 1`),
  ],
);

/** What is due when: one row for a single due date, N rows for an instalment plan; amounts sum to the principal. */
export const creditItems = pgTable(
  'credit_items',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    saleId: uuid().notNull(),
    seq: integer().notNull(),
    dueDate: date({ mode: 'string' }).notNull(),
    amountFen: bigint({ mode: 'number' }).notNull(),
    /** Σ credit_allocations of this item, kept under the credit-line lock. */
    paidFen: bigint({ mode: 'number' }).notNull().default(0),
    status: creditItemStatus().notNull().default('open'),
    paidAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('credit_items_tenant_id_id_key').on(t.tenantId, t.id),
    unique('credit_items_sale_seq_key').on(t.saleId, t.seq),
    foreignKey({ columns: [t.tenantId, t.saleId], foreignColumns: [creditSales.tenantId, creditSales.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    index('credit_items_customer_due_idx').on(t.tenantId, t.customerId, t.dueDate),
    index('credit_items_open_due_idx').on(t.tenantId, t.dueDate).where(sql`${t.status} = 'open'`),
    check('credit_items_amount_positive', sql`${t.amountFen} > 0`),
    check('credit_items_paid_range', sql`${t.paidFen} >= 0 and ${t.paidFen} <= ${t.amountFen}`),
  ],
);

/** Which items a repayment paid, and how much of each (oldest due first). Append-only. */
export const creditAllocations = pgTable(
  'credit_allocations',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    itemId: uuid().notNull(),
    /** The repayment's ledger transfer (FK added in the migration). */
    transferId: bigint({ mode: 'number' }).notNull(),
    amountFen: bigint({ mode: 'number' }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.itemId], foreignColumns: [creditItems.tenantId, creditItems.id] }),
    index('credit_allocations_item_idx').on(t.itemId),
    index('credit_allocations_transfer_idx').on(t.tenantId, t.transferId),
    check('credit_allocations_amount_positive', sql`${t.amountFen} > 0`),
  ],
);

/** 额度申请: filed by staff, decided by a manager who did not file it. */
export const creditLimitRequests = pgTable(
  'credit_limit_requests',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    requestedBy: uuid().notNull(),
    requestedLimitFen: bigint({ mode: 'number' }).notNull(),
    currentLimitFen: bigint({ mode: 'number' }).notNull(),
    reason: text().notNull(),
    suggestedLimitFen: bigint({ mode: 'number' }).notNull(),
    /** The suggestion with its reasoning lines and factors, as shown when the request was filed. */
    suggestion: jsonb().notNull(),
    status: creditRequestStatus().notNull().default('pending'),
    decidedBy: uuid(),
    decidedAt: timestamp({ withTimezone: true }),
    approvedLimitFen: bigint({ mode: 'number' }),
    /** The limit the approval set, or the higher one it kept (never lowered unless the manager chose to). */
    limitAfterFen: bigint({ mode: 'number' }),
    decisionNote: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ columns: [t.tenantId, t.requestedBy], foreignColumns: [staff.tenantId, staff.id] }),
    foreignKey({ columns: [t.tenantId, t.decidedBy], foreignColumns: [staff.tenantId, staff.id] }),
    uniqueIndex('credit_limit_requests_one_pending').on(t.tenantId, t.customerId).where(sql`${t.status} = 'pending'`),
    index('credit_limit_requests_tenant_idx').on(t.tenantId, t.status, t.createdAt),
    check('credit_limit_requests_decided', sql`(${t.status} = 'pending') = (${t.decidedAt} is null)`),
  ],
);

/**
 * Every credit reminder, claimed once per (item, kind) — or per limit episode. Reminders sent together share a
 * batch, and a batch is one customer message: outbound_messages with dedupe key credit_reminder:<batch id>
 * holds its channel and outcome.
 */
export const creditReminders = pgTable(
  'credit_reminders',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    itemId: uuid(),
    kind: text().notNull(),
    /** item:<id>:<kind> or limit:<customer>:<kind>:v<line version>:<latest sale>; unique per tenant. */
    dedupeKey: text().notNull(),
    batchId: uuid().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('credit_reminders_dedupe_key').on(t.tenantId, t.dedupeKey),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    index('credit_reminders_customer_idx').on(t.tenantId, t.customerId, t.id),
  ],
);

/** 催收: a task for staff to contact an overdue customer, with its outcome. */
export const collectionTasks = pgTable(
  'collection_tasks',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    assigneeId: uuid(),
    /** null: opened by the overdue job. */
    createdBy: uuid(),
    dueDate: date({ mode: 'string' }).notNull(),
    note: text().notNull(),
    status: collectionTaskStatus().notNull().default('open'),
    outcome: collectionOutcome(),
    promisedDate: date({ mode: 'string' }),
    outcomeNote: text(),
    completedBy: uuid(),
    completedAt: timestamp({ withTimezone: true }),
    followUpOf: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ columns: [t.tenantId, t.assigneeId], foreignColumns: [staff.tenantId, staff.id] }),
    index('collection_tasks_open_idx').on(t.tenantId, t.status, t.dueDate),
    index('collection_tasks_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
    check('collection_tasks_outcome', sql`(${t.status} = 'done') = (${t.outcome} is not null)`),
  ],
);
