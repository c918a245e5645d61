import type { PaymentPurposeName } from '@lumi/shared';
import type { Database } from '../../db/database.ts';
import type { LedgerDeps } from '../ledger/index.ts';

/**
 * What a WeChat payment is for. The payments module owns everything WeChat-shaped (orders, signatures,
 * notifications, refunds at WeChat, reconciliation); a purpose owns what the money buys, in the ledger. A new
 * purpose is one object implementing this interface plus a route that calls createPaymentOrder with its name:
 *
 * - `top_up` (top-up-purpose.ts): the customer tops up stored value online.
 * - `bill` (checkout): prepare() loads the waiting bill and prices its WeChat part; complete() settles the bill.
 *   Its refunds start in checkout (a bill refund posts every tender in one transfer and records the WeChat part
 *   with recordPurposeRefund); refundClosed() credits a refund WeChat would not pay to the customer's stored value.
 * - `credit_repayment` (credit issue, not here): prepare() checks the amount against what the customer owes;
 *   complete() posts credit_receivable −amount · wechat_clearing +amount; refund() puts the debt back.
 * - `shop_order` (shop): prepare() prices the WeChat part of an order waiting for payment; complete() posts the
 *   order like a settled bill, capturing its holds. Refunds start in the shop's after-sale (售后) decision, which
 *   records the WeChat part with recordPurposeRefund; an order that expired meanwhile is credited to stored value.
 */

export interface PurposeContext {
  ledger: LedgerDeps;
  tenantId: string;
  customerId: string;
  now: Date;
}

export interface PreparedPayment {
  amountFen: number;
  /** Shown in WeChat's payment sheet and bill (at most 127 characters). */
  description: string;
  /** What the payment points at (plan id, bill id …), stored as purpose_ref. */
  reference: string | null;
  /** Whatever complete() and refund() need later, stored with the order. */
  data: Record<string, unknown>;
}

/** The stored order as a purpose sees it. */
export interface PurposeOrder {
  id: string;
  tenantId: string;
  customerId: string;
  storeId: string | null;
  outTradeNo: string;
  amountFen: number;
  purposeRef: string | null;
  purposeData: Record<string, unknown>;
  /** The posting the purpose made in complete(); set for every order that can be refunded. */
  transferId: number | null;
  createdAt: Date;
}

export interface PurposeRefund {
  outRefundNo: string;
  amountFen: number;
  reason: string;
  staffId: string | null;
  /** Refunds of this order requested before this one and not closed. */
  previouslyRefundedFen: number;
}

export interface PaymentPurpose<Input = unknown> {
  readonly name: PaymentPurposeName;
  /**
   * At most one open order per reference (a bill, a customer's debt), so nothing can be paid twice: a new request
   * for the same amount answers with the open order, one for another amount closes it at WeChat first.
   */
  readonly oneOpenOrder?: boolean;
  /** Validates what the customer asked for and prices it, before anything is stored or sent to WeChat. */
  prepare(db: Database, ctx: PurposeContext, input: Input): Promise<PreparedPayment>;
  /**
   * In the transaction that inserts the order, before the insert: locks what prepare() read and the order names
   * (FOR SHARE) and refuses when it no longer holds, so it cannot change between prepare() and the order's commit
   * (prepare() runs outside any transaction). A top-up's offer: an edit waits, then finds its terms fixed.
   */
  confirm?(tx: Database, ctx: PurposeContext, input: Input, prepared: PreparedPayment): Promise<void>;
  /**
   * Posts what the payment bought, in the transaction that holds the order's row lock, with idempotency key
   * completionKey(order.outTradeNo) so it can never post twice; returns the ledger transfer id.
   */
  complete(tx: Database, ctx: PurposeContext, order: PurposeOrder): Promise<number>;
  /**
   * Takes the refunded value back out of what the payment bought (a ledger hold), before WeChat is asked to pay
   * it out; refuses (throws) when that value is gone. Key: refundHoldKey(refund.outRefundNo). Returns the transfer id.
   */
  refund(tx: Database, ctx: PurposeContext, order: PurposeOrder, refund: PurposeRefund): Promise<number>;
  /**
   * WeChat closed (or refused) a refund, so the value its hold took is still the customer's: posts where it goes
   * and returns the transfer id. Without it the hold is reversed, which suits a hold that only did this refund.
   */
  refundClosed?(
    tx: Database,
    ctx: PurposeContext,
    order: PurposeOrder,
    refund: { outRefundNo: string; amountFen: number; reason: string },
  ): Promise<number>;
}

/**
 * Ledger idempotency keys for payments. They contain '/', which client-chosen Idempotency-Keys may not
 * (plugins/idempotency.ts), so no request can claim a payment's key before the payment posts.
 */
export const completionKey = (outTradeNo: string) => `wxpay/pay/${outTradeNo}`;
export const refundHoldKey = (outRefundNo: string) => `wxpay/refund/${outRefundNo}/hold`;
export const refundSettleKey = (outRefundNo: string) => `wxpay/refund/${outRefundNo}/settle`;
export const refundVoidKey = (outRefundNo: string) => `wxpay/refund/${outRefundNo}/void`;
