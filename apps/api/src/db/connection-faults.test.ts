/**
 * A database fault outside the process (an admin's pg_terminate_backend, a restart, a failover) never kills
 * the API: the request in flight answers 503 DATABASE_UNAVAILABLE, the pool replaces the connection, the next
 * request works, /readyz tells the truth meanwhile, and start-up waits for the database instead of exiting.
 * These run the real server as its own process, because what is tested is that the process survives.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../config/index.ts';
import { type ApiProcess, startApiProcess, waitFor } from '../testing/api-process.ts';
import { startTcpProxy, type TcpProxy } from '../testing/tcp-proxy.ts';
import { createTenantFixture, type TenantFixture } from '../testing/fixtures.ts';
import { admin, createTestDatabase, type TestDatabase } from '../testing/postgres.ts';

let database: TestDatabase;
let tenant: TenantFixture;
let api: ApiProcess | undefined;
/** The API reaches PostgreSQL through this proxy, so a test can take the database away from it. */
let proxy: TcpProxy;

/** Ends every session the API processes hold on the test database. */
const terminateApiBackends = () =>
  admin((c) =>
    c.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = 'lumi-api'`,
      [database.name],
    ),
  );

async function call(path: string, init: { method?: string; token?: string; key?: string; body?: unknown } = {}) {
  const response = await fetch(`${api?.baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.key ? { 'idempotency-key': init.key } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { error?: { code: string; details?: unknown } } & Record<string, unknown>,
  };
}

async function staffToken(): Promise<string> {
  const login = await call('/auth/staff/login', {
    method: 'POST',
    body: { phone: tenant.beautician.phone, password: tenant.beautician.password },
  });
  expect(login.status).toBe(200);
  return login.body.accessToken as string;
}

const topUp = (token: string, key: string, amountFen: number) =>
  call(`/staff/customers/${tenant.customers[0]?.id}/top-ups`, {
    method: 'POST',
    token,
    key,
    body: { storeId: tenant.storeIds[0], amountFen, method: 'cash' },
  });

const principalFen = async (token: string) =>
  (await call(`/staff/customers/${tenant.customers[0]?.id}/wallet`, { token })).body.principalFen as number;

/**
 * Each test starts a server process (tsx compiles it on start) and waits through retries and back-off: on a busy
 * shared CI box that takes far longer than on an idle one, so the waits are generous and only bound a hang.
 */
const PATIENCE_MS = 180_000;
const until = (what: string, check: () => Promise<boolean> | boolean) => waitFor(what, check, PATIENCE_MS);

const ready = async () => (await fetch(`${api?.baseUrl}/readyz`)).status === 200;

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'), 2);
  tenant = await createTenantFixture(database.db, loadConfig({ NODE_ENV: 'test' }).WECHAT_CUSTOMER_APPID);
  const url = new URL(database.url);
  proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
});

afterEach(async (context) => {
  // What the server logged is the first thing to read when one of these fails.
  if (context.task.result?.state === 'fail') console.error(api?.output());
  await proxy.restore().catch(() => {});
  await api?.stop();
  api = undefined;
});

afterAll(async () => {
  await proxy?.close();
  await database?.destroy();
});

function start() {
  const url = new URL(database.url);
  url.port = String(proxy.port);
  return startApiProcess({ DATABASE_URL: url.toString(), DATABASE_POOL_MAX: '4', JOBS_ENABLED: 'true' }).then((p) => {
    api = p;
    return p;
  });
}

describe('database faults outside the process', { timeout: 3 * PATIENCE_MS }, () => {
  it('start-up waits for a database that is not up yet, then serves once it is', async () => {
    await proxy.cut();
    const server = await start();
    await until(
      'two retries in the log',
      () => (server.output().match(/database unreachable, retrying/g) ?? []).length >= 2,
    );
    expect(server.exited()).toBeNull();

    await proxy.restore();
    await until('/readyz to answer 200', ready);
    const token = await staffToken();
    expect((await topUp(token, randomUUID(), 1_000)).status).toBe(201);
    expect(server.exited()).toBeNull();
  });

  it('a connection dropped in the middle of a money request answers 503, and the same key then applies it once', async () => {
    const server = await start();
    await until('/readyz to answer 200', ready);
    const token = await staffToken();
    const before = await principalFen(token);
    const key = randomUUID();

    // Hold the ledger's accounts so the top-up waits inside its transaction, then end that backend.
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('lock table accounts in access exclusive mode');
      const pending = topUp(token, key, 2_500);
      await until('the top-up to wait for the lock', async () => {
        const { rows } = await holder.query(
          `select pid from pg_stat_activity where datname = $1 and application_name = 'lumi-api' and wait_event_type = 'Lock'`,
          [database.name],
        );
        return rows.length > 0;
      });
      await terminateApiBackends();
      const failed = await pending;
      expect(failed.status).toBe(503);
      expect(failed.body.error).toMatchObject({ code: 'DATABASE_UNAVAILABLE', details: { retry: true } });
    } finally {
      await holder.query('rollback').catch(() => {});
      await holder.end();
    }

    expect(server.exited()).toBeNull();
    const retried = await topUp(token, key, 2_500);
    expect(retried.status).toBe(201);
    const replayed = await topUp(token, key, 2_500);
    expect(replayed.status).toBe(200);
    expect(await principalFen(token)).toBe(before + 2_500);

    // Every session dropped again and again, idle ones and the job queue's included: the process carries on.
    for (let i = 0; i < 3; i++) {
      await terminateApiBackends();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect((await topUp(token, randomUUID(), 100)).status).toBe(201);
    expect(server.exited()).toBeNull();
  });

  it('while the database is unreachable it is not ready and requests fail cleanly; afterwards all works again', async () => {
    const server = await start();
    await until('/readyz to answer 200', ready);
    const token = await staffToken();

    await proxy.cut();
    const notReady = await call('/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({ status: 'not_ready', database: 'down' });
    const refused = await topUp(token, randomUUID(), 300);
    expect(refused.status).toBe(503);
    expect(refused.body.error?.code).toBe('DATABASE_UNAVAILABLE');

    expect(server.exited()).toBeNull();

    await proxy.restore();
    await until('/readyz to answer 200 again', ready);
    expect((await topUp(token, randomUUID(), 300)).status).toBe(201);
    expect(server.exited()).toBeNull();
  });
});
