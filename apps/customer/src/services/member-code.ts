import { request } from '@lumi/mini';

/** POST /me/member-code (h-front's contract): a short-lived signed token for the till to scan, never a raw id. */
export interface MemberCode {
  code: string;
  expiresAt: string;
}

export function createMemberCode(): Promise<MemberCode> {
  return request<MemberCode>('/me/member-code', { method: 'POST', toast: false });
}
