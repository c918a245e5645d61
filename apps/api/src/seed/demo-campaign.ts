import type { Campaign } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import { runDueCampaigns, segmentationDeps } from '../modules/segmentation/index.ts';
import type { Member, Salon } from './demo-salon.ts';

/** The owner's 唤醒 campaign for customers drifting away: an SMS and an in-app banner with a coupon. */
const WAKE_UP = {
  name: '老客回归季',
  audience: { type: 'segments', segments: ['at_risk', 'dormant'] },
  offer: {
    default: { kind: 'amount_off', title: '回归礼', amountOffFen: 5_000, minSpendFen: 20_000, validDays: 30 },
    byCategory: [],
  },
  message: {
    sms: { template: 'wakeup', text: '{name}您好，好久不见！送您{coupon}，30天内到店可用' },
    banner: { title: '{name}，我们想您了', body: '{coupon} 已放入卡包' },
  },
  channels: ['sms', 'in_app'],
  quietHours: { start: '21:00', end: '09:00' },
  frequencyCap: { maxMessages: 2, perDays: 30 },
  holdoutBasisPoints: 2_000,
  returnWindowDays: 30,
  survey: {
    questions: [{ id: 'why', text: '最近没来的原因是？', options: ['工作太忙', '价格原因', '效果一般', '搬家了'] }],
  },
};

/** Who comes back: a customer who got the coupon far more often than one held out — the effect results show. */
const RETURN_RATE = { treated: 0.45, holdout: 0.12 };

/**
 * Sends the campaign through segmentation's own job, then decides who returns. Returns the members who will
 * come back, with the coupon they got (none for the holdout).
 */
export async function runWakeUpCampaign(
  db: Database,
  salon: Salon,
  members: Member[],
): Promise<{ member: Member; couponId?: string }[]> {
  const owner = salon.till.as(salon.owner);
  const campaign = await owner.post<Campaign>('/staff/segmentation/campaigns', WAKE_UP);
  await owner.post(`/staff/segmentation/campaigns/${campaign.id}/schedule`, {});
  // A fixed salt for the holdout draw (and fixed customer ids, demo-data.ts): the same holdout on every run.
  const deps = { ...segmentationDeps(salon.till.config, salon.till.app.messaging), holdoutSalt: 'lumi-demo' };
  await runDueCampaigns(db, deps);

  const reached = await queryRows<{ customer_id: string; reason: string | null }>(
    db,
    sql`select customer_id, reason from outbound_messages where campaign_id = ${campaign.id} order by id`,
  );
  const byId = new Map(members.map((m) => [m.id, m]));
  const comebacks: { member: Member; couponId?: string }[] = [];
  const seen = new Set<string>();
  for (const row of reached) {
    const member = byId.get(row.customer_id);
    if (!member || seen.has(member.id)) continue;
    seen.add(member.id);
    const heldOut = row.reason === 'holdout';
    if (salon.random() >= (heldOut ? RETURN_RATE.holdout : RETURN_RATE.treated)) continue;
    if (heldOut) {
      comebacks.push({ member });
      continue;
    }
    const { items } = await owner.get<{ items: { id: string }[] }>(`/staff/customers/${member.id}/coupons`);
    comebacks.push({ member, ...(items[0] ? { couponId: items[0].id } : {}) });
  }
  return comebacks;
}
