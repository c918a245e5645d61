import { request } from '@lumi/mini';
import type { CustomerProfile } from '@lumi/shared';

/** The logged-in customer, with the salon they belong to. Errors are left to the page (no toast). */
export function getMyProfile(): Promise<CustomerProfile> {
  return request<CustomerProfile>('/me', { toast: false });
}
