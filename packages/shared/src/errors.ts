import { z } from 'zod';
import { text } from './text.ts';

/**
 * Stable error codes. Clients branch on these, never on messages, so a code is never renamed once shipped.
 * Each code has exactly one HTTP status.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_REQUEST: 400,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  /** An authentic-looking notification that cannot be decrypted or does not match the stored order. */
  NOTIFY_REJECTED: 400,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  INVALID_CREDENTIALS: 401,
  /** A WeChat Pay notification whose signature, serial or timestamp does not check out (probes included). */
  NOTIFY_SIGNATURE_INVALID: 401,
  WECHAT_CODE_INVALID: 401,
  REFRESH_TOKEN_INVALID: 401,
  FORBIDDEN: 403,
  /** The staff member who filed a credit-limit request may not decide it. */
  CREDIT_SELF_APPROVAL: 403,
  /** A void or refund above the tenant's threshold: a manager must do it, or approve a request (请店长审批). */
  MANAGER_APPROVAL_REQUIRED: 403,
  /** The staff member who filed an approval request may not decide it. */
  APPROVAL_SELF_DECISION: 403,
  /**
   * A manual discount above the tenant's limit: a manager gives it, or approves the bill's draft (请店长审批);
   * details {limitBasisPoints, limitFen, manualDiscountFen, subtotalFen}.
   */
  DISCOUNT_APPROVAL_REQUIRED: 403,
  NOT_FOUND: 404,
  TENANT_NOT_FOUND: 404,
  CUSTOMER_NOT_FOUND: 404,
  ACCOUNT_NOT_FOUND: 404,
  TRANSFER_NOT_FOUND: 404,
  PAYMENT_NOT_FOUND: 404,
  /** No such coupon in this customer's wallet (or this tenant). */
  COUPON_NOT_FOUND: 404,
  CAMPAIGN_NOT_FOUND: 404,
  GROUP_NOT_FOUND: 404,
  CONFLICT: 409,
  /** The credit-limit request was already approved or rejected. */
  CREDIT_REQUEST_NOT_PENDING: 409,
  /** The customer already has a credit-limit request waiting for a decision. */
  CREDIT_REQUEST_PENDING: 409,
  /** The approval request was already approved or rejected. */
  APPROVAL_NOT_PENDING: 409,
  /** The bill (or package card) already has an approval request waiting for a manager. */
  APPROVAL_PENDING: 409,
  /** The discount approval is still waiting or was refused: it cannot open a bill; details {status}. */
  APPROVAL_NOT_APPROVED: 409,
  /** The discount approval already opened another bill: each approval opens one bill. */
  APPROVAL_USED: 409,
  /** The package card changed since the transfer was requested (sessions used or moved); file it again. */
  APPROVAL_STALE: 409,
  /** The discount approval's business day is over (details {expiresAt}): it cannot open a bill; ask again. */
  APPROVAL_EXPIRED: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  /** The campaign has started (or ended): its audience, offer and messages can no longer change. */
  CAMPAIGN_NOT_EDITABLE: 409,
  /** Another customer of the tenant has this phone; details {customer: CustomerSummary}. */
  CUSTOMER_PHONE_TAKEN: 409,
  /** The phone belongs to a customer already signed in with another WeChat account. */
  PHONE_BOUND_ELSEWHERE: 409,
  /**
   * Both the signed-in customer and the one registered with the phone have money, bills or cards: they are not
   * merged automatically; details {customerId} of the registered one, for the front desk.
   */
  CUSTOMER_MERGE_CONFLICT: 409,
  /**
   * The top-up offer has been used (or a shop item or WeChat payment names it): its terms cannot change; withdraw it
   * and create another. details {fields} that were asked to change.
   */
  TOP_UP_PLAN_TERMS_FIXED: 409,
  /** The top-up offer was withdrawn: it cannot be edited. */
  TOP_UP_PLAN_WITHDRAWN: 409,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  /** The bill is not the draft the manager approved; details {fields} that differ. */
  APPROVAL_DRAFT_MISMATCH: 422,
  /** The member code has expired (it lives a few minutes); the customer's app shows a fresh one. */
  MEMBER_CODE_EXPIRED: 422,
  /** Not a member code of this tenant: tampered, garbled or from another salon. */
  MEMBER_CODE_INVALID: 422,
  /** The getPhoneNumber code is invalid, expired or already used; tap the button again. */
  PHONE_CODE_INVALID: 422,
  BUSINESS_RULE_VIOLATED: 422,
  LEDGER_INSUFFICIENT_BALANCE: 422,
  LEDGER_UNBALANCED_TRANSFER: 422,
  LEDGER_ALREADY_REVERSED: 422,
  PACKAGE_CARD_EXPIRED: 422,
  REFUND_NOT_ALLOWED: 422,
  /** The coupon is reserved by another bill, already redeemed or void; details {status}. */
  COUPON_NOT_USABLE: 422,
  /** The coupon is outside its validity; details {validFrom, validTo}. */
  COUPON_EXPIRED: 422,
  /** The bill does not reach the coupon's minimum spend; details {minSpendFen, eligibleTotalFen}. */
  COUPON_MIN_SPEND_NOT_MET: 422,
  REFUND_AMOUNT_EXCEEDED: 422,
  /** Not enough of a shop item left at the store; details {itemId, available}. */
  SHOP_OUT_OF_STOCK: 422,
  /** No order waits for pickup at this store under this code (wrong store, already collected, or no such code). */
  PICKUP_CODE_INVALID: 422,
  /** The service voucher was already used at the till, or given back; details {status}. */
  VOUCHER_NOT_USABLE: 422,
  /**
   * A shop order cannot be given back whole: a package card, top-up or voucher it put in the wallet has been used
   * (a session taken, the topped-up balance or its points spent); details {lineId, itemKind}.
   */
  SHOP_WALLET_ITEM_USED: 422,
  /**
   * A shop after-sale would give back a service voucher that is a line of a bill not yet settled (open at the
   * till or waiting for the customer); details {lineId, voucherId, billId, billNumber, billStatus}.
   */
  VOUCHER_ON_OPEN_BILL: 409,
  /**
   * A bill names a service voucher given back with its shop order (a 售后 approved before, or while, the bill was
   * stored); details {field, voucherId}.
   */
  VOUCHER_GIVEN_BACK: 409,
  /** A shop picture larger than SHOP_IMAGE_MAX_BYTES; details {maxBytes}. */
  SHOP_IMAGE_TOO_LARGE: 413,
  /** A shop picture whose bytes are not a JPEG, PNG or WebP image (whatever its name or declared type says). */
  SHOP_IMAGE_TYPE_UNSUPPORTED: 400,
  /** owed + amount would exceed the credit limit; details {limitFen, owedFen, availableFen}. */
  CREDIT_LIMIT_EXCEEDED: 422,
  /** The customer's credit line is frozen (by a manager or automatically when overdue). */
  CREDIT_LINE_FROZEN: 422,
  /** A repayment larger than what the customer owes; details {owedFen, amountFen}. */
  CREDIT_OVERPAYMENT: 422,
  /** A credit sale that was already partly repaid cannot be cancelled; details {repaidFen}. */
  CREDIT_SALE_REPAID: 422,
  ACCOUNT_LOCKED: 429,
  RATE_LIMITED: 429,
  WECHAT_UNAVAILABLE: 502,
  /** WeChat would not draw the 小程序码 (page not released, scene refused): configuration, not a retry. details {errcode}. */
  WECHAT_CODE_REFUSED: 502,
  /** WeChat Pay refused the request (its code is in details.wechatCode); retrying the same request will not help. */
  WECHAT_PAY_REJECTED: 502,
  SERVICE_UNAVAILABLE: 503,
  /**
   * The database dropped the connection or cannot be reached (a restart, a failover). Nothing the request asked
   * for is known to be applied; send it again with the same Idempotency-Key. details {retry: true}.
   */
  DATABASE_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: text().meta({ description: 'Stable machine-readable error code' }),
      message: text(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** One entry of a VALIDATION_FAILED error's details: which field, and what is wrong with it. */
export const FieldIssueSchema = z.object({ field: text(), message: text() });
export type FieldIssue = z.infer<typeof FieldIssueSchema>;
