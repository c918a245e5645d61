import type { RecomputeRequest, RecomputeResult } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import type { SegmentationDeps } from './deps.ts';
import { refreshPreferences } from './preferences.ts';
import { recomputeRfm } from './rfm.ts';
import { runDueCampaigns, type SendOutcome, sendTierNotifications } from './send.ts';
import { evaluateTiers } from './tiers.ts';

/** What a manager's "recompute now" and the nightly job run for one tenant. */
export async function recomputeSegmentation(
  db: Database,
  tenantId: string,
  parts: RecomputeRequest['parts'],
  now: Date,
): Promise<RecomputeResult> {
  return {
    rfm: parts.includes('rfm') ? await recomputeRfm(db, tenantId, { asOf: now }) : null,
    tiers: parts.includes('tiers') ? await evaluateTiers(db, tenantId, now) : null,
    preferences: parts.includes('preferences') ? await refreshPreferences(db, tenantId, now) : null,
  };
}

export interface NightlyResult {
  tenants: number;
  failed: { tenantId: string; error: string }[];
  notifications: { sent: number; skipped: number; failed: number };
}

/**
 * Nightly (segmentation.nightly): every tenant's RFM, tiers and preferences, then the tier-change
 * notifications. A tenant that fails is reported and the others still run.
 */
export async function runSegmentationNightly(db: Database, deps: SegmentationDeps): Promise<NightlyResult> {
  const tenants = await queryRows<{ id: string }>(db, sql`select id from tenants order by id`);
  const failed: NightlyResult['failed'] = [];
  for (const { id } of tenants) {
    try {
      await recomputeSegmentation(db, id, ['rfm', 'tiers', 'preferences'], deps.now());
    } catch (error) {
      failed.push({ tenantId: id, error: (error as Error).message });
    }
  }
  const notifications = await sendTierNotifications(db, deps);
  return { tenants: tenants.length, failed, notifications };
}

/** Every minute (segmentation.campaigns): due campaigns are sent or continued. */
export async function runSegmentationCampaigns(db: Database, deps: SegmentationDeps): Promise<SendOutcome[]> {
  return runDueCampaigns(db, deps);
}
