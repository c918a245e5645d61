import type { AppConfig } from '../config/index.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { runMigrations } from '../db/migrate.ts';
import { openDatabase } from '../db/open.ts';
import { type DemoCache, demoCacheKey, keepSeededCopy, prepareDemoDirectory } from './demo-cache.ts';
import { seedDemo } from './demo.ts';
import { rememberDemoWechatPayments } from './demo-reconciliation.ts';

/**
 * Opens the configured database, migrates it and seeds the demo salon once (a second run finds it and changes
 * nothing), saying how long each part took; returns the open database.
 *
 * On embedded PGlite with DEMO_CACHE_DIR and DEMO_SOURCE_HASH set (`npm start`), today's seed of the same code
 * is taken from the cache instead (demo-cache.ts), and a fresh seed is copied there for the next start.
 */
export async function openSeededDatabase(config: AppConfig): Promise<DatabaseHandle> {
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
  const cache = demoCache(config);
  if (cache) {
    const prepared = await prepareDemoDirectory(cache);
    console.log(`[seed] demo database: ${DESCRIBED[prepared]} (${seconds()} s)`);
  }
  const open = () =>
    openDatabase({ databaseUrl: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX, pgliteDir: config.PGLITE_DIR });
  let database = await open();
  await runMigrations(database);
  console.log(`[seed] database opened and migrated in ${seconds()} s`);
  const result = await seedDemo(database, { config, log: (line) => console.log(`[seed] ${line}`) });
  console.log(result.created ? `[seed] demo salon ready in ${seconds()} s` : '[seed] demo salon already present');
  if (!result.created) {
    // The simulator started afresh with this process; the kept database remembers what was paid at it.
    await rememberDemoWechatPayments(database.db, config, new Date(), (line) => console.log(`[seed] ${line}`));
  }
  if (cache && result.created) {
    // PGlite's folder is copied closed, so the copy is a clean shutdown's.
    await database.close();
    await keepSeededCopy(cache).then(
      () => console.log(`[seed] kept a copy for later starts today (${seconds()} s)`),
      (error: unknown) =>
        console.log(`[seed] could not keep a copy: ${error instanceof Error ? error.message : error}`),
    );
    database = await open();
  }
  return database;
}

const DESCRIBED = {
  kept: "today's, seeded from this code, kept as it is",
  copied: "today's seed of this code, copied from the cache",
  fresh: 'none of today for this code; seeding a new one',
} as const;

function demoCache(config: AppConfig): DemoCache | null {
  const { DEMO_CACHE_DIR, DEMO_SOURCE_HASH, DATABASE_URL, PGLITE_DIR } = config;
  if (!DEMO_CACHE_DIR || !DEMO_SOURCE_HASH || DATABASE_URL || PGLITE_DIR.startsWith('memory://')) return null;
  return { dataDir: PGLITE_DIR, cacheDir: DEMO_CACHE_DIR, key: demoCacheKey(DEMO_SOURCE_HASH, new Date()) };
}
