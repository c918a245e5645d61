import { randomBytes } from 'node:crypto';
import { joinSignedLines, signRsaSha256 } from '../crypto/rsa-sha256.ts';
import type { SigningKey } from '../keys/signing-key-ring.ts';
import { randomUpperHex } from '../random-ids.ts';

export interface WechatpaySignatureHeaders {
  'Wechatpay-Timestamp': string;
  'Wechatpay-Nonce': string;
  'Wechatpay-Serial': string;
  'Wechatpay-Signature': string;
}

export interface SignOptions {
  key: SigningKey;
  timestampSeconds: number;
  /** Signs with this key instead while still naming key.serial: what a forger or a bug would produce. */
  substituteKey?: SigningKey['privateKey'];
  /** WeChat's deliberate signature probes carry this instead of a signature. */
  probe?: boolean;
}

export const SIGNATURE_PROBE_PREFIX = 'WECHATPAY/SIGNTEST/';

/** Signs `TS\nNONCE\nBODY\n` (BODY empty for a 204) the way WeChat Pay signs responses and notifies. */
export function signWechatpayMessage(body: string, options: SignOptions): WechatpaySignatureHeaders {
  const timestamp = String(options.timestampSeconds);
  const nonce = randomUpperHex(32);
  const message = joinSignedLines(timestamp, nonce, body);
  const signature = options.probe
    ? `${SIGNATURE_PROBE_PREFIX}${randomBytes(192).toString('base64')}`
    : signRsaSha256(message, options.substituteKey ?? options.key.privateKey);
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Serial': options.key.serial,
    'Wechatpay-Signature': signature,
  };
}
