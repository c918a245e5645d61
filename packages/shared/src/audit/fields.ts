/**
 * The fields of audit before/after snapshots in the words the 审计 screen shows. One list for every audited
 * change, so a field reads the same whichever action wrote it. A field ending in `Fen` is money (shown as ¥),
 * one ending in `BasisPoints` a share (shown as %); a field not listed still reads as words (`auditFieldLabel`).
 * Fields show in the order of this list (the database keeps a snapshot's keys in an order of its own).
 */
export const AUDIT_FIELD_LABELS: Readonly<Record<string, string>> = {
  // records and states
  status: '状态',
  reason: '原因',
  answer: '答复',
  name: '名称',
  kind: '类型',
  customerId: '顾客',
  // bills
  totalFen: '总额',
  subtotalFen: '小计',
  refundedFen: '已退金额',
  manualDiscountFen: '手工优惠',
  unitPriceFen: '单价',
  amountFen: '金额',
  thresholdFen: '门槛',
  line: '行',
  tenders: '付款方式',
  couponId: '优惠券',
  holdExpiresAt: '确认截止',
  approvalRequestId: '审批单',
  // credit
  limitFen: '挂账额度',
  requestedLimitFen: '申请额度',
  approvedLimitFen: '批准额度',
  frozenReason: '冻结原因',
  // checkout settings
  confirmationMode: '扣款方式',
  disputeWindowDays: '异议期（天）',
  holdMinutes: '确认等待（分钟）',
  voidApprovalThresholdFen: '撤销/退款审批门槛',
  discountApprovalBasisPoints: '手工优惠审批比例',
  // credit settings
  defaultDueDays: '默认账期（天）',
  remindDaysBeforeDue: '到期前提醒（天）',
  remindOnDueDate: '到期当天提醒',
  remindOverdueDays: '逾期提醒（天）',
  nearLimitPercent: '接近额度提醒（%）',
  autoFreezeOverdueDays: '逾期自动冻结（天）',
  collectionAfterOverdueDays: '逾期转催收（天）',
  collectionFollowUpDays: '催收跟进（天）',
  maxSuggestedLimitFen: '建议额度上限',
  // messaging and brand
  mutedBillEvents: '不通知的账单事件',
  billSmsFallback: '短信补发',
  color: '主题色',
  // tiers and segments
  basis: '定级依据',
  windowDays: '统计天数',
  levels: '等级',
  discountBasisPoints: '折扣',
  pointsMultiplierPercent: '积分倍数（%）',
  method: '分群方法',
  thresholds: '分群阈值',
  newCustomerDays: '新客天数',
  scheduledAt: '计划发送',
  offer: '优惠',
  // top-up plans
  payFen: '充值金额',
  bonusFen: '赠送金额',
  bonusPoints: '赠送积分',
  giftPackagePlanId: '赠送次卡',
  validFrom: '生效',
  validTo: '截止',
  active: '启用',
};

/** A field in words: its label, else the key split into words (`someNewField` → "some new field"). */
export function auditFieldLabel(key: string): string {
  return (
    AUDIT_FIELD_LABELS[key] ??
    key
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/_/g, ' ')
      .toLowerCase()
  );
}

/** Values of enum fields in words, where a code would otherwise show. */
export const AUDIT_VALUE_LABELS: Readonly<Record<string, string>> = {
  notify: '直接扣款，顾客可提异议',
  confirm_first: '顾客确认后扣款',
  spend: '消费',
  top_up: '充值',
  pending: '待审批',
  approved: '已批准',
  rejected: '已拒绝',
  open: '未结',
  settled: '已结账',
  cancelled: '已取消',
  awaiting_customer: '待顾客确认',
  answered: '已答复',
  reversed: '已撤销',
  active: '正常',
  frozen: '已冻结',
  scheduled: '已安排',
};
