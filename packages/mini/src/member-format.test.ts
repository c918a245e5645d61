import type { CreditItem } from '@lumi/shared';
import { describe, expect, it } from 'vitest';
import {
  couponConditionText,
  couponState,
  couponSummary,
  couponValueText,
  discountText,
  instalmentView,
  multiplierText,
  nextTier,
  packageCardExpiry,
  pointsWithWorth,
  sessionsLeftText,
} from './member-format.ts';

describe('points and tiers', () => {
  it('gives points their worth at the salon rate, in fen', () => {
    expect(pointsWithWorth(1_200, 1)).toBe('1,200 积分（价值 ¥12.00）');
    expect(pointsWithWorth(3, 5)).toBe('3 积分（价值 ¥0.15）');
    expect(pointsWithWorth(500, 0)).toBe('500 积分');
  });

  it('writes discounts the Chinese way and multipliers as times', () => {
    expect(discountText(500)).toBe('95折');
    expect(discountText(1_000)).toBe('9折');
    expect(discountText(1_250)).toBe('87.5折');
    expect(discountText(0)).toBe('无折扣');
    expect(multiplierText(150)).toBe('1.5倍积分');
    expect(multiplierText(100)).toBe('1倍积分');
    expect(multiplierText(125)).toBe('1.25倍积分');
  });

  it('finds what the next tier needs, and nothing at the top', () => {
    const ladder = [
      { name: '金卡', thresholdFen: 500_000 },
      { name: '银卡', thresholdFen: 100_000 },
    ];
    expect(nextTier(ladder, 0)).toEqual({ name: '银卡', thresholdFen: 100_000, missingFen: 100_000 });
    expect(nextTier(ladder, 100_000)).toEqual({ name: '金卡', thresholdFen: 500_000, missingFen: 400_000 });
    expect(nextTier(ladder, 600_000)).toBeNull();
    expect(nextTier([], 0)).toBeNull();
  });
});

describe('coupons', () => {
  const now = new Date('2026-03-10T04:00:00Z');
  const base = { validFrom: '2026-03-01T00:00:00Z', validTo: '2026-03-31T15:59:59Z' } as const;

  it('is usable, used, expired or void as its status and dates say', () => {
    expect(couponState({ ...base, status: 'issued' }, now)).toBe('usable');
    expect(couponState({ ...base, status: 'reserved' }, now)).toBe('usable');
    expect(couponState({ ...base, status: 'redeemed' }, now)).toBe('used');
    expect(couponState({ ...base, status: 'void' }, now)).toBe('void');
    expect(couponState({ ...base, status: 'issued' }, new Date('2026-04-01T00:00:00Z'))).toBe('expired');
    expect(couponState({ ...base, status: 'issued' }, new Date('2026-02-01T00:00:00Z'))).toBe('not_yet');
  });

  it('says what it gives and on what condition', () => {
    const none = { amountOffFen: null, percentOffBasisPoints: null, maxDiscountFen: null, addonName: null };
    expect(couponValueText({ ...none, kind: 'amount_off', amountOffFen: 5_000 })).toBe('立减 ¥50.00');
    expect(
      couponValueText({ ...none, kind: 'percent_off', percentOffBasisPoints: 1_000, maxDiscountFen: 10_000 }),
    ).toBe('9折（最多减 ¥100.00）');
    expect(couponValueText({ ...none, kind: 'free_addon', addonName: '肩颈放松' })).toBe('赠送 肩颈放松');
    expect(couponConditionText({ ...base, minSpendFen: 30_000 })).toBe('满 ¥300.00 可用 · 2026-03-01 至 2026-03-31');
    expect(couponConditionText({ ...base, minSpendFen: 0 })).toBe('无门槛 · 2026-03-01 至 2026-03-31');
  });

  it('puts a coupon on one line the same way wherever it is picked (the till, the shop)', () => {
    const none = { amountOffFen: null, percentOffBasisPoints: null, maxDiscountFen: null, addonName: null };
    expect(couponSummary({ ...base, ...none, kind: 'amount_off', amountOffFen: 2_000, minSpendFen: 20_000 })).toBe(
      '立减 ¥20.00 · 满 ¥200.00 可用 · 2026-03-01 至 2026-03-31',
    );
    // A campaign's offer before it is issued leaves the fields that do not apply out instead of null.
    expect(couponValueText({ kind: 'percent_off', percentOffBasisPoints: 1_500 })).toBe('85折');
  });
});

describe('instalments', () => {
  const item = (over: Partial<CreditItem>): CreditItem => ({
    id: 'i1',
    saleId: 's1',
    seq: 2,
    of: 3,
    dueDate: '2026-03-12',
    amountFen: 33_334,
    paidFen: 0,
    outstandingFen: 33_334,
    status: 'open',
    overdueDays: 0,
    paidAt: null,
    ...over,
  });
  // 12:30 on 10 March in Beijing.
  const now = new Date('2026-03-10T04:30:00Z');

  it('marks due soon, overdue and paid in Beijing days', () => {
    expect(instalmentView(item({}), now)).toMatchObject({
      label: '第 2/3 期',
      dueText: '2026-03-12',
      amountText: '¥333.34',
      outstandingText: '¥333.34',
      state: 'due_soon',
      stateText: '2 天后到期',
    });
    expect(instalmentView(item({ dueDate: '2026-03-10' }), now).stateText).toBe('今天到期');
    expect(instalmentView(item({ dueDate: '2026-03-07', overdueDays: 3 }), now)).toMatchObject({
      state: 'overdue',
      stateText: '已逾期 3 天',
    });
    expect(instalmentView(item({ dueDate: '2026-04-12' }), now).state).toBe('upcoming');
    expect(
      instalmentView(item({ status: 'paid', paidFen: 33_334, outstandingFen: 0, of: 1, seq: 1 }), now),
    ).toMatchObject({ label: '到期还款', state: 'paid', stateText: '已还清', outstandingText: '' });
  });

  it('counts the day in Beijing even late at night UTC', () => {
    // 23:30 on 10 March UTC is already 11 March in Beijing.
    expect(instalmentView(item({}), new Date('2026-03-10T23:30:00Z')).stateText).toBe('1 天后到期');
  });
});

describe('package cards', () => {
  it('counts sessions left of the total, grouped like every other count', () => {
    expect(sessionsLeftText({ sessionsLeft: 7, sessionsTotal: 10 })).toBe('剩余 7/10 次');
    expect(sessionsLeftText({ sessionsLeft: 0, sessionsTotal: 1_200 })).toBe('剩余 0/1,200 次');
  });

  it('says until when a card is valid, or since when it has lapsed', () => {
    expect(packageCardExpiry({ expired: false, expiresOn: '2026-12-31' })).toBe('有效期至 2026-12-31');
    expect(packageCardExpiry({ expired: true, expiresOn: '2026-01-31' })).toBe('已过期（2026-01-31）');
  });
});
