import type { AppConfig } from '../config/index.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { importingHistory } from '../modules/ledger/index.ts';
import { deskNow, later, prng } from './demo-clock.ts';
import { seedDemoReconciliation } from './demo-reconciliation.ts';
import { seedShop } from './demo-shop.ts';
import { seedShopGiftTopUp } from './demo-shop-gift.ts';
import { seedYear } from './demo-history.ts';
import { seedMessageText, seedSettingsChanges } from './demo-settings.ts';
import type { CustomerPlan, Window } from './demo-plan.ts';
import type { DemoStore, Member, Salon } from './demo-salon.ts';
import { seedToday } from './demo-today.ts';
import { type DemoStaff, DemoTill } from './demo-till.ts';

export interface SalonSetup {
  tenantId: string;
  storeIds: string[];
  staff: DemoStaff[];
  customerIds: string[];
  services: { id: string; name: string; priceFen: number }[];
  products: { id: string; name: string }[];
  packagePlanIds: string[];
  plans: CustomerPlan[];
  window: Window;
  now: Date;
  log: (line: string) => void;
}

/**
 * The owner's membership ladder (会员等级) by spending over a year. 银卡 earns points faster but pays list price,
 * so a customer's first tier never changes what the e2e tests expect a bill to cost.
 */
const TIERS = {
  basis: 'spend',
  windowDays: 365,
  levels: [
    { name: '银卡会员', thresholdFen: 200_000, discountBasisPoints: 0, pointsMultiplierPercent: 120 },
    { name: '金卡会员', thresholdFen: 700_000, discountBasisPoints: 500, pointsMultiplierPercent: 150 },
    { name: '钻石会员', thresholdFen: 900_000, discountBasisPoints: 800, pointsMultiplierPercent: 200 },
  ],
};

/**
 * The demo salon's year and this morning, through the API built in-process on the seed's clock. Deterministic:
 * one seeded PRNG drives who comes when and what they buy.
 */
export async function seedSalonLife(database: DatabaseHandle, config: AppConfig, setup: SalonSetup): Promise<void> {
  const clock = { at: new Date(setup.window.start) };
  const till = await DemoTill.open(config, database, setup.tenantId, clock);
  // Every ledger posting made below carries the seed's clock as its business time (importing history).
  await importingHistory(
    () => clock.at,
    async () => {
      const byRole = (role: DemoStaff['role'], storeId?: string) =>
        setup.staff.find((s) => s.role === role && (!storeId || s.storeIds.includes(storeId)));
      const owner = byRole('owner') as DemoStaff;
      const stores: DemoStore[] = setup.storeIds.map((id) => ({
        id,
        beautician: byRole('beautician', id) ?? owner,
        manager: byRole('manager', id) ?? owner,
      }));
      const salon: Salon = {
        db: database.db,
        tenantId: setup.tenantId,
        till,
        random: prng('lumi-demo-salon'),
        stores,
        owner,
        services: setup.services,
        products: setup.products,
        packagePlanIds: setup.packagePlanIds,
      };
      // The first tab customer after 林小雅 stops paying; the overdue job has frozen her line by this morning.
      const firstDefaulter = setup.plans.findIndex((p, i) => i > 0 && p.creditLimitFen > 0);
      const members: Member[] = setup.customerIds.map((id, index) => ({
        id,
        index,
        plan: setup.plans[index] as CustomerPlan,
        store: stores[index % stores.length] as DemoStore,
        visits: 0,
        neverRepays: index === firstDefaulter,
      }));

      // The owner sets up the ladder when the salon opens on the history's first day.
      till.now = new Date(later(setup.window.start, 10 * 60));
      await till.as(owner).put('/staff/segmentation/tiers', TIERS);
      const year = await seedYear(database.db, salon, members, setup.window, setup.log);
      setup.log(
        `  ${year.earlyVisits} visits on the ledger, then ${year.bills} bills at the till, ${year.topUps} top-ups, ${year.cards} package cards, ${year.creditLines} credit lines`,
      );
      const today = await seedToday(salon, members, setup.now);
      setup.log(
        `  today: ${today.expiredCards} cards expired overnight, ${today.frozenLines} credit lines frozen, ` +
          `${today.limitRequests} limit requests, ${today.approvalRequests} voids, discounts and transfers to approve and ${today.disputes} questions about bills`,
      );
      setup.log(`  设置: ${await seedSettingsChanges(salon, setup.now)} top-up offers changed (scheduled, withdrawn)`);
      await seedMessageText(salon);
      const shop = await seedShop(salon, members, {
        deskStart: new Date(deskNow(setup.now.getTime())),
        now: setup.now,
      });
      setup.log(`  shop: ${shop.items} items on sale, orders ${JSON.stringify(shop.orders)}`);
      await seedDemoReconciliation(salon, members, config, setup.now, setup.log);
      await seedShopGiftTopUp(salon, members[0] as Member, config, setup.log);
    },
  ).finally(() => till.close());
}
