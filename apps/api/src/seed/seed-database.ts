import type { AppConfig } from '../config/index.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { runMigrations } from '../db/migrate.ts';
import { openDatabase } from '../db/open.ts';
import { seedDemo } from './demo.ts';

/**
 * Opens the configured database, migrates it and seeds the demo salon once (a second run finds it and changes
 * nothing), saying how long each part took; returns the open database.
 */
export async function openSeededDatabase(config: AppConfig): Promise<DatabaseHandle> {
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    poolMax: config.DATABASE_POOL_MAX,
    pgliteDir: config.PGLITE_DIR,
  });
  await runMigrations(database);
  console.log(`[seed] database opened and migrated in ${seconds()} s`);
  const result = await seedDemo(database, { config, log: (line) => console.log(`[seed] ${line}`) });
  console.log(result.created ? `[seed] demo salon ready in ${seconds()} s` : '[seed] demo salon already present');
  return database;
}
