/** What the 审计 screen filters by: the kinds of record an entry is about. */
export const AUDIT_SUBJECTS: { type: string; label: string }[] = [
  { type: 'bill', label: '账单' },
  { type: 'approval_request', label: '店长审批' },
  { type: 'credit_limit_request', label: '额度申请' },
  { type: 'credit_line', label: '挂账额度' },
  { type: 'campaign', label: '唤醒活动' },
  { type: 'tenant', label: '设置' },
];

const ACTION_LABELS: Record<string, string> = {
  'bill.voided': '作废账单',
  'bill.refunded': '退款',
  'approval.filed': '提交审批',
  'approval.approved': '批准作废/退款',
  'approval.rejected': '拒绝作废/退款',
  'credit.request_filed': '提交额度申请',
  'credit.request_approved': '批准额度申请',
  'credit.request_rejected': '拒绝额度申请',
  'credit.limit_changed': '调整额度',
  'dispute.answered': '答复顾客异议',
  'dispute.reversed': '撤销异议账单',
};

/** The action in words, or the code itself for actions this screen has no words for yet. */
export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

/** A before/after snapshot as short "key: value" pairs (nested values as JSON). */
export function snapshotText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'object') return String(value);
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join('，');
}
