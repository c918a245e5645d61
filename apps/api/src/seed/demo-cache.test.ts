import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoCacheKey, keepSeededCopy, prepareDemoDirectory, seedDay } from './demo-cache.ts';

/** A moment in Shanghai (UTC+8) on 2030-06-15 + `day` days, at hh:mm. */
const shanghai = (day: number, hh: number, mm = 0) => new Date(Date.UTC(2030, 5, 15 + day, hh - 8, mm));

describe('the demo database cache: today’s seed of this code, nothing else', () => {
  it('keys a seed by the code and by its day — the Shanghai date and the day its desk work falls on', () => {
    const key = (at: Date, source = 'code-a') => demoCacheKey(source, at);
    // Later the same day the demo is the same salon: the copy is used.
    expect(key(shanghai(0, 11, 30))).toBe(key(shanghai(0, 20, 30)));
    // A copy seeded yesterday is not today's demo.
    expect(key(shanghai(1, 15))).not.toBe(key(shanghai(0, 15)));
    // Seeded before opening, this morning's desk work sits at last night's close: not today's once the salon opens.
    expect(seedDay(shanghai(0, 9))).toBe('2030-06-15 desk 2030-06-14');
    expect(seedDay(shanghai(0, 15))).toBe('2030-06-15 desk 2030-06-15');
    expect(key(shanghai(0, 9))).not.toBe(key(shanghai(0, 15)));
    // Seeded from other code (a migration, an operation or the seed changed): never used.
    expect(key(shanghai(0, 15), 'code-b')).not.toBe(key(shanghai(0, 15)));
  });

  const scratch = mkdtemp(path.join(tmpdir(), 'lumi-demo-cache-'));
  afterAll(async () => rm(await scratch, { recursive: true, force: true }));

  it('keeps today’s folder, copies today’s seed into a new clone, and replaces yesterday’s', async () => {
    const root = await scratch;
    const cacheDir = path.join(root, 'cache');
    const today = demoCacheKey('code-a', shanghai(0, 15));
    const tomorrow = demoCacheKey('code-a', shanghai(1, 15));
    const first = { dataDir: path.join(root, 'clone-1', '.data', 'pglite'), cacheDir, key: today };

    // Nothing seeded yet: the API seeds, then keeps a copy.
    expect(await prepareDemoDirectory(first)).toBe('fresh');
    await mkdir(first.dataDir, { recursive: true });
    await writeFile(path.join(first.dataDir, 'PG_VERSION'), 'seeded today');
    await keepSeededCopy(first);
    expect(await readdir(cacheDir)).toEqual([today]);

    // The same clone later today: its folder is kept as it is (with what the user did in the demo).
    await writeFile(path.join(first.dataDir, 'PG_VERSION'), 'seeded today, then used');
    expect(await prepareDemoDirectory(first)).toBe('kept');
    expect(await readFile(path.join(first.dataDir, 'PG_VERSION'), 'utf8')).toBe('seeded today, then used');

    // Another clone today: the seeded copy, as the seed left it.
    const second = { ...first, dataDir: path.join(root, 'clone-2', '.data', 'pglite') };
    expect(await prepareDemoDirectory(second)).toBe('copied');
    expect(await readFile(path.join(second.dataDir, 'PG_VERSION'), 'utf8')).toBe('seeded today');

    // Tomorrow: neither the clone's folder nor the cached copy of today is used; the folder is cleared for a seed.
    expect(await prepareDemoDirectory({ ...first, key: tomorrow })).toBe('fresh');
    expect(await readdir(path.dirname(first.dataDir))).toEqual([]);
    await mkdir(first.dataDir, { recursive: true });
    await writeFile(path.join(first.dataDir, 'PG_VERSION'), 'seeded tomorrow');
    await keepSeededCopy({ ...first, key: tomorrow });
    expect(await readdir(cacheDir)).toEqual([tomorrow]);
  });

  it('never takes a half-written copy', async () => {
    const root = await scratch;
    const cacheDir = path.join(root, 'cache-partial');
    const key = demoCacheKey('code-a', shanghai(0, 15));
    // A copy interrupted while being written sits under a temporary name, never under its key.
    await mkdir(path.join(cacheDir, '.partial-interrupted'), { recursive: true });
    const clone = { dataDir: path.join(root, 'clone-3', 'pglite'), cacheDir, key };
    expect(await prepareDemoDirectory(clone)).toBe('fresh');
  });
});
