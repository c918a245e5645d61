import { request, saveSession } from '@lumi/mini';
import type { ConsentKind, MyConsents, MyProfile, PhoneBinding } from '@lumi/shared';

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

/**
 * Binds the phone WeChat vouched for (the getPhoneNumber code). The answer's tokens replace the stored ones:
 * when the phone belonged to a customer the front desk registered, that is her account from now on and the
 * old tokens no longer work.
 */
export async function bindPhone(code: string): Promise<PhoneBinding> {
  const binding = await request<PhoneBinding>('/me/phone', { method: 'POST', data: { code }, toast: false });
  saveSession({ accessToken: binding.accessToken, refreshToken: binding.refreshToken });
  return binding;
}
