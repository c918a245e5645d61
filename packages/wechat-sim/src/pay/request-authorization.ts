import type { KeyObject } from 'node:crypto';
import { joinSignedLines, verifyRsaSha256 } from '../crypto/rsa-sha256.ts';
import { PayError } from './pay-error.ts';

const SCHEME = 'WECHATPAY2-SHA256-RSA2048';
/** WeChat Pay rejects requests whose timestamp is more than 5 minutes from its own clock. */
const MAX_CLOCK_SKEW_SECONDS = 300;
const REQUIRED_FIELDS = ['mchid', 'serial_no', 'timestamp', 'nonce_str', 'signature'] as const;

export type AuthorizationFields = Record<(typeof REQUIRED_FIELDS)[number], string>;

export interface MerchantIdentity {
  mchid: string;
  serial: string;
  publicKey: KeyObject;
}

export interface SignedRequest {
  method: string;
  /** The raw request target, path plus query exactly as sent: that is what the merchant signed. */
  url: string;
  body: string;
  authorization: string | undefined;
}

function signError(message: string, request: SignedRequest, signedMessage?: string): PayError {
  const signInformation: Record<string, unknown> = { method: request.method, url: request.url };
  if (signedMessage !== undefined) {
    signInformation.sign_message_length = Buffer.byteLength(signedMessage);
    signInformation.truncated_sign_message = signedMessage.slice(0, 100);
  }
  return new PayError(401, 'SIGN_ERROR', message, {
    detail: { issue: message },
    field: 'signature',
    location: 'authorization',
    sign_information: signInformation,
  });
}

/** Parses `k="v"` pairs regardless of order, as wechatpay-go and the plugin order them differently. */
export function parseAuthorization(header: string): Partial<AuthorizationFields> & { scheme: string } {
  const space = header.indexOf(' ');
  const scheme = space < 0 ? header : header.slice(0, space);
  const fields: Partial<Record<string, string>> = {};
  for (const match of header.slice(space + 1).matchAll(/([a-z_]+)="([^"]*)"/g)) {
    const [, key, value] = match;
    if (key !== undefined && value !== undefined) fields[key] = value;
  }
  return { scheme, ...fields };
}

export function verifyMerchantRequest(
  request: SignedRequest,
  merchant: MerchantIdentity,
  nowSeconds: number,
): AuthorizationFields {
  if (!request.authorization) throw signError('缺少 Authorization 请求头', request);
  const parsed = parseAuthorization(request.authorization);
  if (parsed.scheme !== SCHEME) throw signError(`不支持的认证类型 ${parsed.scheme}，应为 ${SCHEME}`, request);
  const missing = REQUIRED_FIELDS.find((field) => !parsed[field]);
  if (missing !== undefined) throw signError(`Authorization 缺少 ${missing}`, request);
  const fields = parsed as AuthorizationFields;
  if (fields.mchid !== merchant.mchid) throw signError(`商户号 ${fields.mchid} 不存在`, request);
  if (fields.serial_no.toUpperCase() !== merchant.serial)
    throw signError(`商户证书序列号 ${fields.serial_no} 有误`, request);
  if (!/^\d{10}$/.test(fields.timestamp) || Math.abs(Number(fields.timestamp) - nowSeconds) > MAX_CLOCK_SKEW_SECONDS) {
    throw signError('请求的时间戳已过期或无效', request);
  }
  const signedMessage = joinSignedLines(request.method, request.url, fields.timestamp, fields.nonce_str, request.body);
  if (!verifyRsaSha256(signedMessage, fields.signature, merchant.publicKey)) {
    throw signError('错误的签名，验签失败', request, signedMessage);
  }
  return fields;
}
