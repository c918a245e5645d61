import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { randomCertificateSerial, randomPubKeyId } from '../random-ids.ts';
import { createPlatformCertificate, generateRsaKeyPair, type SimKeys } from './sim-keys.ts';

/** Which key WeChat Pay signs with: the platform certificate (legacy) or the WeChat Pay public key. */
export type PayMode = 'pubkey' | 'cert';
export type SigningKind = 'platform' | 'pubkey';

export interface SigningKey {
  kind: SigningKind;
  /** 40 hex digits for platform certificates, PUB_KEY_ID_… for public keys. */
  serial: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
  /** Only platform keys have a certificate. */
  certificatePem?: string;
  effectiveTime: number;
  expireTime: number;
}

export interface RotatedKey {
  kind: SigningKind;
  serial: string;
  publicKeyPem: string;
  certificatePem?: string;
}

export interface SigningKeyRing {
  mode(): PayMode;
  setMode(mode: PayMode): void;
  /** Honours a request's Wechatpay-Serial: PUB_KEY_ID_… the way the real service does mid-migration. */
  responseKey(requestedSerial: string | undefined): SigningKey;
  notifyKey(): SigningKey;
  platformKeys(): SigningKey[];
  /** serial → PEM (certificate for platform keys, SPKI for public keys), ready for a client's certs map. */
  verifierPems(): Record<string, string>;
  rotate(kind: SigningKind): Promise<RotatedKey>;
}

const FIVE_YEARS_MS = 5 * 365 * 24 * 3600 * 1000;
const NEVER_EXPIRES_MS = 100 * 365 * 24 * 3600 * 1000;

function signingKey(kind: SigningKind, serial: string, privateKeyPem: string, certificatePem?: string): SigningKey {
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const now = Date.now();
  return {
    kind,
    serial,
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    ...(certificatePem === undefined ? {} : { certificatePem }),
    effectiveTime: now,
    expireTime: now + (kind === 'platform' ? FIVE_YEARS_MS : NEVER_EXPIRES_MS),
  };
}

export function createSigningKeyRing(keys: SimKeys, initialMode: PayMode): SigningKeyRing {
  let mode = initialMode;
  // Newest last: the last key of a kind signs, older ones stay known so clients can still verify.
  const platform: SigningKey[] = [
    signingKey('platform', keys.platformSerial, keys.platformPrivateKeyPem, keys.platformCertPem),
  ];
  const pubkey: SigningKey[] = [signingKey('pubkey', keys.pubKeyId, keys.pubKeyPrivatePem)];
  const latest = (list: SigningKey[]) => list[list.length - 1] as SigningKey;

  return {
    mode: () => mode,
    setMode: (next) => {
      mode = next;
    },
    responseKey: (requestedSerial) => {
      if (mode === 'pubkey' || requestedSerial?.startsWith('PUB_KEY_ID_')) return latest(pubkey);
      return latest(platform);
    },
    notifyKey: () => (mode === 'pubkey' ? latest(pubkey) : latest(platform)),
    platformKeys: () => [...platform],
    verifierPems: () =>
      Object.fromEntries([...platform, ...pubkey].map((key) => [key.serial, key.certificatePem ?? key.publicKeyPem])),
    rotate: async (kind) => {
      const pair = await generateRsaKeyPair();
      if (kind === 'platform') {
        const serial = randomCertificateSerial();
        const certificatePem = createPlatformCertificate(serial, pair.privateKey, Date.now());
        platform.push(signingKey('platform', serial, pair.privateKeyPem, certificatePem));
        return { kind, serial, publicKeyPem: pair.publicKeyPem, certificatePem };
      }
      const serial = randomPubKeyId();
      pubkey.push(signingKey('pubkey', serial, pair.privateKeyPem));
      return { kind, serial, publicKeyPem: pair.publicKeyPem };
    },
  };
}
