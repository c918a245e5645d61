/**
 * Every action the API writes to the audit log, and every kind of record an entry is about. The API's
 * `recordAudit` takes only these (so a new audited action is added here first), and the 审计 screen has a Chinese
 * label for each (its test walks these lists).
 */
export const AUDIT_ACTIONS = [
  'bill.voided',
  'bill.refunded',
  'bill.cancelled',
  'bill.price_changed',
  'bill.large_discount',
  'bill.declined_by_customer',
  'bill.hold_expired',
  'approval.filed',
  'approval.approved',
  'approval.rejected',
  'dispute.answered',
  'dispute.reversed',
  'payment.refund_requested',
  'credit.request_filed',
  'credit.request_approved',
  'credit.request_rejected',
  'credit.request_closed',
  'credit.limit_changed',
  'credit.line_frozen',
  'credit.line_unfrozen',
  'credit.line_auto_frozen',
  'customer.merged',
  'shop.settings_changed',
  'shop.category_created',
  'shop.category_updated',
  'shop.item_created',
  'shop.item_updated',
  'shop.stock_set',
  'shop.order_cancelled',
  'shop.order_expired',
  'shop.order_collected',
  'shop.order_shipped',
  'shop.after_sale_requested',
  'shop.after_sale_approved',
  'shop.after_sale_refused',
  'segmentation.tier_program',
  'segmentation.rfm_settings',
  'segmentation.group_archived',
  'segmentation.coupon_issued',
  'segmentation.campaign_created',
  'segmentation.campaign_scheduled',
  'segmentation.campaign_cancelled',
  'brand.settings_changed',
  'checkout.settings_changed',
  'credit.settings_changed',
  'messaging.settings_changed',
  'segmentation.group_saved',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The tenant settings sections a manager changes through one audited path (`<section>.settings_changed`). */
export type AuditedSettingsSection = 'brand' | 'checkout' | 'credit' | 'messaging';

export const AUDIT_SUBJECT_TYPES = [
  'bill',
  'approval_request',
  'payment',
  'credit_limit_request',
  'credit_line',
  'customer',
  'customer_group',
  'coupon',
  'campaign',
  'tenant',
  'shop_settings',
  'shop_category',
  'shop_item',
  'shop_order',
] as const;
export type AuditSubjectType = (typeof AUDIT_SUBJECT_TYPES)[number];
