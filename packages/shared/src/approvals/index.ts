import { z } from 'zod';
import { OpenBillRequestSchema, RefundBillRequestSchema } from '../checkout/index.ts';
import { IdSchema, IsoDateTimeSchema } from '../common.ts';
import { text } from '../text.ts';

/**
 * 请店长审批: a beautician asks a manager to void or refund a bill above the tenant's threshold. A void names only
 * its reason; a refund is the refund request she would have sent herself.
 */
export const FileApprovalRequestSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('void'), reason: text().trim().min(2).max(200) }).strict(),
    z.object({ kind: z.literal('refund'), refund: RefundBillRequestSchema }).strict(),
  ])
  .meta({ id: 'FileApprovalRequest' });
export type FileApprovalRequest = z.infer<typeof FileApprovalRequestSchema>;

/** A bill as the till would open it, without an approval: what a discount request asks a manager to approve. */
export const BillDraftSchema = OpenBillRequestSchema.omit({ approvalRequestId: true }).meta({ id: 'BillDraft' });
export type BillDraft = z.infer<typeof BillDraftSchema>;

/**
 * A manual discount above the tenant's limit: the beautician sends the bill she wants to open (customer, store,
 * lines, discount and its reason) and opens it, once approved, with `approvalRequestId`.
 */
export const FileDiscountApprovalSchema = z
  .object({ draft: BillDraftSchema })
  .strict()
  .meta({ id: 'FileDiscountApproval' });
export type FileDiscountApproval = z.infer<typeof FileDiscountApprovalSchema>;

/**
 * 转卡 by a beautician: a manager of the store approves it (the ledger moves the sessions asked, by default every
 * session left) or refuses.
 */
export const FilePackageTransferApprovalSchema = z
  .object({
    storeId: IdSchema,
    customerId: IdSchema,
    packageCardId: IdSchema,
    toCustomerId: IdSchema,
    /** How many sessions move (1..sessions left); omitted, all of them. */
    sessions: z.number().int().min(1).max(10_000).optional(),
    reason: text().trim().min(2).max(200),
  })
  .strict()
  .meta({ id: 'FilePackageTransferApproval' });
export type FilePackageTransferApproval = z.infer<typeof FilePackageTransferApprovalSchema>;

export const ApprovalKindSchema = z.enum(['void', 'refund', 'discount', 'package_transfer']);
export type ApprovalKind = z.infer<typeof ApprovalKindSchema>;

export const ApproveApprovalRequestSchema = z
  .object({ note: text().trim().max(200).optional() })
  .strict()
  .meta({ id: 'ApproveApprovalRequest' });

export const RejectApprovalRequestSchema = z
  .object({ note: text().trim().min(2).max(200) })
  .strict()
  .meta({ id: 'RejectApprovalRequest' });

const PersonSchema = z.object({ id: IdSchema, name: text().nullable() });

/** The bill a discount request asks for, priced as the till priced it when the request was filed. */
export const DiscountDraftViewSchema = z.object({
  lines: z.array(
    z.object({
      name: text(),
      quantity: z.number().int(),
      listPriceFen: z.number().int(),
      unitPriceFen: z.number().int(),
    }),
  ),
  /** The lines at their prices, before any discount. */
  subtotalFen: z.number().int(),
  tierDiscountFen: z.number().int(),
  manualDiscountFen: z.number().int(),
  /** The manual discount as a share of the subtotal, in basis points (1 500 = 15%). */
  discountBasisPoints: z.number().int(),
  /** The tenant's limit a beautician may give without a manager, in basis points. */
  limitBasisPoints: z.number().int(),
  /** The draft as sent; the bill opened with this approval must match it. */
  draft: BillDraftSchema,
  /** The bill the approval opened, once used. */
  billId: IdSchema.nullable(),
  usedAt: IsoDateTimeSchema.nullable(),
  /**
   * The end of the salon's business day the request was filed on (midnight, Asia/Shanghai): after it an unused
   * approval cannot open a bill (409 APPROVAL_EXPIRED) and a pending one cannot be approved.
   */
  expiresAt: IsoDateTimeSchema,
});

export const PackageTransferViewSchema = z.object({
  card: z.object({ id: IdSchema, name: text(), expiresOn: z.iso.date() }),
  from: PersonSchema,
  to: PersonSchema,
  /** The sessions the transfer moves. */
  sessions: z.number().int(),
  /**
   * The sessions left on the card when the request was filed; the card keeps sessionsLeft − sessions. Approving
   * refuses (409 APPROVAL_STALE) if the card no longer has exactly these.
   */
  sessionsLeft: z.number().int(),
  /** The receiving customer's new card and the ledger transfer, once approved. */
  toCardId: IdSchema.nullable(),
  transferId: z.number().int().nullable(),
});

export const ApprovalRequestSchema = z
  .object({
    id: IdSchema,
    kind: ApprovalKindSchema,
    status: z.enum(['pending', 'approved', 'rejected']),
    storeId: IdSchema,
    storeName: text(),
    /** The bill's customer; a discount's customer; the card's owner for a package transfer. */
    customer: PersonSchema,
    /** The bill to void or refund; null for a discount (until its bill is opened) and a package transfer. */
    bill: z
      .object({
        id: IdSchema,
        number: text(),
        storeId: IdSchema,
        storeName: text(),
        customerId: IdSchema,
        customerName: text().nullable(),
        totalFen: z.number().int(),
      })
      .nullable(),
    /**
     * What the void or refund gives back (a void: the bill's total) as computed when it was filed; a discount's
     * manual discount; a package transfer's sessions.
     */
    amountFen: z.number().int(),
    /** The limit it exceeds: the void/refund threshold, or the discount limit in fen at this subtotal; 0 for a transfer. */
    thresholdFen: z.number().int(),
    reason: text(),
    /** The refund's lines as filed; null for a void. */
    refund: RefundBillRequestSchema.nullable(),
    requestedBy: PersonSchema,
    createdAt: IsoDateTimeSchema,
    decidedBy: PersonSchema.nullable(),
    decidedAt: IsoDateTimeSchema.nullable(),
    decisionNote: text().nullable(),
    /** The refund the approval performed. */
    refundId: IdSchema.nullable(),
    discount: DiscountDraftViewSchema.nullable(),
    packageTransfer: PackageTransferViewSchema.nullable(),
  })
  .meta({ id: 'ApprovalRequest' });
export type ApprovalRequest = z.infer<typeof ApprovalRequestSchema>;

export const ApprovalRequestListQuerySchema = z
  .object({
    status: z.enum(['pending', 'approved', 'rejected']).optional(),
    billId: IdSchema.optional(),
    kind: ApprovalKindSchema.optional(),
    customerId: IdSchema.optional(),
    /** `true`: only the caller's own discount approvals that can still open a bill (approved, unused, not expired). */
    usable: z.enum(['true']).optional(),
  })
  .strict();
export type ApprovalRequestListQuery = z.infer<typeof ApprovalRequestListQuerySchema>;

/** What waits for a manager, by kind; each item opens its own detail route. */
export const InboxKindSchema = z.enum([
  'credit_limit',
  'void_refund',
  'discount',
  'package_transfer',
  'dispute',
  'after_sale',
]);
export type InboxKind = z.infer<typeof InboxKindSchema>;

export const InboxItemSchema = z.object({
  kind: InboxKindSchema,
  id: IdSchema,
  customerId: IdSchema,
  customerName: text().nullable(),
  /** Who is waiting: the filing staff member, or the customer for a dispute or a shop after-sale (售后). */
  raisedBy: text().nullable(),
  /** Requested limit, refund amount, manual discount, disputed bill total or after-sale amount; a transfer's sessions. */
  amountFen: z.number().int(),
  summary: text(),
  createdAt: IsoDateTimeSchema,
});
export type InboxItem = z.infer<typeof InboxItemSchema>;

export const ManagerInboxSchema = z
  .object({
    counts: z.object({
      credit_limit: z.number().int(),
      void_refund: z.number().int(),
      discount: z.number().int(),
      package_transfer: z.number().int(),
      dispute: z.number().int(),
      after_sale: z.number().int(),
      total: z.number().int(),
    }),
    oldestWaitingAt: IsoDateTimeSchema.nullable(),
    items: z.array(InboxItemSchema),
  })
  .meta({ id: 'ManagerInbox' });
export type ManagerInbox = z.infer<typeof ManagerInboxSchema>;

export const ManagerInboxQuerySchema = z
  .object({
    /** newest: most recent first; oldest: the longest waiting first. */
    order: z.enum(['newest', 'oldest']).default('newest'),
    kind: InboxKindSchema.optional(),
  })
  .strict();
export type ManagerInboxQuery = z.infer<typeof ManagerInboxQuerySchema>;

/** How a manager decided an inbox item: a credit limit approved lower than asked is `lowered`; a dispute is answered or reversed. */
export const InboxDecisionSchema = z.enum(['approved', 'lowered', 'rejected', 'answered', 'reversed']);
export type InboxDecision = z.infer<typeof InboxDecisionSchema>;

/** An item that left the inbox: what was asked (as InboxItem) and how it was decided, by whom, when. */
export const DecidedInboxItemSchema = InboxItemSchema.extend({
  decision: InboxDecisionSchema,
  /** The approved limit of a credit-limit request; null for every other kind. */
  decidedAmountFen: z.number().int().nullable(),
  decidedBy: text().nullable(),
  /** The decision note, or the answer written to the customer for a dispute. */
  note: text().nullable(),
  decidedAt: IsoDateTimeSchema,
});
export type DecidedInboxItem = z.infer<typeof DecidedInboxItemSchema>;

/** Keyset cursor of the decided list: the last item's decision time (UTC, microseconds) and id. */
const DECIDED_CURSOR =
  /^((?:19[7-9]\d|2\d{3})-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})\d{3}Z~[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A real instant too (no 30 February): the database would refuse it with an error, not an empty page. */
const isDecidedCursor = (cursor: string) => {
  const at = `${DECIDED_CURSOR.exec(cursor)?.[1]}Z`;
  const ms = Date.parse(at);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === at;
};
const DecidedCursorSchema = z.string().regex(DECIDED_CURSOR).refine(isDecidedCursor, 'not a time of this list');

export const DecidedInboxQuerySchema = z
  .object({
    kind: InboxKindSchema.optional(),
    cursor: DecidedCursorSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type DecidedInboxQuery = z.infer<typeof DecidedInboxQuerySchema>;

export const DecidedInboxPageSchema = z
  .object({ items: z.array(DecidedInboxItemSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'DecidedInboxPage' });
export type DecidedInboxPage = z.infer<typeof DecidedInboxPageSchema>;
