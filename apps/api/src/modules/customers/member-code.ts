import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MemberCode } from '@lumi/shared';
import { AppError } from '../../errors.ts';

/**
 * The member code a customer shows at the till: `M1.<payload>.<mac>`, base64url. The payload is the customer id,
 * the tenant id (16 bytes each) and the expiry in Unix seconds (4 bytes); the MAC is HMAC-SHA256 truncated to
 * 16 bytes under a key derived from the API's secret. It carries no raw id a screenshot could reuse for long:
 * the app fetches a new one before expiresAt. About 75 characters, small enough for a dense-free QR code.
 */
const PREFIX = 'M1';
const MAC_BYTES = 16;

export interface MemberCodeKeys {
  /** Derived from JWT_SECRET, so one secret still rules every token the API signs. */
  key: Buffer;
  ttlSeconds: number;
  now(): Date;
}

export function memberCodeKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('lumi member code v1').digest();
}

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const uuidText = (bytes: Buffer) => {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
const mac = (key: Buffer, payload: string) =>
  createHmac('sha256', key).update(`${PREFIX}.${payload}`).digest().subarray(0, MAC_BYTES);

export function issueMemberCode(keys: MemberCodeKeys, tenantId: string, customerId: string): MemberCode {
  const expires = Math.floor(keys.now().getTime() / 1000) + keys.ttlSeconds;
  const expiry = Buffer.alloc(4);
  expiry.writeUInt32BE(expires);
  const payload = Buffer.concat([uuidBytes(customerId), uuidBytes(tenantId), expiry]).toString('base64url');
  return {
    code: `${PREFIX}.${payload}.${mac(keys.key, payload).toString('base64url')}`,
    expiresAt: new Date(expires * 1000).toISOString(),
  };
}

const invalid = () => new AppError('MEMBER_CODE_INVALID', 'This is not a member code of this salon');

/**
 * The customer id a member code names, for staff of tenantId. A code of another tenant is invalid exactly like a
 * forged one, so a till learns nothing about other salons' customers.
 */
export function readMemberCode(keys: MemberCodeKeys, tenantId: string, code: string): string {
  const [prefix, payload, tag, ...rest] = code.split('.');
  if (prefix !== PREFIX || !payload || !tag || rest.length > 0) throw invalid();
  const given = Buffer.from(tag, 'base64url');
  const expected = mac(keys.key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  const bytes = Buffer.from(payload, 'base64url');
  if (bytes.length !== 36) throw invalid();
  if (uuidText(bytes.subarray(16, 32)) !== tenantId) throw invalid();
  const expires = bytes.readUInt32BE(32);
  if (expires * 1000 <= keys.now().getTime()) {
    throw new AppError('MEMBER_CODE_EXPIRED', 'The member code has expired; ask the customer to refresh it', {
      expiredAt: new Date(expires * 1000).toISOString(),
    });
  }
  return uuidText(bytes.subarray(0, 16));
}
