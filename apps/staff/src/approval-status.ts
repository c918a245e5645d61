import type { ApprovalRequest } from '@lumi/shared';

/** How an approval request's state reads to the beautician who filed it and to the manager who decides it. */
export const APPROVAL_STATUS_LABELS: Record<ApprovalRequest['status'], string> = {
  pending: '待店长审批',
  approved: '店长已批准并执行',
  rejected: '店长已拒绝',
};
