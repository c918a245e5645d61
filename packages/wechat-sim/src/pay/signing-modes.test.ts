import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildRequestPayment,
  callPay,
  decryptAesGcm,
  verifyWechatpaySignature,
} from '../test-support/merchant-client.ts';
import { type NotifyReceiver, startNotifyReceiver } from '../test-support/notify-receiver.ts';
import { readJson } from '../test-support/read-json.ts';
import { jsapiOrder, merchantOf, startTestSim } from '../test-support/sim-fixture.ts';
import type { WechatSim } from '../wechat-sim.ts';

let sim: WechatSim;
let receiver: NotifyReceiver;

beforeAll(async () => {
  sim = await startTestSim({ payMode: 'cert' });
  receiver = await startNotifyReceiver();
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});

const certificates = () => callPay(sim.url, merchantOf(sim), { method: 'GET', path: '/v3/certificates' });

async function payAndReceive() {
  const order = jsapiOrder(sim, { notify_url: receiver.url });
  const created = await callPay(sim.url, merchantOf(sim), {
    method: 'POST',
    path: '/v3/pay/transactions/jsapi',
    body: order,
  });
  const before = receiver.received.length;
  sim.pay(buildRequestPayment(order.appid, created.json.prepay_id, sim.keys.merchantPrivateKeyPem));
  const all = await receiver.waitForCount(before + 1);
  return all[before] ?? all[all.length - 1];
}

describe('platform certificate mode', () => {
  it('signs responses with the platform certificate serial and serves it, encrypted, at /v3/certificates', async () => {
    const result = await certificates();
    expect(result.status).toBe(200);
    expect(result.headers.get('Wechatpay-Serial')).toBe(sim.keys.platformSerial);
    expect(result.headers.get('Wechatpay-Serial')).toMatch(/^[0-9A-F]{40}$/);

    const [entry] = result.json.data;
    expect(entry).toMatchObject({
      serial_no: sim.keys.platformSerial,
      encrypt_certificate: { algorithm: 'AEAD_AES_256_GCM', associated_data: 'certificate' },
    });
    expect(entry.effective_time).toMatch(/\+08:00$/);
    const pem = decryptAesGcm(entry.encrypt_certificate, sim.keys.apiV3Key);
    const certificate = new X509Certificate(pem);
    expect(certificate.serialNumber).toBe(sim.keys.platformSerial);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    // Verify the response with the certificate we just downloaded, as a client bootstrapping would.
    expect(verifyWechatpaySignature(result.headers, result.text, { [entry.serial_no]: pem }).ok).toBe(true);
  });

  it('answers with the public key when the request names a PUB_KEY_ID_ serial', async () => {
    const result = await callPay(sim.url, merchantOf(sim), {
      method: 'GET',
      path: '/v3/certificates',
      headers: { 'Wechatpay-Serial': sim.keys.pubKeyId },
    });
    expect(result.headers.get('Wechatpay-Serial')).toBe(sim.keys.pubKeyId);
    expect(verifyWechatpaySignature(result.headers, result.text, { [sim.keys.pubKeyId]: sim.keys.pubKeyPem }).ok).toBe(
      true,
    );
  });

  it('signs notifies with the platform key', async () => {
    const notify = await payAndReceive();
    expect(notify?.headers['wechatpay-serial']).toBe(sim.keys.platformSerial);
    expect(
      verifyWechatpaySignature(notify?.headers ?? {}, notify?.body ?? '', {
        [sim.keys.platformSerial]: sim.keys.platformCertPem,
      }).ok,
    ).toBe(true);
  });
});

describe('rotation and mode switch', () => {
  it('rotates the platform certificate: new serial signs, both stay downloadable and trusted', async () => {
    const rotated = await readJson(
      await fetch(`${sim.url}/__control/rotate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'platform' }),
      }),
    );
    expect(rotated.serial).not.toBe(sim.keys.platformSerial);
    expect(new X509Certificate(rotated.certificatePem).serialNumber).toBe(rotated.serial);
    expect(Object.keys(rotated.certs)).toEqual(
      expect.arrayContaining([sim.keys.platformSerial, rotated.serial, sim.keys.pubKeyId]),
    );

    const result = await certificates();
    expect(result.headers.get('Wechatpay-Serial')).toBe(rotated.serial);
    expect(result.json.data.map((d: { serial_no: string }) => d.serial_no)).toEqual([
      sim.keys.platformSerial,
      rotated.serial,
    ]);
    expect(
      verifyWechatpaySignature(result.headers, result.text, { [sim.keys.platformSerial]: sim.keys.platformCertPem }).ok,
    ).toBe(false);
    expect(verifyWechatpaySignature(result.headers, result.text, sim.certs()).ok).toBe(true);

    const notify = await payAndReceive();
    expect(notify?.headers['wechatpay-serial']).toBe(rotated.serial);
  });

  it('switches to public-key mode and rotates the public key', async () => {
    sim.setPayMode('pubkey');
    expect((await certificates()).headers.get('Wechatpay-Serial')).toBe(sim.keys.pubKeyId);
    const rotated = await sim.rotateKeys();
    expect(rotated.kind).toBe('pubkey');
    expect(rotated.serial).toMatch(/^PUB_KEY_ID_\d{32}$/);
    const result = await certificates();
    expect(result.headers.get('Wechatpay-Serial')).toBe(rotated.serial);
    expect(verifyWechatpaySignature(result.headers, result.text, { [rotated.serial]: rotated.publicKeyPem }).ok).toBe(
      true,
    );
    const notify = await payAndReceive();
    expect(
      verifyWechatpaySignature(notify?.headers ?? {}, notify?.body ?? '', { [rotated.serial]: rotated.publicKeyPem })
        .ok,
    ).toBe(true);
  });
});
