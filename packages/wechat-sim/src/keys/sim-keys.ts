import { createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { createSelfSignedCertificate } from '../crypto/self-signed-certificate.ts';
import { randomAlphanumeric, randomCertificateSerial, randomPubKeyId } from '../random-ids.ts';

const generateKeyPairAsync = promisify(generateKeyPair);

const CERTIFICATE_LIFETIME_MS = 5 * 365 * 24 * 3600 * 1000;

/** Every secret and serial one simulated merchant needs, as PEM text so it can be written to disk. */
export interface SimKeys {
  mchid: string;
  /** 40 hex digits; the serial of apiclient_cert.pem, sent as serial_no in Authorization. */
  merchantSerial: string;
  merchantPrivateKeyPem: string;
  merchantPublicKeyPem: string;
  merchantCertPem: string;
  /** 32 ASCII characters; the AES-256-GCM key for notify resources and /v3/certificates. */
  apiV3Key: string;
  /** 40 hex digits; the Wechatpay-Serial of responses and notifies in platform-certificate mode. */
  platformSerial: string;
  /** A real X.509 certificate (self-signed) holding the platform public key. */
  platformCertPem: string;
  platformPublicKeyPem: string;
  platformPrivateKeyPem: string;
  /** PUB_KEY_ID_ followed by 32 digits; the Wechatpay-Serial in public-key mode. */
  pubKeyId: string;
  /** SPKI "PUBLIC KEY" PEM, what the merchant portal hands out as pub_key.pem. */
  pubKeyPem: string;
  pubKeyPrivatePem: string;
}

export interface GeneratedKeyPair {
  privateKey: KeyObject;
  privateKeyPem: string;
  publicKeyPem: string;
}

export async function generateRsaKeyPair(): Promise<GeneratedKeyPair> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  return {
    privateKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function publicKeyPemOf(privateKeyPem: string): string {
  return createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
}

export function createPlatformCertificate(serial: string, privateKey: KeyObject, notBefore: number): string {
  return createSelfSignedCertificate({
    serialHex: serial,
    subject: { commonName: 'Tenpay.com (Lumi WeChat simulator)', organization: 'WeChat Pay simulator' },
    privateKey,
    notBefore: new Date(notBefore),
    notAfter: new Date(notBefore + CERTIFICATE_LIFETIME_MS),
  });
}

export async function generateSimKeys(mchid: string): Promise<SimKeys> {
  const [merchant, platform, pubKey] = await Promise.all([
    generateRsaKeyPair(),
    generateRsaKeyPair(),
    generateRsaKeyPair(),
  ]);
  const merchantSerial = randomCertificateSerial();
  const platformSerial = randomCertificateSerial();
  const now = Date.now();
  return {
    mchid,
    merchantSerial,
    merchantPrivateKeyPem: merchant.privateKeyPem,
    merchantPublicKeyPem: merchant.publicKeyPem,
    merchantCertPem: createSelfSignedCertificate({
      serialHex: merchantSerial,
      subject: { commonName: mchid, organization: 'Lumi simulated merchant' },
      privateKey: merchant.privateKey,
      notBefore: new Date(now),
      notAfter: new Date(now + CERTIFICATE_LIFETIME_MS),
    }),
    apiV3Key: randomAlphanumeric(32),
    platformSerial,
    platformCertPem: createPlatformCertificate(platformSerial, platform.privateKey, now),
    platformPublicKeyPem: platform.publicKeyPem,
    platformPrivateKeyPem: platform.privateKeyPem,
    pubKeyId: randomPubKeyId(),
    pubKeyPem: pubKey.publicKeyPem,
    pubKeyPrivatePem: pubKey.privateKeyPem,
  };
}
