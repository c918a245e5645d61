import { z } from 'zod';
import { IdSchema, IsoDateTimeSchema } from '../common.ts';
import { text } from '../text.ts';

const checkoutRules = {
  /**
   * confirm_first: deductions from stored value, points or sessions wait for the customer to confirm them in
   * their mini-program (待确认). notify: they post at once and the customer may dispute them for a while.
   */
  confirmationMode: z.enum(['confirm_first', 'notify']),
  disputeWindowDays: z.number().int().min(1).max(90),
  /** How long a bill may hold the customer's balance while waiting for them. */
  holdMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
  /** Voids and refunds above this amount need a manager. */
  voidApprovalThresholdFen: z.number().int().min(0).max(100_000_000),
  /** A manual discount above this share of the subtotal (basis points) needs a manager. */
  discountApprovalBasisPoints: z.number().int().min(0).max(10_000),
};

export const CheckoutSettingsSchema = z
  .object({
    confirmationMode: checkoutRules.confirmationMode.default('notify'),
    disputeWindowDays: checkoutRules.disputeWindowDays.default(7),
    holdMinutes: checkoutRules.holdMinutes.default(30),
    voidApprovalThresholdFen: checkoutRules.voidApprovalThresholdFen.default(50_000),
    discountApprovalBasisPoints: checkoutRules.discountApprovalBasisPoints.default(2_000),
  })
  .meta({ id: 'CheckoutSettings' });
export type CheckoutSettings = z.infer<typeof CheckoutSettingsSchema>;

/** Only the rules given change; the rest keep their current values. */
export const UpdateCheckoutSettingsRequestSchema = z
  .object(checkoutRules)
  .partial()
  .strict()
  .meta({ id: 'UpdateCheckoutSettingsRequest' });
export type UpdateCheckoutSettingsRequest = z.infer<typeof UpdateCheckoutSettingsRequestSchema>;

const PerformerIdsSchema = z.array(IdSchema).max(5).default([]);

export const BillLineInputSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('service'),
      serviceId: IdSchema,
      quantity: z.number().int().min(1).max(20).default(1),
      performerIds: PerformerIdsSchema,
      /** A manual price (fen) replacing the list price; audited. */
      unitPriceFen: z.number().int().min(0).max(100_000_000).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('product'),
      productId: IdSchema,
      quantity: z.number().int().min(1).max(200).default(1),
      performerIds: PerformerIdsSchema,
      unitPriceFen: z.number().int().min(0).max(100_000_000).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('package_session'),
      packageCardId: IdSchema,
      sessions: z.number().int().min(1).max(20).default(1),
      performerIds: PerformerIdsSchema,
    })
    .strict(),
  /** One session paid by a service voucher she bought in the shop (商城服务券); the bill charges nothing for it. */
  z
    .object({
      type: z.literal('shop_voucher'),
      shopVoucherId: IdSchema,
      performerIds: PerformerIdsSchema,
    })
    .strict(),
]);
export type BillLineInput = z.infer<typeof BillLineInputSchema>;

export const OpenBillRequestSchema = z
  .object({
    storeId: IdSchema,
    customerId: IdSchema,
    lines: z.array(BillLineInputSchema).min(1).max(50),
    couponId: IdSchema.optional(),
    manualDiscountFen: z.number().int().min(0).max(100_000_000).default(0),
    manualDiscountReason: text().trim().min(2).max(200).optional(),
    memo: text().max(200).optional(),
    /**
     * A manager's approval of this bill's large manual discount (a discount approval request): the bill must be
     * the draft the manager approved; the approval is used once.
     */
    approvalRequestId: IdSchema.optional(),
  })
  .strict()
  .meta({ id: 'OpenBillRequest' });
export type OpenBillRequest = z.infer<typeof OpenBillRequestSchema>;

export const TenderSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('stored_value'), amountFen: z.number().int().min(1).max(100_000_000) }).strict(),
  z.object({ method: z.literal('points'), points: z.number().int().min(1).max(100_000_000) }).strict(),
  z.object({ method: z.literal('cash'), amountFen: z.number().int().min(1).max(100_000_000) }).strict(),
  z
    .object({
      method: z.literal('card'),
      amountFen: z.number().int().min(1).max(100_000_000),
      reference: text().min(1).max(64),
    })
    .strict(),
  z.object({ method: z.literal('wechat'), amountFen: z.number().int().min(1).max(100_000_000) }).strict(),
  z
    .object({
      method: z.literal('credit'),
      amountFen: z.number().int().min(1).max(100_000_000),
      dueDate: z.iso.date().optional(),
      instalments: z
        .object({ count: z.number().int().min(2).max(36), interestFree: z.boolean().default(true) })
        .strict()
        .optional(),
    })
    .strict(),
]);
export type Tender = z.infer<typeof TenderSchema>;

export const SettleBillRequestSchema = z
  .object({
    /** Empty only for a bill whose total is 0 (package-card sessions alone). */
    tenders: z.array(TenderSchema).max(8),
  })
  .strict()
  .meta({ id: 'SettleBillRequest' });
export type SettleBillRequest = z.infer<typeof SettleBillRequestSchema>;

/**
 * Where refunded money goes: back to the tenders that paid the bill, each at most what it paid less what earlier
 * refunds returned. Points are refunded in points.
 */
export const RefundTenderSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('stored_value'), amountFen: z.number().int().min(1).max(100_000_000) }).strict(),
  z.object({ method: z.literal('points'), points: z.number().int().min(1).max(100_000_000) }).strict(),
  z.object({ method: z.literal('cash'), amountFen: z.number().int().min(1).max(100_000_000) }).strict(),
  z.object({ method: z.literal('card'), amountFen: z.number().int().min(1).max(100_000_000) }).strict(),
  z.object({ method: z.literal('wechat'), amountFen: z.number().int().min(1).max(100_000_000) }).strict(),
  z.object({ method: z.literal('credit'), amountFen: z.number().int().min(1).max(100_000_000) }).strict(),
]);
export type RefundTender = z.infer<typeof RefundTenderSchema>;

/** One line of a refund: units given back (`quantity`), or part of the line's money without a return (`amountFen`). */
export const RefundLineSchema = z
  .object({
    lineId: IdSchema,
    quantity: z.number().int().min(1).max(200).optional(),
    amountFen: z.number().int().min(1).max(100_000_000).optional(),
  })
  .strict()
  .refine((l) => (l.quantity === undefined) !== (l.amountFen === undefined), {
    message: 'give either quantity or amountFen',
    path: ['quantity'],
  });

export const RefundBillRequestSchema = z
  .object({
    lines: z.array(RefundLineSchema).min(1).max(50),
    /** Omitted: the money goes back to the bill's tenders in proportion to what each can still return. */
    tenders: z.array(RefundTenderSchema).min(1).max(8).optional(),
    /** Returned products go back into stock (false for damaged goods). */
    restock: z.boolean().default(true),
    reason: text().trim().min(2).max(200),
  })
  .strict()
  .meta({ id: 'RefundBillRequest' });
export type RefundBillRequest = z.infer<typeof RefundBillRequestSchema>;

export const BillRefundSchema = z
  .object({
    id: IdSchema,
    kind: z.enum(['refund', 'void']),
    amountFen: z.number().int(),
    lines: z.array(
      z.object({
        lineId: IdSchema,
        quantity: z.number().int(),
        amountFen: z.number().int(),
        sessions: z.number().int(),
      }),
    ),
    tenders: z.array(RefundTenderSchema),
    pointsClawedBack: z.number().int(),
    reason: text(),
    staffId: IdSchema,
    transferId: z.number().int(),
    /** The WeChat refund of the WeChat part; its state is on the payment (GET /staff/payments). */
    wechatOutRefundNo: text().nullable(),
    createdAt: IsoDateTimeSchema,
  })
  .meta({ id: 'BillRefund' });
export type BillRefund = z.infer<typeof BillRefundSchema>;

export const BillStatusSchema = z.enum(['open', 'awaiting_customer', 'settled', 'voided', 'cancelled']);
export type BillStatus = z.infer<typeof BillStatusSchema>;

/**
 * What checkout tells a customer about: a bill waiting for their confirmation (待确认), settled, voided,
 * (partly) refunded, or a manager's answer to their question. New events are added here; the messaging
 * module renders each one and a tenant can mute any.
 */
export const BillEventSchema = z.enum([
  'bill_to_confirm',
  'bill_settled',
  'bill_voided',
  'bill_refunded',
  'dispute_answered',
]);
export type BillEvent = z.infer<typeof BillEventSchema>;

/** A bill event to tell the customer about (checkout's notifyCustomer hook). */
export interface BillNotice {
  tenantId: string;
  customerId: string;
  event: BillEvent;
  billId: string;
  /** The receipt number the customer sees. */
  billNumber: string;
  storeName: string;
  /** What the event is about, in fen: the bill's total, or what a refund returned. */
  amountFen: number;
  /** When it happened, on the business clock. */
  at: Date;
  /** Tells repeated events of one bill apart (a dispute's id, a refund's id); other events happen once a bill. */
  occurrenceId?: string;
}

export const BillSchema = z
  .object({
    id: IdSchema,
    number: text(),
    status: BillStatusSchema,
    storeId: IdSchema,
    storeName: text(),
    customerId: IdSchema,
    customerName: text().nullable(),
    openedBy: z.object({ id: IdSchema, name: text() }),
    lines: z.array(
      z.object({
        id: IdSchema,
        type: z.enum(['service', 'product', 'package_session', 'shop_voucher']),
        name: text(),
        quantity: z.number().int(),
        listPriceFen: z.number().int(),
        unitPriceFen: z.number().int(),
        discountFen: z.number().int(),
        amountFen: z.number().int(),
        performerIds: z.array(IdSchema),
      }),
    ),
    subtotalFen: z.number().int(),
    tierDiscountFen: z.number().int(),
    couponDiscountFen: z.number().int(),
    manualDiscountFen: z.number().int(),
    totalFen: z.number().int(),
    tenders: z.array(TenderSchema),
    confirmationRequired: z.boolean(),
    holdExpiresAt: IsoDateTimeSchema.nullable(),
    transferId: z.number().int().nullable(),
    voidTransferId: z.number().int().nullable(),
    disputeUntil: IsoDateTimeSchema.nullable(),
    createdAt: IsoDateTimeSchema,
    settledAt: IsoDateTimeSchema.nullable(),
    /** Money refunded so far (partial refunds and voids); the bill stays settled until voided. */
    refundedFen: z.number().int(),
    refunds: z.array(BillRefundSchema),
  })
  .meta({ id: 'Bill' });
export type Bill = z.infer<typeof BillSchema>;

/** 取消账单: why a bill that was never paid is closed (the customer left, opened by mistake). */
export const CancelBillRequestSchema = z
  .object({ reason: text().trim().min(2).max(200) })
  .strict()
  .meta({ id: 'CancelBillRequest' });
export type CancelBillRequest = z.infer<typeof CancelBillRequestSchema>;

export const VoidBillRequestSchema = z
  .object({ reason: text().trim().min(2).max(200) })
  .strict()
  .meta({ id: 'VoidBillRequest' });

export const DisputeRequestSchema = z
  .object({ reason: text().trim().min(2).max(500) })
  .strict()
  .meta({ id: 'DisputeRequest' });

export const ResolveDisputeRequestSchema = z
  .object({ resolution: z.enum(['reverse', 'answer']), answer: text().trim().min(2).max(500) })
  .strict()
  .meta({ id: 'ResolveDisputeRequest' });

export const DisputeSchema = z
  .object({
    id: IdSchema,
    billId: IdSchema,
    billNumber: text(),
    customerId: IdSchema,
    customerName: text().nullable(),
    staffId: IdSchema,
    staffName: text(),
    reason: text(),
    status: z.enum(['open', 'answered', 'reversed']),
    answer: text().nullable(),
    createdAt: IsoDateTimeSchema,
    resolvedAt: IsoDateTimeSchema.nullable(),
    totalFen: z.number().int(),
  })
  .meta({ id: 'Dispute' });
export type Dispute = z.infer<typeof DisputeSchema>;

export const CommissionSummarySchema = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    staff: z.array(z.object({ staffId: IdSchema, name: text(), amountFen: z.number().int(), lines: z.number().int() })),
  })
  .meta({ id: 'CommissionSummary' });

export const CommissionQuerySchema = z.object({ from: z.iso.date(), to: z.iso.date() }).strict();

/** GET /me/bills: all (waiting ones first, then the latest 50), or only the bills in one status. */
export const MyBillsQuerySchema = z.object({ status: BillStatusSchema.optional() }).strict();
export type MyBillsQuery = z.infer<typeof MyBillsQuerySchema>;

export const BillListQuerySchema = z
  .object({
    status: BillStatusSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: text().max(200).optional(),
  })
  .strict();
