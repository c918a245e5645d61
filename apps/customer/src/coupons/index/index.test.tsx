import { fireEvent, render, screen } from '@testing-library/react';
import { setCurrentPages } from '@lumi/mini/testing';
import type { Coupon } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { failing, ok, serve } from '../../testing/serve.ts';
import CouponsPage from './index.tsx';

const coupon = (id: string, over: Partial<Coupon>): Coupon => ({
  id,
  customerId: '00000000-0000-4000-8000-000000000001',
  kind: 'amount_off',
  title: '回店礼',
  description: '',
  amountOffFen: 5_000,
  percentOffBasisPoints: null,
  maxDiscountFen: null,
  addonName: null,
  minSpendFen: 30_000,
  validFrom: '2026-01-01T00:00:00Z',
  validTo: '2099-01-01T00:00:00Z',
  status: 'issued',
  usable: true,
  campaignId: null,
  redeemedAt: null,
  ...over,
});

beforeEach(() => setCurrentPages(['pages/me/index', 'coupons/index/index']));

describe('优惠券', () => {
  it('sorts her coupons into usable, used and expired, with conditions', async () => {
    serve({
      'GET /me/coupons': ok({
        items: [
          coupon('00000000-0000-4000-8000-0000000000a1', { title: '满300减50', description: '满300减50元' }),
          coupon('00000000-0000-4000-8000-0000000000a2', {
            title: '生日券',
            status: 'redeemed',
            redeemedAt: '2026-02-01T04:00:00Z',
          }),
          coupon('00000000-0000-4000-8000-0000000000a3', { title: '旧券', validTo: '2020-01-01T00:00:00Z' }),
        ],
      }),
    });
    render(<CouponsPage />);
    expect(await screen.findByText('满300减50')).toBeInTheDocument();
    expect(screen.getByText('立减 ¥50.00')).toBeInTheDocument();
    expect(screen.getByText(/满 ¥300.00 可用/)).toBeInTheDocument();
    // One wording for both apps (@lumi/mini's formatter), not the server's stored description beside it.
    expect(screen.queryByText('满300减50元')).toBeNull();
    expect(screen.getByText('可使用（1）')).toBeInTheDocument();
    fireEvent.click(screen.getByText('已使用（1）'));
    expect(screen.getByText('生日券')).toBeInTheDocument();
    expect(screen.getByText('使用于 2026-02-01')).toBeInTheDocument();
    fireEvent.click(screen.getByText('已过期（1）'));
    expect(screen.getByText('旧券')).toBeInTheDocument();
  });

  it('says when a tab is empty, and shows a failure', async () => {
    serve({ 'GET /me/coupons': ok({ items: [] }) });
    const { unmount } = render(<CouponsPage />);
    expect(await screen.findByText('暂无可用优惠券')).toBeInTheDocument();
    unmount();
    serve({ 'GET /me/coupons': failing(503, 'SERVICE_UNAVAILABLE') });
    render(<CouponsPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('服务暂时不可用');
  });
});
