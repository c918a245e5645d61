/**
 * The tenants the API benchmark works on, set up as a salon would be: tenants, staff and customers as rows
 * (createTenantFixture), then staff logging in and every customer's balance topped up through the API itself.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/database.ts';
import { customers } from '../src/modules/customers/index.ts';
import { createTenantFixture, type TenantFixture } from '../src/testing/fixtures.ts';
import { signToken } from './http-load.ts';

export interface BenchTenant {
  fixture: TenantFixture;
  customerIds: string[];
  /** The beautician's access token, from a real login. */
  staffToken: string;
  customerTokens: string[];
}

async function call(url: string, path: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) {
    headers.authorization = `Bearer ${token}`;
    headers['idempotency-key'] = randomUUID();
  }
  const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** A tenant with `count` customers (the fixture's two among them); `ledger` replaces its ledger settings. */
export async function createBenchTenant(db: Database, appId: string, count: number, ledger?: object) {
  const fixture = await createTenantFixture(db, appId);
  if (ledger) {
    await db.execute(
      sql`update tenants set settings = ${JSON.stringify({ ledger })}::jsonb where id = ${fixture.tenantId}`,
    );
  }
  const more = Math.max(0, count - fixture.customers.length);
  const rows = more
    ? await db
        .insert(customers)
        .values(Array.from({ length: more }, (_, i) => ({ tenantId: fixture.tenantId, name: `压测顾客${i}` })))
        .returning({ id: customers.id })
    : [];
  return { fixture, customerIds: [...fixture.customers.map((c) => c.id), ...rows.map((r) => r.id)].slice(0, count) };
}

/** Logs the beautician in, tops every customer up by `amountFen` through the API and signs customer tokens. */
export async function openForBusiness(
  url: string,
  jwtSecret: string,
  tenant: { fixture: TenantFixture; customerIds: string[] },
  amountFen: number,
  clients: number,
): Promise<BenchTenant> {
  const { fixture, customerIds } = tenant;
  const session = await call(url, '/auth/staff/login', {
    phone: fixture.beautician.phone,
    password: fixture.beautician.password,
  });
  const staffToken = String(session.accessToken);
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < customerIds.length) {
        const id = customerIds[next++]!;
        await call(
          url,
          `/staff/customers/${id}/top-ups`,
          { storeId: fixture.storeIds[0], amountFen, method: 'cash' },
          staffToken,
        );
      }
    }),
  );
  const customerTokens = customerIds.map((sub) =>
    signToken(jwtSecret, { kind: 'customer', sub, tenantId: fixture.tenantId }),
  );
  return { fixture, customerIds, staffToken, customerTokens };
}
