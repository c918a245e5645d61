import { randomBytes } from 'node:crypto';
import type { StaffRole } from '@lumi/shared';
import type { Database } from '../db/database.ts';
import { hashPassword } from '../modules/auth/index.ts';
import { packagePlans, services } from '../modules/catalog/index.ts';
import { customerIdentities, customers } from '../modules/customers/index.ts';
import { HouseAccounts, provisionHouseAccounts, topUpPlans } from '../modules/ledger/index.ts';
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
  serviceId: string;
  packagePlanId: string;
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
      { tenantId: tenant.id, name: '一号店', code: 'S01' },
      { tenantId: tenant.id, name: '二号店', code: 'S02' },
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

  const [service] = await db
    .insert(services)
    .values({ tenantId: tenant.id, name: '深层补水护理', category: '面部护理', priceFen: 38_800 })
    .returning({ id: services.id });
  if (!service) throw new Error('no service');
  const [plan] = await db
    .insert(packagePlans)
    .values({
      tenantId: tenant.id,
      serviceId: service.id,
      name: '补水护理10次卡',
      sessions: 10,
      priceFen: 100_000,
      validDays: 365,
    })
    .returning({ id: packagePlans.id });
  if (!plan) throw new Error('no plan');
  // Tiers: 充1000送200, 充3000送800 and 300 points.
  await db.insert(topUpPlans).values([
    { tenantId: tenant.id, name: '充1000送200', payFen: 100_000, bonusFen: 20_000 },
    { tenantId: tenant.id, name: '充3000送800', payFen: 300_000, bonusFen: 80_000, bonusPoints: 300 },
  ]);
  await provisionHouseAccounts(db, new HouseAccounts(), tenant.id, storeIds);

  return {
    tenantId: tenant.id,
    slug,
    storeIds,
    owner,
    manager,
    beautician,
    customers: withOpenids,
    serviceId: service.id,
    packagePlanId: plan.id,
  };
}
