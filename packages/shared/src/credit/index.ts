import { z } from 'zod';
import { IdSchema, IsoDateTimeSchema, PositiveFenSchema } from '../common.ts';
import { text } from '../text.ts';

/**
 * Tab (挂账) and credit sales (赊销): credit lines with limits, limit requests and approvals, repayments,
 * reminders, aging and collection. Amounts are integer fen; dates without a time are Asia/Shanghai business days.
 */

const BusinessDateSchema = z.iso.date().meta({ description: 'A business day in Asia/Shanghai (YYYY-MM-DD)' });
const NoteSchema = text().trim().min(2).max(200);
/** A credit limit: 0 … ¥10,000,000. */
export const CreditLimitFenSchema = z
  .number()
  .int()
  .min(0)
  .max(1_000_000_000)
  .meta({ description: 'Credit limit in integer fen' });

const PersonSchema = z.object({ id: IdSchema, name: text().nullable() });

// ── tenant settings (tenants.settings.credit) ───────────────────────────────────────────────────────────────

const DayListSchema = (min: number, max: number, maxItems: number) =>
  z
    .array(z.number().int().min(min).max(max))
    .max(maxItems)
    .refine((days) => new Set(days).size === days.length, 'days must not repeat');

const creditRules = {
  /** A credit sale without a due date or instalment plan is due this many days after the sale. */
  defaultDueDays: z.number().int().min(1).max(365),
  /** Reminders this many days before an item is due (each at most once per item). */
  remindDaysBeforeDue: DayListSchema(1, 60, 5),
  remindOnDueDate: z.boolean(),
  /** Reminders when an item has been overdue this many days. */
  remindOverdueDays: DayListSchema(1, 365, 10),
  /** A "near the limit" reminder when what is owed reaches this percentage of the limit. */
  nearLimitPercent: z.number().int().min(50).max(100),
  /** The line freezes automatically once an item is this many days overdue (null: never). */
  autoFreezeOverdueDays: z.number().int().min(1).max(365).nullable(),
  /** A collection task is opened once a customer is this many days overdue … */
  collectionAfterOverdueDays: z.number().int().min(1).max(365),
  /** … and again this many days after the last one, while they stay overdue and no task is open. */
  collectionFollowUpDays: z.number().int().min(1).max(90),
  /** Upper bound of the suggested limit. */
  maxSuggestedLimitFen: CreditLimitFenSchema,
};

export const TenantCreditSettingsSchema = z
  .object({
    defaultDueDays: creditRules.defaultDueDays.default(30),
    remindDaysBeforeDue: creditRules.remindDaysBeforeDue.default([3]),
    remindOnDueDate: creditRules.remindOnDueDate.default(true),
    remindOverdueDays: creditRules.remindOverdueDays.default([1, 7, 15, 30]),
    nearLimitPercent: creditRules.nearLimitPercent.default(80),
    autoFreezeOverdueDays: creditRules.autoFreezeOverdueDays.default(30),
    collectionAfterOverdueDays: creditRules.collectionAfterOverdueDays.default(1),
    collectionFollowUpDays: creditRules.collectionFollowUpDays.default(7),
    maxSuggestedLimitFen: creditRules.maxSuggestedLimitFen.default(5_000_000),
  })
  .meta({ id: 'TenantCreditSettings' });
export type TenantCreditSettings = z.infer<typeof TenantCreditSettingsSchema>;

/** Only the rules given change; the rest keep their current values. */
export const UpdateCreditSettingsRequestSchema = z
  .object(creditRules)
  .partial()
  .strict()
  .meta({ id: 'UpdateCreditSettingsRequest' });
export type UpdateCreditSettingsRequest = z.infer<typeof UpdateCreditSettingsRequestSchema>;

// ── credit lines, sales and items ───────────────────────────────────────────────────────────────────────────

export const CreditLineStatusSchema = z.enum(['active', 'frozen']);
export type CreditLineStatus = z.infer<typeof CreditLineStatusSchema>;

export const CreditItemStatusSchema = z.enum(['open', 'paid', 'cancelled']);
export const CreditSaleStatusSchema = z.enum(['open', 'settled', 'cancelled']);

export const CreditSummarySchema = z
  .object({
    customerId: IdSchema,
    limitFen: z.number().int(),
    /** What the customer owes: the balance of their credit_receivable account in the ledger. */
    owedFen: z.number().int(),
    /** limit − owed, never below 0. */
    availableFen: z.number().int(),
    /** owed × 100 ÷ limit, rounded down (null when the limit is 0). */
    usagePercent: z.number().int().nullable(),
    status: CreditLineStatusSchema,
    frozenReason: text().nullable(),
    overdueFen: z.number().int(),
    nextDue: z.object({ dueDate: BusinessDateSchema, amountFen: z.number().int() }).nullable(),
  })
  .meta({ id: 'CreditSummary' });
export type CreditSummary = z.infer<typeof CreditSummarySchema>;

export const CreditItemSchema = z
  .object({
    id: IdSchema,
    saleId: IdSchema,
    /** 1-based position in the sale's schedule (1 of 1 for a single due date). */
    seq: z.number().int(),
    of: z.number().int(),
    dueDate: BusinessDateSchema,
    amountFen: z.number().int(),
    paidFen: z.number().int(),
    outstandingFen: z.number().int(),
    status: CreditItemStatusSchema,
    /** Days past the due date (0 when not overdue or paid). */
    overdueDays: z.number().int(),
    paidAt: IsoDateTimeSchema.nullable(),
  })
  .meta({ id: 'CreditItem' });
export type CreditItem = z.infer<typeof CreditItemSchema>;

export const CreditSaleSchema = z
  .object({
    id: IdSchema,
    transferId: z.number().int(),
    at: IsoDateTimeSchema,
    storeId: IdSchema.nullable(),
    principalFen: z.number().int(),
    outstandingFen: z.number().int(),
    plan: z.enum(['due_date', 'instalments']),
    instalmentCount: z.number().int(),
    interestFree: z.boolean(),
    reference: z.object({ type: text(), id: text() }).nullable(),
    status: CreditSaleStatusSchema,
    items: z.array(CreditItemSchema),
  })
  .meta({ id: 'CreditSale' });
export type CreditSale = z.infer<typeof CreditSaleSchema>;

/** GET /me/credit and GET /staff/customers/:id/credit. */
export const CustomerCreditSchema = CreditSummarySchema.extend({
  /** Sales that still have something to pay, oldest first. */
  openSales: z.array(CreditSaleSchema),
}).meta({ id: 'CustomerCredit' });
export type CustomerCredit = z.infer<typeof CustomerCreditSchema>;

const LineItemSchema = z
  .object({
    name: text().min(1).max(60),
    quantity: z.number().int().min(1).max(999),
    amountFen: z.number().int().min(0).max(1e11),
  })
  .strict();

export const InstalmentPlanSchema = z
  .object({
    /** 分期 count: 2 … 36 monthly instalments. */
    count: z.number().int().min(2).max(36),
    /** 分期免息; an interest-bearing plan keeps the same principal schedule (no interest is booked by Lumi). */
    interestFree: z.boolean().default(true),
    /** First instalment's due date; one month after the sale when omitted. Later ones fall monthly on the same day. */
    firstDueDate: BusinessDateSchema.optional(),
  })
  .strict()
  .meta({ id: 'InstalmentPlan' });
export type InstalmentPlan = z.infer<typeof InstalmentPlanSchema>;

export const CreditSaleRequestSchema = z
  .object({
    storeId: IdSchema,
    amountFen: PositiveFenSchema.max(100_000_000),
    revenue: z.enum(['service', 'product']).default('service'),
    items: z.array(LineItemSchema).max(50).default([]),
    memo: text().max(200).optional(),
    /** Due date of the whole amount; the tenant's defaultDueDays after today when neither this nor instalments. */
    dueDate: BusinessDateSchema.optional(),
    instalments: InstalmentPlanSchema.optional(),
  })
  .strict()
  .refine((b) => !(b.dueDate && b.instalments), {
    message: 'give either dueDate or instalments, not both',
    path: ['instalments'],
  })
  .meta({ id: 'CreditSaleRequest' });
export type CreditSaleRequest = z.infer<typeof CreditSaleRequestSchema>;

export const CreditSaleResultSchema = z
  .object({ transferId: z.number().int(), sale: CreditSaleSchema, credit: CreditSummarySchema })
  .meta({ id: 'CreditSaleResult' });
export type CreditSaleResult = z.infer<typeof CreditSaleResultSchema>;

// ── repayments ──────────────────────────────────────────────────────────────────────────────────────────────

export const CreditRepaymentMethodSchema = z.enum(['cash', 'card', 'stored_value', 'wechat']);
export type CreditRepaymentMethod = z.infer<typeof CreditRepaymentMethodSchema>;

export const CreditRepaymentRequestSchema = z
  .object({
    storeId: IdSchema,
    amountFen: PositiveFenSchema.max(100_000_000),
    /** WeChat Pay repayments are started through the payments module. */
    method: z.enum(['cash', 'card', 'stored_value']),
    cardReference: text().max(64).optional(),
    memo: text().max(200).optional(),
  })
  .strict()
  .meta({ id: 'CreditRepaymentRequest' });
export type CreditRepaymentRequest = z.infer<typeof CreditRepaymentRequestSchema>;

export const CreditAllocationSchema = z
  .object({ itemId: IdSchema, saleId: IdSchema, dueDate: BusinessDateSchema, amountFen: z.number().int() })
  .meta({ id: 'CreditAllocation' });
export type CreditAllocation = z.infer<typeof CreditAllocationSchema>;

export const CreditRepaymentResultSchema = z
  .object({
    transferId: z.number().int(),
    amountFen: z.number().int(),
    method: CreditRepaymentMethodSchema,
    /** Oldest due items first. */
    allocations: z.array(CreditAllocationSchema),
    credit: CreditSummarySchema,
  })
  .meta({ id: 'CreditRepaymentResult' });
export type CreditRepaymentResult = z.infer<typeof CreditRepaymentResultSchema>;

// ── limit requests, suggestion, approval ────────────────────────────────────────────────────────────────────

export const CreditSuggestionSchema = z
  .object({
    suggestedLimitFen: z.number().int(),
    /** Why, line by line (Chinese, shown to staff as is). */
    reasons: z.array(text()),
    factors: z.object({
      spend12mFen: z.number().int(),
      baseFen: z.number().int(),
      tenureMonths: z.number().int(),
      tenurePercent: z.number().int(),
      settledItems: z.number().int(),
      paidOnTime: z.number().int(),
      paidLate: z.number().int(),
      maxDaysLate: z.number().int(),
      overdueNow: z.number().int(),
      punctualityPercent: z.number().int(),
      capFen: z.number().int(),
    }),
  })
  .meta({ id: 'CreditSuggestion' });
export type CreditSuggestion = z.infer<typeof CreditSuggestionSchema>;

export const CreditRequestStatusSchema = z.enum(['pending', 'approved', 'rejected']);

export const CreateCreditLimitRequestSchema = z
  .object({ requestedLimitFen: CreditLimitFenSchema, reason: NoteSchema })
  .strict()
  .meta({ id: 'CreateCreditLimitRequest' });
export type CreateCreditLimitRequest = z.infer<typeof CreateCreditLimitRequestSchema>;

export const CreditLimitRequestSchema = z
  .object({
    id: IdSchema,
    customer: PersonSchema,
    requestedBy: PersonSchema,
    requestedLimitFen: z.number().int(),
    currentLimitFen: z.number().int(),
    reason: text(),
    suggestion: CreditSuggestionSchema,
    status: CreditRequestStatusSchema,
    decidedBy: PersonSchema.nullable(),
    decidedAt: IsoDateTimeSchema.nullable(),
    approvedLimitFen: z.number().int().nullable(),
    /**
     * The limit the approval left the customer with: the approved amount, or her higher existing limit, kept
     * (a request that moved with a merged customer may ask less than the survivor already had). Null until approved.
     */
    limitAfterFen: z.number().int().nullable(),
    /** The customer's limit now, to weigh a pending request against (currentLimitFen is the one at filing). */
    lineLimitFen: z.number().int(),
    decisionNote: text().nullable(),
    createdAt: IsoDateTimeSchema,
  })
  .meta({ id: 'CreditLimitRequest' });
export type CreditLimitRequest = z.infer<typeof CreditLimitRequestSchema>;

/**
 * The limit request of a customer still waiting for a manager, as any member of staff of her tenant sees it at the
 * counter: one may be pending per customer, whoever filed it, so a colleague's blocks a second one. Only what the
 * counter needs — the amount, when, and who filed it; the reasoning and the decision stay with filer and managers.
 */
export const WaitingCreditLimitRequestSchema = CreditLimitRequestSchema.pick({
  id: true,
  requestedBy: true,
  requestedLimitFen: true,
  currentLimitFen: true,
  createdAt: true,
}).meta({ id: 'WaitingCreditLimitRequest' });
export type WaitingCreditLimitRequest = z.infer<typeof WaitingCreditLimitRequestSchema>;
export const CustomerWaitingCreditRequestSchema = z
  .object({ waiting: WaitingCreditLimitRequestSchema.nullable() })
  .meta({ id: 'CustomerWaitingCreditRequest' });
export type CustomerWaitingCreditRequest = z.infer<typeof CustomerWaitingCreditRequestSchema>;

export const CreditLimitRequestListQuerySchema = z
  .object({
    status: CreditRequestStatusSchema.optional(),
    customerId: IdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();
export type CreditLimitRequestListQuery = z.infer<typeof CreditLimitRequestListQuerySchema>;

export const ApproveCreditLimitRequestSchema = z
  .object({
    /** Lower than requested to approve less; the requested amount when omitted. */
    approvedLimitFen: CreditLimitFenSchema.optional(),
    /**
     * Approving less than the customer's existing limit keeps that limit unless this is true: the manager lowers
     * it on purpose (a note is then required).
     */
    lowerExisting: z.boolean().optional(),
    note: text().trim().max(200).optional(),
  })
  .strict()
  .meta({ id: 'ApproveCreditLimitRequest' });
export type ApproveCreditLimitRequest = z.infer<typeof ApproveCreditLimitRequestSchema>;

export const RejectCreditLimitRequestSchema = z
  .object({ note: NoteSchema })
  .strict()
  .meta({ id: 'RejectCreditLimitRequest' });

export const SetCreditLimitRequestSchema = z
  .object({ limitFen: CreditLimitFenSchema, reason: NoteSchema })
  .strict()
  .meta({ id: 'SetCreditLimitRequest' });

export const CreditLineActionRequestSchema = z
  .object({ reason: NoteSchema })
  .strict()
  .meta({ id: 'CreditLineActionRequest' });

// ── reminders ───────────────────────────────────────────────────────────────────────────────────────────────

export const CreditReminderSchema = z
  .object({
    id: z.number().int(),
    kind: text().meta({ description: 'before_due_<n>, due_today, overdue_<n>, limit_near, limit_exceeded' }),
    itemId: IdSchema.nullable(),
    channel: z.enum(['wechat', 'sms', 'none']),
    status: z.enum(['pending', 'sent', 'failed', 'skipped']),
    error: text().nullable(),
    at: IsoDateTimeSchema,
  })
  .meta({ id: 'CreditReminder' });

// ── aging and collection ────────────────────────────────────────────────────────────────────────────────────

export const AgingBucketsSchema = z
  .object({
    notDueFen: z.number().int(),
    days1to30Fen: z.number().int(),
    days31to60Fen: z.number().int(),
    days61to90Fen: z.number().int(),
    days90plusFen: z.number().int(),
    overdueFen: z.number().int(),
    owedFen: z.number().int(),
  })
  .meta({ id: 'AgingBuckets' });
export type AgingBuckets = z.infer<typeof AgingBucketsSchema>;

export const AgingCustomerSchema = z.object({
  customer: PersonSchema.extend({ phone: text().nullable() }),
  buckets: AgingBucketsSchema,
  oldestOverdueDays: z.number().int(),
  limitFen: z.number().int(),
  lineStatus: CreditLineStatusSchema,
});

export const AgingReportSchema = z
  .object({ asOf: BusinessDateSchema, totals: AgingBucketsSchema, customers: z.array(AgingCustomerSchema) })
  .meta({ id: 'CreditAgingReport' });
export type AgingReport = z.infer<typeof AgingReportSchema>;

export const CollectionOutcomeSchema = z.enum(['called', 'promised', 'paid', 'disputed']);
export type CollectionOutcome = z.infer<typeof CollectionOutcomeSchema>;

export const CollectionTaskSchema = z
  .object({
    id: IdSchema,
    customer: PersonSchema,
    assignee: PersonSchema.nullable(),
    dueDate: BusinessDateSchema,
    note: text(),
    status: z.enum(['open', 'done']),
    outcome: CollectionOutcomeSchema.nullable(),
    promisedDate: BusinessDateSchema.nullable(),
    outcomeNote: text().nullable(),
    completedBy: PersonSchema.nullable(),
    completedAt: IsoDateTimeSchema.nullable(),
    /** null: opened by the overdue job. */
    createdBy: PersonSchema.nullable(),
    createdAt: IsoDateTimeSchema,
  })
  .meta({ id: 'CollectionTask' });
export type CollectionTask = z.infer<typeof CollectionTaskSchema>;

export const CreateCollectionTaskRequestSchema = z
  .object({
    assigneeId: IdSchema.optional(),
    dueDate: BusinessDateSchema,
    note: text().trim().min(1).max(200),
  })
  .strict()
  .meta({ id: 'CreateCollectionTaskRequest' });

export const RecordCollectionOutcomeRequestSchema = z
  .object({
    outcome: CollectionOutcomeSchema,
    /** Required when the customer promised to pay: a follow-up task falls due the day after. */
    promisedDate: BusinessDateSchema.optional(),
    note: text().trim().max(200).optional(),
  })
  .strict()
  .refine((b) => b.outcome !== 'promised' || b.promisedDate !== undefined, {
    message: 'required when the outcome is promised',
    path: ['promisedDate'],
  })
  .meta({ id: 'RecordCollectionOutcomeRequest' });
export type RecordCollectionOutcomeRequest = z.infer<typeof RecordCollectionOutcomeRequestSchema>;

export const CollectionTaskListQuerySchema = z
  .object({
    status: z.enum(['open', 'done']).optional(),
    customerId: IdSchema.optional(),
    assigneeId: IdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type CollectionTaskListQuery = z.infer<typeof CollectionTaskListQuerySchema>;

export const CollectionBoardSchema = z
  .object({
    asOf: BusinessDateSchema,
    totals: AgingBucketsSchema,
    customers: z.array(
      AgingCustomerSchema.extend({
        lastContact: z
          .object({
            at: IsoDateTimeSchema,
            outcome: CollectionOutcomeSchema,
            promisedDate: BusinessDateSchema.nullable(),
            note: text().nullable(),
            staff: PersonSchema.nullable(),
          })
          .nullable(),
        openTasks: z.array(CollectionTaskSchema),
      }),
    ),
  })
  .meta({ id: 'CollectionBoard' });
export type CollectionBoard = z.infer<typeof CollectionBoardSchema>;
