/**
 * Test support: WeChat's side of a payment notification written from the protocol (WECHAT.md §2) with node:crypto
 * only — not the plugin, not the simulator — so a misunderstanding shared by both cannot hide.
 */
import { createCipheriv, createSign, randomBytes } from 'node:crypto';

export interface SigningKey {
  signingKeyPem: string;
  serial: string;
  timestamp?: number;
}

export function independentNotification(
  options: SigningKey & { transaction: Record<string, unknown>; apiV3Key: string },
): { body: Buffer; headers: Record<string, string> } {
  const resourceNonce = randomBytes(6).toString('hex');
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(options.apiV3Key, 'utf8'), Buffer.from(resourceNonce));
  cipher.setAAD(Buffer.from('transaction'));
  const sealed = Buffer.concat([
    cipher.update(JSON.stringify(options.transaction), 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  const body = JSON.stringify({
    id: `EV-${Date.now()}`,
    create_time: '2026-01-10T12:00:00+08:00',
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: {
      original_type: 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: sealed.toString('base64'),
      associated_data: 'transaction',
      nonce: resourceNonce,
    },
  });
  return signed(Buffer.from(body, 'utf8'), options);
}

/** Signs `ts\nnonce\nbody\n` over the exact bytes, RSA-SHA256 PKCS#1 v1.5, as WeChat does. */
export function signed(body: Buffer, options: SigningKey): { body: Buffer; headers: Record<string, string> } {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const signer = createSign('RSA-SHA256');
  signer.update(Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`), body, Buffer.from('\n')]));
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'request-id': randomBytes(8).toString('hex'),
      'wechatpay-timestamp': timestamp,
      'wechatpay-nonce': nonce,
      'wechatpay-serial': options.serial,
      'wechatpay-signature': signer.sign(options.signingKeyPem, 'base64'),
      'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
    },
  };
}

export async function postNotification(url: string, notification: { body: Buffer; headers: Record<string, string> }) {
  const res = await fetch(url, { method: 'POST', headers: notification.headers, body: notification.body });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}
