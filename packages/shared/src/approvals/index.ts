import { z } from 'zod';
import { RefundBillRequestSchema } from '../checkout/index.ts';
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

export const ApproveApprovalRequestSchema = z
  .object({ note: text().trim().max(200).optional() })
  .strict()
  .meta({ id: 'ApproveApprovalRequest' });

export const RejectApprovalRequestSchema = z
  .object({ note: text().trim().min(2).max(200) })
  .strict()
  .meta({ id: 'RejectApprovalRequest' });

const PersonSchema = z.object({ id: IdSchema, name: text().nullable() });

export const ApprovalRequestSchema = z
  .object({
    id: IdSchema,
    kind: z.enum(['void', 'refund']),
    status: z.enum(['pending', 'approved', 'rejected']),
    bill: z.object({
      id: IdSchema,
      number: text(),
      storeId: IdSchema,
      storeName: text(),
      customerId: IdSchema,
      customerName: text().nullable(),
      totalFen: z.number().int(),
    }),
    /** What the void or refund gives back (a void: the bill's total), as computed when it was filed. */
    amountFen: z.number().int(),
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
  })
  .meta({ id: 'ApprovalRequest' });
export type ApprovalRequest = z.infer<typeof ApprovalRequestSchema>;

export const ApprovalRequestListQuerySchema = z
  .object({
    status: z.enum(['pending', 'approved', 'rejected']).optional(),
    billId: IdSchema.optional(),
  })
  .strict();
export type ApprovalRequestListQuery = z.infer<typeof ApprovalRequestListQuerySchema>;

/** What waits for a manager, by kind; each item opens its own detail route. */
export const InboxKindSchema = z.enum(['credit_limit', 'void_refund', 'dispute']);
export type InboxKind = z.infer<typeof InboxKindSchema>;

export const InboxItemSchema = z.object({
  kind: InboxKindSchema,
  id: IdSchema,
  customerId: IdSchema,
  customerName: text().nullable(),
  /** Who is waiting: the filing staff member, or the customer for a dispute. */
  raisedBy: text().nullable(),
  /** Requested limit, refund amount or disputed bill total. */
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
      dispute: z.number().int(),
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
