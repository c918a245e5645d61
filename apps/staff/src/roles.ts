import type { StaffRole } from '@lumi/shared';

export const ROLE_LABELS: Record<StaffRole, string> = {
  owner: '老板',
  manager: '店长',
  beautician: '美容师',
};

/** Managers and the owner see the manager's screens (审批, 逾期, 客群, 唤醒活动); beauticians see none of them. */
export function isManagerRole(role: StaffRole | undefined): boolean {
  return role === 'manager' || role === 'owner';
}
