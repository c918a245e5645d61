import { request } from '@lumi/mini';
import type { StaffProfile } from '@lumi/shared';

/** The logged-in staff member with their stores. Errors are left to the page (no toast). */
export function getMyStaffProfile(): Promise<StaffProfile> {
  return request<StaffProfile>('/staff/me', { toast: false });
}
