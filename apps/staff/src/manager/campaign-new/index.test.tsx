import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { type FakeRequest, fakeTaro, setFakeServer } from '@lumi/mini/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import NewCampaignPage from './index.tsx';

let sent: FakeRequest[];
let previews: FakeRequest['data'][];
const GROUP_ID = '00000000-0000-4000-8000-0000000000a1';
const member = (name: string) => ({
  customerId: name,
  name,
  phone: null,
  segment: 'dormant',
  recencyDays: 90,
  frequency: 2,
  monetaryFen: 60_000,
});

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  sent = [];
  previews = [];
  setFakeServer((req) => {
    if (req.url.endsWith('/staff/me')) {
      const stores = [
        { id: 'store-1', name: '静安店' },
        { id: 'store-2', name: '徐汇店' },
      ];
      return { status: 200, body: { role: 'manager', stores } };
    }
    if (req.url.endsWith('/staff/segmentation/tiers')) {
      return {
        status: 200,
        body: {
          basis: 'spend',
          windowDays: 365,
          levels: [
            {
              id: 'tier-gold',
              name: '金卡会员',
              thresholdFen: 500_000,
              discountBasisPoints: 500,
              pointsMultiplierPercent: 150,
            },
          ],
        },
      };
    }
    if (req.url.endsWith('/staff/segmentation/groups/preview')) {
      previews.push(req.data);
      const { rules, frequencyCap } = req.data as {
        rules: { segments?: string[]; lastVisitDaysAgo?: unknown };
        frequencyCap?: unknown;
      };
      if (rules.lastVisitDaysAgo) {
        // The custom group: 苏婉清 and 罗思琪 have had their campaign messages this month.
        const capped = frequencyCap ? { count: 2, sample: [member('苏婉清'), member('罗思琪')] } : undefined;
        return { status: 200, body: { count: 7, sample: [member('周雨桐')], ...(capped ? { capped } : {}) } };
      }
      return { status: 200, body: { count: (rules.segments ?? []).length * 10, sample: [] } };
    }
    if (req.url.endsWith('/staff/segmentation/groups') && req.method === 'POST') {
      sent.push(req);
      return { status: 201, body: { id: GROUP_ID } };
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

  it('builds a custom group with a live count, shows who the frequency cap leaves out, and saves the group first', async () => {
    render(<NewCampaignPage />);
    await screen.findByText(/共 20 位顾客/);
    fireEvent.click(screen.getByText('自定义条件'));
    fireEvent.click(await screen.findByText('金卡会员'));
    fireEvent.click(screen.getByText('徐汇店'));
    fireEvent.change(document.querySelector('.mg__filter-days') as HTMLInputElement, { target: { value: '60' } });
    fireEvent.change(document.querySelector('.mg__filter-spend-min') as HTMLInputElement, { target: { value: '500' } });
    expect(await screen.findByText('共 7 位顾客，其中约 1 位作为对照组不发送')).toBeInTheDocument();
    expect(screen.getByText('2 位已达发送频次上限，不会收到消息：苏婉清、罗思琪')).toBeInTheDocument();
    expect(previews.at(-1)).toEqual({
      rules: {
        tierIds: ['tier-gold'],
        storeIds: ['store-2'],
        lastVisitDaysAgo: { min: 60 },
        spendFen: { min: 50_000 },
      },
      frequencyCap: { maxMessages: 2, perDays: 30 },
    });
    // The preview speaks to the first customer of the audience by name.
    expect(screen.getByText('周雨桐，我们想您了')).toBeInTheDocument();

    fireEvent.click(screen.getByText('创建活动（稍后发送）'));
    await waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[0]?.data).toMatchObject({ rules: { lastVisitDaysAgo: { min: 60 } } });
    expect(sent[1]?.data).toMatchObject({ audience: { type: 'group', groupId: GROUP_ID } });
  });

  it('refuses a spend range the wrong way round', async () => {
    render(<NewCampaignPage />);
    await screen.findByText(/共 20 位顾客/);
    fireEvent.click(screen.getByText('自定义条件'));
    fireEvent.change(document.querySelector('.mg__filter-spend-min') as HTMLInputElement, { target: { value: '800' } });
    fireEvent.change(document.querySelector('.mg__filter-spend-max') as HTMLInputElement, { target: { value: '300' } });
    fireEvent.click(screen.getByText('创建活动（稍后发送）'));
    expect(await screen.findByText('消费下限不能高于上限')).toBeInTheDocument();
    expect(sent).toEqual([]);
  });

  it('schedules the send, warns about quiet hours, and writes the subscribe message', async () => {
    render(<NewCampaignPage />);
    await screen.findByText(/共 20 位顾客/);
    fireEvent.click(screen.getByText('微信消息'));
    fireEvent.change(document.querySelector('.mg__wechat-body') as HTMLTextAreaElement, {
      target: { value: '{name}，周末见' },
    });
    expect(screen.getByText('订阅消息：回店礼 · 林小雅，周末见')).toBeInTheDocument();
    fireEvent.change(document.querySelector('.mg__sms-text') as HTMLTextAreaElement, {
      target: { value: '{name}您好，{coupon}已到账' },
    });
    expect(screen.getByText('短信：林小雅您好，回店礼已到账')).toBeInTheDocument();
    fireEvent.change(document.querySelector('.mg__cap-messages') as HTMLInputElement, { target: { value: '1' } });
    fireEvent.change(document.querySelector('.mg__cap-days') as HTMLInputElement, { target: { value: '14' } });

    fireEvent.click(screen.getByText('定时发送'));
    fireEvent.change(document.querySelector('.mg__send-date') as HTMLInputElement, { target: { value: '2099-05-02' } });
    fireEvent.change(document.querySelector('.mg__send-time') as HTMLInputElement, { target: { value: '22:30' } });
    expect(screen.getByText('该时间在免打扰时段内，将于 09:00 开始发送')).toBeInTheDocument();
    fireEvent.click(screen.getByText('创建并定时发送'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.data).toMatchObject({
      channels: ['in_app', 'sms', 'wechat'],
      message: {
        sms: { template: 'wakeup', text: '{name}您好，{coupon}已到账' },
        wechat: { data: { thing1: '{coupon}', thing2: '{name}，周末见' } },
      },
      scheduledAt: '2099-05-02T14:30:00.000Z',
      frequencyCap: { maxMessages: 1, perDays: 14 },
    });
  });

  it('refuses a send time in the past', async () => {
    render(<NewCampaignPage />);
    await screen.findByText(/共 20 位顾客/);
    fireEvent.click(screen.getByText('定时发送'));
    fireEvent.change(document.querySelector('.mg__send-date') as HTMLInputElement, { target: { value: '2020-01-01' } });
    fireEvent.click(screen.getByText('创建并定时发送'));
    expect(await screen.findByText('发送时间须晚于现在')).toBeInTheDocument();
    expect(sent).toEqual([]);
  });
});
