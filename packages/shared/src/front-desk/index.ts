import { z } from 'zod';
import { IdSchema, IsoDateTimeSchema } from '../common.ts';
import { text } from '../text.ts';

/**
 * 我的业绩: the signed-in staff member's own commissions (提成) over Shanghai business days — per day, and every
 * line behind them (refunds take their share back as negative lines).
 */
export const MyCommissionsQuerySchema = z.object({ from: z.iso.date(), to: z.iso.date() }).strict();
export type MyCommissionsQuery = z.infer<typeof MyCommissionsQuerySchema>;

export const MyCommissionLineSchema = z
  .object({
    date: z.iso.date(),
    at: IsoDateTimeSchema,
    billId: IdSchema,
    billNumber: text(),
    customerName: text().nullable(),
    /** The bill line's item (项目/产品/次卡). */
    item: text(),
    amountFen: z.number().int(),
    /** A refund took this share back. */
    reversal: z.boolean(),
  })
  .meta({ id: 'MyCommissionLine' });

export const MyCommissionsSchema = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    totalFen: z.number().int(),
    days: z.array(z.object({ date: z.iso.date(), amountFen: z.number().int(), lines: z.number().int() })),
    /** Newest first; at most LINES_LIMIT (the totals are always complete). */
    lines: z.array(MyCommissionLineSchema),
    linesTruncated: z.boolean(),
  })
  .meta({ id: 'MyCommissions' });
export type MyCommissions = z.infer<typeof MyCommissionsSchema>;
export type MyCommissionLine = z.infer<typeof MyCommissionLineSchema>;

/** 交班/日结: money taken at one store on one Shanghai business day (today when no date). */
export const TakingsQuerySchema = z.object({ storeId: IdSchema, date: z.iso.date().optional() }).strict();
export type TakingsQuery = z.infer<typeof TakingsQuerySchema>;

/** Money tenders only: stored value and package sessions are the customer's own, not takings. */
export const TakingsTenderSchema = z.enum(['cash', 'card', 'wechat']);
export type TakingsTender = z.infer<typeof TakingsTenderSchema>;

/**
 * What a posting consumed that is not money taken (日结 beyond money), from the customers' side: stored value spent
 * (principal and bonus, net of what refunds gave back), package sessions used, points redeemed, credit sold (挂账),
 * and top-ups taken (principal paid in, bonus granted with it). Fen, sessions and points are integers.
 */
export const TakingsUsageSchema = z
  .object({
    principalFen: z.number().int(),
    bonusFen: z.number().int(),
    sessions: z.number().int(),
    points: z.number().int(),
    creditFen: z.number().int(),
    topUpFen: z.number().int(),
    topUpBonusFen: z.number().int(),
  })
  .meta({ id: 'TakingsUsage' });
export type TakingsUsage = z.infer<typeof TakingsUsageSchema>;
export type TakingsUsageFigure = keyof TakingsUsage;

/** One posting behind the figures: a bill (or its refund), a top-up, a card sale, a repayment. */
export const TakingsItemSchema = z
  .object({
    transferId: z.number().int(),
    at: IsoDateTimeSchema,
    /** The ledger transfer kind: bill, bill_refund, top_up, package_sale, credit_repayment, … */
    kind: text(),
    staffId: IdSchema.nullable(),
    staffName: text().nullable(),
    customerName: text().nullable(),
    billId: IdSchema.nullable(),
    billNumber: text().nullable(),
    /** Per tender, negative for money given back. */
    tenders: z.object({ cash: z.number().int(), card: z.number().int(), wechat: z.number().int() }),
    totalFen: z.number().int(),
    usage: TakingsUsageSchema,
  })
  .meta({ id: 'TakingsItem' });
export type TakingsItem = z.infer<typeof TakingsItemSchema>;

export const TakingsSchema = z
  .object({
    storeId: IdSchema,
    date: z.iso.date(),
    /** `store`: everyone's takings (managers, owner); `own`: a beautician's own. */
    scope: z.enum(['store', 'own']),
    totalFen: z.number().int(),
    byTender: z.object({ cash: z.number().int(), card: z.number().int(), wechat: z.number().int() }),
    byStaff: z.array(
      z.object({
        staffId: IdSchema.nullable(),
        name: text().nullable(),
        totalFen: z.number().int(),
        count: z.number().int(),
        usage: TakingsUsageSchema,
      }),
    ),
    /** What the day consumed beyond money, and the top-ups taken (the same figures per staff member above). */
    usage: TakingsUsageSchema,
    items: z.array(TakingsItemSchema),
  })
  .meta({ id: 'Takings' });
export type Takings = z.infer<typeof TakingsSchema>;
