import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { readSession } from '@lumi/mini';
import { fakeTaro, setCurrentPages } from '@lumi/mini/testing';
import type { MyProfile, MyConsents } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { failing, ok, serve } from '../testing/serve.ts';
import ProfilePage from './index/index.tsx';

const profile: MyProfile = {
  id: '00000000-0000-4000-8000-000000000001',
  tenantId: '00000000-0000-4000-8000-000000000002',
  tenantName: '示例美容院',
  memberNo: '100001',
  name: '林小雅',
  phone: '13910000000',
  gender: 'female',
  birthday: '1990-05-20',
  tags: [],
  source: null,
  marketingConsent: true,
  // 16:30 UTC on the last day of 2024 is already 1 January 2025 in Beijing.
  memberSince: '2024-12-31T16:30:00Z',
  brandColor: '#a97c50',
  shopOpen: true,
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

  it('subscribes to campaign notices with the campaign template when she agreed to marketing messages', async () => {
    let consents: MyConsents = { marketing: true, sms: false, subscriptions: [] };
    const seen = serve({
      'GET /me': ok(profile),
      'GET /me/consents': () => ok(consents)(),
      'GET /me/subscriptions/templates': ok([
        { purpose: 'bill_settled', templateId: 'sim-bill-settled' },
        { purpose: 'campaign', templateId: 'sim-campaign' },
      ]),
      // H5 has no subscribe dialog: the simulator is told she accepted (packages/mini subscribe.ts).
      'POST http://sim.test/__control/subscriptions': ok({}),
      'POST /me/subscriptions': () => {
        consents = { ...consents, subscriptions: [{ templateId: 'sim-campaign', available: 1 }] };
        return { status: 201, body: { templateId: 'sim-campaign', available: 1 } };
      },
    });
    render(<ProfilePage />);
    expect(
      await screen.findByText('订阅后，门店的回店礼、会员活动用微信通知您（每订阅一次收一条）'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '订阅一次' }));
    expect(await screen.findByText('已订阅，还可接收 1 条回店礼、会员活动的微信通知')).toBeInTheDocument();
    // The simulator hears she accepted the campaign template (H5 has no dialog), then Lumi records the consent.
    const posts = seen.filter((r) => r.method === 'POST');
    expect(
      posts.map((r) => [r.url.replace(/^.*?(\/__control|\/me)/, '$1'), (r.data as { templateId: string }).templateId]),
    ).toEqual([
      ['/__control/subscriptions', 'sim-campaign'],
      ['/me/subscriptions', 'sim-campaign'],
    ]);
  });

  it('offers no campaign notices to a customer who withdrew marketing messages', async () => {
    serve({
      'GET /me': ok(profile),
      'GET /me/consents': ok({ marketing: false, sms: false, subscriptions: [] }),
      'GET /me/subscriptions/templates': ok([{ purpose: 'campaign', templateId: 'sim-campaign' }]),
    });
    render(<ProfilePage />);
    expect(await screen.findByText('13910000000')).toBeInTheDocument();
    expect(screen.queryByText('活动通知')).toBeNull();
  });

  it('binds the phone WeChat vouches for and keeps the tokens the API answers with', async () => {
    let bound = false;
    const consents: MyConsents = { marketing: false, sms: false, subscriptions: [] };
    const seen = serve({
      'GET /me': () => ok(bound ? profile : { ...profile, phone: null })(),
      'GET /me/consents': ok(consents),
      'POST http://sim.test/__control/phone-codes': ok({ code: 'phone-code-1' }),
      'POST /me/phone': () => {
        bound = true;
        return ok({ accessToken: 'a2', refreshToken: 'r2', expiresIn: 900, merged: true, customer: profile })();
      },
    });
    render(<ProfilePage />);
    expect(await screen.findByText('未绑定')).toBeInTheDocument();
    fireEvent.change(screen.getByPlaceholderText('模拟微信手机号'), { target: { value: '13910000000' } });
    fireEvent.click(screen.getByRole('button', { name: '微信手机号授权（模拟）' }));
    expect(await screen.findByText('13910000000')).toBeInTheDocument();
    expect(seen.find((r) => r.url.endsWith('/__control/phone-codes'))?.data).toMatchObject({ phone: '13910000000' });
    expect(seen.find((r) => r.url.endsWith('/me/phone'))?.data).toEqual({ code: 'phone-code-1' });
    expect(readSession()).toEqual({ accessToken: 'a2', refreshToken: 'r2' });
    // The reload after binding already carries the new token.
    expect(seen.at(-1)?.headers.Authorization ?? seen.at(-1)?.headers.authorization).toBe('Bearer a2');
  });

  it('shows a failure with a way back', async () => {
    serve({ 'GET /me': failing(503, 'SERVICE_UNAVAILABLE'), 'GET /me/consents': ok({}) });
    render(<ProfilePage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('服务暂时不可用');
    expect(screen.getByRole('button', { name: '返回' })).toBeInTheDocument();
  });
});
