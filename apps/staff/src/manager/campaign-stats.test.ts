import type { CampaignArmResult } from '@lumi/shared';
import { describe, expect, it } from 'vitest';
import { rateText, returnUplift, wilson } from './campaign-stats.ts';

const arm = (returned: number, customers: number): CampaignArmResult => ({
  customers,
  delivered: customers,
  opened: 0,
  couponsRedeemed: 0,
  returned,
  revenueFen: 0,
  returnRate: { numerator: returned, denominator: customers, basisPoints: null },
  revenuePerCustomerFen: null,
});

describe('campaign uplift with honest uncertainty', () => {
  it('matches the published Wilson interval', () => {
    // Newcombe (1998), example: 81/263 → 0.2553–0.3662.
    const { low, high } = wilson(81, 263);
    expect(low).toBeCloseTo(0.2553, 3);
    expect(high).toBeCloseTo(0.3662, 3);
  });

  it("matches Newcombe's method 10 for a difference of proportions", () => {
    // Newcombe (1998), table II example (56/70 vs 48/80): difference 0.2000, interval 0.0524–0.3339.
    const uplift = returnUplift(arm(56, 70), arm(48, 80));
    expect(uplift?.points).toBe(20);
    expect(uplift?.low).toBeCloseTo(5.2, 1);
    expect(uplift?.high).toBeCloseTo(33.4, 1);
    expect(uplift?.verdict).toBe('活动组回店率明显高于对照组');
  });

  it('says a small holdout cannot show much, even when the rates look far apart', () => {
    const uplift = returnUplift(arm(6, 20), arm(0, 3));
    expect(uplift?.points).toBe(30);
    expect(uplift?.low).toBeLessThan(0);
    expect(uplift?.verdict).toBe('差异在误差范围内，尚不能说明活动有效；人数较少（少于 30 人），结果仅供参考');
  });

  it('has nothing to compare without a holdout', () => {
    expect(returnUplift(arm(5, 20), arm(0, 0))).toBeNull();
    expect(rateText(arm(0, 0))).toBe('—');
    expect(rateText(arm(12, 40))).toBe('12 / 40 = 30.0%');
  });
});
