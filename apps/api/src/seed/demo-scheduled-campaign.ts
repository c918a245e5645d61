import type { Campaign, Group } from '@lumi/shared';
import { shanghaiDate } from '../modules/ledger/index.ts';
import type { Salon } from './demo-salon.ts';

/**
 * The manager prepares next weekend's offer for regulars who have not been in for two months: a custom group
 * (last visit 60+ days ago, ¥500+ spent in the year), a subscribe message, an SMS and a banner, scheduled for
 * tomorrow 10:00 Shanghai time — waiting in 唤醒活动 with its live audience, the send job starts it then.
 */
const LAPSED_REGULARS = {
  name: '两个月未到店的老顾客',
  description: '最近到店在 60 天前，一年内消费满 ¥500',
  rules: { lastVisitDaysAgo: { min: 60 }, spendFen: { min: 50_000 } },
};

const WEEKEND_OFFER = {
  name: '周末回店礼',
  offer: {
    default: { kind: 'amount_off', title: '周末回店礼', amountOffFen: 8_000, minSpendFen: 30_000, validDays: 14 },
    byCategory: [],
  },
  message: {
    wechat: { data: { thing1: '{coupon}', thing2: '{name}，周末欢迎回店' } },
    sms: { template: 'wakeup', text: '{name}您好，{coupon}已放入卡包，14天内到店可用' },
    banner: { title: '{name}，周末见', body: '{coupon} 已放入卡包，14 天内到店可用' },
  },
  channels: ['wechat', 'sms', 'in_app'],
  quietHours: { start: '21:00', end: '09:00' },
  frequencyCap: { maxMessages: 2, perDays: 30 },
  holdoutBasisPoints: 1_000,
  returnWindowDays: 14,
};

/** 10:00 Shanghai time on the day after `now`. */
export function tomorrowAtTen(now: Date): string {
  const tomorrow = new Date(Date.parse(`${shanghaiDate(now)}T10:00:00+08:00`) + 86_400_000);
  return tomorrow.toISOString();
}

export async function scheduleWeekendOffer(salon: Salon, now: Date): Promise<void> {
  const manager = salon.till.as(salon.owner);
  const group = await manager.post<Group>('/staff/segmentation/groups', LAPSED_REGULARS);
  await manager.post<Campaign>('/staff/segmentation/campaigns', {
    ...WEEKEND_OFFER,
    audience: { type: 'group', groupId: group.id },
    scheduledAt: tomorrowAtTen(now),
  });
}
