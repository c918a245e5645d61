import { z } from 'zod';
import { IdSchema, IsoDateTimeSchema, PositiveFenSchema } from '../common.ts';
import { text } from '../text.ts';

/**
 * WeChat Pay contracts. Money is integer fen; states mirror WeChat's own names so a support engineer can
 * compare Lumi's view with the merchant portal without translating.
 */

/** What a payment is for. `bill`, `credit_repayment` and `shop_order` are reserved for later issues. */
export const PaymentPurposeNameSchema = z.enum(['top_up', 'bill', 'credit_repayment', 'shop_order']);
export type PaymentPurposeName = z.infer<typeof PaymentPurposeNameSchema>;

/** WeChat's trade_state for JSAPI orders (REVOKED/USERPAYING/PAYERROR only happen for payment codes). */
export const PaymentStateSchema = z.enum(['NOTPAY', 'SUCCESS', 'CLOSED', 'REFUND']);
export type PaymentState = z.infer<typeof PaymentStateSchema>;

/** PENDING: recorded by Lumi, not yet accepted by WeChat; the rest are WeChat's refund statuses. */
export const RefundStateSchema = z.enum(['PENDING', 'PROCESSING', 'SUCCESS', 'CLOSED', 'ABNORMAL']);
export type RefundState = z.infer<typeof RefundStateSchema>;

/** WeChat's out_trade_no alphabet: 6–32 of [0-9A-Za-z_-|*]. */
export const OutTradeNoSchema = text().regex(/^[0-9A-Za-z_\-|*]{6,32}$/, '6–32 letters, digits or _-|*');
export const OutTradeNoParamsSchema = z.object({ outTradeNo: OutTradeNoSchema }).strict();

/** An online top-up: a plan from GET /me/top-up-plans, or an amount (the best tier it reaches applies). */
/** Repay what is owed on credit (挂账/赊销) with WeChat Pay, oldest due items first. */
export const CreditRepaymentPaymentRequestSchema = z
  .object({ amountFen: PositiveFenSchema.max(100_000_000) })
  .strict()
  .meta({ id: 'CreditRepaymentPaymentRequest' });
export type CreditRepaymentPaymentRequest = z.infer<typeof CreditRepaymentPaymentRequestSchema>;

export const TopUpPaymentRequestSchema = z
  .object({
    planId: IdSchema.optional(),
    amountFen: PositiveFenSchema.max(5_000_000).optional(),
  })
  .strict()
  .refine((body) => body.planId !== undefined || body.amountFen !== undefined, {
    message: 'give a planId or an amountFen',
    path: ['amountFen'],
  })
  .meta({ id: 'TopUpPaymentRequest' });
export type TopUpPaymentRequest = z.infer<typeof TopUpPaymentRequestSchema>;

/**
 * 到店微信充值: staff open a top-up order for a customer at the counter; she pays it on her own phone, in the
 * customer mini-program (she scans the 小程序码 the staff phone shows — counterPaymentScene). Offer or amount as online.
 */
export const CounterWechatTopUpRequestSchema = z
  .object({
    storeId: IdSchema,
    planId: IdSchema.optional(),
    amountFen: PositiveFenSchema.max(5_000_000).optional(),
  })
  .strict()
  .refine((body) => body.planId !== undefined || body.amountFen !== undefined, {
    message: 'give a planId or an amountFen',
    path: ['amountFen'],
  })
  .meta({ id: 'CounterWechatTopUpRequest' });
export type CounterWechatTopUpRequest = z.infer<typeof CounterWechatTopUpRequestSchema>;

/** The customer mini-program's page that pays an order staff opened (as WeChat names pages: no leading slash). */
export const COUNTER_PAYMENT_PAGE = 'wallet/pay/index';

/**
 * What the counter's 小程序码 carries to that page: WeChat allows a scene of at most 32 characters of
 * [0-9A-Za-z!#$&'()*+,/:;=?@-._~], and an out_trade_no (Lumi's are 25 letters and digits) fits after "pay=".
 */
export const counterPaymentScene = (outTradeNo: string) => `pay=${outTradeNo}`;

/** The order a scanned scene names (WeChat hands the page its scene URL-encoded), or null for another scene. */
export function outTradeNoOfScene(scene: string | undefined): string | null {
  if (!scene) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(scene);
  } catch {
    return null;
  }
  const match = /^pay=([0-9A-Za-z_\-|*]{6,32})$/.exec(decoded);
  return match ? (match[1] as string) : null;
}

/** The 小程序码 the staff phone shows for a counter order: the customer scans it with WeChat to pay. */
export const CounterPaymentCodeSchema = z
  .object({
    outTradeNo: text(),
    scene: text(),
    page: text(),
    /** The code as WeChat drew it, a data: URL an <Image> shows directly. */
    imageDataUrl: text(),
    /** The order stops taking payment then; the code is no use after it. */
    expiresAt: IsoDateTimeSchema,
  })
  .meta({ id: 'CounterPaymentCode' });
export type CounterPaymentCode = z.infer<typeof CounterPaymentCodeSchema>;

/** Exactly what wx.requestPayment takes (plus appId, which paySign covers and the H5 simulator needs). */
export const RequestPaymentParamsSchema = z
  .object({
    appId: text(),
    timeStamp: text().regex(/^\d{10}$/),
    nonceStr: text().max(32),
    package: text().startsWith('prepay_id='),
    signType: z.literal('RSA'),
    paySign: text(),
  })
  .meta({ id: 'RequestPaymentParams' });
export type RequestPaymentParams = z.infer<typeof RequestPaymentParamsSchema>;

export const PaymentRefundSchema = z
  .object({
    outRefundNo: text(),
    outTradeNo: text(),
    amountFen: z.number().int(),
    reason: text(),
    state: RefundStateSchema,
    createdAt: IsoDateTimeSchema,
    succeededAt: IsoDateTimeSchema.nullable(),
  })
  .meta({ id: 'PaymentRefund' });
export type PaymentRefund = z.infer<typeof PaymentRefundSchema>;

export const PaymentOrderSchema = z
  .object({
    outTradeNo: text(),
    purpose: PaymentPurposeNameSchema,
    customerId: IdSchema,
    description: text(),
    amountFen: z.number().int(),
    state: PaymentStateSchema,
    createdAt: IsoDateTimeSchema,
    expiresAt: IsoDateTimeSchema,
    paidAt: IsoDateTimeSchema.nullable(),
    /** The ledger transfer that credited the payment, once WeChat confirmed it. */
    transferId: z.number().int().nullable(),
    refundedFen: z.number().int(),
    refunds: z.array(PaymentRefundSchema),
    /** Parameters for wx.requestPayment while the order can still be paid; null otherwise. */
    requestPayment: RequestPaymentParamsSchema.nullable(),
  })
  .meta({ id: 'PaymentOrder' });
export type PaymentOrder = z.infer<typeof PaymentOrderSchema>;

export const PaymentRefundRequestSchema = z
  .object({
    amountFen: PositiveFenSchema.max(5_000_000),
    /** Shown to the customer in WeChat; WeChat allows 80 characters. */
    reason: text().trim().min(2).max(80),
  })
  .strict()
  .meta({ id: 'PaymentRefundRequest' });
export type PaymentRefundRequest = z.infer<typeof PaymentRefundRequestSchema>;

export const ReconciliationQuerySchema = z
  .object({ date: z.iso.date().meta({ description: 'Business day (Asia/Shanghai)' }) })
  .strict();

/** A manager reconciles a day now: today so far, or a past day again (re-running replaces that day's report). */
export const RunReconciliationRequestSchema = z
  .object({ date: z.iso.date().meta({ description: 'Business day (Asia/Shanghai), today or earlier' }) })
  .strict()
  .meta({ id: 'RunReconciliationRequest' });
export type RunReconciliationRequest = z.infer<typeof RunReconciliationRequestSchema>;

export const ReconciliationMismatchSchema = z
  .object({
    outTradeNo: text(),
    outRefundNo: text().nullable(),
    /**
     * state / amount: both hold it, differently; missing_at_wechat: Lumi holds it, WeChat's bill (or query) does
     * not; missing_in_lumi: WeChat's bill holds it, Lumi has no record; not_in_ledger: paid at WeChat, nothing
     * posted; query_failed: WeChat could not be asked.
     */
    kind: z.enum(['state', 'amount', 'missing_at_wechat', 'missing_in_lumi', 'not_in_ledger', 'query_failed']),
    localState: text().nullable(),
    wechatState: text().nullable(),
    localAmountFen: z.number().int().nullable(),
    wechatAmountFen: z.number().int().nullable(),
  })
  .meta({ id: 'ReconciliationMismatch' });
export type ReconciliationMismatch = z.infer<typeof ReconciliationMismatchSchema>;

/** bill: compared with WeChat's trade bill for the day, both ways; queries: order by order (no bill yet). */
export const ReconciliationSourceSchema = z.enum(['bill', 'queries']);
export type ReconciliationSource = z.infer<typeof ReconciliationSourceSchema>;

/**
 * Why a WeChat bill was not used: not_ready — WeChat has not made it yet (it does from 09:00 the next day);
 * integrity — the file did not match the SHA1 of its signed application (or could not be read as a bill), so it
 * was refused; unavailable — WeChat could not be reached or refused.
 */
export const BillProblemSchema = z.enum(['not_ready', 'integrity', 'unavailable']);
export type BillProblem = z.infer<typeof BillProblemSchema>;

/**
 * The day's WeChat Pay money for this salon by the fund-flow bill (资金账单) of the basic account: payments
 * credited, refunds paid out and fees taken (less fees given back on refunds), and the net that reached the
 * account; expectedNetFen is what Lumi's own records say should have (its payments − its refunds − the fees of the
 * trade bill). A difference is money no order or refund in Lumi explains.
 */
export const ReconciliationSettlementSchema = z
  .object({
    receivedFen: z.number().int(),
    refundedFen: z.number().int(),
    feesFen: z.number().int(),
    netFen: z.number().int(),
    expectedNetFen: z.number().int(),
  })
  .meta({ id: 'ReconciliationSettlement' });
export type ReconciliationSettlement = z.infer<typeof ReconciliationSettlementSchema>;

export const ReconciliationReportSchema = z
  .object({
    date: z.iso.date(),
    generatedAt: IsoDateTimeSchema,
    ordersChecked: z.number().int(),
    refundsChecked: z.number().int(),
    source: ReconciliationSourceSchema,
    /** Why the trade bill was not used (source is then queries); null when it was. */
    billProblem: BillProblemSchema.nullable(),
    mismatches: z.array(ReconciliationMismatchSchema),
    /** Null when the fund-flow or the trade bill could not be had (see settlementProblem). */
    settlement: ReconciliationSettlementSchema.nullable(),
    settlementProblem: BillProblemSchema.nullable(),
  })
  .meta({ id: 'ReconciliationReport' });
export type ReconciliationReport = z.infer<typeof ReconciliationReportSchema>;

/** A manager's list of WeChat payments, newest first, a page at a time (pass `nextCursor` back as `cursor`). */
export const PaymentListQuerySchema = z
  .object({
    customerId: IdSchema.optional(),
    purpose: PaymentPurposeNameSchema.optional(),
    state: PaymentStateSchema.optional(),
    /** Only orders with a refund in one of these states (e.g. to chase refunds WeChat has not finished). */
    refundState: RefundStateSchema.optional(),
    cursor: text().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

export const PaymentListSchema = z
  .object({
    items: z.array(PaymentOrderSchema),
    nextCursor: text().nullable(),
  })
  .meta({ id: 'PaymentList' });
