import { loadConfig } from '../config/index.ts';
import { failedToStart, serve } from '../serve.ts';
import { openSeededDatabase } from './seed-database.ts';

/**
 * The demo's API (`npm start`): migrates and seeds the configured database, then serves it from the same
 * process — on embedded PGlite that is one database start-up and one load of the code instead of two.
 */
async function main() {
  const config = loadConfig();
  await serve(config, await openSeededDatabase(config));
}

main().catch(failedToStart);
