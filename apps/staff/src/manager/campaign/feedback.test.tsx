import { render, screen } from '@testing-library/react';
import { saveSession } from '@lumi/mini';
import { setFakeServer } from '@lumi/mini/testing';
import type { CampaignFeedback } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { CampaignFeedbackCard } from './feedback.tsx';

const CAMPAIGN = '00000000-0000-4000-8000-0000000000c1';
const survey = {
  questions: [
    { id: 'visit', text: '最近没来的原因？', options: ['太忙', '价格', '其他'] },
    { id: 'wish', text: '想尝试什么护理？' },
  ],
};
const base = {
  campaignId: CAMPAIGN,
  customerId: '00000000-0000-4000-8000-0000000000a1',
  createdAt: '2026-12-01T02:30:00Z',
};
let items: CampaignFeedback[];

beforeEach(() => {
  saveSession({ accessToken: 'a', refreshToken: 'r' });
  setFakeServer((req) =>
    req.url.endsWith(`/staff/segmentation/campaigns/${CAMPAIGN}/feedback`)
      ? { status: 200, body: { items } }
      : { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no' } } },
  );
});

describe('顾客反馈 on a campaign', () => {
  it('shows each survey answer under its question, and a consultation with the contact wished for', async () => {
    items = [
      {
        ...base,
        id: 2,
        customerName: '林小雅',
        type: 'survey',
        answers: { visit: '太忙', wish: '眼部护理' },
        message: null,
        preferredContact: null,
      },
      {
        ...base,
        id: 1,
        customerName: '王芳',
        type: 'consultation',
        answers: null,
        message: '想了解光子嫩肤疗程',
        preferredContact: 'wechat',
      },
    ];
    render(<CampaignFeedbackCard campaignId={CAMPAIGN} survey={survey} />);
    expect(await screen.findByText('顾客反馈（2）')).toBeInTheDocument();
    expect(screen.getByText('林小雅')).toBeInTheDocument();
    expect(screen.getByText('最近没来的原因？').nextSibling).toHaveTextContent('太忙');
    expect(screen.getByText('想尝试什么护理？').nextSibling).toHaveTextContent('眼部护理');
    expect(screen.getByText('想了解光子嫩肤疗程')).toBeInTheDocument();
    expect(screen.getByText('希望联系方式：微信')).toBeInTheDocument();
  });

  it('says so when nobody answered, and shows a failure without hiding the page', async () => {
    items = [];
    const { unmount } = render(<CampaignFeedbackCard campaignId={CAMPAIGN} survey={null} />);
    expect(await screen.findByText('暂无顾客回答问卷或预约咨询')).toBeInTheDocument();
    unmount();
    render(<CampaignFeedbackCard campaignId="00000000-0000-4000-8000-0000000000ff" survey={null} />);
    expect(await screen.findByText('顾客反馈加载失败')).toBeInTheDocument();
  });
});
