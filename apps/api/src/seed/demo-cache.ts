import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { shanghaiDate } from '../modules/ledger/index.ts';
import { deskNow } from './demo-clock.ts';

/**
 * Seeded demo databases kept between `npm start`s (the demo's embedded PGlite folder), so that a start finds
 * today's demo salon ready instead of creating, migrating and seeding a database for minutes.
 *
 * A copy is used only when it was seeded from the same code **on the same seed day**:
 * - the code: `sourceHash`, a hash of what the seed's result depends on — the API's sources (the seed runs
 *   through its operations), its migrations, the shared contracts and the lockfile (the dev server computes it);
 * - the seed day: the history is laid out back from the Shanghai day the seed runs on, and this morning's desk
 *   work happens at `deskNow` — an hour before the seed, or last night's close before the salon opens. A copy
 *   made on another Shanghai day, or before opening when it is now past it, would show a history ending
 *   yesterday, so both dates are part of the key. Seeded later the same day, the demo would look the same
 *   (only this morning's desk work is earlier), which is what "today's data" means here.
 *
 * The folder the API opens carries a stamp (`<folder>.key`) naming the key it was seeded or copied under: a
 * stamp of today keeps the folder (and what the user did in the demo today); any other is replaced by today's
 * copy or a fresh seed. A copy is written under a temporary name and renamed when complete, so a half-written
 * copy is never found; only the newest copy is kept.
 */
export interface DemoCache {
  /** The folder PGlite opens (PGLITE_DIR). */
  dataDir: string;
  /** Where the seeded copies live, one folder per key. */
  cacheDir: string;
  key: string;
}

/** The seed day of a seed run at `now`: the Shanghai date, and the date its desk work is placed on. */
export function seedDay(now: Date): string {
  return `${shanghaiDate(now)} desk ${shanghaiDate(new Date(deskNow(now.getTime())))}`;
}

export function demoCacheKey(sourceHash: string, now: Date): string {
  return createHash('sha256')
    .update(`${sourceHash}\0${seedDay(now)}`)
    .digest('hex')
    .slice(0, 32);
}

const stampOf = (dataDir: string) => `${dataDir}.key`;

/**
 * Before the database is opened: 'kept' when the folder holds this key's seed, 'copied' when it was replaced by
 * a kept copy, 'fresh' when it was removed (the caller seeds a new one, then calls keepSeededCopy).
 */
export async function prepareDemoDirectory(cache: DemoCache): Promise<'kept' | 'copied' | 'fresh'> {
  const stamp = await readFile(stampOf(cache.dataDir), 'utf8').catch(() => null);
  if (stamp?.trim() === cache.key) return 'kept';
  await rm(stampOf(cache.dataDir), { force: true });
  await rm(cache.dataDir, { recursive: true, force: true });
  const copy = path.join(cache.cacheDir, cache.key);
  const found = await readdir(copy).then(
    () => true,
    () => false,
  );
  if (!found) return 'fresh';
  await mkdir(path.dirname(cache.dataDir), { recursive: true });
  await cp(copy, cache.dataDir, { recursive: true });
  await writeFile(stampOf(cache.dataDir), `${cache.key}\n`);
  return 'copied';
}

/**
 * After a fresh seed, with the database closed: stamps the folder and keeps a copy of it under the key
 * (replacing older copies).
 */
export async function keepSeededCopy(cache: DemoCache): Promise<void> {
  await mkdir(cache.cacheDir, { recursive: true });
  const partial = path.join(cache.cacheDir, `.partial-${randomUUID()}`);
  await rm(partial, { recursive: true, force: true });
  await cp(cache.dataDir, partial, { recursive: true });
  for (const entry of await readdir(cache.cacheDir)) {
    if (entry !== path.basename(partial)) await rm(path.join(cache.cacheDir, entry), { recursive: true, force: true });
  }
  await rename(partial, path.join(cache.cacheDir, cache.key));
  await writeFile(stampOf(cache.dataDir), `${cache.key}\n`);
}
