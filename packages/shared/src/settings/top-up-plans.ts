import { z } from 'zod';
import { IdSchema, IsoDateTimeSchema } from '../common.ts';
import { TopUpPlanSchema } from '../ledger/index.ts';
import { text } from '../text.ts';

/**
 * Managing top-up offers (充值方案) from 设置. An offer's terms — what is paid and what it gives — are fixed once
 * a customer has used it (or a shop item or an open WeChat payment names it): history and payments in flight keep
 * the terms they were sold with, so a manager withdraws it and creates another instead. Name and dates may change.
 */

/** ¥1,000,000: a top-up above this is a typing slip, not an offer. */
const MAX_PAY_FEN = 100_000_000;

const PayFen = z.number().int().min(1).max(MAX_PAY_FEN).meta({ description: 'What the customer pays, integer fen' });
const BonusFen = z
  .number()
  .int()
  .min(0)
  .max(MAX_PAY_FEN)
  .meta({ description: 'Stored value given on top, integer fen (at most what is paid)' });
const BonusPoints = z.number().int().min(0).max(10_000_000);
const PlanName = text().trim().min(1).max(30);

/** validTo after validFrom when both are set; reported on validTo. */
const datesInOrder = (p: { validFrom?: string | null; validTo?: string | null }) =>
  !p.validFrom || !p.validTo || Date.parse(p.validTo) > Date.parse(p.validFrom);
/** A bonus above what is paid is a slip of the keyboard (送 more than 充); reported on bonusFen. */
const bonusWithinPay = (p: { payFen?: number; bonusFen?: number }) =>
  p.payFen === undefined || p.bonusFen === undefined || p.bonusFen <= p.payFen;

export const CreateTopUpPlanRequestSchema = z
  .object({
    name: PlanName,
    payFen: PayFen,
    bonusFen: BonusFen.default(0),
    bonusPoints: BonusPoints.default(0),
    /** A package plan given as a gift card with the top-up. */
    giftPackagePlanId: IdSchema.nullable().default(null),
    validFrom: IsoDateTimeSchema.nullable().default(null),
    validTo: IsoDateTimeSchema.nullable().default(null),
  })
  .strict()
  .refine(datesInOrder, { path: ['validTo'], message: 'must be after validFrom' })
  .refine(bonusWithinPay, { path: ['bonusFen'], message: 'must not exceed payFen' })
  .meta({ id: 'CreateTopUpPlanRequest' });
/** What a client sends (defaults may be left out). */
export type CreateTopUpPlanRequest = z.input<typeof CreateTopUpPlanRequestSchema>;

/** Only the fields given change; the terms (payFen, bonusFen, bonusPoints, giftPackagePlanId) only of an unused offer. */
export const UpdateTopUpPlanRequestSchema = z
  .object({
    name: PlanName.optional(),
    payFen: PayFen.optional(),
    bonusFen: BonusFen.optional(),
    bonusPoints: BonusPoints.optional(),
    giftPackagePlanId: IdSchema.nullable().optional(),
    validFrom: IsoDateTimeSchema.nullable().optional(),
    validTo: IsoDateTimeSchema.nullable().optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change')
  .refine(datesInOrder, { path: ['validTo'], message: 'must be after validFrom' })
  .refine(bonusWithinPay, { path: ['bonusFen'], message: 'must not exceed payFen' })
  .meta({ id: 'UpdateTopUpPlanRequest' });
export type UpdateTopUpPlanRequest = z.infer<typeof UpdateTopUpPlanRequestSchema>;

export const WithdrawTopUpPlanRequestSchema = z
  .object({ reason: text().trim().min(1).max(200).optional() })
  .strict()
  .meta({ id: 'WithdrawTopUpPlanRequest' });
export type WithdrawTopUpPlanRequest = z.infer<typeof WithdrawTopUpPlanRequestSchema>;

/** in_force: offered now; scheduled: starts later; ended: past validTo; withdrawn: taken off by a manager. */
export const TopUpPlanStatusSchema = z.enum(['in_force', 'scheduled', 'ended', 'withdrawn']);
export type TopUpPlanStatus = z.infer<typeof TopUpPlanStatusSchema>;

export const ManagedTopUpPlanSchema = TopUpPlanSchema.extend({
  validFrom: IsoDateTimeSchema.nullable(),
  validTo: IsoDateTimeSchema.nullable(),
  status: TopUpPlanStatusSchema,
  /** Top-ups posted with this offer (at the till, by WeChat, or bought in the shop). */
  timesUsed: z.number().int(),
  /** Its terms can no longer change: used, or named by a shop item or a WeChat payment. */
  termsFixed: z.boolean(),
  createdAt: IsoDateTimeSchema,
}).meta({ id: 'ManagedTopUpPlan' });
export type ManagedTopUpPlan = z.infer<typeof ManagedTopUpPlanSchema>;

export const TopUpPlanIdParamsSchema = z.object({ id: IdSchema });
