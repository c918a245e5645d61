import { formatChineseDate } from '@lumi/mini';
import type { ApprovalRequest } from '@lumi/shared';

/** How an approval request's state reads to the beautician who filed it and to the manager who decides it. */
export const APPROVAL_STATUS_LABELS: Record<ApprovalRequest['status'], string> = {
  pending: '待店长审批',
  approved: '店长已批准并执行',
  rejected: '店长已拒绝',
};

/** The state as it reads for this kind: an approved discount is not performed by the manager but used at the till. */
export function approvalStatusLabel(request: Pick<ApprovalRequest, 'kind' | 'status'>): string {
  if (request.kind === 'discount' && request.status === 'approved') return '店长已批准';
  return APPROVAL_STATUS_LABELS[request.status];
}

/** What was asked, in the words of both apps' approval screens. */
export const APPROVAL_KIND_LABELS: Record<ApprovalRequest['kind'], string> = {
  void: '整单撤销',
  refund: '部分退款',
  discount: '大额折扣',
  package_transfer: '次卡转让',
};

/** A discount as a share of the list prices: 38.7%. */
export function percentText(basisPoints: number): string {
  return `${(basisPoints / 100).toFixed(basisPoints % 100 === 0 ? 0 : 1)}%`;
}

/**
 * A discount approval lapses at midnight after the day it was asked on: "2026年5月1日 24:00" reads as the day it
 * is good for, not the next one.
 */
export function validThrough(expiresAt: string): string {
  return `${formatChineseDate(new Date(Date.parse(expiresAt) - 1))} 24:00`;
}
