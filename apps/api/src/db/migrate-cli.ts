import { loadConfig } from '../config/index.ts';
import { runMigrations } from './migrate.ts';
import { openDatabase } from './open.ts';

const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR });
await runMigrations(database);
await database.close();
console.log(`migrations applied (${database.driver})`);
