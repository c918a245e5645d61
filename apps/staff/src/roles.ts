import type { StaffRole } from '@lumi/shared';

export const ROLE_LABELS: Record<StaffRole, string> = {
  owner: '老板',
  manager: '店长',
  beautician: '美容师',
};
