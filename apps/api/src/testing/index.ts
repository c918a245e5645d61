import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config/index.ts';
import { runMigrations } from '../db/migrate.ts';
import { openDatabase } from '../db/open.ts';
import { seedDemo } from '../seed/demo.ts';

export interface StartLumiApiOptions {
  /** The WeChat simulator (or WeChat) base URL for jscode2session. */
  wechatApiBase: string;
  port?: number;
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
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    WECHAT_API_BASE: options.wechatApiBase,
    CORS_ORIGINS: '*',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { PGLITE_DIR: 'memory://' }),
  });
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR });
  await runMigrations(database);
  await seedDemo(database.db, { customerAppId: config.WECHAT_CUSTOMER_APPID, customers: 20, historyMonths: 2 });
  const app = await buildApp({ config, database });
  const address = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  return {
    url: address,
    async close() {
      await app.close();
      await database.close();
      await dropDatabase();
    },
  };
}
