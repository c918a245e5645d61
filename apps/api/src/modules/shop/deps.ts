import type { PaymentOrder } from '@lumi/shared';
import type { Database } from '../../db/database.ts';
import type { CheckoutHooks } from '../checkout/index.ts';
import type { LedgerDeps } from '../ledger/index.ts';

/**
 * What the shop needs from outside: the ledger, checkout's hooks (tiers, credit — the same tender rules as a bill)
 * and WeChat Pay through the payments module, wired in app.ts so the shop never reaches into payments' tables.
 */
export interface ShopDeps {
  ledger: LedgerDeps;
  hooks: Pick<
    CheckoutHooks,
    'authorizeCreditCharge' | 'reduceCreditSale' | 'reserveCoupon' | 'redeemCoupon' | 'releaseCoupon'
  >;
  /** Gives a coupon used by `reference` back to the wallet (an order refunded in full). */
  restoreCoupon(
    db: Database,
    input: { tenantId: string; couponId: string; reference: { type: string; id: string } },
  ): Promise<void>;
  /** The customer's tier (segmentation's), whose member prices she pays. */
  tierOf(
    db: Database,
    tenantId: string,
    customerId: string,
  ): Promise<{ tierId: string | null; name: string | null; pointsMultiplierPercent: number }>;
  /** Minutes an unpaid order keeps its stock and held balance. */
  paymentMinutes: number;
  wechat?: {
    pay(
      who: { tenantId: string; customerId: string },
      orderId: string,
      key: string,
      hash: string,
    ): Promise<{ order: PaymentOrder; replayed: boolean }>;
    /** Closes the order's open WeChat payments; 'paid' when one was paid after all (and is credited now). */
    close(tenantId: string, orderId: string, reason: string): Promise<'closed' | 'paid'>;
    /** Records the WeChat part of an after-sale refund in the refund's transaction. */
    recordRefund(
      tx: Database,
      input: {
        tenantId: string;
        orderId: string;
        amountFen: number;
        reason: string;
        staffId: string | null;
        idempotencyKey: string;
        holdTransferId: number;
      },
    ): Promise<{ outRefundNo: string }>;
    sendRefund(tenantId: string, outRefundNo: string): Promise<void>;
  };
}

export const shopOrderRef = (orderId: string) => ({ type: 'shop_order', id: orderId });
