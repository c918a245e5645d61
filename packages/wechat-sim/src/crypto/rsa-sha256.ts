import { createSign, createVerify, type KeyObject } from 'node:crypto';

/** WECHATPAY2-SHA256-RSA2048: RSA PKCS#1 v1.5 over SHA-256, base64 encoded. */
export function signRsaSha256(message: string, privateKey: KeyObject): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKey, 'base64');
}

export function verifyRsaSha256(message: string, signatureBase64: string, publicKey: KeyObject): boolean {
  try {
    return createVerify('RSA-SHA256').update(message, 'utf8').verify(publicKey, signatureBase64, 'base64');
  } catch {
    // A malformed signature is a failed check, not a server error.
    return false;
  }
}

/** Every WeChat Pay signed message is lines joined and terminated by "\n". */
export function joinSignedLines(...lines: string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}
