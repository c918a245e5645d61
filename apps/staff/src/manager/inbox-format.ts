import { formatCount, formatFen } from '@lumi/mini';
import type { DecidedInboxItem, InboxDecision, InboxItem, InboxKind } from '@lumi/shared';
import { APPROVAL_PAGE, CREDIT_REQUEST_PAGE, DISPUTE_PAGE, SHOP_AFTER_SALES_PAGE } from '../routes.ts';

export const INBOX_KIND_LABELS: Record<InboxKind, string> = {
  credit_limit: '额度申请',
  void_refund: '撤销/退款',
  discount: '大额折扣',
  package_transfer: '转卡',
  dispute: '顾客异议',
  after_sale: '商城售后',
};

/** The inbox's kinds in the order its chips show them (the labels name every kind). */
export const INBOX_KINDS = Object.keys(INBOX_KIND_LABELS) as InboxKind[];

export const INBOX_DECISION_LABELS: Record<InboxDecision, string> = {
  approved: '批准',
  lowered: '降低额度',
  rejected: '拒绝',
  answered: '已答复',
  reversed: '撤销',
};

/** The decision as a manager reads it: a lowered credit limit names the limit granted. */
export function decisionText(item: Pick<DecidedInboxItem, 'decision' | 'decidedAmountFen'>): string {
  const label = INBOX_DECISION_LABELS[item.decision];
  return item.decision === 'lowered' && item.decidedAmountFen !== null
    ? `${label}至 ${formatFen(item.decidedAmountFen)}`
    : label;
}

/** An item's figure: money, except a package transfer's sessions. */
export function inboxAmountText(item: Pick<InboxItem, 'kind' | 'amountFen'>): string {
  return item.kind === 'package_transfer' ? `${formatCount(item.amountFen)} 次` : formatFen(item.amountFen);
}

/** How long something has waited, in the largest whole unit: 刚刚, 12 分钟, 3 小时, 2 天. */
export function waitingText(createdAt: string, now: Date): string {
  const minutes = Math.floor((now.getTime() - new Date(createdAt).getTime()) / 60_000);
  if (minutes < 1) return '刚刚';
  if (minutes < 60) return `${minutes} 分钟`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} 小时`;
  return `${Math.floor(minutes / (24 * 60))} 天`;
}

/** The page that shows an inbox item and takes the decision. */
export function inboxItemUrl(item: Pick<InboxItem, 'kind' | 'id'>): string {
  const page = {
    credit_limit: CREDIT_REQUEST_PAGE,
    void_refund: APPROVAL_PAGE,
    discount: APPROVAL_PAGE,
    package_transfer: APPROVAL_PAGE,
    dispute: DISPUTE_PAGE,
    // The 售后 page lists the waiting requests first and takes the decision there.
    after_sale: SHOP_AFTER_SALES_PAGE,
  }[item.kind];
  return `${page}?id=${item.id}`;
}
