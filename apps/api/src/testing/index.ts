import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config/index.ts';
import type { Database } from '../db/database.ts';
import { runMigrations } from '../db/migrate.ts';
import { openDatabase } from '../db/open.ts';
import { runDueCampaigns, type SegmentationDeps, segmentationDeps } from '../modules/segmentation/index.ts';
import { seedDemo } from '../seed/demo.ts';
import { seedWakeUpSalon, WAKE_UP_SALON } from '../seed/wake-up-salon.ts';

export interface StartLumiApiOptions {
  /** The WeChat simulator (or WeChat) base URL for jscode2session. */
  wechatApiBase: string;
  /**
   * WeChat Pay against a simulator: its base URL and the key folder it was started with
   * (`startWechatSim({ keysDir })`), which the API reads as it does in development (WECHAT_PAY_KEYS_DIR). The API
   * gives WeChat its own notify URL on the port it listens on, so notifications arrive over real HTTP.
   * Without this, WeChat Pay keeps the development defaults (and fails for want of keys).
   */
  wechatPay?: { baseUrl: string; keysDir: string };
  port?: number;
  /**
   * The salon the fresh database holds: the demo salon (default), or 晨曦美容 of the wake-up campaign test
   * (seed/wake-up-salon.ts). With 'wake-up' the API also sends due campaigns every second — the per-minute
   * `segmentation.campaigns` job's own function on a faster timer, with the salon's fixed holdout salt — so a
   * campaign the manager sends reaches its customers within the test.
   */
  salon?: 'demo' | 'wake-up';
}

export interface RunningLumiApi {
  url: string;
  close(): Promise<void>;
}

/**
 * The whole API on a fresh database seeded with the demo salon, listening on 127.0.0.1 — for end-to-end tests.
 * Uses a new database on the throwaway PostgreSQL when PG_ADMIN_URL is set (the test command sets it), an
 * in-memory PGlite otherwise.
 */
export async function startLumiApi(options: StartLumiApiOptions): Promise<RunningLumiApi> {
  const adminUrl = process.env.PG_ADMIN_URL;
  let databaseUrl: string | undefined;
  let dropDatabase = async () => {};
  if (adminUrl) {
    const name = `lumi_e2e_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    };
  }
  const configFor = (port: number) =>
    loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      WECHAT_API_BASE: options.wechatApiBase,
      CORS_ORIGINS: '*',
      LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { PGLITE_DIR: 'memory://' }),
      ...(options.wechatPay
        ? {
            WECHAT_PAY_BASE: `${options.wechatPay.baseUrl.replace(/\/+$/, '')}/`,
            WECHAT_PAY_KEYS_DIR: options.wechatPay.keysDir,
            WECHAT_PAY_NOTIFY_URL: `http://127.0.0.1:${port}/payments/wechat/notify`,
          }
        : {}),
    });
  const bootConfig = configFor(options.port ?? 0);
  const database = await openDatabase({ databaseUrl: bootConfig.DATABASE_URL, pgliteDir: bootConfig.PGLITE_DIR });
  await runMigrations(database);
  if (options.salon === 'wake-up') await seedWakeUpSalon(database, bootConfig);
  else {
    await seedDemo(database, {
      config: bootConfig,
      customers: 20,
      // The demo's year: 林小雅's story and the wake-up campaign the manager's screens show need all of it.
      historyMonths: 12,
    });
  }
  const { app, address } = await listenWithOwnUrl(options, async (port) =>
    buildApp({ config: configFor(port), database }),
  );
  const stopSending =
    options.salon === 'wake-up'
      ? sendDueCampaigns(
          app,
          { ...segmentationDeps(bootConfig, app.messaging), holdoutSalt: WAKE_UP_SALON.holdoutSalt },
          database.db,
        )
      : async () => {};
  return {
    url: address,
    async close() {
      await stopSending();
      await app.close();
      await database.close();
      await dropDatabase();
    },
  };
}

/** Runs the campaign job's function every second (one run at a time) until the returned stop is awaited. */
function sendDueCampaigns(app: FastifyInstance, deps: SegmentationDeps, db: Database): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = runDueCampaigns(db, deps)
      .catch((error: unknown) => app.log.error({ err: error }, 'sending due campaigns failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, 1_000);
      });
  };
  timer = setTimeout(tick, 1_000);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}

/**
 * The notify URL names the API's own port, and the config holding it is read when the app is built — before
 * Fastify can listen. Without WeChat Pay (or with a fixed port) the API just listens. Otherwise a free port is
 * found first and the app built for it; another process could take the port in between, so a clash is retried
 * on a new port (cheap: only the app is rebuilt; the database is already migrated and seeded).
 */
async function listenWithOwnUrl(
  options: StartLumiApiOptions,
  build: (port: number) => Promise<FastifyInstance>,
): Promise<{ app: FastifyInstance; address: string }> {
  if (!options.wechatPay || options.port) {
    const app = await build(options.port ?? 0);
    return { app, address: await app.listen({ host: '127.0.0.1', port: options.port ?? 0 }) };
  }
  for (let attempt = 1; ; attempt += 1) {
    const port = await freeLoopbackPort();
    const app = await build(port);
    try {
      return { app, address: await app.listen({ host: '127.0.0.1', port }) };
    } catch (error) {
      await app.close();
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 5) throw error;
    }
  }
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
