// The app's declarations (app.db, request.staff…) for the modules the fixtures import, when type-checked from outside.
import type {} from '../app.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { runMigrations } from '../db/migrate.ts';
import { openDatabase } from '../db/open.ts';

export type { DatabaseHandle } from '../db/database.ts';
export { type ApiProcess, freePort, startApiProcess, waitFor } from './api-process.ts';
export { createTenantFixture, type TenantFixture } from './fixtures.ts';
export { verifyLedger } from '../modules/ledger/verify.ts';

/**
 * For suites that run the API as separate processes (the bank test under faults): migrates a database they
 * created, then seeds fixtures and checks the ledger through the handle. The pool's connections are named
 * 'lumi-api' like the server's; close it before terminating backends by that name.
 */
export async function openMigratedDatabase(databaseUrl: string): Promise<DatabaseHandle> {
  const handle = await openDatabase({ databaseUrl, poolMax: 2 });
  await runMigrations(handle);
  return handle;
}
