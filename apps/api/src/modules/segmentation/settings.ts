import { type RfmSettings, RfmSettingsSchema, type UpdateRfmSettingsRequest } from '@lumi/shared';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { recordAudit } from '../audit/index.ts';
import { tenants } from '../tenants/index.ts';

/** The tier program's rules (the ladder itself lives in tier_levels). */
export const TierRulesSchema = z.object({
  basis: z.enum(['spend', 'top_up']).default('spend'),
  windowDays: z.number().int().min(30).max(1095).default(365),
});
export type TierRules = z.infer<typeof TierRulesSchema>;

const StoredSchema = z.object({
  rfm: RfmSettingsSchema.default(RfmSettingsSchema.parse({})),
  tiers: TierRulesSchema.default(TierRulesSchema.parse({})),
});
export type StoredSegmentationSettings = z.infer<typeof StoredSchema>;

/** tenants.settings.segmentation, validated; anything missing or unreadable falls back to the defaults. */
export async function segmentationSettings(db: Database, tenantId: string): Promise<StoredSegmentationSettings> {
  const [row] = await db.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId));
  const raw = (row?.settings as { segmentation?: unknown } | undefined)?.segmentation ?? {};
  const parsed = StoredSchema.safeParse(raw);
  return parsed.success ? parsed.data : StoredSchema.parse({});
}

async function writeSettings(db: Database, tenantId: string, value: StoredSegmentationSettings) {
  await db.execute(
    sql`update tenants set settings = jsonb_set(settings, '{segmentation}', ${JSON.stringify(value)}::jsonb, true)
        where id = ${tenantId}`,
  );
}

export async function updateRfmSettings(
  db: Database,
  tenantId: string,
  staffId: string,
  patch: UpdateRfmSettingsRequest,
): Promise<RfmSettings> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from tenants where id = ${tenantId} for update`);
    const current = await segmentationSettings(tx, tenantId);
    const rfm = RfmSettingsSchema.parse({ ...current.rfm, ...patch });
    await writeSettings(tx, tenantId, { ...current, rfm });
    await recordAudit(tx, {
      tenantId,
      actor: { staffId },
      action: 'segmentation.rfm_settings',
      subject: { type: 'tenant', id: tenantId },
      before: current.rfm,
      after: rfm,
    });
    return rfm;
  });
}

export async function updateTierRules(db: Database, tenantId: string, rules: TierRules): Promise<void> {
  const current = await segmentationSettings(db, tenantId);
  await writeSettings(db, tenantId, { ...current, tiers: rules });
}
