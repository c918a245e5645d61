import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { fakeTaro, setCurrentPages } from '@lumi/mini/testing';
import type { MyMessageList } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MyCampaign } from '../services/messages.ts';
import { failing, ok, serve } from '../testing/serve.ts';
import CampaignPage from './campaign/index.tsx';
import MessagesPage from './index/index.tsx';

const CAMPAIGN = '00000000-0000-4000-8000-0000000000e1';
const BILL = '00000000-0000-4000-8000-0000000000b1';
const messages: MyMessageList = {
  unread: 1,
  items: [
    {
      id: 12,
      purpose: 'bill_settled',
      billId: BILL,
      note: '消费已结账，点击查看',
      createdAt: '2026-03-04T06:30:00Z',
      readAt: null,
    },
    {
      id: 11,
      purpose: 'credit_reminder',
      billId: null,
      note: null,
      createdAt: '2026-03-01T02:00:00Z',
      readAt: '2026-03-01T03:00:00Z',
    },
  ],
};
const campaign: MyCampaign = {
  id: CAMPAIGN,
  title: '春季焕肤回馈',
  body: '林小雅，您有一张 50 元券待使用',
  couponId: '00000000-0000-4000-8000-0000000000a1',
  survey: {
    questions: [
      { id: 'q1', text: '您最想做的项目？', options: ['补水', '美白'] },
      { id: 'q2', text: '其他建议' },
    ],
  },
  openedAt: null,
};

beforeEach(() => setCurrentPages(['pages/me/index', 'messages/index/index']));

describe('消息', () => {
  it('lists the unopened offer first, then notices, unread marked; opening one marks it read and opens its page', async () => {
    const seen = serve({
      'GET /me/messages': ok(messages),
      'GET /me/campaigns': ok({ items: [campaign] }),
      'POST /me/messages/read': ok({ ...messages, unread: 0 }),
    });
    render(<MessagesPage />);
    const titles = await screen.findAllByText(/./, { selector: '.message__title' });
    expect(titles.map((t) => t.textContent)).toEqual(['●春季焕肤回馈', '●消费已结账', '还款提醒']);
    expect(screen.getAllByText('未读')).toHaveLength(2);

    fireEvent.click(screen.getByText('消费已结账'));
    await waitFor(() =>
      expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({ url: `/bills/detail/index?id=${BILL}` }),
    );
    expect(seen.find((r) => r.url.endsWith('/me/messages/read'))?.data).toEqual({ ids: [12] });

    fireEvent.click(screen.getByText('春季焕肤回馈'));
    await waitFor(() =>
      expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({ url: `/messages/campaign/index?id=${CAMPAIGN}` }),
    );
    fireEvent.click(screen.getByText('还款提醒'));
    await waitFor(() => expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({ url: '/credit/index/index' }));
  });

  it('says when there are no messages, and shows a failure', async () => {
    serve({ 'GET /me/messages': ok({ items: [], unread: 0 }), 'GET /me/campaigns': ok({ items: [] }) });
    const { unmount } = render(<MessagesPage />);
    expect(await screen.findByText('暂无消息')).toBeInTheDocument();
    unmount();
    serve({ 'GET /me/messages': failing(503, 'SERVICE_UNAVAILABLE'), 'GET /me/campaigns': ok({ items: [] }) });
    render(<MessagesPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('服务暂时不可用');
  });
});

describe('活动', () => {
  it('counts the opening, and sends the survey answers', async () => {
    setCurrentPages(['messages/index/index', `messages/campaign/index?id=${CAMPAIGN}`]);
    const seen = serve({
      'GET /me/campaigns': ok({ items: [campaign] }),
      [`POST /me/campaigns/${CAMPAIGN}/opened`]: ok({ ok: true }),
      [`POST /me/campaigns/${CAMPAIGN}/feedback`]: ok({ id: 1 }, 201),
    });
    render(<CampaignPage />);
    expect(await screen.findByText('林小雅，您有一张 50 元券待使用')).toBeInTheDocument();
    expect(seen.some((r) => r.url.endsWith('/opened'))).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: '提交问卷' }));
    expect(await screen.findByText('请至少回答一个问题')).toBeInTheDocument();
    fireEvent.click(screen.getByText('美白'));
    fireEvent.change(screen.getByPlaceholderText('请输入'), { target: { value: '周末能预留位置' } });
    fireEvent.click(screen.getByRole('button', { name: '提交问卷' }));
    expect(await screen.findByText('问卷已提交，感谢您的反馈')).toBeInTheDocument();
    expect(seen.find((r) => r.url.endsWith('/feedback'))?.data).toEqual({
      type: 'survey',
      answers: { q1: '美白', q2: '周末能预留位置' },
    });
  });

  it('says so when the offer is no longer hers, with a way back', async () => {
    setCurrentPages([`messages/campaign/index?id=${CAMPAIGN}`]);
    serve({ 'GET /me/campaigns': ok({ items: [] }) });
    render(<CampaignPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('这个活动已结束或不存在');
    fireEvent.click(screen.getByRole('button', { name: '返回' }));
    expect(fakeTaro.reLaunch).toHaveBeenCalledWith({ url: '/messages/index/index' });
  });
});
