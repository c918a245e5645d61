import { eq } from 'drizzle-orm';
import type { AppConfig } from '../config/index.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { packagePlans, products, services } from '../modules/catalog/index.ts';
import { commissionRules } from '../modules/checkout/index.ts';
import { customerIdentities, customers } from '../modules/customers/index.ts';
import { HouseAccounts, provisionHouseAccounts, topUpPlans } from '../modules/ledger/index.ts';
import { hashPassword } from '../modules/auth/index.ts';
import { staff, staffStores } from '../modules/staff/index.ts';
import { stores, tenants } from '../modules/tenants/index.ts';
import { DAY_MS, prng, shanghaiMidnight } from './demo-clock.ts';
import { DEMO, demoCustomerId, demoCustomerName } from './demo-data.ts';
import { planCustomer } from './demo-plan.ts';
import { seedSalonLife } from './demo-life.ts';
import type { DemoStaff } from './demo-till.ts';

export interface DemoSeedOptions {
  config: AppConfig;
  customers?: number;
  /** Months of salon life to post through the API's own operations (0 for none). */
  historyMonths?: number;
  log?: (line: string) => void;
}

/**
 * Seeds the demo salon once; a second run finds the tenant and leaves everything as it is. The salon's setup
 * (stores, staff, customers, catalogue) is written here; everything that moves money or customer state is
 * done afterwards through the API's own operations (never by writing balances), in demo-life.ts.
 */
export async function seedDemo(
  database: DatabaseHandle,
  options: DemoSeedOptions,
): Promise<{ tenantId: string; created: boolean }> {
  const { db } = database;
  const log = options.log ?? (() => {});
  const months = options.historyMonths ?? 12;
  const now = Date.now();
  // Visits run up to last night's close; today belongs to the morning's jobs and what is waiting.
  const window = { start: shanghaiMidnight(now) - months * 30 * DAY_MS, end: shanghaiMidnight(now) };
  const random = prng('lumi-demo-history');
  const count = options.customers ?? 200;
  const plans = Array.from({ length: count }, (_, i) => planCustomer(i, window, random));
  const [existing] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, DEMO.tenant.slug));
  if (existing) return { tenantId: existing.id, created: false };

  const passwordHash = await hashPassword(DEMO.password);
  const seeded = await db.transaction(async (tx) => {
    const [tenant] = await tx.insert(tenants).values(DEMO.tenant).returning({ id: tenants.id });
    if (!tenant) throw new Error('tenant insert returned nothing');
    const storeRows = await tx
      .insert(stores)
      .values(DEMO.stores.map((s) => ({ ...s, tenantId: tenant.id })))
      .returning({ id: stores.id });
    const staffRows: DemoStaff[] = [];
    for (const member of DEMO.staff) {
      const [row] = await tx
        .insert(staff)
        .values({ tenantId: tenant.id, name: member.name, phone: member.phone, role: member.role, passwordHash })
        .returning({ id: staff.id });
      if (!row) throw new Error('staff insert returned nothing');
      const assigned = member.stores.map((i) => storeRows[i]?.id).filter((id): id is string => Boolean(id));
      staffRows.push({ id: row.id, role: member.role, storeIds: assigned });
      await tx
        .insert(staffStores)
        .values(assigned.map((storeId) => ({ tenantId: tenant.id, staffId: row.id, storeId })));
    }
    log(`seeded tenant ${DEMO.tenant.name}, ${storeRows.length} stores, ${DEMO.staff.length} staff`);

    const batch: (typeof customers.$inferInsert)[] = [];
    for (let i = 0; i < count; i++) {
      const home = storeRows[i % storeRows.length];
      batch.push({
        id: demoCustomerId(i),
        tenantId: tenant.id,
        name: demoCustomerName(i),
        phone: `139${String(10_000_000 + i * 7919).slice(-8)}`,
        gender: i % 9 === 0 ? 'male' : 'female',
        birthday: `${1975 + (i % 30)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
        tags: DEMO.tagSets[i % DEMO.tagSets.length] ?? [],
        consents: { marketing: i % 4 !== 0, sms: i % 3 !== 0 },
        homeStoreId: home?.id ?? null,
        // 入会: before the first purchase, as the customer's rhythm has it (demo-plan.ts).
        createdAt: new Date(plans[i]?.signedUpAt ?? now),
      });
    }
    const created = await tx.insert(customers).values(batch).returning({ id: customers.id });
    await tx.insert(customerIdentities).values(
      created.map((c, i) => ({
        tenantId: tenant.id,
        customerId: c.id,
        appId: options.config.WECHAT_CUSTOMER_APPID,
        openid: DEMO.customerOpenid(i),
      })),
    );
    log(`seeded ${created.length} customers (openids ${DEMO.customerOpenid(0)} … ${DEMO.customerOpenid(count - 1)})`);

    const serviceRows = await tx
      .insert(services)
      .values(DEMO.services.map((s) => ({ ...s, tenantId: tenant.id })))
      .returning({ id: services.id, name: services.name, priceFen: services.priceFen });
    const productRows = await tx
      .insert(products)
      .values(DEMO.products.map((p) => ({ ...p, tenantId: tenant.id })))
      .returning({ id: products.id, name: products.name });
    const planRows = await tx
      .insert(packagePlans)
      .values(
        DEMO.packagePlans.map(({ service, ...plan }) => ({
          ...plan,
          tenantId: tenant.id,
          serviceId: serviceRows[service]?.id as string,
        })),
      )
      .returning({ id: packagePlans.id });
    await tx.insert(topUpPlans).values(DEMO.topUpPlans.map((p) => ({ ...p, tenantId: tenant.id })));
    await tx.insert(commissionRules).values(DEMO.commissionRules.map((r) => ({ ...r, tenantId: tenant.id })));
    await provisionHouseAccounts(
      tx,
      new HouseAccounts(),
      tenant.id,
      storeRows.map((s) => s.id),
    );
    log(
      `seeded ${serviceRows.length} services, ${DEMO.products.length} products, ${planRows.length} package plans, ${DEMO.topUpPlans.length} top-up offers`,
    );
    return {
      tenantId: tenant.id,
      storeIds: storeRows.map((s) => s.id),
      staff: staffRows,
      customerIds: created.map((c) => c.id),
      services: serviceRows,
      products: productRows,
      packagePlanIds: planRows.map((p) => p.id),
    };
  });

  if (months > 0) {
    log(`${months} months of salon life through the API's own operations…`);
    await seedSalonLife(database, options.config, { ...seeded, plans, window, now: new Date(now), log });
  }
  return { tenantId: seeded.tenantId, created: true };
}
