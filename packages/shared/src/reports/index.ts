import { z } from 'zod';
import { IdSchema } from '../common.ts';
import { BillProblemSchema, ReconciliationSettlementSchema, ReconciliationSourceSchema } from '../payments/index.ts';

/** 报表: a Shanghai business day, or the calendar month the day falls in, for one store or all the caller manages. */
export const ManagerReportQuerySchema = z
  .object({
    period: z.enum(['day', 'month']).default('day'),
    /** A Shanghai date (YYYY-MM-DD); today when left out. For `month`, any day of the month. */
    date: z.iso.date().optional(),
    /** Narrow to one store the caller manages; otherwise every store they manage. */
    storeId: IdSchema.optional(),
  })
  .strict();
export type ManagerReportQuery = z.infer<typeof ManagerReportQuerySchema>;

export const ReportTenderMethodSchema = z.enum(['stored_value', 'points', 'cash', 'card', 'wechat', 'credit']);
export type ReportTenderMethod = z.infer<typeof ReportTenderMethodSchema>;

/** Money taken in a period less what was refunded or voided in it, in fen. */
const NetSchema = z.object({
  salesFen: z.number().int(),
  refundsFen: z.number().int(),
  netFen: z.number().int(),
});

/** What the salon owes its customers now: stored value, points, package sessions and prepaid services. */
export const CustomerLiabilitiesSchema = z
  .object({
    storedPrincipalFen: z.number().int(),
    storedBonusFen: z.number().int(),
    points: z.number().int(),
    packageSessions: z.number().int(),
    /** Paid for, not yet served: the package cards' deferred revenue. */
    packageDeferredFen: z.number().int(),
    /** Service vouchers bought in the shop and not yet used (服务券预收). */
    voucherDeferredFen: z.number().int(),
  })
  .meta({ id: 'CustomerLiabilities' });
export type CustomerLiabilities = z.infer<typeof CustomerLiabilitiesSchema>;

export const ManagerReportSchema = z
  .object({
    period: z.enum(['day', 'month']),
    from: z.iso.date(),
    to: z.iso.date(),
    storeIds: z.array(IdSchema),
    revenue: NetSchema.extend({ bills: z.number().int(), refunds: z.number().int() }),
    byTender: z.array(NetSchema.extend({ method: ReportTenderMethodSchema })),
    byStore: z.array(NetSchema.extend({ storeId: IdSchema, storeName: z.string() })),
    /** One row per day of the period, oldest first (days without sales are zero). */
    byDay: z.array(z.object({ date: z.iso.date(), netFen: z.number().int() })),
    topUps: z.object({
      count: z.number().int(),
      principalFen: z.number().int(),
      bonusFen: z.number().int(),
      /** Stored value paid back out (退储值) in the period. */
      refundedFen: z.number().int(),
    }),
    /** What the salon owes its customers now (not per period, not per store: wallets are salon-wide). */
    liabilities: CustomerLiabilitiesSchema,
    commissions: z.array(
      z.object({ staffId: IdSchema, name: z.string(), amountFen: z.number().int(), lines: z.number().int() }),
    ),
    /** The daily WeChat Pay comparisons made for days of the period (made at 04:30 the next day). */
    reconciliation: z.object({
      daysChecked: z.number().int(),
      /** Of those, the days compared with WeChat's trade bill (both ways); the rest order by order. */
      daysWithBill: z.number().int(),
      /** Each day checked, oldest first: how it was compared, why a bill was not used, its money by the fund-flow bill. */
      days: z.array(
        z.object({
          date: z.iso.date(),
          source: ReconciliationSourceSchema,
          billProblem: BillProblemSchema.nullable(),
          settlement: ReconciliationSettlementSchema.nullable(),
          settlementProblem: BillProblemSchema.nullable(),
        }),
      ),
      mismatches: z.array(
        z.object({
          date: z.iso.date(),
          kind: z.string(),
          outTradeNo: z.string(),
          outRefundNo: z.string().nullable(),
          localAmountFen: z.number().int().nullable(),
          wechatAmountFen: z.number().int().nullable(),
        }),
      ),
    }),
  })
  .meta({ id: 'ManagerReport' });
export type ManagerReport = z.infer<typeof ManagerReportSchema>;
