import { request } from '@lumi/mini';
import type { ConsentKind, MyConsents, MyProfile } from '@lumi/shared';

/** The logged-in customer, with the salon they belong to. Errors are left to the page (no toast). */
export function getMyProfile(): Promise<MyProfile> {
  return request<MyProfile>('/me', { toast: false });
}

/** What I agreed to: marketing, SMS and the one-time subscribe consents not yet used. */
export function getMyConsents(): Promise<MyConsents> {
  return request<MyConsents>('/me/consents', { toast: false });
}

/** Withdraws a consent; answers with what remains. */
export function withdrawConsent(consent: ConsentKind): Promise<MyConsents> {
  return request<MyConsents>('/me/consents/withdrawal', { method: 'POST', data: { consent }, toast: false });
}
