import { and, eq } from 'drizzle-orm';
import type { PackagePlanSource } from '../ledger/index.ts';
import { packagePlans } from './tables.ts';

/** The catalogue's plans as the ledger reads them when it issues a card: only plans on sale. */
export const catalogPackagePlans: PackagePlanSource = {
  async find(db, tenantId, planId) {
    const [plan] = await db
      .select({
        id: packagePlans.id,
        serviceId: packagePlans.serviceId,
        name: packagePlans.name,
        sessions: packagePlans.sessions,
        priceFen: packagePlans.priceFen,
        validDays: packagePlans.validDays,
      })
      .from(packagePlans)
      .where(and(eq(packagePlans.tenantId, tenantId), eq(packagePlans.id, planId), eq(packagePlans.active, true)));
    return plan ?? null;
  },
};
