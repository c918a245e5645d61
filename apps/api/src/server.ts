import { loadConfig } from './config/index.ts';
import { openDatabase } from './db/open.ts';
import { failedToStart, serve } from './serve.ts';

/** Starts the API on the configured database (see serve.ts). */
async function main() {
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    poolMax: config.DATABASE_POOL_MAX,
    pgliteDir: config.PGLITE_DIR,
  });
  await serve(config, database);
}

main().catch(failedToStart);
