import type { StaffProfile, StoreTeam } from '@lumi/shared';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { getTenantById, stores } from '../tenants/index.ts';
import { staff, staffStores } from './tables.ts';

export type StaffRow = typeof staff.$inferSelect;

export async function findStaffByPhone(db: Database, phone: string): Promise<StaffRow | undefined> {
  const [row] = await db.select().from(staff).where(eq(staff.phone, phone));
  return row;
}

export async function getActiveStaff(db: Database, tenantId: string, staffId: string): Promise<StaffRow> {
  const [row] = await db
    .select()
    .from(staff)
    .where(and(eq(staff.tenantId, tenantId), eq(staff.id, staffId), eq(staff.active, true)));
  if (!row) throw new AppError('NOT_FOUND', 'Staff member not found');
  return row;
}

export async function storesOfStaff(db: Database, tenantId: string, staffId: string) {
  return db
    .select({ id: stores.id, name: stores.name })
    .from(staffStores)
    .innerJoin(stores, eq(stores.id, staffStores.storeId))
    .where(and(eq(staffStores.tenantId, tenantId), eq(staffStores.staffId, staffId)))
    .orderBy(asc(stores.name));
}

/** Counts a failed password; the account locks for `lockMinutes` once `maxFailures` is reached. */
export async function recordFailedLogin(db: Database, staffId: string, maxFailures: number, lockMinutes: number) {
  await db
    .update(staff)
    .set({
      failedLogins: sql`${staff.failedLogins} + 1`,
      lockedUntil: sql`case when ${staff.failedLogins} + 1 >= ${maxFailures}
        then now() + make_interval(mins => ${lockMinutes}) else ${staff.lockedUntil} end`,
    })
    .where(eq(staff.id, staffId));
}

export async function clearFailedLogins(db: Database, staffId: string) {
  await db.update(staff).set({ failedLogins: 0, lockedUntil: null }).where(eq(staff.id, staffId));
}

export async function getStaffProfile(db: Database, tenantId: string, staffId: string): Promise<StaffProfile> {
  const member = await getActiveStaff(db, tenantId, staffId);
  const tenant = await getTenantById(db, tenantId);
  return {
    id: member.id,
    tenantId,
    tenantName: tenant.name,
    name: member.name,
    phone: member.phone,
    role: member.role,
    stores: await storesOfStaff(db, tenantId, staffId),
  };
}

/**
 * The active staff who work at a store, for naming a line's performers (commission follows them). Inactive
 * staff stay on old bills but are not offered for new ones.
 */
export async function storeTeam(db: Database, tenantId: string, storeId: string): Promise<StoreTeam> {
  const items = await db
    .select({ id: staff.id, name: staff.name, role: staff.role })
    .from(staffStores)
    .innerJoin(staff, and(eq(staff.tenantId, staffStores.tenantId), eq(staff.id, staffStores.staffId)))
    .where(and(eq(staffStores.tenantId, tenantId), eq(staffStores.storeId, storeId), eq(staff.active, true)))
    .orderBy(asc(staff.name), asc(staff.id));
  return { storeId, items };
}
