import { z } from 'zod';
import { GenderSchema, IdSchema, IsoDateTimeSchema } from '../common.ts';
import { CustomerLiabilitiesSchema } from '../reports/index.ts';
import { text } from '../text.ts';

/**
 * Segmentation (客户分群): RFM segments, membership tiers (会员等级), custom groups, customer value analysis,
 * the manager dashboard, coupons and wake-up campaigns (唤醒). Money is integer fen; rates are integer basis
 * points (1/10,000) or percent; days are Asia/Shanghai business days.
 */

const FenAmountSchema = z.number().int().min(0).max(1e12);
const BasisPointsSchema = z.number().int().min(0).max(10_000);
const NameSchema = text().trim().min(1).max(40);
const CursorSchema = text().max(200).optional();
const LimitSchema = z.coerce.number().int().min(1).max(100).default(20);
const CategorySchema = text().trim().min(1).max(40);

/** A fraction kept exact: numerator / denominator, with the same value in basis points (floored) for display. */
export const RatioSchema = z
  .object({
    numerator: z.number().int(),
    denominator: z.number().int(),
    basisPoints: z.number().int().nullable().meta({ description: 'floor(10,000 × n / d); null when d = 0' }),
  })
  .meta({ id: 'Ratio' });
export type Ratio = z.infer<typeof RatioSchema>;

// ── RFM segments ────────────────────────────────────────────────────────────────────────────────────────────

export const SEGMENT_CODES = [
  'high_value',
  'potential',
  'at_risk',
  'win_back',
  'dormant',
  'new',
  'regular',
  'no_purchase',
] as const;
export const SegmentCodeSchema = z.enum(SEGMENT_CODES).meta({ id: 'SegmentCode' });
export type SegmentCode = z.infer<typeof SegmentCodeSchema>;

/** The labels the salon sees. 流失风险 is the "needs attention" group (需关注). */
export const SEGMENT_LABELS: Record<SegmentCode, string> = {
  high_value: '高价值',
  potential: '潜力',
  at_risk: '流失风险',
  win_back: '重要挽回',
  dormant: '沉睡',
  new: '新客',
  regular: '一般',
  no_purchase: '未消费',
};

/**
 * Each segment's rule in one sentence, as the manager's screens show it (docs/segmentation.md has them with
 * worked examples). Scores are 1–5 (R: how recently, F: how often, M: how much, within the tenant); a
 * customer's rhythm is her own average interval between visit days. Rules apply in this order.
 */
export function segmentRules(newCustomerDays: number): Record<SegmentCode, string> {
  return {
    new: `近${newCustomerDays}天内第一次消费，或近${newCustomerDays}天内注册、还没有消费的顾客。`,
    at_risk:
      '来得勤或花得多（F≥4或M≥4），最近一次到店也不算太久（R≥3），但已超过她自己的平均到店间隔还没回来：尽快回访。',
    win_back: '曾经来得勤或花得多（F≥4或M≥4），但已经很久没来（R≤2），也没有按她自己的节奏回来：用有力度的优惠挽回。',
    high_value: '最近来过、来得勤、花得多（R、F、M都≥4），并且仍在她自己的到店节奏内。',
    potential: '最近来过（R≥4），但来店次数或消费还不高（F或M低于4）：适合推荐加购或办卡。',
    dormant: '很久没来、来得少、花得也少（R、F、M都≤2）。',
    regular: '消费过、但不属于以上任何一类的顾客。',
    no_purchase: `注册超过${newCustomerDays}天，从未消费的顾客。`,
  };
}

const AscendingFour = (max: number) =>
  z
    .tuple([
      z.number().int().min(0).max(max),
      z.number().int().min(0).max(max),
      z.number().int().min(0).max(max),
      z.number().int().min(0).max(max),
    ])
    .refine((t) => t[0] < t[1] && t[1] < t[2] && t[2] < t[3], 'must be strictly ascending');

export const RfmThresholdsSchema = z
  .object({
    /** Days since the last paid visit: ≤ [0] scores 5, ≤ [1] 4, ≤ [2] 3, ≤ [3] 2, otherwise 1. */
    recencyDays: AscendingFour(3650),
    /** Paid visits in the window: ≥ [3] scores 5, ≥ [2] 4, ≥ [1] 3, ≥ [0] 2, otherwise 1. */
    frequency: AscendingFour(100_000),
    /** Net spend in the window (fen): ≥ [3] scores 5, ≥ [2] 4, ≥ [1] 3, ≥ [0] 2, otherwise 1. */
    monetaryFen: AscendingFour(1e12),
  })
  .meta({ id: 'RfmThresholds' });
export type RfmThresholds = z.infer<typeof RfmThresholdsSchema>;

const rfmRules = {
  /** F and M count paid visits and net spend in this many days before the computation. */
  windowDays: z.number().int().min(30).max(1095),
  /** Scores by quintiles within the tenant, or by the tenant's thresholds. */
  method: z.enum(['quintiles', 'thresholds']),
  thresholds: RfmThresholdsSchema.nullable(),
  /** A customer whose first paid visit (or sign-up, without one) is this recent is 新客. */
  newCustomerDays: z.number().int().min(1).max(365),
};

export const RfmSettingsSchema = z
  .object({
    windowDays: rfmRules.windowDays.default(365),
    method: rfmRules.method.default('quintiles'),
    thresholds: rfmRules.thresholds.default(null),
    newCustomerDays: rfmRules.newCustomerDays.default(30),
  })
  .meta({ id: 'RfmSettings' });
export type RfmSettings = z.infer<typeof RfmSettingsSchema>;

export const UpdateRfmSettingsRequestSchema = z
  .object(rfmRules)
  .partial()
  .strict()
  .refine((s) => s.method !== 'thresholds' || s.thresholds, {
    message: 'thresholds are required with method "thresholds"',
    path: ['thresholds'],
  })
  .meta({ id: 'UpdateRfmSettingsRequest' });
export type UpdateRfmSettingsRequest = z.infer<typeof UpdateRfmSettingsRequestSchema>;

export const RfmScoreSchema = z
  .object({
    customerId: IdSchema,
    segment: SegmentCodeSchema,
    segmentLabel: text(),
    segmentSince: IsoDateTimeSchema,
    recencyDays: z.number().int().nullable().meta({ description: 'Days since the last paid visit; null: never' }),
    frequency: z.number().int(),
    monetaryFen: z.number().int(),
    rScore: z.number().int().nullable(),
    fScore: z.number().int().nullable(),
    mScore: z.number().int().nullable(),
    lastPaidAt: IsoDateTimeSchema.nullable(),
    computedAt: IsoDateTimeSchema,
  })
  .meta({ id: 'RfmScore' });
export type RfmScore = z.infer<typeof RfmScoreSchema>;

export const RecomputeRequestSchema = z
  .object({
    parts: z
      .array(z.enum(['rfm', 'tiers', 'preferences']))
      .min(1)
      .max(3)
      .default(['rfm', 'tiers', 'preferences']),
  })
  .strict()
  .meta({ id: 'SegmentationRecomputeRequest' });
export type RecomputeRequest = z.infer<typeof RecomputeRequestSchema>;

export const RfmRunSchema = z
  .object({
    runId: z.number().int(),
    asOf: IsoDateTimeSchema,
    customers: z.number().int(),
    scored: z.number().int().meta({ description: 'Customers with at least one paid visit' }),
    written: z
      .number()
      .int()
      .meta({ description: 'Membership rows written: new customers and those whose values or segment changed' }),
    transitions: z.number().int(),
    durationMs: z.number().int(),
  })
  .meta({ id: 'RfmRun' });
export type RfmRun = z.infer<typeof RfmRunSchema>;

export const TierEvaluationSchema = z
  .object({ evaluated: z.number().int(), upgrades: z.number().int(), downgrades: z.number().int() })
  .meta({ id: 'TierEvaluation' });
export type TierEvaluation = z.infer<typeof TierEvaluationSchema>;

export const RecomputeResultSchema = z
  .object({
    rfm: RfmRunSchema.nullable(),
    tiers: TierEvaluationSchema.nullable(),
    preferences: z.object({ customers: z.number().int(), items: z.number().int() }).nullable(),
  })
  .meta({ id: 'SegmentationRecomputeResult' });
export type RecomputeResult = z.infer<typeof RecomputeResultSchema>;

export const SegmentCustomersQuerySchema = z
  .object({ limit: LimitSchema, cursor: CursorSchema.meta({ description: 'nextCursor of the previous page' }) })
  .strict();
export type SegmentCustomersQuery = z.infer<typeof SegmentCustomersQuerySchema>;

export const SegmentMemberSchema = z
  .object({
    customerId: IdSchema,
    name: text().nullable(),
    phone: text().nullable(),
    segment: SegmentCodeSchema.nullable(),
    recencyDays: z.number().int().nullable(),
    frequency: z.number().int(),
    monetaryFen: z.number().int(),
  })
  .meta({ id: 'SegmentMember' });
export type SegmentMember = z.infer<typeof SegmentMemberSchema>;

export const SegmentMemberPageSchema = z
  .object({ items: z.array(SegmentMemberSchema), nextCursor: text().nullable() })
  .meta({ id: 'SegmentMemberPage' });
export type SegmentMemberPage = z.infer<typeof SegmentMemberPageSchema>;

export const TransitionsQuerySchema = z
  .object({
    from: z.iso.date().optional().meta({ description: 'First business day (Asia/Shanghai), inclusive' }),
    to: z.iso.date().optional().meta({ description: 'Last business day (Asia/Shanghai), inclusive' }),
    fromSegment: SegmentCodeSchema.optional(),
    toSegment: SegmentCodeSchema.optional(),
    limit: LimitSchema,
    cursor: z.coerce.number().int().min(1).optional(),
  })
  .strict();
export type TransitionsQuery = z.infer<typeof TransitionsQuerySchema>;

export const TransitionSchema = z
  .object({
    id: z.number().int(),
    customerId: IdSchema,
    customerName: text().nullable(),
    fromSegment: SegmentCodeSchema,
    /** When the customer entered fromSegment. */
    fromSince: IsoDateTimeSchema,
    toSegment: SegmentCodeSchema,
    at: IsoDateTimeSchema,
  })
  .meta({ id: 'SegmentTransition' });

export const TransitionCountSchema = z
  .object({ fromSegment: SegmentCodeSchema, toSegment: SegmentCodeSchema, count: z.number().int() })
  .meta({ id: 'SegmentTransitionCount' });

export const TransitionPageSchema = z
  .object({
    counts: z.array(TransitionCountSchema),
    items: z.array(TransitionSchema),
    nextCursor: z.number().int().nullable(),
  })
  .meta({ id: 'SegmentTransitionPage' });
export type TransitionPage = z.infer<typeof TransitionPageSchema>;

// ── tiers (会员等级) ────────────────────────────────────────────────────────────────────────────────────────

export const TierBasisSchema = z.enum(['spend', 'top_up']);

export const TierLevelSchema = z
  .object({
    id: IdSchema,
    name: NameSchema,
    /** Reached with at least this much spend (or top-up) in the window. */
    thresholdFen: FenAmountSchema,
    /** Off the bill: 500 = 5% off (95折). */
    discountBasisPoints: BasisPointsSchema.max(5_000),
    /** Points earned × this / 100 (100 = ×1, 150 = ×1.5). */
    pointsMultiplierPercent: z.number().int().min(100).max(1_000),
  })
  .meta({ id: 'TierLevel' });
export type TierLevel = z.infer<typeof TierLevelSchema>;

export const TierProgramSchema = z
  .object({
    basis: TierBasisSchema,
    windowDays: z.number().int().min(30).max(1095),
    levels: z.array(TierLevelSchema),
  })
  .meta({ id: 'TierProgram' });
export type TierProgram = z.infer<typeof TierProgramSchema>;

export const PutTierProgramRequestSchema = z
  .object({
    basis: TierBasisSchema,
    windowDays: z.number().int().min(30).max(1095),
    /** The whole ladder; a level without an id is new, a level left out is retired. */
    levels: z
      .array(TierLevelSchema.extend({ id: IdSchema.optional() }).strict())
      .max(10)
      .refine((levels) => new Set(levels.map((l) => l.thresholdFen)).size === levels.length, 'thresholds must differ')
      .refine((levels) => new Set(levels.map((l) => l.name)).size === levels.length, 'names must differ'),
  })
  .strict()
  .meta({ id: 'PutTierProgramRequest' });
export type PutTierProgramRequest = z.infer<typeof PutTierProgramRequestSchema>;

export const CustomerTierSchema = z
  .object({
    tierId: IdSchema.nullable(),
    name: text().nullable(),
    discountBasisPoints: z.number().int(),
    pointsMultiplierPercent: z.number().int(),
    qualifyingFen: z.number().int(),
    since: IsoDateTimeSchema.nullable(),
  })
  .meta({ id: 'CustomerTier' });
export type CustomerTier = z.infer<typeof CustomerTierSchema>;

export const SegmentationSettingsSchema = z
  .object({ rfm: RfmSettingsSchema, tiers: TierProgramSchema })
  .meta({ id: 'SegmentationSettings' });
export type SegmentationSettings = z.infer<typeof SegmentationSettingsSchema>;

// ── custom groups ───────────────────────────────────────────────────────────────────────────────────────────

const Range = (max: number) =>
  z
    .object({ min: z.number().int().min(0).max(max).optional(), max: z.number().int().min(0).max(max).optional() })
    .strict()
    .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, 'min must not exceed max');

/** Every condition given must hold (AND); a list inside one condition matches any of its values (OR). */
export const GroupRulesSchema = z
  .object({
    age: Range(120).optional(),
    genders: z.array(GenderSchema).min(1).max(3).optional(),
    birthdayMonths: z.array(z.number().int().min(1).max(12)).min(1).max(12).optional(),
    tagsAny: z.array(text().trim().min(1).max(30)).min(1).max(20).optional(),
    tagsAll: z.array(text().trim().min(1).max(30)).min(1).max(20).optional(),
    preferredCategories: z.array(CategorySchema).min(1).max(20).optional(),
    /** Net spend in the RFM window, fen. */
    spendFen: Range(1e12).optional(),
    /** Paid visits in the RFM window. */
    visits: Range(100_000).optional(),
    /** Days since the last paid visit; customers who never paid match only `neverVisited`. */
    lastVisitDaysAgo: Range(36_500).optional(),
    neverVisited: z.boolean().optional(),
    storeIds: z.array(IdSchema).min(1).max(50).optional().meta({ description: 'Home store' }),
    segments: z.array(SegmentCodeSchema).min(1).max(SEGMENT_CODES.length).optional(),
    /** Tier ids; null in the list matches customers without a tier. */
    tierIds: z.array(IdSchema.nullable()).min(1).max(11).optional(),
  })
  .strict()
  .meta({ id: 'GroupRules' });
export type GroupRules = z.infer<typeof GroupRulesSchema>;

export const GroupRequestSchema = z
  .object({ name: NameSchema, description: text().trim().max(200).optional(), rules: GroupRulesSchema })
  .strict()
  .meta({ id: 'CustomerGroupRequest' });
export type GroupRequest = z.infer<typeof GroupRequestSchema>;

/** A campaign's frequency cap: a customer gets at most `maxMessages` campaign messages in `perDays` days. */
export const FrequencyCapSchema = z
  .object({ maxMessages: z.number().int().min(1).max(50), perDays: z.number().int().min(1).max(365) })
  .strict()
  .meta({ id: 'FrequencyCap' });
export type FrequencyCap = z.infer<typeof FrequencyCapSchema>;

export const GroupPreviewRequestSchema = z
  .object({
    rules: GroupRulesSchema,
    frequencyCap: FrequencyCapSchema.optional().meta({
      description: 'A campaign cap: also count the matching customers who have reached it now (they get no message)',
    }),
  })
  .strict()
  .meta({ id: 'GroupPreviewRequest' });

export const GroupSchema = z
  .object({
    id: IdSchema,
    name: text(),
    description: text().nullable(),
    rules: GroupRulesSchema,
    createdAt: IsoDateTimeSchema,
    updatedAt: IsoDateTimeSchema,
  })
  .meta({ id: 'CustomerGroup' });
export type Group = z.infer<typeof GroupSchema>;

export const GroupListSchema = z.object({ items: z.array(GroupSchema) }).meta({ id: 'CustomerGroupList' });

export const GroupPreviewSchema = z
  .object({
    count: z.number().int(),
    sample: z.array(SegmentMemberSchema),
    capped: z
      .object({ count: z.number().int(), sample: z.array(SegmentMemberSchema) })
      .optional()
      .meta({ description: 'With a frequency cap asked: the matching customers at the cap now (up to 20 shown)' }),
  })
  .meta({ id: 'GroupPreview' });
export type GroupPreview = z.infer<typeof GroupPreviewSchema>;

// ── customer value analysis ─────────────────────────────────────────────────────────────────────────────────

export const ChurnRiskSchema = z.enum(['low', 'medium', 'high', 'unknown']);

export const FavouriteItemSchema = z
  .object({
    name: text(),
    type: z.enum(['service', 'product', 'package', 'other']),
    category: text().nullable(),
    quantity: z.number().int(),
    amountFen: z.number().int(),
    lastAt: IsoDateTimeSchema,
  })
  .meta({ id: 'FavouriteItem' });

export const RecommendationSchema = z
  .object({
    name: text(),
    type: z.enum(['service', 'product', 'other']),
    category: text().nullable(),
    reason: text(),
    /** Of the customers who bought `basedOn`, how many also bought this. */
    support: RatioSchema.nullable(),
    basedOn: text().nullable(),
  })
  .meta({ id: 'Recommendation' });

export const CustomerValueSchema = z
  .object({
    customerId: IdSchema,
    name: text().nullable(),
    lifetimeSpendFen: z.number().int().meta({ description: 'Net of reversals and refunds' }),
    paidVisits: z.number().int(),
    averageTicketFen: z.number().int().nullable(),
    firstVisitAt: IsoDateTimeSchema.nullable(),
    lastVisitAt: IsoDateTimeSchema.nullable(),
    cadence: z.object({
      averageIntervalDays: z.number().int().nullable(),
      daysSinceLastVisit: z.number().int().nullable(),
      expectedNextVisitOn: z.iso.date().nullable(),
      overdueDays: z.number().int().nullable(),
    }),
    churnRisk: ChurnRiskSchema,
    favourites: z.array(FavouriteItemSchema),
    balances: z.object({
      principalFen: z.number().int(),
      bonusFen: z.number().int(),
      points: z.number().int(),
      packageCards: z.array(
        z.object({ id: IdSchema, name: text(), sessionsLeft: z.number().int(), expiresOn: z.iso.date() }),
      ),
    }),
    /** 挂账/赊销 behaviour: owed now (the ledger's receivable), the limit, and what is overdue. */
    credit: z.object({
      owedFen: z.number().int(),
      limitFen: z.number().int().nullable(),
      overdueFen: z.number().int(),
      frozen: z.boolean(),
    }),
    rfm: RfmScoreSchema.nullable(),
    tier: CustomerTierSchema,
    recommendations: z.array(RecommendationSchema),
  })
  .meta({ id: 'CustomerValue' });
export type CustomerValue = z.infer<typeof CustomerValueSchema>;

// ── dashboard ───────────────────────────────────────────────────────────────────────────────────────────────

export const DashboardQuerySchema = z
  .object({
    transitionDays: z.coerce.number().int().min(1).max(365).default(90),
    top: z.coerce.number().int().min(1).max(50).default(10),
  })
  .strict();
export type DashboardQuery = z.infer<typeof DashboardQuerySchema>;

/** One segment as the manager's screens list it: its label, its rule in one sentence, its size and net spend. */
export const SegmentSummarySchema = z
  .object({
    segment: SegmentCodeSchema,
    label: text(),
    rule: text().meta({ description: "The segment's rule in one sentence (Chinese)" }),
    customers: z.number().int(),
    spendFen: z.number().int().meta({ description: 'Net spend (M) of its customers in the RFM window' }),
    spendShare: RatioSchema,
  })
  .meta({ id: 'SegmentSummary' });
export type SegmentSummary = z.infer<typeof SegmentSummarySchema>;

export const SegmentListingSchema = z
  .object({
    asOf: IsoDateTimeSchema.nullable().meta({ description: 'The latest RFM run; null before the first' }),
    segments: z.array(SegmentSummarySchema),
  })
  .meta({ id: 'SegmentListing' });
export type SegmentListing = z.infer<typeof SegmentListingSchema>;

export const DashboardSchema = z
  .object({
    asOf: IsoDateTimeSchema.nullable(),
    customers: z.number().int(),
    segments: z.array(SegmentSummarySchema),
    transitions: z.array(
      z.object({
        week: z.iso.date().meta({ description: 'Monday of the week (Asia/Shanghai)' }),
        fromSegment: SegmentCodeSchema,
        toSegment: SegmentCodeSchema,
        count: z.number().int(),
      }),
    ),
    tiers: z.array(z.object({ tierId: IdSchema.nullable(), name: text().nullable(), customers: z.number().int() })),
    topCustomers: z.array(
      z.object({
        customerId: IdSchema,
        name: text().nullable(),
        monetaryFen: z.number().int(),
        frequency: z.number().int(),
        segment: SegmentCodeSchema,
      }),
    ),
    storedValueLiability: z.object({
      principalFen: z.number().int(),
      bonusFen: z.number().int(),
      totalFen: z.number().int(),
      customers: z.number().int(),
    }),
    /** Stored value, points and package sessions owed, as 报表 reports them. */
    liabilities: CustomerLiabilitiesSchema,
  })
  .meta({ id: 'SegmentationDashboard' });
export type Dashboard = z.infer<typeof DashboardSchema>;

// ── coupons ─────────────────────────────────────────────────────────────────────────────────────────────────

export const CouponKindSchema = z.enum(['amount_off', 'percent_off', 'free_addon']);
export type CouponKind = z.infer<typeof CouponKindSchema>;

export const CouponOfferSchema = z
  .object({
    kind: CouponKindSchema,
    title: text().trim().min(1).max(30),
    amountOffFen: z.number().int().min(1).max(100_000_000).optional(),
    /** percent_off: 1,000 = 10% off. */
    percentOffBasisPoints: z.number().int().min(1).max(9_000).optional(),
    /** percent_off: the discount never exceeds this. */
    maxDiscountFen: z.number().int().min(1).max(100_000_000).optional(),
    /** free_addon: what is given, e.g. 眼部护理一次. */
    addonName: text().trim().min(1).max(40).optional(),
    minSpendFen: z.number().int().min(0).max(100_000_000).default(0),
    validDays: z.number().int().min(1).max(365),
  })
  .strict()
  .superRefine((o, ctx) => {
    const need = (field: keyof typeof o, when: CouponKind) => {
      if (o.kind === when && o[field] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: `required for ${when}` });
    };
    need('amountOffFen', 'amount_off');
    need('percentOffBasisPoints', 'percent_off');
    need('addonName', 'free_addon');
  })
  .meta({ id: 'CouponOffer' });
export type CouponOffer = z.infer<typeof CouponOfferSchema>;

export const CouponStatusSchema = z.enum(['issued', 'reserved', 'redeemed', 'void']);

export const CouponSchema = z
  .object({
    id: IdSchema,
    customerId: IdSchema,
    kind: CouponKindSchema,
    title: text(),
    description: text(),
    amountOffFen: z.number().int().nullable(),
    percentOffBasisPoints: z.number().int().nullable(),
    maxDiscountFen: z.number().int().nullable(),
    addonName: text().nullable(),
    minSpendFen: z.number().int(),
    validFrom: IsoDateTimeSchema,
    validTo: IsoDateTimeSchema,
    status: CouponStatusSchema,
    usable: z.boolean().meta({ description: 'Issued and within its validity now' }),
    campaignId: IdSchema.nullable(),
    redeemedAt: IsoDateTimeSchema.nullable(),
  })
  .meta({ id: 'Coupon' });
export type Coupon = z.infer<typeof CouponSchema>;

export const CouponListQuerySchema = z.object({ status: z.enum(['usable', 'all']).default('usable') }).strict();
export const CouponListSchema = z.object({ items: z.array(CouponSchema) }).meta({ id: 'CouponList' });

export const IssueCouponRequestSchema = z
  .object({ offer: CouponOfferSchema, reason: text().trim().min(2).max(200) })
  .strict()
  .meta({ id: 'IssueCouponRequest' });
export type IssueCouponRequest = z.infer<typeof IssueCouponRequestSchema>;

// ── wake-up campaigns (唤醒) ────────────────────────────────────────────────────────────────────────────────

export const CampaignChannelSchema = z.enum(['wechat', 'sms', 'in_app']);
export type CampaignChannel = z.infer<typeof CampaignChannelSchema>;

const TimeOfDaySchema = text().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (Asia/Shanghai)');

export const CampaignAudienceSchema = z
  .discriminatedUnion('type', [
    z
      .object({ type: z.literal('segments'), segments: z.array(SegmentCodeSchema).min(1).max(SEGMENT_CODES.length) })
      .strict(),
    z.object({ type: z.literal('group'), groupId: IdSchema }).strict(),
  ])
  .meta({ id: 'CampaignAudience' });
export type CampaignAudience = z.infer<typeof CampaignAudienceSchema>;

/** Placeholders in templates: {name} the customer's name, {coupon} the offer's title, {category} their favourite. */
const TemplateTextSchema = text().trim().min(1).max(300);

export const CampaignMessageSchema = z
  .object({
    wechat: z
      .object({
        /** Omitted: the configured campaign template (WECHAT_TEMPLATE_CAMPAIGN). */
        templateId: text().trim().min(1).max(64).optional(),
        page: text().trim().max(200).optional(),
        /** Template data key → text with placeholders (WeChat's value rules apply: thing ≤ 20 characters). */
        data: z.record(text().regex(/^[a-z_]+\d*$/), text().max(100)).refine((d) => Object.keys(d).length <= 10),
      })
      .strict()
      .optional(),
    sms: z
      .object({ template: text().trim().min(1).max(40), text: TemplateTextSchema })
      .strict()
      .optional(),
    banner: z
      .object({ title: text().trim().min(1).max(30), body: TemplateTextSchema })
      .strict()
      .optional(),
  })
  .strict()
  .meta({ id: 'CampaignMessage' });
export type CampaignMessage = z.infer<typeof CampaignMessageSchema>;

export const SurveySchema = z
  .object({
    questions: z
      .array(
        z
          .object({
            id: text().regex(/^[a-z0-9_]{1,20}$/),
            text: text().trim().min(1).max(100),
            options: z.array(text().trim().min(1).max(40)).max(8).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(10),
  })
  .strict()
  .meta({ id: 'CampaignSurvey' });
export type Survey = z.infer<typeof SurveySchema>;

const campaignFields = {
  name: text().trim().min(1).max(60),
  audience: CampaignAudienceSchema,
  /** The coupon each treated customer receives; byCategory overrides it for customers whose favourite it is. */
  offer: z
    .object({
      default: CouponOfferSchema.nullable(),
      byCategory: z
        .array(z.object({ category: CategorySchema, offer: CouponOfferSchema }).strict())
        .max(20)
        .default([]),
    })
    .strict(),
  message: CampaignMessageSchema,
  channels: z
    .array(CampaignChannelSchema)
    .min(1)
    .max(3)
    .refine((c) => new Set(c).size === c.length, 'channels must not repeat'),
  scheduledAt: IsoDateTimeSchema.nullable(),
  quietHours: z.object({ start: TimeOfDaySchema, end: TimeOfDaySchema }).strict().nullable(),
  frequencyCap: FrequencyCapSchema.nullable(),
  /** Share of the audience that receives nothing, so the effect is measured: 1,000 = 10%. */
  holdoutBasisPoints: z.number().int().min(0).max(5_000),
  /** "Returned" means a paid visit within this many days of the send. */
  returnWindowDays: z.number().int().min(1).max(180),
  survey: SurveySchema.nullable(),
};

export const CreateCampaignRequestSchema = z
  .object({
    ...campaignFields,
    scheduledAt: campaignFields.scheduledAt.default(null),
    quietHours: campaignFields.quietHours.default({ start: '21:00', end: '09:00' }),
    frequencyCap: campaignFields.frequencyCap.default({ maxMessages: 2, perDays: 30 }),
    holdoutBasisPoints: campaignFields.holdoutBasisPoints.default(1_000),
    returnWindowDays: campaignFields.returnWindowDays.default(30),
    survey: campaignFields.survey.default(null),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.quietHours && c.quietHours.start === c.quietHours.end)
      ctx.addIssue({ code: 'custom', path: ['quietHours', 'end'], message: 'must differ from start' });
    if (c.channels.includes('wechat') && !c.message.wechat)
      ctx.addIssue({ code: 'custom', path: ['message', 'wechat'], message: 'required for the wechat channel' });
    if (c.channels.includes('sms') && !c.message.sms)
      ctx.addIssue({ code: 'custom', path: ['message', 'sms'], message: 'required for the sms channel' });
    if (c.channels.includes('in_app') && !c.message.banner)
      ctx.addIssue({ code: 'custom', path: ['message', 'banner'], message: 'required for the in_app channel' });
  })
  .meta({ id: 'CreateCampaignRequest' });
export type CreateCampaignRequest = z.infer<typeof CreateCampaignRequestSchema>;

export const ScheduleCampaignRequestSchema = z
  .object({ at: IsoDateTimeSchema.optional().meta({ description: 'When to start; now when omitted' }) })
  .strict()
  .meta({ id: 'ScheduleCampaignRequest' });

export const CampaignStatusSchema = z.enum(['draft', 'scheduled', 'sending', 'completed', 'cancelled']);

export const CampaignProgressSchema = z
  .object({
    recipients: z.number().int(),
    holdout: z.number().int(),
    pending: z.number().int(),
    sent: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int().meta({
      description:
        'Customers meant to get the offer who were not sent it (no consent, frequency cap); never the holdout',
    }),
  })
  .meta({ id: 'CampaignProgress' });

export const CampaignSchema = z
  .object({
    id: IdSchema,
    name: text(),
    status: CampaignStatusSchema,
    audience: CampaignAudienceSchema,
    offer: campaignFields.offer,
    message: CampaignMessageSchema,
    channels: z.array(CampaignChannelSchema),
    scheduledAt: IsoDateTimeSchema.nullable(),
    startedAt: IsoDateTimeSchema.nullable(),
    completedAt: IsoDateTimeSchema.nullable(),
    quietHours: campaignFields.quietHours,
    frequencyCap: campaignFields.frequencyCap,
    holdoutBasisPoints: z.number().int(),
    returnWindowDays: z.number().int(),
    survey: SurveySchema.nullable(),
    progress: CampaignProgressSchema,
    createdAt: IsoDateTimeSchema,
  })
  .meta({ id: 'Campaign' });
export type Campaign = z.infer<typeof CampaignSchema>;

export const CampaignListSchema = z
  .object({ items: z.array(CampaignSchema.omit({ offer: true, message: true, survey: true })) })
  .meta({ id: 'CampaignList' });
export type CampaignList = z.infer<typeof CampaignListSchema>;

export const MessageStatusSchema = z.enum(['sending', 'sent', 'failed', 'skipped']);

export const CampaignMessageRecordSchema = z
  .object({
    id: z.number().int(),
    customerId: IdSchema,
    channel: z.enum(['wechat', 'sms', 'none']),
    status: MessageStatusSchema,
    reason: text().nullable().meta({ description: 'Why it was skipped, or the provider error' }),
    providerMessageId: text().nullable(),
    createdAt: IsoDateTimeSchema,
    sentAt: IsoDateTimeSchema.nullable(),
  })
  .meta({ id: 'CampaignMessageRecord' });

export const CampaignMessagesQuerySchema = z
  .object({
    status: MessageStatusSchema.optional(),
    limit: LimitSchema,
    cursor: z.coerce.number().int().min(1).optional(),
  })
  .strict();
export type CampaignMessagesQuery = z.infer<typeof CampaignMessagesQuerySchema>;

export const CampaignMessagePageSchema = z
  .object({ items: z.array(CampaignMessageRecordSchema), nextCursor: z.number().int().nullable() })
  .meta({ id: 'CampaignMessagePage' });

export const CampaignFeedbackRequestSchema = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z.literal('survey'),
        answers: z
          .record(text().regex(/^[a-z0-9_]{1,20}$/), text().trim().min(1).max(200))
          .refine((a) => Object.keys(a).length >= 1 && Object.keys(a).length <= 10, '1–10 answers'),
      })
      .strict(),
    z
      .object({
        type: z.literal('consultation'),
        message: text().trim().min(1).max(500),
        preferredContact: z.enum(['phone', 'wechat', 'in_store']).default('phone'),
      })
      .strict(),
  ])
  .meta({ id: 'CampaignFeedbackRequest' });
export type CampaignFeedbackRequest = z.infer<typeof CampaignFeedbackRequestSchema>;

export const CampaignFeedbackSchema = z
  .object({
    id: z.number().int(),
    campaignId: IdSchema,
    customerId: IdSchema,
    customerName: text().nullable(),
    type: z.enum(['survey', 'consultation']),
    answers: z.record(text(), text()).nullable(),
    message: text().nullable(),
    preferredContact: text().nullable(),
    createdAt: IsoDateTimeSchema,
  })
  .meta({ id: 'CampaignFeedback' });
export type CampaignFeedback = z.infer<typeof CampaignFeedbackSchema>;

export const CampaignFeedbackListSchema = z
  .object({ items: z.array(CampaignFeedbackSchema) })
  .meta({ id: 'CampaignFeedbackList' });
export type CampaignFeedbackList = z.infer<typeof CampaignFeedbackListSchema>;

export const CampaignArmResultSchema = z
  .object({
    customers: z.number().int(),
    delivered: z.number().int(),
    opened: z.number().int(),
    couponsRedeemed: z.number().int(),
    returned: z.number().int(),
    revenueFen: z.number().int(),
    returnRate: RatioSchema,
    revenuePerCustomerFen: z.number().int().nullable().meta({ description: 'Rounded half away from zero' }),
  })
  .meta({ id: 'CampaignArmResult' });
export type CampaignArmResult = z.infer<typeof CampaignArmResultSchema>;

export const UpliftSchema = z
  .object({
    /** Treated return rate − holdout return rate, exact: numerator / denominator. */
    returnRateDifference: RatioSchema,
    /** (treated revenue per customer − holdout revenue per customer) × treated customers, rounded. */
    incrementalRevenueFen: z.number().int().nullable(),
    incrementalReturns: z
      .object({ numerator: z.number().int(), denominator: z.number().int() })
      .nullable()
      .meta({ description: 'Extra customers who returned: treated returns − holdout rate × treated customers' }),
  })
  .meta({ id: 'CampaignUplift' });
export type Uplift = z.infer<typeof UpliftSchema>;

export const CampaignResultsQuerySchema = z
  .object({ returnWindowDays: z.coerce.number().int().min(1).max(180).optional() })
  .strict();

export const CampaignResultsSchema = z
  .object({
    campaignId: IdSchema,
    since: IsoDateTimeSchema.nullable(),
    returnWindowDays: z.number().int(),
    treated: CampaignArmResultSchema,
    holdout: CampaignArmResultSchema,
    uplift: UpliftSchema,
    feedback: z.object({ surveys: z.number().int(), consultations: z.number().int() }),
  })
  .meta({ id: 'CampaignResults' });
export type CampaignResults = z.infer<typeof CampaignResultsSchema>;

/** What the customer mini-program shows: a banner with the campaign's offer and its survey. */
export const MyCampaignSchema = z
  .object({
    id: IdSchema,
    title: text(),
    body: text(),
    couponId: IdSchema.nullable(),
    survey: SurveySchema.nullable(),
    openedAt: IsoDateTimeSchema.nullable(),
  })
  .meta({ id: 'MyCampaign' });
export const MyCampaignListSchema = z.object({ items: z.array(MyCampaignSchema) }).meta({ id: 'MyCampaignList' });

export const AcknowledgedSchema = z.object({ ok: z.literal(true) }).meta({ id: 'Acknowledged' });
