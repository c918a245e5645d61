import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { packagePlans, products, services } from '../modules/catalog/index.ts';
import { customerIdentities, customers } from '../modules/customers/index.ts';
import { HouseAccounts, provisionHouseAccounts, topUpPlans } from '../modules/ledger/index.ts';
import { hashPassword } from '../modules/auth/index.ts';
import { staff, staffStores } from '../modules/staff/index.ts';
import { stores, tenants } from '../modules/tenants/index.ts';
import { DEMO, demoCustomerName } from './demo-data.ts';
import { seedLedgerHistory } from './demo-history.ts';

export interface DemoSeedOptions {
  customerAppId: string;
  customers?: number;
  /** Months of ledger history to post through the ledger operations (0 for none). */
  historyMonths?: number;
  log?: (line: string) => void;
}

/**
 * Seeds the demo salon once; a second run finds the tenant and leaves everything as it is. Ledger history is
 * added by the ledger's own operations (never by writing balances), in the ledger seed step.
 */
export async function seedDemo(
  db: Database,
  options: DemoSeedOptions,
): Promise<{ tenantId: string; created: boolean }> {
  const log = options.log ?? (() => {});
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
    for (const member of DEMO.staff) {
      const [row] = await tx
        .insert(staff)
        .values({ tenantId: tenant.id, name: member.name, phone: member.phone, role: member.role, passwordHash })
        .returning({ id: staff.id });
      if (!row) throw new Error('staff insert returned nothing');
      const assigned = member.stores.map((i) => storeRows[i]?.id).filter((id): id is string => Boolean(id));
      await tx
        .insert(staffStores)
        .values(assigned.map((storeId) => ({ tenantId: tenant.id, staffId: row.id, storeId })));
    }
    log(`seeded tenant ${DEMO.tenant.name}, ${storeRows.length} stores, ${DEMO.staff.length} staff`);

    const count = options.customers ?? 200;
    const batch: (typeof customers.$inferInsert)[] = [];
    for (let i = 0; i < count; i++) {
      const home = storeRows[i % storeRows.length];
      batch.push({
        tenantId: tenant.id,
        name: demoCustomerName(i),
        phone: `139${String(10_000_000 + i * 7919).slice(-8)}`,
        gender: i % 9 === 0 ? 'male' : 'female',
        birthday: `${1975 + (i % 30)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
        tags: DEMO.tagSets[i % DEMO.tagSets.length] ?? [],
        consents: { marketing: i % 4 !== 0, sms: i % 3 !== 0 },
        homeStoreId: home?.id ?? null,
        // Spread sign-up dates over the past two years so lists and tenure look real.
        createdAt: new Date(Date.now() - ((i * 3_600_000 * 83) % (730 * 86_400_000))),
      });
    }
    const created = await tx.insert(customers).values(batch).returning({ id: customers.id });
    await tx.insert(customerIdentities).values(
      created.map((c, i) => ({
        tenantId: tenant.id,
        customerId: c.id,
        appId: options.customerAppId,
        openid: DEMO.customerOpenid(i),
      })),
    );
    log(`seeded ${created.length} customers (openids ${DEMO.customerOpenid(0)} … ${DEMO.customerOpenid(count - 1)})`);

    const serviceRows = await tx
      .insert(services)
      .values(DEMO.services.map((s) => ({ ...s, tenantId: tenant.id })))
      .returning({ id: services.id, name: services.name, priceFen: services.priceFen });
    await tx.insert(products).values(DEMO.products.map((p) => ({ ...p, tenantId: tenant.id })));
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
      staffIds: (await tx.select({ id: staff.id }).from(staff).where(eq(staff.tenantId, tenant.id))).map((s) => s.id),
      customerIds: created.map((c) => c.id),
      services: serviceRows,
      packagePlanIds: planRows.map((p) => p.id),
    };
  });

  const months = options.historyMonths ?? 12;
  if (months > 0) {
    log(`posting ${months} months of ledger history through the ledger operations…`);
    const posted = await seedLedgerHistory(db, { ...seeded, months, log });
    log(`posted ${posted} ledger events`);
  }
  return { tenantId: seeded.tenantId, created: true };
}
