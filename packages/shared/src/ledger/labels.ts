import type { LedgerBucket } from './index.ts';

/**
 * Transfer kinds and wallet buckets in the words customers and staff read (the mini-programs' history and the
 * API's printable statements), kept in one place so a statement and a phone never name the same entry differently.
 */
export const TRANSFER_KIND_LABELS: Readonly<Record<string, string>> = {
  top_up: '充值',
  spend: '消费',
  package_sale: '购卡',
  package_consumption: '次卡核销',
  package_expiry: '次卡过期',
  package_transfer: '次卡转让',
  /** Everything a WeChat sign-up held, moved to the member the front desk had registered with the same phone. */
  customer_merge: '账户合并',
  points_redemption: '积分抵扣',
  points_adjustment: '积分调整',
  points_expiry: '积分过期',
  top_up_refund: '储值退款',
  reversal: '冲正',
  stored_value_adjustment: '余额调整',
  bill: '结账',
  bill_refund: '账单退款',
  /** A bill_refund transfer that voided the whole bill (entries report it under this kind). */
  bill_void: '撤销账单',
  bill_refund_credited: '微信退款未成功，转入储值',
  bill_payment_credited: '账单付款转入储值',
  credit_sale: '挂账消费',
  credit_repayment: '还款',
  credit_payment_credited: '还款转入储值',
  payment_refund: '微信退款（处理中）',
  payment_refund_settled: '微信退款到账',
  shop_order: '商城购物',
  shop_refund: '商城退款',
  shop_payment_credited: '商城付款转入储值',
  shop_refund_credited: '商城微信退款未成功，转入储值',
};

/** A kind added to the API before this table learns it still reads as Chinese, never as `some_kind`. */
export function transferKindLabel(kind: string): string {
  return TRANSFER_KIND_LABELS[kind] ?? '账户变动';
}

export const BUCKET_LABELS: Readonly<Record<LedgerBucket, string>> = {
  principal: '本金',
  bonus: '赠送金',
  points: '积分',
  sessions: '次卡',
  credit: '欠款',
};

/** How a bill was paid, in the words on a receipt and on both apps' bill pages. */
export const TENDER_LABELS: Readonly<
  Record<'stored_value' | 'points' | 'cash' | 'card' | 'wechat' | 'credit', string>
> = {
  stored_value: '储值',
  points: '积分',
  cash: '现金',
  card: '银行卡',
  wechat: '微信支付',
  credit: '挂账',
};
