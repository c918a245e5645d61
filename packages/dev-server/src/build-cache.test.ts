import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BuildCache } from './build-cache.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lumi-build-cache-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function build(dir: string, text: string): Promise<string> {
  await mkdir(path.join(dir, 'js'), { recursive: true });
  await writeFile(path.join(dir, 'index.html'), text);
  await writeFile(path.join(dir, 'js', 'app.js'), `// ${text}`);
  return dir;
}

describe('BuildCache', () => {
  it('gives another clone the build of the same inputs, and nothing for other inputs', async () => {
    const cache = new BuildCache(path.join(root, 'cache'));
    await cache.keep('customer-h5', 'inputs-1', await build(path.join(root, 'clone-1/dist/h5'), 'one'));

    const output = path.join(root, 'clone-2/dist/h5');
    await build(output, 'stale');
    expect(await cache.restore('customer-h5', 'inputs-2', output)).toBe(false);
    expect(await readFile(path.join(output, 'index.html'), 'utf8')).toBe('stale');
    expect(await cache.restore('staff-h5', 'inputs-1', output)).toBe(false);

    expect(await cache.restore('customer-h5', 'inputs-1', output)).toBe(true);
    expect(await readFile(path.join(output, 'index.html'), 'utf8')).toBe('one');
    expect(await readFile(path.join(output, 'js', 'app.js'), 'utf8')).toBe('// one');
  });

  it('keeps one build per app and target, and never a half-written one', async () => {
    const cache = new BuildCache(path.join(root, 'cache'));
    await cache.keep('customer-h5', 'inputs-1', await build(path.join(root, 'a'), 'one'));
    await cache.keep('customer-weapp', 'inputs-1', await build(path.join(root, 'b'), 'weapp'));
    await cache.keep('customer-h5', 'inputs-2', await build(path.join(root, 'c'), 'two'));
    expect((await readdir(path.join(root, 'cache'))).sort()).toEqual([
      'customer-h5.inputs-2',
      'customer-weapp.inputs-1',
    ]);

    // A copy interrupted while written sits under a temporary name: not a build of any inputs.
    await mkdir(path.join(root, 'cache', '.partial-interrupted'));
    expect(await cache.restore('customer-h5', 'inputs-1', path.join(root, 'out'))).toBe(false);
  });
});
