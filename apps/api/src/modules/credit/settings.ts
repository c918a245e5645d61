import { type TenantCreditSettings, TenantCreditSettingsSchema, type UpdateCreditSettingsRequest } from '@lumi/shared';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { recordAudit } from '../audit/index.ts';
import { tenants } from '../tenants/index.ts';

/**
 * The tenant's credit rules, from tenants.settings.credit, validated by zod with defaults for what is missing.
 * Settings that no longer validate (written by hand, or by an older version) fall back to the defaults rather
 * than breaking every credit route.
 */
export async function creditSettings(db: Database, tenantId: string): Promise<TenantCreditSettings> {
  const [row] = await db.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId));
  const raw = (row?.settings as { credit?: unknown } | undefined)?.credit ?? {};
  const parsed = TenantCreditSettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : TenantCreditSettingsSchema.parse({});
}

/** Merges a manager's changes into tenants.settings.credit (audited). */
export async function updateCreditSettings(
  db: Database,
  tenantId: string,
  staffId: string,
  changes: UpdateCreditSettingsRequest,
): Promise<TenantCreditSettings> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from tenants where id = ${tenantId} for update`);
    const before = await creditSettings(tx, tenantId);
    const after = TenantCreditSettingsSchema.parse({ ...before, ...changes });
    await tx
      .update(tenants)
      .set({ settings: sql`jsonb_set(${tenants.settings}, '{credit}', ${JSON.stringify(after)}::jsonb, true)` })
      .where(eq(tenants.id, tenantId));
    await recordAudit(tx, {
      tenantId,
      actor: { staffId },
      action: 'credit.settings_changed',
      subject: { type: 'tenant', id: tenantId },
      before,
      after,
    });
    return after;
  });
}
