import { loadConfig } from '../config/index.ts';
import { runMigrations } from '../db/migrate.ts';
import { openDatabase } from '../db/open.ts';
import { seedDemo } from './demo.ts';

/** Migrates the configured database and seeds the demo salon once (a second run changes nothing). */
const config = loadConfig();
const started = Date.now();
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR });
await runMigrations(database);
console.log(`[seed] database opened and migrated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
const result = await seedDemo(database, {
  config,
  log: (line) => console.log(`[seed] ${line}`),
});
console.log(
  result.created
    ? `[seed] demo salon ready in ${((Date.now() - started) / 1000).toFixed(1)} s`
    : '[seed] demo salon already present',
);
await database.close();
