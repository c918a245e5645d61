import type { Campaign, Group } from '@lumi/shared';
import { runDueCampaigns, segmentationDeps } from '../modules/segmentation/index.ts';
import type { Salon } from './demo-salon.ts';

/**
 * This morning the manager asks last month's customers how their treatment went: an in-app message with a small
 * thank-you coupon and a two-question survey (林小雅, who came four weeks ago, is among them). Sent through
 * segmentation's own job, after the night's RFM run that the group reads.
 */
const CARE_SURVEY = {
  name: '护理满意度回访',
  offer: {
    default: { kind: 'amount_off', title: '回访感谢券', amountOffFen: 2_000, minSpendFen: 20_000, validDays: 30 },
    byCategory: [],
  },
  message: { banner: { title: '{name}，您最近的护理体验如何？', body: '填写两道小问题，{coupon} 已放入卡包' } },
  channels: ['in_app'],
  quietHours: null,
  frequencyCap: null,
  holdoutBasisPoints: 0,
  returnWindowDays: 30,
  survey: {
    questions: [
      { id: 'satisfaction', text: '您对最近一次护理满意吗？', options: ['非常满意', '满意', '一般', '不满意'] },
      { id: 'wish', text: '还想尝试哪些护理？' },
    ],
  },
};

export async function sendCareSurvey(salon: Salon): Promise<void> {
  const manager = salon.till.as(salon.owner);
  const group = await manager.post<Group>('/staff/segmentation/groups', {
    name: '近30天到店',
    description: '最近 30 天内有消费的顾客（回访用）',
    rules: { lastVisitDaysAgo: { max: 30 } },
  });
  const campaign = await manager.post<Campaign>('/staff/segmentation/campaigns', {
    ...CARE_SURVEY,
    audience: { type: 'group', groupId: group.id },
  });
  await manager.post(`/staff/segmentation/campaigns/${campaign.id}/schedule`, {});
  await runDueCampaigns(salon.db, segmentationDeps(salon.till.config, salon.till.app.messaging));
}
