import { request } from '@lumi/mini';
import type { StaffProfile, StoreTeam } from '@lumi/shared';

/** The logged-in staff member with their stores. Errors are left to the page (no toast). */
export function getMyStaffProfile(): Promise<StaffProfile> {
  return request<StaffProfile>('/staff/me', { toast: false });
}

/** The active staff of one of my stores: who can be named as a line's performer. */
export function getStoreTeam(storeId: string): Promise<StoreTeam> {
  return request<StoreTeam>(`/staff/stores/${encodeURIComponent(storeId)}/team`, { toast: false });
}
