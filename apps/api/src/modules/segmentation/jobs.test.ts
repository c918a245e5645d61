import { ledgerDeps } from '../../ledger-deps.ts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { SEGMENTATION_SCHEDULES, SCHEDULES, startJobs } from '../../jobs/index.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, type TestApi } from '../../testing/harness.ts';
import { runSegmentationCampaigns, runSegmentationNightly, segmentationDeps } from './index.ts';
import { client, DAY_MS, history } from '../../testing/segmentation-support.ts';

let api: TestApi;
let t: TenantFixture;
const clock = new Date(Date.UTC(2030, 2, 1, 4));

beforeAll(async () => {
  api = await createTestApi({ WECHAT_API_BASE: 'http://127.0.0.1:9' }, { now: () => clock });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  await client(api)
    .asManager(t)
    .put('/staff/segmentation/tiers', {
      basis: 'spend',
      windowDays: 365,
      levels: [{ name: '银卡', thresholdFen: 10_000, discountBasisPoints: 200, pointsMultiplierPercent: 110 }],
    });
  await history(api.db.db, t).spend(t.customers[0]!.id, 38_800, new Date(clock.getTime() - 2 * DAY_MS));
});

afterAll(async () => {
  await api?.close();
});

describe('segmentation jobs', () => {
  it('nightly: every tenant’s segments, tiers and preferences, then tier notifications', async () => {
    const deps = segmentationDeps(api.config, api.app.messaging);
    const result = await runSegmentationNightly(api.db.db, deps);
    expect(result.failed).toEqual([]);
    expect(result.tenants).toBeGreaterThanOrEqual(1);
    // The upgrade is recorded; without a consent or SMS agreement the notice is skipped, with the reason.
    expect(result.notifications).toEqual({ sent: 0, skipped: 1, failed: 0 });
    const [row] = await queryRows<{ segment: string; tier: string | null; category: string | null }>(
      api.db.db,
      sql`select s.segment, (select l.name from customer_tiers ct join tier_levels l on l.id = ct.tier_id
                              where ct.tenant_id = s.tenant_id and ct.customer_id = s.customer_id) as tier,
                 (select preferred_category from customer_preferences p
                   where p.tenant_id = s.tenant_id and p.customer_id = s.customer_id) as category
          from rfm_scores s where s.tenant_id = ${t.tenantId} and s.customer_id = ${t.customers[0]!.id}`,
    );
    expect(row).toEqual({ segment: 'new', tier: '银卡', category: '面部护理' });
    expect(await runSegmentationCampaigns(api.db.db, deps)).toEqual([]);
  });

  it('registers its schedules in pg-boss when the process has the messaging dependencies', async () => {
    const silent = { error: () => {}, info: () => {} } as never;
    const jobs = await startJobs(
      api.db,
      ledgerDeps(() => clock),
      silent,
      {
        segmentation: segmentationDeps(api.config, api.app.messaging),
      },
    );
    try {
      const names = (await jobs.boss.getSchedules()).map((s: { name: string }) => s.name).sort();
      expect(names).toEqual([...Object.keys(SCHEDULES), ...Object.keys(SEGMENTATION_SCHEDULES)].sort());
    } finally {
      await jobs.stop();
    }
  });
});
