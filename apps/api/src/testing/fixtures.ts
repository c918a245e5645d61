import { randomBytes } from 'node:crypto';
import type { StaffRole } from '@lumi/shared';
import type { Database } from '../db/database.ts';
import { hashPassword } from '../modules/auth/index.ts';
import { customerIdentities, customers } from '../modules/customers/index.ts';
import { staff, staffStores } from '../modules/staff/index.ts';
import { stores, tenants } from '../modules/tenants/index.ts';

export interface StaffFixture {
  id: string;
  phone: string;
  password: string;
  role: StaffRole;
  storeIds: string[];
}

export interface TenantFixture {
  tenantId: string;
  slug: string;
  storeIds: [string, string];
  owner: StaffFixture;
  manager: StaffFixture;
  beautician: StaffFixture;
  customers: { id: string; openid: string; name: string }[];
}

let phoneCounter = 0;
const uniquePhone = () => `17${String(process.pid % 1000).padStart(3, '0')}${String(phoneCounter++).padStart(6, '0')}`;

/**
 * A small tenant for tests: two stores, an owner (both stores), a manager (store 1), a beautician (store 1)
 * and two customers with mini-program openids under `appId`.
 */
export async function createTenantFixture(
  db: Database,
  appId: string,
  slug = `t-${randomBytes(4).toString('hex')}`,
): Promise<TenantFixture> {
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const passwordHash = await hashPassword(password);
  const [tenant] = await db
    .insert(tenants)
    .values({ slug, name: `测试美容院 ${slug}` })
    .returning();
  if (!tenant) throw new Error('no tenant');
  const storeRows = await db
    .insert(stores)
    .values([
      { tenantId: tenant.id, name: '一号店' },
      { tenantId: tenant.id, name: '二号店' },
    ])
    .returning({ id: stores.id });
  const storeIds = storeRows.map((s) => s.id) as [string, string];

  async function member(role: StaffRole, name: string, memberStores: string[]): Promise<StaffFixture> {
    const phone = uniquePhone();
    const [row] = await db
      .insert(staff)
      .values({ tenantId: tenant!.id, name, phone, role, passwordHash })
      .returning({ id: staff.id });
    if (!row) throw new Error('no staff');
    await db
      .insert(staffStores)
      .values(memberStores.map((storeId) => ({ tenantId: tenant!.id, staffId: row.id, storeId })));
    return { id: row.id, phone, password, role, storeIds: memberStores };
  }

  const owner = await member('owner', '店主', storeIds);
  const manager = await member('manager', '店长', [storeIds[0]]);
  const beautician = await member('beautician', '美容师', [storeIds[0]]);

  const customerRows = await db
    .insert(customers)
    .values([
      { tenantId: tenant.id, name: '顾客甲', phone: uniquePhone() },
      { tenantId: tenant.id, name: '顾客乙', phone: uniquePhone() },
    ])
    .returning({ id: customers.id, name: customers.name });
  const withOpenids = customerRows.map((c) => ({
    id: c.id,
    name: c.name ?? '',
    openid: `openid-${randomBytes(6).toString('hex')}`,
  }));
  await db
    .insert(customerIdentities)
    .values(withOpenids.map((c) => ({ tenantId: tenant.id, customerId: c.id, appId, openid: c.openid })));

  return { tenantId: tenant.id, slug, storeIds, owner, manager, beautician, customers: withOpenids };
}
