import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { setCurrentPages, setFakeServer } from '@lumi/mini/testing';
import type { Campaign, CampaignArmResult, CampaignResults } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import CampaignPage from './index.tsx';

const ID = '00000000-0000-4000-8000-0000000000e9';
const campaign: Campaign = {
  id: ID,
  name: '老客回归季',
  status: 'completed',
  audience: { type: 'segments', segments: ['at_risk', 'dormant'] },
  offer: {
    default: { kind: 'amount_off', title: '回归礼', amountOffFen: 5_000, minSpendFen: 20_000, validDays: 30 },
    byCategory: [],
  },
  message: { banner: { title: '{name}，我们想您了', body: '{coupon} 已放入卡包' } },
  channels: ['sms', 'in_app'],
  scheduledAt: null,
  startedAt: '2026-03-01T02:00:00Z',
  completedAt: '2026-03-01T02:05:00Z',
  quietHours: { start: '21:00', end: '09:00' },
  frequencyCap: { maxMessages: 2, perDays: 30 },
  holdoutBasisPoints: 2_000,
  returnWindowDays: 30,
  survey: null,
  progress: { recipients: 25, holdout: 5, pending: 0, sent: 17, failed: 1, skipped: 2 },
  createdAt: '2026-03-01T01:00:00Z',
};
const arm = (customers: number, returned: number, revenueFen: number): CampaignArmResult => ({
  customers,
  delivered: customers,
  opened: 0,
  couponsRedeemed: returned,
  returned,
  revenueFen,
  returnRate: { numerator: returned, denominator: customers, basisPoints: null },
  revenuePerCustomerFen: customers ? Math.round(revenueFen / customers) : null,
});
const results: CampaignResults = {
  campaignId: ID,
  since: '2026-03-01T02:00:00Z',
  returnWindowDays: 30,
  treated: arm(20, 9, 360_000),
  holdout: arm(5, 1, 38_800),
  uplift: {
    returnRateDifference: { numerator: 5, denominator: 20, basisPoints: 2_500 },
    incrementalRevenueFen: 204_800,
    incrementalReturns: { numerator: 5, denominator: 1 },
  },
  feedback: { surveys: 0, consultations: 0 },
};

/** What GET /campaigns/:id answers, in turn (the last one from then on). */
let answers: Campaign[];
let cancelled = 0;
beforeEach(() => {
  answers = [campaign];
  cancelled = 0;
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setCurrentPages([`manager/campaign/index?id=${ID}`]);
  setFakeServer((req) => {
    if (req.url.endsWith('/staff/me')) return { status: 200, body: { role: 'owner', stores: [] } };
    if (req.url.endsWith(`/staff/segmentation/campaigns/${ID}`))
      return { status: 200, body: answers.length > 1 ? answers.shift() : answers[0] };
    if (req.url.endsWith(`/staff/segmentation/campaigns/${ID}/results`)) return { status: 200, body: results };
    if (req.url.endsWith(`/staff/segmentation/campaigns/${ID}/cancel`) && req.method === 'POST') {
      cancelled++;
      return { status: 200, body: { ...campaign, status: 'cancelled' } };
    }
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } };
  });
});

describe('唤醒活动 results', () => {
  it('compares the arms and gives the uplift with its interval, saying a small holdout proves little', async () => {
    render(<CampaignPage />);
    expect(await screen.findByText('9 / 20 = 45.0%')).toBeInTheDocument();
    expect(screen.getByText('1 / 5 = 20.0%')).toBeInTheDocument();
    expect(screen.getByText('回店率提升 +25 个百分点')).toBeInTheDocument();
    const range = document.querySelector('.mg__uplift-range')?.textContent ?? '';
    const [low, high] = (range.match(/-?\d+(\.\d+)?/g) ?? []).slice(1).map(Number);
    expect(low).toBeLessThan(0);
    expect(high).toBeGreaterThan(25);
    expect(
      screen.getByText('差异在误差范围内，尚不能说明活动有效；人数较少（少于 30 人），结果仅供参考'),
    ).toBeInTheDocument();
    expect(screen.queryByText('立即发送')).toBeNull();
  });

  it('puts the uplift, its interval and the caution each on a line of its own', async () => {
    render(<CampaignPage />);
    await screen.findByText('回店率提升 +25 个百分点');
    // Block elements (a View each), not runs of text inside one block.
    const lines = [...document.querySelectorAll('.mg__uplift > div')].map((line) => line.textContent);
    expect(lines).toEqual([
      '回店率提升 +25 个百分点',
      expect.stringMatching(/^95% 区间 -\d+(\.\d+)? 至 \d+(\.\d+)? 个百分点$/),
      '差异在误差范围内，尚不能说明活动有效；人数较少（少于 30 人），结果仅供参考',
      '估算新增消费 ¥2,048.00（同样存在不确定性）',
    ]);
  });

  it('calls the held-out customers 对照组, not sent on purpose, and never counts them as not delivered', async () => {
    render(<CampaignPage />);
    // 25 in the audience, 5 held out: of the 20 meant to get it, 17 sent, 1 failed and 2 skipped (no consent).
    expect(await screen.findByText('活动组 20 人：已发 17 · 待发 0 · 未送达 3')).toBeInTheDocument();
    expect(screen.getByText('对照组 5 人：按设计不发送')).toBeInTheDocument();
    expect(screen.getByText('对照组按设计不发送消息和优惠券，用来对比活动组的回店率')).toBeInTheDocument();
    expect(screen.queryByText(/未送达 (5|8)\b/)).toBeNull();
    const progress = [...document.querySelectorAll('.mg__progress > div')].map((line) => line.textContent);
    expect(progress).toHaveLength(2);
  });
});

describe('唤醒活动 while it is sent', () => {
  it('follows the send job by itself until the campaign is done, then shows the results', async () => {
    const sending = {
      ...campaign,
      status: 'sending' as const,
      completedAt: null,
      quietHours: null,
      progress: { ...campaign.progress, sent: 3, failed: 0, skipped: 0, pending: 17 },
    };
    answers = [sending, { ...sending, status: 'completed', progress: campaign.progress }];
    render(<CampaignPage />);
    expect(await screen.findByText(/已发 3 ·/)).toBeInTheDocument();
    expect(screen.getByText(/不设免打扰/)).toBeInTheDocument();
    expect(await screen.findByText(/已发 17 ·/, {}, { timeout: 6_000 })).toBeInTheDocument();
    expect(screen.getByText('老客回归季 · 已完成')).toBeInTheDocument();
  });
});

describe('唤醒活动 waiting for its time', () => {
  it('says when it goes out, the cap and the texts as a customer reads them, and can still be sent now', async () => {
    answers = [
      {
        ...campaign,
        status: 'scheduled',
        audience: { type: 'group', groupId: '00000000-0000-4000-8000-0000000000a1' },
        channels: ['wechat', 'sms', 'in_app'],
        message: {
          wechat: { data: { thing1: '{coupon}', thing2: '{name}，周末见' } },
          sms: { template: 'wakeup', text: '{name}您好' },
          banner: { title: '{name}，周末见', body: '{coupon} 已放入卡包' },
        },
        scheduledAt: '2099-05-02T02:00:00Z',
        startedAt: null,
        completedAt: null,
        progress: { recipients: 0, holdout: 0, pending: 0, sent: 0, failed: 0, skipped: 0 },
      },
    ];
    render(<CampaignPage />);
    expect(await screen.findByText('定时发送 2099-05-02 10:00，21:00–09:00 之间顺延至 09:00')).toBeInTheDocument();
    expect(screen.getByText('每位顾客 30 天内最多 2 条活动消息')).toBeInTheDocument();
    // The stored texts keep their placeholders; the page shows them filled in for an example customer, so says.
    expect(screen.getByText('示例：以 林小雅 为例，发送时按每位顾客填入')).toBeInTheDocument();
    expect(screen.getByText('林小雅，周末见')).toBeInTheDocument();
    expect(screen.getByText('回归礼 已放入卡包')).toBeInTheDocument();
    expect(screen.getByText('订阅消息：回归礼 · 林小雅，周末见')).toBeInTheDocument();
    expect(screen.getByText('短信：林小雅您好')).toBeInTheDocument();
    expect(document.body.textContent).not.toMatch(/\{(name|coupon|category)\}/);
    expect(screen.getByText('客群：自定义客群')).toBeInTheDocument();
    expect(screen.getByText('立即发送')).toBeInTheDocument();
    fireEvent.click(screen.getByText('取消活动'));
    await waitFor(() => expect(cancelled).toBe(1));
  });
});
