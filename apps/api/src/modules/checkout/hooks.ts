import type { BillNotice } from '@lumi/shared';
import type { SQL } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { Leg } from '../ledger/index.ts';
import { NO_SHOP_VOUCHERS, type ShopVoucherLines } from './voucher-lines.ts';

export type TierBenefitsShape = { name: string | null; discountBasisPoints: number; pointsMultiplierPercent: number };

/**
 * What checkout needs from modules that sit beside it (segmentation's tiers and coupons, credit lines, customer
 * notifications). app.ts wires the real ones; checkout never imports those modules, so each can be built and
 * tested on its own, and a tenant without them still checks out.
 */
export interface CheckoutHooks {
  tierBenefits(db: Database, tenantId: string, customerId: string): Promise<TierBenefitsShape>;
  /**
   * The same benefits as a JSON subquery another statement carries (the settlement's locked bill: one round trip
   * less), read back with `of`; absent, the settlement asks `tierBenefits`.
   */
  tierBenefitsRead?: { sql(tenantId: SQL, customerId: SQL): SQL; of(json: unknown): TierBenefitsShape };
  reserveCoupon(
    db: Database,
    input: { tenantId: string; customerId: string; couponId: string; eligibleTotalFen: number; now: Date },
  ): Promise<{ discountFen: number; description: string }>;
  redeemCoupon(
    db: Database,
    input: { tenantId: string; couponId: string; reference: { type: string; id: string } },
  ): Promise<void>;
  releaseCoupon(db: Database, input: { tenantId: string; couponId: string }): Promise<void>;
  authorizeCreditCharge(db: Database, input: { tenantId: string; customerId: string; amountFen: number }): Promise<Leg>;
  recordCreditSale(
    db: Database,
    input: {
      tenantId: string;
      customerId: string;
      transferId: number;
      amountFen: number;
      reference: { type: string; id: string };
      dueDate?: string;
      instalments?: { count: number; interestFree: boolean };
    },
  ): Promise<void>;
  /** Takes a refunded amount off the bill's credit sale; returns the leg that lowers the receivable. */
  reduceCreditSale(db: Database, input: { tenantId: string; transferId: number; amountFen: number }): Promise<Leg>;
  /**
   * Tells the customer about a bill event (subscribe message or SMS). Called after the commit; a failure is
   * logged and never fails the request.
   */
  notifyCustomer(notice: BillNotice): Promise<void>;
  /** Service vouchers bought in the shop, used as bill lines (voucher-lines.ts). */
  shopVouchers: ShopVoucherLines;
}

const unavailable = (what: string) => async (): Promise<never> => {
  throw new AppError('BUSINESS_RULE_VIOLATED', `${what} is not available for this salon`);
};

export const BASIC_CHECKOUT_HOOKS: CheckoutHooks = {
  tierBenefits: async () => ({ name: null, discountBasisPoints: 0, pointsMultiplierPercent: 100 }),
  reserveCoupon: unavailable('Coupons'),
  redeemCoupon: async () => {},
  releaseCoupon: async () => {},
  authorizeCreditCharge: unavailable('Credit'),
  recordCreditSale: async () => {},
  reduceCreditSale: unavailable('Credit'),
  notifyCustomer: async () => {},
  shopVouchers: NO_SHOP_VOUCHERS,
};
