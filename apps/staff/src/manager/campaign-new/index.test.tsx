import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, fakeTaro, setFakeServer } from '@lumi/mini/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import NewCampaignPage from './index.tsx';

let sent: FakeRequest[];
beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  sent = [];
  setFakeServer((req) => {
    if (req.url.endsWith('/staff/me')) return { status: 200, body: { role: 'manager', stores: [] } };
    if (req.url.endsWith('/staff/segmentation/groups/preview')) {
      const segments = (req.data as { rules: { segments: string[] } }).rules.segments;
      return { status: 200, body: { count: segments.length * 10, sample: [] } };
    }
    if (req.url.endsWith('/staff/segmentation/campaigns') && req.method === 'POST') {
      sent.push(req);
      return { status: 201, body: { id: '00000000-0000-4000-8000-0000000000e9' } };
    }
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } };
  });
});

describe('新建唤醒活动', () => {
  it('counts the audience live, previews the message, and creates a draft with the holdout', async () => {
    render(<NewCampaignPage />);
    expect(await screen.findByText('共 20 位顾客，其中约 4 位作为对照组不发送')).toBeInTheDocument();
    fireEvent.click(screen.getByText('新客'));
    expect(await screen.findByText('共 30 位顾客，其中约 6 位作为对照组不发送')).toBeInTheDocument();
    fireEvent.click(screen.getByText('对照组 10%'));
    expect(await screen.findByText('共 30 位顾客，其中约 3 位作为对照组不发送')).toBeInTheDocument();
    expect(screen.getByText('林小雅，我们想您了')).toBeInTheDocument();
    expect(screen.getByText('回店礼：立减 ¥50.00 · 满 ¥200.00 可用 · 30 天有效')).toBeInTheDocument();

    fireEvent.click(screen.getByText('创建活动（稍后发送）'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.data).toMatchObject({
      audience: { type: 'segments', segments: ['at_risk', 'dormant', 'new'] },
      offer: { default: { kind: 'amount_off', amountOffFen: 5_000, minSpendFen: 20_000, validDays: 30 } },
      channels: ['in_app', 'sms'],
      holdoutBasisPoints: 1_000,
      quietHours: { start: '21:00', end: '09:00' },
      scheduledAt: null,
    });
    expect(fakeTaro.redirectTo).toHaveBeenCalledWith({
      url: '/manager/campaign/index?id=00000000-0000-4000-8000-0000000000e9',
    });
  });

  it('sends at any hour when the manager lifts the quiet hours', async () => {
    render(<NewCampaignPage />);
    await screen.findByText(/共 20 位顾客/);
    fireEvent.click(screen.getByText('随时发送'));
    expect(screen.getByText(/不设免打扰时段，30 天内最多 2 条。/)).toBeInTheDocument();
    fireEvent.click(screen.getByText('创建活动（稍后发送）'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.data).toMatchObject({ quietHours: null });
  });

  it('refuses an offer without an amount', async () => {
    render(<NewCampaignPage />);
    await screen.findByText(/共 20 位顾客/);
    fireEvent.change(document.querySelector('.mg__offer-amount') as HTMLInputElement, { target: { value: '' } });
    fireEvent.click(screen.getByText('创建活动（稍后发送）'));
    expect(await screen.findAllByText('请填写减免金额')).not.toHaveLength(0);
    expect(sent).toEqual([]);
  });
});
