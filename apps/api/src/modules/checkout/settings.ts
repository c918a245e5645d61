import { type CheckoutSettings, CheckoutSettingsSchema } from '@lumi/shared';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { tenants } from '../tenants/index.ts';

export async function checkoutSettings(db: Database, tenantId: string): Promise<CheckoutSettings> {
  const [row] = await db.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId));
  return CheckoutSettingsSchema.parse((row?.settings as { checkout?: unknown } | undefined)?.checkout ?? {});
}
