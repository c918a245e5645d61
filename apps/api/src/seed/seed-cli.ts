import { loadConfig } from '../config/index.ts';
import { openSeededDatabase } from './seed-database.ts';

/** Migrates the configured database and seeds the demo salon once (a second run changes nothing). */
const database = await openSeededDatabase(loadConfig());
await database.close();
