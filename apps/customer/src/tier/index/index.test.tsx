import { render, screen } from '@testing-library/react';
import { setCurrentPages } from '@lumi/mini/testing';
import type { CustomerTier, TierProgram } from '@lumi/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { ok, serve } from '../../testing/serve.ts';
import TierPage from './index.tsx';

const SILVER = '00000000-0000-4000-8000-0000000000b1';
const ladder: TierProgram = {
  basis: 'spend',
  windowDays: 365,
  levels: [
    { id: SILVER, name: '银卡', thresholdFen: 100_000, discountBasisPoints: 500, pointsMultiplierPercent: 120 },
    {
      id: '00000000-0000-4000-8000-0000000000b2',
      name: '金卡',
      thresholdFen: 500_000,
      discountBasisPoints: 1_000,
      pointsMultiplierPercent: 150,
    },
  ],
};
const tier: CustomerTier = {
  tierId: SILVER,
  name: '银卡',
  discountBasisPoints: 500,
  pointsMultiplierPercent: 120,
  qualifyingFen: 320_000,
  since: '2026-01-05T04:00:00Z',
};

beforeEach(() => setCurrentPages(['pages/me/index', 'tier/index/index']));

describe('会员等级', () => {
  it('shows her tier, its benefits, and what the next tier needs', async () => {
    serve({ 'GET /me/tier': ok(tier), 'GET /me/tier/ladder': ok(ladder) });
    render(<TierPage />);
    expect(await screen.findByText('银卡', { selector: '.tier__name' })).toBeInTheDocument();
    expect(screen.getByText('95折 · 1.2倍积分', { selector: '.m-hero__note' })).toBeInTheDocument();
    expect(screen.getByText('再消费 ¥1,800.00 即可升级为「金卡」')).toBeInTheDocument();
    expect(document.querySelector('.tier__level--mine')).toHaveTextContent('银卡');
  });

  it('at the top, and for a salon without a ladder', async () => {
    serve({ 'GET /me/tier': ok({ ...tier, qualifyingFen: 900_000 }), 'GET /me/tier/ladder': ok(ladder) });
    const { unmount } = render(<TierPage />);
    expect(await screen.findByText('您已是最高等级')).toBeInTheDocument();
    unmount();
    serve({
      'GET /me/tier': ok({ ...tier, tierId: null, name: null, discountBasisPoints: 0, pointsMultiplierPercent: 100 }),
      'GET /me/tier/ladder': ok({ ...ladder, levels: [] }),
    });
    render(<TierPage />);
    expect(await screen.findByText('门店暂未设置会员等级')).toBeInTheDocument();
  });
});
