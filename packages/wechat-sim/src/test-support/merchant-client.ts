/**
 * An independent WeChat Pay v3 merchant client for tests, written straight on node:crypto and
 * deliberately sharing no code with the simulator, so a wrong signing rule on either side shows up.
 */
import { createDecipheriv, createPublicKey, createSign, createVerify, randomBytes } from 'node:crypto';

export interface MerchantCredentials {
  mchid: string;
  serial: string;
  privateKeyPem: string;
}

export interface SignedCall {
  method: 'GET' | 'POST';
  /** Path plus query, e.g. /v3/pay/transactions/out-trade-no/X?mchid=1 */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Overrides for negative tests. */
  timestamp?: number;
  signatureOverride?: string;
  authorizationOverride?: string;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response JSON
  json: any;
}

function rsaSign(message: string, privateKeyPem: string): string {
  const signer = createSign('sha256WithRSAEncryption');
  signer.update(Buffer.from(message, 'utf8'));
  return signer.sign(privateKeyPem).toString('base64');
}

export function buildAuthorization(
  credentials: MerchantCredentials,
  method: string,
  path: string,
  body: string,
  timestamp: number,
  nonce: string,
): string {
  const message = `${method}\n${path}\n${timestamp}\n${nonce}\n${body}\n`;
  const signature = rsaSign(message, credentials.privateKeyPem);
  // Field order differs from the plugin's on purpose: the simulator must not depend on it.
  return `WECHATPAY2-SHA256-RSA2048 signature="${signature}",timestamp="${timestamp}",serial_no="${credentials.serial}",nonce_str="${nonce}",mchid="${credentials.mchid}"`;
}

export async function callPay(
  baseUrl: string,
  credentials: MerchantCredentials,
  call: SignedCall,
): Promise<CallResult> {
  const body = call.body === undefined ? '' : JSON.stringify(call.body);
  const timestamp = call.timestamp ?? Math.floor(Date.now() / 1000);
  const nonce = randomBytes(16).toString('hex');
  let authorization =
    call.authorizationOverride ?? buildAuthorization(credentials, call.method, call.path, body, timestamp, nonce);
  if (call.signatureOverride !== undefined)
    authorization = authorization.replace(/signature="[^"]*"/, `signature="${call.signatureOverride}"`);
  const response = await fetch(`${baseUrl}${call.path}`, {
    method: call.method,
    headers: {
      Accept: 'application/json',
      ...(call.method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
      Authorization: authorization,
      ...call.headers,
    },
    ...(call.method === 'POST' ? { body } : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Checks `TS\nNONCE\nBODY\n` against the PEM (certificate or public key) named by the serial header. */
export function verifyWechatpaySignature(
  headers: { get(name: string): string | null } | Record<string, string | string[] | undefined>,
  body: string,
  pemBySerial: Record<string, string>,
): { ok: boolean; serial: string; timestamp: number } {
  const read = (name: string): string => {
    if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? '';
    const value = (headers as Record<string, string | string[] | undefined>)[name.toLowerCase()];
    return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  };
  const serial = read('Wechatpay-Serial');
  const timestamp = read('Wechatpay-Timestamp');
  const pem = pemBySerial[serial];
  if (!pem) return { ok: false, serial, timestamp: Number(timestamp) };
  const verifier = createVerify('sha256WithRSAEncryption');
  verifier.update(Buffer.from(`${timestamp}\n${read('Wechatpay-Nonce')}\n${body}\n`, 'utf8'));
  let ok = false;
  try {
    ok = verifier.verify(createPublicKey(pem), Buffer.from(read('Wechatpay-Signature'), 'base64'));
  } catch {
    ok = false;
  }
  return { ok, serial, timestamp: Number(timestamp) };
}

export function decryptAesGcm(
  resource: { ciphertext: string; nonce: string; associated_data: string },
  apiV3Key: string,
): string {
  const data = Buffer.from(resource.ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from(resource.nonce));
  decipher.setAuthTag(data.subarray(-16));
  decipher.setAAD(Buffer.from(resource.associated_data));
  return decipher.update(data.subarray(0, -16), undefined, 'utf8') + decipher.final('utf8');
}

/** What the API will hand to wx.requestPayment. */
export function buildRequestPayment(appid: string, prepayId: string, merchantPrivateKeyPem: string) {
  const timeStamp = String(Math.floor(Date.now() / 1000));
  const nonceStr = randomBytes(12).toString('hex');
  const pkg = `prepay_id=${prepayId}`;
  const paySign = rsaSign(`${appid}\n${timeStamp}\n${nonceStr}\n${pkg}\n`, merchantPrivateKeyPem);
  return { appid, timeStamp, nonceStr, package: pkg, signType: 'RSA' as const, paySign };
}
