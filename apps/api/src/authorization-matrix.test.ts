import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedTables, snapshotDatabase } from './testing/db-snapshot.ts';
import { bearer, createTestApi, type TestApi } from './testing/harness.ts';
import { ROUTE_ACCESS, type RouteAccess } from './testing/route-access.ts';
import { appRoutes, type RouteRequest, validRequest } from './testing/route-table.ts';
import { createTwoTenants, type TwoTenants } from './testing/two-tenants.ts';

/**
 * Every route of the built app × every principal that must not get through, each sending a request the route's
 * schema accepts about tenant A's customer 0 at store 2. Expected: turned away (401/403/404) with nothing written,
 * or — where the principal legitimately calls the route about their own records — an answer that names none
 * of the victim's records. The table of who may call what is ROUTE_ACCESS; a route missing from it fails here.
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

type Principal = keyof typeof PRINCIPALS;

const PRINCIPALS = {
  anonymous: () => undefined,
  anonymousWithBadBody: () => undefined,
  expiredToken: (w: TwoTenants) => w.tokens.expired,
  tamperedToken: (w: TwoTenants) => w.tokens.tampered,
  customerOfOtherTenant: (w: TwoTenants) => w.tokens.customerOfOtherTenant,
  otherCustomerSameTenant: (w: TwoTenants) => w.tokens.otherCustomerSameTenant,
  beauticianOfOtherStore: (w: TwoTenants) => w.tokens.beautician,
  managerOfOtherTenant: (w: TwoTenants) => w.tokens.managerOfOtherTenant,
};

type Expectation = { deny: number[] } | { noLeak: true } | { skip: string };

const UNAUTHENTICATED = { deny: [401] };
const WRONG_KIND = { deny: [403] };
const NOT_THEIRS = { deny: [403, 404] };

/** What a principal must get on a route, from the route's entry in the matrix. */
function expectation(access: RouteAccess, who: Principal, method: string): Expectation {
  if (access.caller === 'public') return { skip: 'public route' };
  const legitimate: Expectation = method === 'GET' ? { noLeak: true } : { skip: 'acts on the caller’s own records' };
  switch (who) {
    case 'anonymous':
    case 'anonymousWithBadBody':
    case 'expiredToken':
    case 'tamperedToken':
      return UNAUTHENTICATED;
    case 'customerOfOtherTenant':
    case 'otherCustomerSameTenant':
      if (access.caller !== 'customer') return WRONG_KIND;
      if (access.scope === 'tenant') return who === 'customerOfOtherTenant' ? NOT_THEIRS : legitimate;
      return access.scope === 'named' ? NOT_THEIRS : legitimate;
    case 'beauticianOfOtherStore':
      if (access.caller !== 'staff') return WRONG_KIND;
      return access.store ? NOT_THEIRS : legitimate;
    case 'managerOfOtherTenant':
      if (access.caller === 'customer') return WRONG_KIND;
      return access.scope === 'own' ? legitimate : NOT_THEIRS;
  }
}

/** Ids of the victim's records a principal must never be shown. */
function secretsFrom(who: Principal, w: TwoTenants): string[] {
  const { victim } = w;
  const customerOwned = [
    victim.customer,
    victim.bill,
    victim.cardId,
    victim.couponId,
    victim.shopOrder,
    victim.afterSale,
    victim.pickupCode,
  ];
  if (who === 'otherCustomerSameTenant') return customerOwned;
  if (who === 'beauticianOfOtherStore') return [victim.bill, victim.shopOrder, victim.afterSale, victim.pickupCode];
  return [
    w.a.tenantId,
    ...w.a.storeIds,
    ...w.a.customers.map((c) => c.id),
    ...customerOwned,
    victim.group,
    victim.campaign,
    victim.creditRequest,
    victim.collectionTask,
    victim.shopCategory,
    victim.shopItem,
  ];
}

function badVersionOf(request: RouteRequest): RouteRequest {
  return request.body === undefined
    ? { ...request, query: { limit: 'lots', from: 'yesterday', unexpected: '1' } }
    : { ...request, body: { unexpected: true, amountFen: 'a lot' } };
}

async function send(request: RouteRequest, token: string | undefined) {
  return api.app.inject({
    method: request.method as 'POST',
    url: request.url,
    query: request.query,
    headers: { ...(token ? bearer(token) : {}), 'idempotency-key': randomUUID() },
    ...(request.body === undefined ? {} : { payload: request.body as object }),
  });
}

describe('authorization matrix', () => {
  it('has an entry for every route the app registers, and no entry for a route it does not', () => {
    const keys = appRoutes(api.routes).map((r) => r.key);
    expect(keys.length).toBeGreaterThan(100);
    expect(keys.filter((key) => !ROUTE_ACCESS[key])).toEqual([]);
    expect(Object.keys(ROUTE_ACCESS).filter((key) => !keys.includes(key))).toEqual([]);
  });

  it('turns away every principal who may not call a route, and writes nothing for them', {
    timeout: 240_000,
  }, async () => {
    const failures: string[] = [];
    let denied = 0;
    let leakChecked = 0;
    for (const route of appRoutes(api.routes)) {
      const access = ROUTE_ACCESS[route.key];
      if (!access || access.caller === 'public') continue;
      const request = validRequest(route, world.victimIds(access.id));
      const before = await snapshotDatabase(api.db);
      for (const [who, tokenOf] of Object.entries(PRINCIPALS) as [Principal, (w: TwoTenants) => string | undefined][]) {
        const expected = expectation(access, who, route.method);
        if ('skip' in expected) continue;
        const sent = who === 'anonymousWithBadBody' ? badVersionOf(request) : request;
        const res = await send(sent, tokenOf(world));
        const label = `${route.key} as ${who} → ${res.statusCode} ${res.body.slice(0, 160)}`;
        if ('deny' in expected) {
          denied++;
          if (!expected.deny.includes(res.statusCode)) failures.push(`${label} (expected ${expected.deny.join('/')})`);
          else if (res.json().error?.details !== undefined && res.statusCode === 401)
            failures.push(`${label} (details)`);
        } else {
          leakChecked++;
          if (res.statusCode >= 500) failures.push(label);
          const leaked = secretsFrom(who, world).filter((id) => res.body.includes(id));
          if (leaked.length) failures.push(`${label} leaks ${leaked.join(', ')}`);
        }
      }
      const changed = changedTables(before, await snapshotDatabase(api.db));
      if (changed.length) failures.push(`${route.key}: rejected requests changed ${changed.join(', ')}`);
    }
    expect(denied).toBeGreaterThan(500);
    expect(leakChecked).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });

  it('lets the owner of each shop record through: every shop route gets past authorization with real ids', {
    timeout: 60_000,
  }, async () => {
    // After the refusals: these requests may change the records (a pickup, a decision), which is the point.
    const shopRoutes = appRoutes(api.routes).filter(
      (route) => route.url.includes('/shop') && ROUTE_ACCESS[route.key]?.caller !== 'public',
    );
    const refused: string[] = [];
    for (const route of shopRoutes) {
      const access = ROUTE_ACCESS[route.key]!;
      const res = await send(validRequest(route, world.victimIds(access.id)), world.legitimateToken(access.caller));
      if ([401, 403, 404].includes(res.statusCode) || res.statusCode >= 500) {
        refused.push(`${route.key} → ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
    }
    expect(shopRoutes.length).toBeGreaterThan(20);
    expect(refused).toEqual([]);
  });
});
