import { randomBytes } from 'node:crypto';
import { createTenantFixture, openMigratedDatabase, type TenantFixture } from '@lumi/api/testing/bank';
import pg from 'pg';
import { signAccessToken } from './jwt.ts';
import type { CustomerModel, TenantContext } from './model.ts';

export const CUSTOMER_APPID = 'wx0000000000customer';

export function adminUrl(): string {
  const url = process.env.PG_ADMIN_URL;
  if (!url) throw new Error('PG_ADMIN_URL is not set: run through infra/scripts/with-postgres.sh (`pnpm test:chaos`)');
  return url;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl(), application_name: 'lumi-chaos' });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A migrated database of the bank test's own. */
export async function createBankDatabase(): Promise<{ name: string; url: string }> {
  const name = `lumi_chaos_${randomBytes(5).toString('hex')}`;
  await admin(`create database "${name}"`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const database = await openMigratedDatabase(url.toString());
  await database.close();
  return { name, url: url.toString() };
}

/** `tenants` fixture tenants (two stores, staff, two customers each), made while the API processes start. */
export async function createTenants(url: string, tenants: number): Promise<TenantFixture[]> {
  const database = await openMigratedDatabase(url);
  try {
    const fixtures: TenantFixture[] = [];
    for (let i = 0; i < tenants; i++) fixtures.push(await createTenantFixture(database.db, CUSTOMER_APPID));
    return fixtures;
  } finally {
    await database.close();
  }
}

export const dropBankDatabase = (name: string) => admin(`drop database if exists "${name}" with (force)`);

/** The customers' models, all empty, with the tokens their tills and phones use. */
export function customerModels(fixtures: TenantFixture[], jwtSecret: string): CustomerModel[] {
  return fixtures.flatMap((f) => {
    const staffToken = (who: 'beautician' | 'manager') =>
      signAccessToken(
        { kind: 'staff', sub: f[who].id, tenantId: f.tenantId, role: f[who].role, storeIds: f[who].storeIds },
        jwtSecret,
      );
    const tenant: TenantContext = {
      tenantId: f.tenantId,
      storeId: f.storeIds[0],
      serviceId: f.serviceId,
      packagePlanId: f.packagePlanId,
      shopProductId: '',
      staffToken: staffToken('beautician'),
      managerToken: staffToken('manager'),
    };
    return f.customers.map((c) => ({
      id: c.id,
      tenant,
      token: signAccessToken({ kind: 'customer', sub: c.id, tenantId: f.tenantId }, jwtSecret),
      totalFen: 0,
      points: 0,
      owedFen: 0,
      limitFen: 0,
      bonusGrantedFen: 0,
      reversibleSpends: [],
      orders: [],
      cards: [],
    }));
  });
}
