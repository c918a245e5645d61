import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { fakeTaro, setCurrentPages } from '@lumi/mini/testing';
import type { CustomerProfile, MyConsents } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { failing, ok, serve } from '../testing/serve.ts';
import ProfilePage from './index/index.tsx';

const profile: CustomerProfile = {
  id: '00000000-0000-4000-8000-000000000001',
  tenantId: '00000000-0000-4000-8000-000000000002',
  tenantName: '示例美容院',
  name: '林小雅',
  phone: '13910000000',
  gender: 'female',
  birthday: '1990-05-20',
  tags: [],
  // 16:30 UTC on the last day of 2024 is already 1 January 2025 in Beijing.
  memberSince: '2024-12-31T16:30:00Z',
  brandColor: '#a97c50',
};

beforeEach(() => setCurrentPages(['pages/me/index', 'profile/index/index']));

describe('我的资料', () => {
  it('shows name, phone, birthday and 入会时间, and withdraws a consent after she confirms', async () => {
    let consents: MyConsents = {
      marketing: true,
      sms: false,
      subscriptions: [{ templateId: 'sim-bill-settled', available: 2 }],
    };
    const seen = serve({
      'GET /me': ok(profile),
      'GET /me/consents': () => ok(consents)(),
      'POST /me/consents/withdrawal': () => {
        consents = { ...consents, subscriptions: [] };
        return ok(consents)();
      },
    });
    render(<ProfilePage />);
    expect(await screen.findByText('13910000000')).toBeInTheDocument();
    expect(screen.getByText('1990-05-20')).toBeInTheDocument();
    expect(screen.getByText('2025年1月1日')).toBeInTheDocument();
    expect(screen.getByText('还可接收 2 条账单、还款等微信通知')).toBeInTheDocument();
    expect(screen.getByText('未授权')).toBeInTheDocument();

    const buttons = screen.getAllByRole('button', { name: '撤回' });
    expect(buttons).toHaveLength(2);
    fireEvent.click(buttons[1] as HTMLElement);
    await waitFor(() => expect(fakeTaro.showModal).toHaveBeenCalled());
    await waitFor(() => expect(screen.getByText('下次操作时可重新订阅')).toBeInTheDocument());
    expect(seen.find((r) => r.url.endsWith('/withdrawal'))?.data).toEqual({ consent: 'subscriptions' });
  });

  it('shows a failure with a way back', async () => {
    serve({ 'GET /me': failing(503, 'SERVICE_UNAVAILABLE'), 'GET /me/consents': ok({}) });
    render(<ProfilePage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('服务暂时不可用');
    expect(screen.getByRole('button', { name: '返回' })).toBeInTheDocument();
  });
});
