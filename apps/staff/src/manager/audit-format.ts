import { formatDateTime, formatFen, isFen } from '@lumi/mini';
import {
  AUDIT_FIELD_LABELS,
  AUDIT_VALUE_LABELS,
  type AuditAction,
  type AuditSubjectType,
  auditFieldLabel,
} from '@lumi/shared';

/** Every kind of record an audit entry can be about, in words. */
export const SUBJECT_LABELS: Record<AuditSubjectType, string> = {
  bill: '账单',
  approval_request: '店长审批',
  payment: '微信支付',
  credit_limit_request: '额度申请',
  credit_line: '挂账额度',
  customer: '顾客',
  customer_group: '顾客分组',
  coupon: '优惠券',
  campaign: '唤醒活动',
  tenant: '设置',
  shop_settings: '商城设置',
  shop_category: '商城分类',
  shop_item: '商品',
  shop_order: '商城订单',
  top_up_plan: '充值方案',
};

/** What the 审计 screen filters by: the kinds of record a manager looks for most. */
export const AUDIT_SUBJECTS: { type: AuditSubjectType; label: string }[] = (
  [
    'bill',
    'approval_request',
    'credit_limit_request',
    'credit_line',
    'customer',
    'campaign',
    'shop_order',
    'tenant',
    'top_up_plan',
  ] as const
).map((type) => ({ type, label: SUBJECT_LABELS[type] }));

/** Every audited action in words; a void is 撤销, the till's one word for it. */
export const ACTION_LABELS: Record<AuditAction, string> = {
  'bill.voided': '撤销账单',
  'bill.refunded': '退款',
  'bill.cancelled': '取消未结账单',
  'bill.price_changed': '改价',
  'bill.large_discount': '大额折扣',
  'bill.declined_by_customer': '顾客拒绝账单',
  'bill.hold_expired': '账单确认超时',
  'approval.filed': '提交审批',
  'approval.approved': '批准审批',
  'approval.rejected': '拒绝审批',
  'dispute.answered': '答复顾客异议',
  'dispute.reversed': '撤销异议账单',
  'payment.refund_requested': '发起微信退款',
  'credit.request_filed': '提交额度申请',
  'credit.request_approved': '批准额度申请',
  'credit.request_rejected': '拒绝额度申请',
  'credit.request_closed': '关闭额度申请',
  'credit.limit_changed': '调整额度',
  'credit.line_frozen': '冻结挂账',
  'credit.line_unfrozen': '解冻挂账',
  'credit.line_auto_frozen': '逾期自动冻结挂账',
  'customer.merged': '合并顾客',
  'shop.settings_changed': '修改商城设置',
  'shop.category_created': '新建商城分类',
  'shop.category_updated': '修改商城分类',
  'shop.item_created': '新建商品',
  'shop.item_updated': '修改商品',
  'shop.stock_set': '调整库存',
  'shop.order_cancelled': '取消商城订单',
  'shop.order_expired': '商城订单超时关闭',
  'shop.order_collected': '商城订单已提货',
  'shop.order_shipped': '商城订单已发货',
  'shop.after_sale_requested': '申请售后',
  'shop.after_sale_approved': '同意售后',
  'shop.after_sale_refused': '拒绝售后',
  'segmentation.tier_program': '修改会员等级',
  'segmentation.rfm_settings': '修改分群规则',
  'segmentation.group_archived': '归档顾客分组',
  'segmentation.coupon_issued': '发放优惠券',
  'segmentation.campaign_created': '新建唤醒活动',
  'segmentation.campaign_scheduled': '安排唤醒活动',
  'segmentation.campaign_cancelled': '取消唤醒活动',
  'brand.settings_changed': '修改品牌设置',
  'checkout.settings_changed': '修改收银设置',
  'credit.settings_changed': '修改挂账设置',
  'messaging.settings_changed': '修改消息设置',
  'top_up_plan.created': '新建充值方案',
  'top_up_plan.updated': '修改充值方案',
  'top_up_plan.withdrawn': '下架充值方案',
  'segmentation.group_saved': '保存顾客分组',
  'message_text.changed': '修改消息模板',
  'message_text.reset': '恢复默认消息模板',
};

/** The action in words; an action newer than this app shows as 其他操作 with its code, never a bare code. */
export function actionLabel(action: string): string {
  return (ACTION_LABELS as Record<string, string>)[action] ?? `其他操作（${action}）`;
}

/** The kind of record in words (其他记录 for a kind newer than this app). */
export function subjectLabel(subjectType: string): string {
  return (SUBJECT_LABELS as Record<string, string>)[subjectType] ?? '其他记录';
}

const ISO_MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-/;

/** One field's value in words: money as ¥, shares as %, yes/no, known codes and moments in words. */
export function fieldValueText(key: string, value: unknown): string {
  if (value === null || value === undefined) return '无';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'number' && key.endsWith('Fen') && isFen(value)) return formatFen(value);
  if (typeof value === 'number' && key.endsWith('BasisPoints')) return `${value / 100}%`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '无';
    return value
      .map((v) => (typeof v === 'object' && v !== null ? `（${recordText(v)}）` : fieldValueText(key, v)))
      .join('、');
  }
  if (typeof value === 'object') return `（${recordText(value)}）`;
  const text = String(value);
  if (ISO_MOMENT.test(text)) return formatDateTime(text);
  if (UUID.test(text)) return text.slice(0, 8);
  return AUDIT_VALUE_LABELS[text] ?? text;
}

/** Where a field shows: in the order of the label list, fields it does not know last. */
const FIELD_ORDER = new Map(Object.keys(AUDIT_FIELD_LABELS).map((key, i) => [key, i]));
const fieldRank = (key: string) => FIELD_ORDER.get(key) ?? FIELD_ORDER.size;

function recordText(value: object, keys?: Set<string>): string {
  return Object.entries(value as Record<string, unknown>)
    .filter(([k]) => !keys || keys.has(k))
    .sort(([a], [b]) => fieldRank(a) - fieldRank(b))
    .map(([k, v]) => `${auditFieldLabel(k)}：${fieldValueText(k, v)}`)
    .join('，');
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The fields whose value differs between two snapshots; undefined unless both are records that differ somewhere. */
export function changedFields(before: unknown, after: unknown): Set<string> | undefined {
  if (!isRecord(before) || !isRecord(after)) return undefined;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changed = [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return changed.length > 0 ? new Set(changed) : undefined;
}

/** A before/after snapshot as "字段：值" pairs in Chinese, only `keys` of it when given. */
export function snapshotText(value: unknown, keys?: Set<string>): string {
  if (value === null || value === undefined) return '—';
  if (!isRecord(value)) return fieldValueText('', value);
  return recordText(value, keys) || '—';
}
