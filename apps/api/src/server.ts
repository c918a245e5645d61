import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config/index.ts';
import { assertMigrationsCurrent, MigrationsBehindError } from './db/migrate.ts';
import { openDatabase } from './db/open.ts';
import { startJobs } from './jobs/index.ts';
import { HouseAccounts } from './modules/ledger/index.ts';
import { segmentationDeps } from './modules/segmentation/index.ts';

/** Starts the API: refuses to serve a database whose migrations are behind, drains in-flight requests on SIGTERM. */
async function main() {
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    poolMax: config.DATABASE_POOL_MAX,
    pgliteDir: config.PGLITE_DIR,
  });
  await assertMigrationsCurrent(database);
  const app = await buildApp({ config, database });
  const jobs = config.JOBS_ENABLED
    ? await startJobs(database, { house: new HouseAccounts(), now: () => new Date() }, app.log, {
        payments: app.payments,
        credit: app.messaging,
        segmentation: segmentationDeps(config, app.messaging),
      })
    : null;

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    // fastify.close() stops accepting, waits for in-flight requests, then runs onClose hooks.
    await app.close();
    await jobs?.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ host: config.HOST, port: config.PORT });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof MigrationsBehindError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
