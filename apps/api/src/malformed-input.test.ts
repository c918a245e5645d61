import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedTables, type DbSnapshot, snapshotDatabase } from './testing/db-snapshot.ts';
import { bearer, createTestApi, type TestApi } from './testing/harness.ts';
import { requestMutations, type WireRequest } from './testing/request-mutations.ts';
import { ROUTE_ACCESS } from './testing/route-access.ts';
import { appRoutes, validRequest } from './testing/route-table.ts';
import { createTwoTenants, type TwoTenants } from './testing/two-tenants.ts';

/**
 * Property-based input fuzzing over the route table: a valid request for each route, built from its zod schema
 * and sent by a principal who may call it about real records, then broken one thing at a time (wrong types,
 * bad money, unstorable or overlong text, missing and extra fields, broken JSON, wrong content types, bad path
 * ids). The app must answer every one without a 500, without internals in the body, and — when it refuses —
 * without writing anything. A fixed seed and a bounded number of cases per route keep it reproducible and quick.
 */
const CASES_PER_ROUTE = 12;
const SEED = 20_261_207;

/** What an error body must never show: stack frames, SQL, driver or validator internals. */
const INTERNALS =
  /\bat .+\.[jt]s:\d+|node_modules|\b(select|insert into|update|delete from)\b.+\b(from|values|set|where)\b|syntax error|violates|duplicate key|relation "|invalid input syntax|ZodError|PostgresError/i;

/**
 * 5xx answers that name an outside dependency this app cannot reach (WeChat points at a closed port here and
 * WeChat Pay has no keys) rather than a bug. They must still write nothing.
 */
const OUTSIDE_FAULTS = new Set<unknown>(['WECHAT_UNAVAILABLE', 'SERVICE_UNAVAILABLE', 'DATABASE_UNAVAILABLE']);

let api: TestApi;
let world: TwoTenants;

beforeAll(async () => {
  api = await createTestApi({
    BODY_LIMIT_BYTES: '4096',
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    WECHAT_API_BASE: 'http://127.0.0.1:9',
  });
  world = await createTwoTenants(api);
}, 120_000);

afterAll(async () => {
  await api?.close();
});

async function send(request: WireRequest, token: string | undefined) {
  const headers: Record<string, string> = { ...(token ? bearer(token) : {}), 'idempotency-key': randomUUID() };
  if (request.contentType) headers['content-type'] = request.contentType;
  const payload = request.payload ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
  if (payload !== undefined && !request.contentType) headers['content-type'] = 'application/json';
  return api.app.inject({
    method: request.method as 'POST',
    url: request.url,
    query: request.query,
    headers,
    ...(payload === undefined ? {} : { payload }),
  });
}

/** The values the route's path parameters took in `url`, so a mutation can replace one. */
function pathValues(template: string, url: string): string[] {
  const names = template.split('/');
  return url.split('/').filter((_, i) => names[i]?.startsWith(':'));
}

describe('malformed input', () => {
  it('never gets a 500 or internals, and a refused request writes nothing', { timeout: 600_000 }, async () => {
    const failures: string[] = [];
    let sent = 0;
    const routes = appRoutes(api.routes);
    for (const [index, route] of routes.entries()) {
      const access = ROUTE_ACCESS[route.key];
      if (!access) continue; // the authorization matrix fails for a route without an entry
      const token = world.legitimateToken(access.caller);
      const valid = validRequest(route, world.victimIds(access.id));
      const cases = fc.sample(requestMutations(valid, pathValues(route.url, valid.url)), {
        seed: SEED + index,
        numRuns: CASES_PER_ROUTE,
      });
      let before: DbSnapshot = await snapshotDatabase(api.db);
      for (const request of cases) {
        const res = await send(request, token);
        sent++;
        const after = await snapshotDatabase(api.db);
        const label = `${route.key} [${request.name.slice(0, 80)}] → ${res.statusCode}`;
        const code = String(res.headers['content-type']).includes('json') ? res.json().error?.code : undefined;
        if (res.statusCode >= 500 && !OUTSIDE_FAULTS.has(code)) failures.push(`${label} ${res.body.slice(0, 120)}`);
        if (res.statusCode >= 400) {
          if (INTERNALS.test(res.body)) failures.push(`${label} shows internals: ${res.body.slice(0, 200)}`);
          if (typeof code !== 'string') {
            failures.push(`${label} without an error code`);
          }
          const changed = changedTables(before, after);
          if (changed.length) failures.push(`${label} refused but wrote ${changed.join(', ')}`);
        }
        before = after;
      }
    }
    expect(sent).toBeGreaterThan(routes.length * (CASES_PER_ROUTE - 1));
    expect(failures).toEqual([]);
  });

  it('names the field at fault in validation errors', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/auth/staff/login',
      payload: { phone: '123', password: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'body.phone' })]),
    );
  });

  it('rejects unknown fields on strict bodies', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/auth/staff/login',
      payload: { phone: world.a.owner.phone, password: world.a.owner.password, role: 'owner' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });
});
