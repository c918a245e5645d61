import type { LedgerBucket } from '@lumi/shared';

/**
 * The chart of accounts (docs/ledger.md explains how each operation posts). Amounts are signed: debit +,
 * credit −. A customer's stored value, points and sessions are what the salon owes them, so those accounts are
 * credit-normal and the customer sees −balance; what a customer owes the salon (credit receivable) is
 * debit-normal. "Materialised" accounts keep a balance row, a version and a hash chain; house accounts don't.
 */
export type Unit = 'CNY' | 'POINTS' | `SESSIONS:${string}`;

export interface AccountKindSpec {
  owner: 'customer' | 'store' | 'tenant';
  unit: 'CNY' | 'POINTS' | 'SESSIONS';
  normalSide: 'debit' | 'credit';
  /** Postings that would take the balance past zero on the wrong side are refused. */
  noOverdraw: boolean;
  label: string;
}

export const CUSTOMER_ACCOUNTS = {
  stored_principal: { owner: 'customer', unit: 'CNY', normalSide: 'credit', noOverdraw: true, label: '储值本金' },
  stored_bonus: { owner: 'customer', unit: 'CNY', normalSide: 'credit', noOverdraw: true, label: '赠送金' },
  points: { owner: 'customer', unit: 'POINTS', normalSide: 'credit', noOverdraw: true, label: '积分' },
  package_sessions: { owner: 'customer', unit: 'SESSIONS', normalSide: 'credit', noOverdraw: true, label: '次卡' },
  credit_receivable: { owner: 'customer', unit: 'CNY', normalSide: 'debit', noOverdraw: true, label: '挂账/赊销欠款' },
} as const satisfies Record<string, AccountKindSpec>;

export const HOUSE_ACCOUNTS = {
  cash: { owner: 'store', unit: 'CNY', normalSide: 'debit', noOverdraw: false, label: '现金' },
  card_clearing: { owner: 'store', unit: 'CNY', normalSide: 'debit', noOverdraw: false, label: '银行卡待清算' },
  wechat_clearing: { owner: 'tenant', unit: 'CNY', normalSide: 'debit', noOverdraw: false, label: '微信支付待清算' },
  /** Stored value a WeChat refund has taken out of a wallet that WeChat has not yet confirmed paying out. */
  refunds_pending: { owner: 'tenant', unit: 'CNY', normalSide: 'credit', noOverdraw: false, label: '微信退款处理中' },
  service_revenue: { owner: 'store', unit: 'CNY', normalSide: 'credit', noOverdraw: false, label: '服务收入' },
  product_revenue: { owner: 'store', unit: 'CNY', normalSide: 'credit', noOverdraw: false, label: '商品收入' },
  package_deferred_revenue: {
    owner: 'tenant',
    unit: 'CNY',
    normalSide: 'credit',
    noOverdraw: false,
    label: '次卡预收',
  },
  /** 服务券预收: service vouchers sold in the shop and not yet used; earned when a bill with the voucher settles. */
  voucher_deferred_revenue: {
    owner: 'tenant',
    unit: 'CNY',
    normalSide: 'credit',
    noOverdraw: false,
    label: '服务券预收',
  },
  package_breakage_revenue: {
    owner: 'tenant',
    unit: 'CNY',
    normalSide: 'credit',
    noOverdraw: false,
    label: '次卡过期收入',
  },
  bonus_expense: { owner: 'tenant', unit: 'CNY', normalSide: 'debit', noOverdraw: false, label: '赠送金费用' },
  points_redemption: { owner: 'tenant', unit: 'CNY', normalSide: 'debit', noOverdraw: false, label: '积分抵扣' },
  discounts: { owner: 'tenant', unit: 'CNY', normalSide: 'debit', noOverdraw: false, label: '折扣' },
  adjustments: { owner: 'tenant', unit: 'CNY', normalSide: 'debit', noOverdraw: false, label: '人工调整' },
  points_issued: { owner: 'tenant', unit: 'POINTS', normalSide: 'debit', noOverdraw: false, label: '已发积分' },
  sessions_issued: { owner: 'tenant', unit: 'SESSIONS', normalSide: 'debit', noOverdraw: false, label: '已售次数' },
} as const satisfies Record<string, AccountKindSpec>;

export type CustomerAccountKind = keyof typeof CUSTOMER_ACCOUNTS;
export type HouseAccountKind = keyof typeof HOUSE_ACCOUNTS;

/** Which wallet bucket a customer account kind is shown under. */
export const BUCKET_OF_KIND: Record<string, LedgerBucket> = {
  stored_principal: 'principal',
  stored_bonus: 'bonus',
  points: 'points',
  package_sessions: 'sessions',
  credit_receivable: 'credit',
};

export const sessionsUnit = (serviceId: string): Unit => `SESSIONS:${serviceId}`;

/**
 * An amount as the customer sees it: for what the salon owes them (credit-normal) + is what they hold or
 * received; for what they owe (debit-normal) + is owed. `0 - n` rather than `-n` so zero never shows as -0.
 */
export function customerView(normalSide: 'debit' | 'credit', amount: number): number {
  return normalSide === 'credit' ? 0 - amount : amount;
}
