import { fireEvent, render, screen } from '@testing-library/react';
import { fakeTaro, setCurrentPages } from '@lumi/mini/testing';
import type { MyProfile } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { failing, ok, serve } from '../../testing/serve.ts';
import MePage, { maskPhone } from './index.tsx';

const profile: MyProfile = {
  id: '00000000-0000-4000-8000-000000000001',
  tenantId: '00000000-0000-4000-8000-000000000002',
  tenantName: '示例美容院',
  memberNo: '100001',
  name: '林小雅',
  phone: '13910000000',
  gender: 'female',
  birthday: null,
  tags: [],
  source: null,
  marketingConsent: true,
  memberSince: '2025-01-01T02:00:00Z',
  brandColor: '#c2185b',
  shopOpen: true,
};

beforeEach(() => setCurrentPages(['pages/me/index']));

describe('我的', () => {
  it('links every member screen in one tap, counts unread messages, and applies the salon colour', async () => {
    serve({ 'GET /me': ok(profile), 'GET /me/messages': ok({ items: [], unread: 3 }) });
    render(<MePage />);
    expect(await screen.findByText('139****0000')).toBeInTheDocument();
    expect(await screen.findByText('3 条未读')).toBeInTheDocument();
    for (const [label, url] of [
      ['会员码', '/member/code/index'],
      ['积分', '/points/index/index'],
      ['次卡', '/cards/index/index'],
      ['挂账/分期', '/credit/index/index'],
      ['优惠券', '/coupons/index/index'],
      ['会员等级', '/tier/index/index'],
      ['消息', '/messages/index/index'],
      ['我的资料', '/profile/index/index'],
      ['对账单', '/profile/statement/index'],
    ]) {
      fireEvent.click(screen.getByText(label as string));
      expect(fakeTaro.navigateTo).toHaveBeenLastCalledWith({ url });
    }
    // The salon's look from /me: its colour, and 商城 among the tabs (remembered for the next launch).
    expect(fakeTaro.setNavigationBarColor).toHaveBeenCalledWith({ frontColor: '#ffffff', backgroundColor: '#c2185b' });
    expect(fakeTaro.getStorageSync('lumi.shopOpen')).toBe(true);
  });

  it('keeps the page when the messages cannot be counted, and shows a failed profile with 重试', async () => {
    serve({ 'GET /me': ok(profile), 'GET /me/messages': failing(503, 'SERVICE_UNAVAILABLE') });
    const { unmount } = render(<MePage />);
    expect(await screen.findByText('林小雅')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
    unmount();
    serve({ 'GET /me': failing(503, 'SERVICE_UNAVAILABLE'), 'GET /me/messages': ok({ items: [], unread: 0 }) });
    render(<MePage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('服务暂时不可用');
    expect(screen.getByRole('button', { name: '重试' })).toBeInTheDocument();
  });

  it('masks the middle of a phone number', () => {
    expect(maskPhone('13910000000')).toBe('139****0000');
    expect(maskPhone('+85212345678')).toBe('+85212345678');
  });
});
