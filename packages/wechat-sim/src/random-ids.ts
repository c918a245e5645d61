import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomAlphanumeric(length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

export function randomDigits(length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += String(randomInt(10));
  return out;
}

export function randomUpperHex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length)
    .toUpperCase();
}

/** 40 hex digits whose first byte is 0x10..0x7F, so the DER INTEGER stays positive and unpadded. */
export function randomCertificateSerial(): string {
  return `${(0x10 + randomInt(0x70)).toString(16)}${randomUpperHex(38)}`.toUpperCase();
}

export function randomPubKeyId(): string {
  return `PUB_KEY_ID_${randomDigits(32)}`;
}

/** Request-ID values look like opaque hex tokens on the real service. */
export function randomRequestId(): string {
  return randomUUID().replaceAll('-', '').toUpperCase();
}

/** A base64url string of the given byte length: access tokens, session keys. */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}
