import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, fakeTaro, setFakeServer } from '@lumi/mini/testing';
import type { CampaignList, StaffRole } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import CampaignsPage from './index.tsx';

type Listed = CampaignList['items'][number];
const base: Omit<Listed, 'id' | 'name' | 'status' | 'audience' | 'scheduledAt' | 'startedAt' | 'createdAt'> = {
  channels: ['sms', 'in_app'],
  completedAt: null,
  quietHours: { start: '21:00', end: '09:00' },
  frequencyCap: { maxMessages: 2, perDays: 30 },
  holdoutBasisPoints: 1_000,
  returnWindowDays: 30,
  progress: { recipients: 0, holdout: 0, pending: 0, sent: 0, failed: 0, skipped: 0 },
};
const id = (n: number) => `00000000-0000-4000-8000-0000000000c${n}`;
const campaigns: Listed[] = [
  {
    ...base,
    id: id(1),
    name: '周末回店礼',
    status: 'scheduled',
    audience: { type: 'group', groupId: '00000000-0000-4000-8000-0000000000f1' },
    scheduledAt: '2026-12-09T02:00:00Z',
    startedAt: null,
    createdAt: '2026-12-07T03:00:00Z',
  },
  {
    ...base,
    id: id(2),
    name: '冬日回店礼',
    status: 'draft',
    audience: { type: 'segments', segments: ['dormant'] },
    holdoutBasisPoints: 3_000,
    scheduledAt: null,
    startedAt: null,
    createdAt: '2026-12-06T06:30:00Z',
  },
  {
    ...base,
    id: id(3),
    name: '老客回归季',
    status: 'completed',
    audience: { type: 'segments', segments: ['at_risk', 'dormant'] },
    holdoutBasisPoints: 2_000,
    scheduledAt: '2026-11-01T01:00:00Z',
    startedAt: '2026-11-01T01:00:30Z',
    completedAt: '2026-11-01T01:05:00Z',
    createdAt: '2026-10-30T08:00:00Z',
  },
];

let requests: FakeRequest[];
let listed: Listed[];
function serve(role: StaffRole) {
  requests = [];
  setFakeServer((req) => {
    requests.push(req);
    if (req.url.endsWith('/staff/me')) return { status: 200, body: { role, stores: [] } };
    if (req.url.endsWith('/staff/segmentation/campaigns')) return { status: 200, body: { items: listed } };
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } };
  });
}

beforeEach(() => {
  listed = campaigns;
  saveSession({ accessToken: 'a', refreshToken: 'r' });
});

describe('唤醒活动 list', () => {
  it('lists each campaign with its audience, holdout, when it goes or went out and its status', async () => {
    serve('manager');
    render(<CampaignsPage />);
    await screen.findByText('周末回店礼');
    const rows = [...document.querySelectorAll('.mg__campaign')].map((r) => r.textContent);
    expect(rows).toEqual([
      // Scheduled, not started: when it will go (Shanghai time).
      '周末回店礼自定义客群 · 对照组 10% · 定时 2026-12-09 10:00待发送',
      // A draft: when it was made.
      '冬日回店礼沉睡 · 对照组 30% · 2026-12-06 14:30草稿',
      // Started: when it went, not when it was planned.
      '老客回归季流失风险、沉睡 · 对照组 20% · 2026-11-01 09:00已完成',
    ]);
  });

  it('opens a campaign, and starts a new one', async () => {
    serve('owner');
    render(<CampaignsPage />);
    fireEvent.click(await screen.findByText('冬日回店礼'));
    expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({ url: `/manager/campaign/index?id=${id(2)}` });
    fireEvent.click(screen.getByText('新建唤醒活动'));
    expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({ url: '/manager/campaign-new/index' });
  });

  it('says so when there is none yet', async () => {
    listed = [];
    serve('manager');
    render(<CampaignsPage />);
    expect(await screen.findByText('还没有活动')).toBeInTheDocument();
    expect(screen.getByText('新建唤醒活动')).toBeInTheDocument();
  });

  it('shows a beautician nothing and never asks for the list', async () => {
    serve('beautician');
    const { container } = render(<CampaignsPage />);
    await waitFor(() => expect(container.querySelector('.mg--denied')).not.toBeNull());
    expect(screen.queryByText('新建唤醒活动')).toBeNull();
    expect(requests.some((r) => r.url.includes('/segmentation/campaigns'))).toBe(false);
  });
});
