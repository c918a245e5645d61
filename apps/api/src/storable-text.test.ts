import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedTables, snapshotDatabase } from './testing/db-snapshot.ts';
import { bearer, createTestApi, type TestApi } from './testing/harness.ts';
import { leaves, withLeaf } from './testing/request-samples.ts';
import { ROUTE_ACCESS } from './testing/route-access.ts';
import { appRoutes, type RouteRequest, validRequest } from './testing/route-table.ts';
import { createTwoTenants, type TwoTenants } from './testing/two-tenants.ts';

/**
 * PostgreSQL stores neither NUL nor half a surrogate pair (text rejects NUL, jsonb both). Every string a request
 * carries — body fields at any depth, query parameters — must be refused at the door with the field named,
 * never reach the database (a 500) nor be silently mangled on the way.
 */
let api: TestApi;
let world: TwoTenants;

beforeAll(async () => {
  api = await createTestApi({ LOGIN_RATE_LIMIT_PER_MINUTE: '100000', WECHAT_API_BASE: 'http://127.0.0.1:9' });
  world = await createTwoTenants(api);
}, 120_000);

afterAll(async () => {
  await api?.close();
});

const UNSTORABLE = [
  { name: 'NUL', spoil: (s: string) => `${s}\u0000`, inQuery: true },
  { name: 'lone high surrogate', spoil: (s: string) => `${s}\uD83D`, inQuery: false },
  { name: 'lone low surrogate', spoil: (s: string) => `\uDE00${s}`, inQuery: false },
];

describe('text PostgreSQL cannot store', () => {
  it('is refused in every string of every request with 400 VALIDATION_FAILED naming the field', {
    timeout: 180_000,
  }, async () => {
    const failures: string[] = [];
    let checked = 0;
    const before = await snapshotDatabase(api.db);
    for (const route of appRoutes(api.routes)) {
      const access = ROUTE_ACCESS[route.key];
      if (!access || (!route.body && !route.querystring)) continue;
      const token = world.legitimateToken(access.caller);
      const valid = validRequest(route, world.victimIds(access.id));
      const spoiled: { field: string; request: RouteRequest; label: string }[] = [];
      for (const { path, value } of leaves(valid.body)) {
        if (typeof value !== 'string') continue;
        for (const u of UNSTORABLE) {
          spoiled.push({
            field: ['body', ...path].join('.'),
            label: u.name,
            request: { ...valid, body: withLeaf(valid.body, path, u.spoil(value)) },
          });
        }
      }
      for (const [key, value] of Object.entries(valid.query ?? {})) {
        for (const u of UNSTORABLE.filter((x) => x.inQuery)) {
          spoiled.push({
            field: `querystring.${key}`,
            label: u.name,
            request: { ...valid, query: { ...valid.query, [key]: u.spoil(value) } },
          });
        }
      }
      for (const { field, label, request } of spoiled) {
        const res = await api.app.inject({
          method: request.method as 'POST',
          url: request.url,
          query: request.query,
          headers: { ...(token ? bearer(token) : {}), 'idempotency-key': randomUUID() },
          ...(request.body === undefined ? {} : { payload: request.body as object }),
        });
        checked++;
        const error = res.statusCode === 400 ? res.json().error : undefined;
        const named =
          error?.code === 'VALIDATION_FAILED' && error.details?.some((d: { field: string }) => d.field === field);
        if (!named) failures.push(`${route.key} ${field} (${label}) → ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(failures).toEqual([]);
    expect(changedTables(before, await snapshotDatabase(api.db))).toEqual([]);
  });
});
