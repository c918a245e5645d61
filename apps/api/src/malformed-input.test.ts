import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from './testing/fixtures.ts';
import { bearer, createTestApi, type TestApi } from './testing/harness.ts';

/**
 * Throws a battery of malformed requests at every route in the OpenAPI document, with and without tokens,
 * and requires a clear 4xx error body every time: never a 500, never a crash.
 */
let api: TestApi;
let t: TenantFixture;
let tokens: Record<string, string | undefined>;

beforeAll(async () => {
  api = await createTestApi({
    BODY_LIMIT_BYTES: '4096',
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    WECHAT_API_BASE: 'http://127.0.0.1:9',
  });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  tokens = {
    none: undefined,
    customer: api.app.jwt.sign({ kind: 'customer', sub: t.customers[0]!.id, tenantId: t.tenantId }),
    beautician: api.app.jwt.sign({
      kind: 'staff',
      sub: t.beautician.id,
      tenantId: t.tenantId,
      role: 'beautician',
      storeIds: t.beautician.storeIds,
    }),
    manager: api.app.jwt.sign({
      kind: 'staff',
      sub: t.manager.id,
      tenantId: t.tenantId,
      role: 'manager',
      storeIds: t.manager.storeIds,
    }),
    garbage: 'not.a.jwt',
  };
});

afterAll(async () => {
  await api?.close();
});

type Route = { method: string; path: string };

function documentedRoutes(): Route[] {
  const spec = api.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
}

const PATH_PARAM_VALUES = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  "1' or '1'='1",
  'x'.repeat(600),
  '%E0%A4%A',
  '-1',
];

const BODIES: { name: string; payload: string; contentType: string }[] = [
  { name: 'invalid JSON', payload: '{"a":', contentType: 'application/json' },
  { name: 'empty body', payload: '', contentType: 'application/json' },
  { name: 'JSON array', payload: '[1,2,3]', contentType: 'application/json' },
  { name: 'JSON string', payload: '"hello"', contentType: 'application/json' },
  { name: 'JSON null', payload: 'null', contentType: 'application/json' },
  {
    name: 'wrong types',
    payload: '{"amount":"12.30","code":5,"phone":[],"password":{},"tenant":null,"refreshToken":1e400}',
    contentType: 'application/json',
  },
  { name: 'float money', payload: JSON.stringify({ amount: 12.3, amountFen: 0.1 }), contentType: 'application/json' },
  {
    name: 'unknown fields',
    payload: '{"__proto__":{"admin":true},"constructor":{"prototype":{}},"unexpected":1}',
    contentType: 'application/json',
  },
  { name: 'oversized', payload: JSON.stringify({ pad: 'x'.repeat(10_000) }), contentType: 'application/json' },
  { name: 'deeply nested', payload: `${'['.repeat(5000)}${']'.repeat(5000)}`, contentType: 'application/json' },
  { name: 'form encoded', payload: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
  { name: 'text', payload: 'hello', contentType: 'text/plain' },
];

function fill(path: string, value: string) {
  return path.replace(/\{[^}]+\}/g, encodeURIComponent(value));
}

describe('malformed input never yields a 500', () => {
  it('has routes to test', () => {
    expect(documentedRoutes().length).toBeGreaterThan(5);
  });

  it('answers every malformed request on every route with a 4xx error body', { timeout: 180_000 }, async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const route of documentedRoutes()) {
      const paths = route.path.includes('{') ? PATH_PARAM_VALUES.map((v) => fill(route.path, v)) : [route.path];
      for (const [who, token] of Object.entries(tokens)) {
        const headers = { ...(token ? bearer(token) : {}), 'idempotency-key': 'battery-key-1' };
        for (const url of paths) {
          const variants = ['GET', 'DELETE'].includes(route.method)
            ? [
                { name: 'junk query', url: `${url}?limit=abc&cursor=%%%&from=yesterday&q=${'x'.repeat(300)}` },
                { name: 'plain', url },
              ]
            : BODIES.map((b) => ({ name: b.name, url, body: b }));
          for (const v of variants) {
            const body = 'body' in v ? v.body : undefined;
            const res = await api.app.inject({
              method: route.method as 'GET',
              url: v.url,
              headers: body ? { ...headers, 'content-type': body.contentType } : headers,
              ...(body ? { payload: body.payload } : {}),
            });
            sent++;
            const label = `${route.method} ${v.url.slice(0, 80)} [${who}, ${v.name}] → ${res.statusCode}`;
            if (res.statusCode >= 500) {
              failures.push(label);
            } else if (res.statusCode >= 400) {
              const json = res.json() as { error?: { code?: unknown } };
              if (typeof json.error?.code !== 'string') failures.push(`${label} without an error code`);
            }
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(100);
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
      payload: { phone: t.owner.phone, password: t.owner.password, role: 'owner' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });
});
