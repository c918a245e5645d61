import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { stores, tenants } from './tables.ts';

export async function getTenantBySlug(db: Database, slug: string) {
  const [tenant] = await db.select().from(tenants).where(eq(tenants.slug, slug));
  if (!tenant) throw new AppError('TENANT_NOT_FOUND', `No salon called "${slug}"`);
  return tenant;
}

export async function getTenantById(db: Database, tenantId: string) {
  const [tenant] = await db.select().from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant) throw new AppError('TENANT_NOT_FOUND', 'Salon not found');
  return tenant;
}

export async function getStore(db: Database, tenantId: string, storeId: string) {
  const [store] = await db
    .select()
    .from(stores)
    .where(and(eq(stores.tenantId, tenantId), eq(stores.id, storeId)));
  if (!store) throw new AppError('NOT_FOUND', 'Store not found');
  return store;
}
