import { ledgerDeps } from './ledger-deps.ts';
import { type AppConfig, ConfigError } from './config/index.ts';
import { buildApp } from './app.ts';
import type { DatabaseHandle } from './db/database.ts';
import { assertMigrationsCurrent, MigrationsBehindError } from './db/migrate.ts';
import { isConnectionError } from './db/pg-errors.ts';
import { retryWhileUnreachable } from './db/retry.ts';
import { startJobs } from './jobs/index.ts';
import { segmentationDeps } from './modules/segmentation/index.ts';

/**
 * Serves the API on an open database: waits for the database (with back-off) rather than exiting when it is not
 * up yet, refuses to serve a database whose migrations are behind, drains in-flight requests on SIGTERM.
 * `server.ts` (production) opens the configured database first; the demo's `seed/demo-server.ts` seeds it first.
 */
export async function serve(config: AppConfig, database: DatabaseHandle): Promise<void> {
  const app = await buildApp({ config, database });
  const starting = new AbortController();

  // Work started outside a request (a notice sent after the response, a job) may still meet a dropped
  // connection; that is an outside fault and the process carries on. Anything else is a bug: fail fast.
  process.on('unhandledRejection', (reason) => {
    if (isConnectionError(reason)) {
      app.log.warn({ err: reason }, 'database connection lost outside a request');
      return;
    }
    app.log.fatal({ err: reason }, 'unhandled rejection');
    process.exit(1);
  });

  let jobs: Awaited<ReturnType<typeof startJobs>> | null = null;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    starting.abort();
    app.log.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    // fastify.close() stops accepting, waits for in-flight requests, then runs onClose hooks.
    await app.close();
    await jobs?.stop().catch((error: unknown) => app.log.warn({ err: error }, 'job queue did not stop cleanly'));
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const retry = { signal: starting.signal };
  await retryWhileUnreachable('start-up', () => assertMigrationsCurrent(database), app.log, retry);
  if (config.JOBS_ENABLED) {
    jobs = await retryWhileUnreachable(
      'job queue start-up',
      () =>
        startJobs(
          database,
          ledgerDeps(() => new Date()),
          app.log,
          {
            payments: app.payments,
            credit: app.messaging,
            segmentation: segmentationDeps(config, app.messaging),
            shop: app.shop,
          },
        ),
      app.log,
      retry,
    );
  }
  await app.listen({ host: config.HOST, port: config.PORT });
}

/** How a start-up failure ends the process: a one-line message for a known cause, else the error. */
export function failedToStart(error: unknown): never {
  if (error instanceof ConfigError || error instanceof MigrationsBehindError) {
    console.error(error.message);
  } else if ((error as { name?: string }).name === 'AbortError') {
    // Stopped by a signal while still waiting for the database.
    process.exit(0);
  } else {
    console.error(error);
  }
  process.exit(1);
}
