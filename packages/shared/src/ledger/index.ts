import { z } from 'zod';
import { IdSchema, IsoDateTimeSchema, PositiveFenSchema } from '../common.ts';
import { text } from '../text.ts';

/** How a deduction divides between principal (本金) and bonus (赠送金). */
export const SpendRuleSchema = z.enum(['proportional', 'principal_first', 'bonus_first']);
/** What happens to bonus when a customer asks for their stored value back. */
export const RefundRuleSchema = z.enum(['forfeit_bonus', 'net_bonus_used']);

export const TenantLedgerSettingsSchema = z
  .object({
    spendRule: SpendRuleSchema.default('proportional'),
    refundRule: RefundRuleSchema.default('forfeit_bonus'),
    /** Points earned per whole yuan spent, before the tier multiplier. */
    pointsPerYuan: z.number().int().min(0).max(100).default(1),
    /** What one point is worth in fen when redeemed (1 → 100 points = ¥1). */
    pointValueFen: z.number().int().min(0).max(10_000).default(1),
    pointsExpiryDays: z.number().int().min(1).max(3650).default(365),
  })
  .meta({ id: 'TenantLedgerSettings' });
export type TenantLedgerSettings = z.infer<typeof TenantLedgerSettingsSchema>;

export const TenderMethodSchema = z.enum(['cash', 'card']);
export type TenderMethod = z.infer<typeof TenderMethodSchema>;

const ReasonSchema = text().trim().min(2).max(200);
const ItemSchema = z
  .object({
    name: text().min(1).max(60),
    quantity: z.number().int().min(1).max(999),
    amountFen: z.number().int().min(0).max(1e11),
  })
  .strict();

export const TopUpRequestSchema = z
  .object({
    storeId: IdSchema,
    amountFen: PositiveFenSchema.max(100_000_000),
    method: TenderMethodSchema,
    /** Card terminal reference (bank card tenders). */
    cardReference: text().max(64).optional(),
    /** A specific offer the customer picked; otherwise the best tier the amount reaches applies. */
    planId: IdSchema.optional(),
    memo: text().max(200).optional(),
  })
  .strict()
  .meta({ id: 'TopUpRequest' });
export type TopUpRequest = z.infer<typeof TopUpRequestSchema>;

export const SpendRequestSchema = z
  .object({
    storeId: IdSchema,
    amountFen: PositiveFenSchema.max(100_000_000),
    revenue: z.enum(['service', 'product']).default('service'),
    items: z.array(ItemSchema).max(50).default([]),
    memo: text().max(200).optional(),
  })
  .strict()
  .meta({ id: 'SpendRequest' });
export type SpendRequest = z.infer<typeof SpendRequestSchema>;

export const SellPackageCardRequestSchema = z
  .object({ storeId: IdSchema, planId: IdSchema, method: z.enum(['cash', 'card', 'stored_value']) })
  .strict()
  .meta({ id: 'SellPackageCardRequest' });
export type SellPackageCardRequest = z.infer<typeof SellPackageCardRequestSchema>;

export const ConsumeSessionsRequestSchema = z
  .object({ storeId: IdSchema, sessions: z.number().int().min(1).max(50) })
  .strict()
  .meta({ id: 'ConsumeSessionsRequest' });
export type ConsumeSessionsRequest = z.infer<typeof ConsumeSessionsRequestSchema>;

export const TransferPackageCardRequestSchema = z
  .object({
    toCustomerId: IdSchema,
    reason: ReasonSchema,
    /** How many sessions move (1..sessions left); omitted, all of them. */
    sessions: z.number().int().min(1).max(10_000).optional(),
  })
  .strict()
  .meta({ id: 'TransferPackageCardRequest' });
export type TransferPackageCardRequest = z.infer<typeof TransferPackageCardRequestSchema>;

export const RedeemPointsRequestSchema = z
  .object({
    storeId: IdSchema,
    points: z.number().int().min(1).max(100_000_000),
    items: z.array(ItemSchema).max(50).default([]),
  })
  .strict()
  .meta({ id: 'RedeemPointsRequest' });
export type RedeemPointsRequest = z.infer<typeof RedeemPointsRequestSchema>;

export const PointsAdjustmentRequestSchema = z
  .object({
    points: z
      .number()
      .int()
      .min(-100_000_000)
      .max(100_000_000)
      .refine((n) => n !== 0, 'must not be zero'),
    reason: ReasonSchema,
  })
  .strict()
  .meta({ id: 'PointsAdjustmentRequest' });

export const StoredValueAdjustmentRequestSchema = z
  .object({
    account: z.enum(['principal', 'bonus']),
    amountFen: z
      .number()
      .int()
      .min(-100_000_000)
      .max(100_000_000)
      .refine((n) => n !== 0, 'must not be zero'),
    reason: ReasonSchema,
  })
  .strict()
  .meta({ id: 'StoredValueAdjustmentRequest' });

export const TopUpRefundRequestSchema = z
  .object({ storeId: IdSchema, method: TenderMethodSchema, reason: ReasonSchema })
  .strict()
  .meta({ id: 'TopUpRefundRequest' });

export const ReversalRequestSchema = z.object({ reason: ReasonSchema }).strict().meta({ id: 'ReversalRequest' });

export const LedgerBucketSchema = z.enum(['principal', 'bonus', 'points', 'sessions', 'credit']);
export type LedgerBucket = z.infer<typeof LedgerBucketSchema>;

/** What an entry was for, as posted: a refund of part of a line's money without a return has quantity 0. */
const EntryItemSchema = z.object({
  name: text(),
  quantity: z.number().int().min(0),
  amountFen: z.number().int(),
});

/** One side of a merge as her history names it: member number and name (never the phone). */
const MergedCustomerSchema = z.object({ id: IdSchema, memberNo: z.number().int(), name: text().nullable() });

export const EntrySchema = z
  .object({
    id: z.number().int(),
    transferId: z.number().int(),
    at: IsoDateTimeSchema,
    kind: text().meta({ description: 'What happened: top_up, spend, package_sale, …' }),
    bucket: LedgerBucketSchema,
    unit: text(),
    /** Seen from the customer: + they received, − they spent (fen, points or sessions). */
    amount: z.number().int(),
    balanceAfter: z.number().int(),
    packageCardId: IdSchema.nullable(),
    store: z.object({ id: IdSchema, name: text() }).nullable(),
    staff: z.object({ id: IdSchema, name: text() }).nullable(),
    items: z.array(EntryItemSchema),
    memo: text().nullable(),
    reversesTransferId: z.number().int().nullable(),
    reference: z.object({ type: text(), id: text() }).nullable(),
    /**
     * A `customer_merge` entry: who was merged into whom. A customer's history shows every merge of her chain
     * (A into B, then B into C: both at C), each naming its own pair; null for every other entry.
     */
    merge: z.object({ from: MergedCustomerSchema, into: MergedCustomerSchema }).nullable(),
  })
  .meta({ id: 'LedgerEntry' });
export type Entry = z.infer<typeof EntrySchema>;

export const EntriesQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.coerce.number().int().min(1).optional().meta({ description: 'The last entry id of the previous page' }),
    kind: z
      .string()
      .regex(/^[a-z_]{2,40}$/)
      .optional(),
    bucket: LedgerBucketSchema.optional(),
    from: z.iso.date().optional().meta({ description: 'First business day (Asia/Shanghai), inclusive' }),
    to: z.iso.date().optional().meta({ description: 'Last business day (Asia/Shanghai), inclusive' }),
  })
  .strict();
export type EntriesQuery = z.infer<typeof EntriesQuerySchema>;

export const EntriesPageSchema = z
  .object({ items: z.array(EntrySchema), nextCursor: z.number().int().nullable() })
  .meta({ id: 'EntriesPage' });
export type EntriesPage = z.infer<typeof EntriesPageSchema>;

export const StatementQuerySchema = z
  .object({ from: z.iso.date(), to: z.iso.date(), format: z.enum(['csv', 'html']).default('csv') })
  .strict();

export const PackageCardSchema = z
  .object({
    id: IdSchema,
    name: text(),
    serviceId: IdSchema,
    sessionsTotal: z.number().int(),
    sessionsLeft: z.number().int(),
    /** What one session is worth, fixed when the card was sold (the last session takes the remainder). */
    valuePerSessionFen: z.number().int(),
    expiresOn: z.iso.date(),
    expired: z.boolean(),
  })
  .meta({ id: 'PackageCard' });

export const WalletSchema = z
  .object({
    customerId: IdSchema,
    principalFen: z.number().int(),
    bonusFen: z.number().int(),
    totalFen: z.number().int(),
    points: z.number().int(),
    packageCards: z.array(PackageCardSchema),
    credit: z.object({ owedFen: z.number().int(), limitFen: z.number().int().nullable() }),
    chainVerified: z.boolean().nullable().meta({
      description:
        "Every one of the customer's entries still matches its hash chain (null: not checked in this response)",
    }),
  })
  .meta({ id: 'Wallet' });
export type Wallet = z.infer<typeof WalletSchema>;

/** GET /me/points: the balance, what it is worth, and when which points expire (earliest first). */
export const MyPointsSchema = z
  .object({
    points: z.number().int(),
    /** The tenant's rate: what one point pays in a points tender, in fen. */
    pointValueFen: z.number().int(),
    /** points × pointValueFen. */
    valueFen: z.number().int(),
    /** Points not yet used, by the Beijing day they expire, earliest first. */
    expiring: z.array(z.object({ expiresOn: z.iso.date(), points: z.number().int() })),
  })
  .meta({ id: 'MyPoints' });
export type MyPoints = z.infer<typeof MyPointsSchema>;

export const TransferResultSchema = z
  .object({
    transferId: z.number().int(),
    kind: text(),
    at: IsoDateTimeSchema,
    customerId: IdSchema.nullable(),
    entries: z.array(
      z.object({ bucket: LedgerBucketSchema, amount: z.number().int(), balanceAfter: z.number().int() }),
    ),
    details: z.record(text(), z.unknown()),
    wallet: WalletSchema.nullable(),
  })
  .meta({ id: 'TransferResult' });
export type TransferResult = z.infer<typeof TransferResultSchema>;

export const TopUpPlanSchema = z
  .object({
    id: IdSchema,
    name: text(),
    payFen: z.number().int(),
    bonusFen: z.number().int(),
    bonusPoints: z.number().int(),
    giftPackagePlanId: IdSchema.nullable(),
  })
  .meta({ id: 'TopUpPlan' });
export type TopUpPlan = z.infer<typeof TopUpPlanSchema>;

export const VerifyReportSchema = z
  .object({
    ok: z.boolean(),
    checkedAt: IsoDateTimeSchema,
    counts: z.object({ accounts: z.number().int(), transfers: z.number().int(), entries: z.number().int() }),
    problems: z.array(
      z.object({
        check: text(),
        message: text(),
        accountId: z.number().int().nullable(),
        entryId: z.number().int().nullable(),
      }),
    ),
  })
  .meta({ id: 'LedgerVerifyReport' });
export type VerifyReport = z.infer<typeof VerifyReportSchema>;
