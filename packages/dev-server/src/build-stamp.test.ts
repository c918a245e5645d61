import { mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BuildStamp, hashBuildInputs } from './build-stamp.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lumi-stamp-'));
  await mkdir(path.join(root, 'app/src'), { recursive: true });
  await writeFile(path.join(root, 'app/src/page.tsx'), 'export const page = 1;\n');
  await writeFile(path.join(root, 'lock.yaml'), 'lock: 1\n');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const inputs = () => ({ root, dirs: ['app'], files: ['lock.yaml'] });
const hash = (settings: Record<string, string | undefined> = { target: 'h5' }) => hashBuildInputs(inputs(), settings);

describe('hashBuildInputs', () => {
  it('changes with a source file, a file name, the lockfile or a setting', async () => {
    const first = await hash();
    expect(await hash()).toBe(first);

    await writeFile(path.join(root, 'app/src/page.tsx'), 'export const page = 2;\n');
    const edited = await hash();
    expect(edited).not.toBe(first);

    await writeFile(path.join(root, 'app/src/other.tsx'), '');
    const added = await hash();
    expect(added).not.toBe(edited);

    await writeFile(path.join(root, 'lock.yaml'), 'lock: 2\n');
    const relocked = await hash();
    expect(relocked).not.toBe(added);

    expect(await hash({ target: 'weapp' })).not.toBe(relocked);
    expect(await hash({ target: 'h5', TARO_APP_API: 'http://10.0.0.1' })).not.toBe(relocked);
  });

  it('ignores outputs, installs and the build’s own caches: dist, node_modules, .swc', async () => {
    const before = await hash();
    await mkdir(path.join(root, 'app/dist/h5'), { recursive: true });
    await writeFile(path.join(root, 'app/dist/h5/index.html'), '<html></html>');
    await mkdir(path.join(root, 'app/node_modules/x'), { recursive: true });
    await writeFile(path.join(root, 'app/node_modules/x/index.js'), '');
    // SWC's plugin cache, written into the app's folder by the first build: a second start must still match.
    await mkdir(path.join(root, 'app/.swc/plugins/v7'), { recursive: true });
    await writeFile(path.join(root, 'app/.swc/plugins/v7/cache'), 'compiled plugin');
    expect(await hash()).toBe(before);
  });
});

describe('BuildStamp', () => {
  const marker = () => path.join(root, 'app/dist/h5/index.html');
  const stamp = () => new BuildStamp(path.join(root, 'app/dist/.stamps/h5'), marker());
  const build = async (html: string, mtime: Date) => {
    await mkdir(path.dirname(marker()), { recursive: true });
    await writeFile(marker(), html);
    await utimes(marker(), mtime, mtime);
  };

  it('matches only the inputs it was written for, while the output is the one it saw', async () => {
    expect(await stamp().matches('abc')).toBe(false);
    await build('<html>demo</html>', new Date('2026-01-01T00:00:00Z'));
    await stamp().write('abc');
    expect(await stamp().matches('abc')).toBe(true);
    expect(await stamp().matches('abd')).toBe(false);

    // Another build wrote the output since (apps/e2e's test-mode H5 build, say).
    await build('<html>test</html>', new Date('2026-01-02T00:00:00Z'));
    expect(await stamp().matches('abc')).toBe(false);
  });

  it('does not match once the output is gone or the stamp is cleared', async () => {
    await build('<html>demo</html>', new Date('2026-01-01T00:00:00Z'));
    await stamp().write('abc');
    await stamp().clear();
    expect(await stamp().matches('abc')).toBe(false);

    await stamp().write('abc');
    await rm(marker());
    expect(await stamp().matches('abc')).toBe(false);
  });

  it('refuses to stamp a build that wrote no marker', async () => {
    await expect(stamp().write('abc')).rejects.toThrow('the build wrote no');
  });
});
