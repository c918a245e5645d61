import { X509Certificate } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWechatSim } from '../wechat-sim.ts';
import { KEY_FILES, loadOrCreateKeysDir } from './keys-dir.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wechat-sim-keys-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('keysDir', () => {
  it('writes a fresh key set into an empty folder and reads the same keys back next start', async () => {
    const dir = join(root, 'fresh');
    const first = await startWechatSim({ keysDir: dir, timeScale: 0.001 });
    await first.close();
    expect((await readdir(dir)).sort()).toEqual(Object.values(KEY_FILES).sort());
    expect((await stat(join(dir, KEY_FILES.merchantPrivateKey))).mode & 0o777).toBe(0o600);

    const manifest = JSON.parse(await readFile(join(dir, KEY_FILES.manifest), 'utf8'));
    expect(manifest).toMatchObject({
      mchid: '1900000109',
      merchantSerial: first.keys.merchantSerial,
      apiV3Key: first.keys.apiV3Key,
      platformSerial: first.keys.platformSerial,
      pubKeyId: first.keys.pubKeyId,
    });
    expect(manifest.apiV3Key).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(new X509Certificate(await readFile(join(dir, KEY_FILES.merchantCert))).serialNumber).toBe(
      first.keys.merchantSerial,
    );
    expect(await readFile(join(dir, KEY_FILES.pubKey), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);

    const second = await startWechatSim({ keysDir: dir });
    await second.close();
    expect(second.keys).toEqual(first.keys);
  });

  it('refuses a half-filled folder and a manifest for another merchant', async () => {
    const partial = join(root, 'partial');
    await mkdir(partial);
    await writeFile(join(partial, 'notes.txt'), 'unrelated files are fine');
    await writeFile(join(partial, KEY_FILES.merchantPrivateKey), 'left over from an earlier run');
    await expect(loadOrCreateKeysDir(partial, undefined, '1900000109')).rejects.toThrow(/apiclient_key\.pem/);

    // Reuses the folder the first test wrote, instead of generating another key set.
    const other = join(root, 'other');
    await cp(join(root, 'fresh'), other, { recursive: true });
    const manifestPath = join(other, KEY_FILES.manifest);
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    await writeFile(manifestPath, JSON.stringify({ ...manifest, mchid: '1900000999' }));
    await expect(loadOrCreateKeysDir(other, '1900000109', '1900000109')).rejects.toThrow(/mchid 1900000999/);
    expect((await loadOrCreateKeysDir(other, undefined, '1900000109')).mchid).toBe('1900000999');
  });
});
