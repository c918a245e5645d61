import type { FastifyInstance, RouteOptions } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../app.ts';
import { type AppConfig, loadConfig } from '../config/index.ts';
import type { TenantFixture } from './fixtures.ts';
import { createTestDatabase, type TestDatabase } from './postgres.ts';

export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...overrides });
}

export interface TestApi {
  app: FastifyInstance;
  db: TestDatabase;
  config: AppConfig;
  /** Every route the app registered (HEAD twins of GET routes included), in registration order. */
  routes: RouteOptions[];
  close(): Promise<void>;
}

/** The real app on a database of its own (a clone of the migrated template) for one test file. */
export async function createTestApi(
  env: Record<string, string> = {},
  options: { now?: () => Date } = {},
): Promise<TestApi> {
  const db = await createTestDatabase(inject('templateDatabase'));
  const config = testConfig(env);
  const routes: RouteOptions[] = [];
  const app = await buildApp({ config, database: db, ...options, onRoute: (route) => routes.push(route) });
  await app.ready();
  return {
    app,
    db,
    config,
    routes,
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}

/** Shorthand for the Authorization header of a token. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export type FixtureStaff = 'owner' | 'manager' | 'beautician';

/** The access token a login would give a fixture's staff member, signed by the app under test. */
export const staffTokenFor = (app: FastifyInstance, f: TenantFixture, who: FixtureStaff = 'beautician') =>
  app.jwt.sign({ kind: 'staff', sub: f[who].id, tenantId: f.tenantId, role: f[who].role, storeIds: f[who].storeIds });

/** The access token a WeChat login would give a fixture's customer. */
export const customerTokenFor = (app: FastifyInstance, f: TenantFixture, i = 0) =>
  app.jwt.sign({ kind: 'customer', sub: f.customers[i]?.id ?? '', tenantId: f.tenantId });

/** One JSON request as whoever holds `token` (null: nobody signed in), for tests that call many routes. */
export const injectAs = (
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  token: string | null,
  payload?: unknown,
) =>
  app.inject({
    method,
    url,
    headers: token ? bearer(token) : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
