import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { generateSimKeys, publicKeyPemOf, type SimKeys } from './sim-keys.ts';

/**
 * File names inside keysDir. The merchant files use the names WeChat's certificate tool gives them,
 * so the API's config looks the same in dev and production.
 */
export const KEY_FILES = {
  manifest: 'keys.json',
  merchantPrivateKey: 'apiclient_key.pem',
  merchantCert: 'apiclient_cert.pem',
  platformCert: 'wechatpay_platform_cert.pem',
  platformPrivateKey: 'wechatpay_platform_key.pem',
  pubKey: 'pub_key.pem',
  pubKeyPrivate: 'pub_key_private.pem',
} as const;

const ManifestSchema = z.object({
  mchid: z.string().min(1),
  merchantSerial: z.string().regex(/^[0-9A-F]{40}$/),
  apiV3Key: z.string().length(32),
  platformSerial: z.string().regex(/^[0-9A-F]{40}$/),
  pubKeyId: z.string().startsWith('PUB_KEY_ID_'),
});

export type KeysManifest = z.infer<typeof ManifestSchema> & { files: typeof KEY_FILES };

async function writeKeysDir(dir: string, keys: SimKeys): Promise<void> {
  const manifest: KeysManifest = {
    mchid: keys.mchid,
    merchantSerial: keys.merchantSerial,
    apiV3Key: keys.apiV3Key,
    platformSerial: keys.platformSerial,
    pubKeyId: keys.pubKeyId,
    files: KEY_FILES,
  };
  const files: [string, string][] = [
    [KEY_FILES.merchantPrivateKey, keys.merchantPrivateKeyPem],
    [KEY_FILES.merchantCert, keys.merchantCertPem],
    [KEY_FILES.platformCert, keys.platformCertPem],
    [KEY_FILES.platformPrivateKey, keys.platformPrivateKeyPem],
    [KEY_FILES.pubKey, keys.pubKeyPem],
    [KEY_FILES.pubKeyPrivate, keys.pubKeyPrivatePem],
  ];
  // Private keys are readable by the owner only, as a real apiclient_key.pem should be.
  await Promise.all(files.map(([name, pem]) => writeFile(join(dir, name), pem, { mode: 0o600 })));
  // The manifest goes last: its presence is what marks the folder as complete.
  await writeFile(join(dir, KEY_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
}

async function readKeysDir(dir: string): Promise<SimKeys> {
  const read = (name: string) => readFile(join(dir, name), 'utf8');
  const manifest = ManifestSchema.parse(JSON.parse(await read(KEY_FILES.manifest)));
  const [merchantPrivateKeyPem, merchantCertPem, platformCertPem, platformPrivateKeyPem, pubKeyPem, pubKeyPrivatePem] =
    await Promise.all([
      read(KEY_FILES.merchantPrivateKey),
      read(KEY_FILES.merchantCert),
      read(KEY_FILES.platformCert),
      read(KEY_FILES.platformPrivateKey),
      read(KEY_FILES.pubKey),
      read(KEY_FILES.pubKeyPrivate),
    ]);
  return {
    ...manifest,
    merchantPrivateKeyPem,
    merchantPublicKeyPem: publicKeyPemOf(merchantPrivateKeyPem),
    merchantCertPem,
    platformCertPem,
    platformPublicKeyPem: publicKeyPemOf(platformPrivateKeyPem),
    platformPrivateKeyPem,
    pubKeyPem,
    pubKeyPrivatePem,
  };
}

/**
 * Loads the keys a previous run left in dir, or generates a fresh set and writes it there when the
 * folder is empty or missing. A half-filled folder is an error rather than something to overwrite,
 * because the API may already be configured with the keys that are left.
 */
export async function loadOrCreateKeysDir(
  dir: string,
  mchid: string | undefined,
  defaultMchid: string,
): Promise<SimKeys> {
  await mkdir(dir, { recursive: true });
  const present = new Set(await readdir(dir));
  if (present.has(KEY_FILES.manifest)) {
    const keys = await readKeysDir(dir);
    if (mchid !== undefined && keys.mchid !== mchid) {
      throw new Error(`keysDir ${dir} holds keys for mchid ${keys.mchid}, not ${mchid}`);
    }
    return keys;
  }
  const leftovers = Object.values(KEY_FILES).filter((name) => present.has(name));
  if (leftovers.length > 0) {
    throw new Error(`keysDir ${dir} has ${leftovers.join(', ')} but no ${KEY_FILES.manifest}; empty it to regenerate`);
  }
  const keys = await generateSimKeys(mchid ?? defaultMchid);
  await writeKeysDir(dir, keys);
  return keys;
}
