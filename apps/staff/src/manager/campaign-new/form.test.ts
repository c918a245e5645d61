import { describe, expect, it } from 'vitest';
import { capOf, insideQuietHours, NO_FILTERS, offerOf, rulesOf, sendTimeOf } from './form.ts';

describe('the new campaign form', () => {
  it('turns the coupon fields into fen', () => {
    expect(offerOf(' ', '50', '200.5', '30')).toEqual({
      kind: 'amount_off',
      title: '回店礼',
      amountOffFen: 5_000,
      minSpendFen: 20_050,
      validDays: 30,
    });
    expect(offerOf('礼', '0', '0', '30')).toBe('请填写减免金额');
    expect(offerOf('礼', '5', '0', '400')).toBe('有效天数为 1–365 天');
  });

  it('makes rules only of the filters filled in', () => {
    expect(rulesOf(NO_FILTERS)).toEqual({});
    expect(
      rulesOf({
        segments: ['dormant'],
        tierIds: [null],
        storeIds: ['s1'],
        lastVisitDaysAgo: '60',
        spendMin: '500',
        spendMax: '',
      }),
    ).toEqual({
      segments: ['dormant'],
      tierIds: [null],
      storeIds: ['s1'],
      lastVisitDaysAgo: { min: 60 },
      spendFen: { min: 50_000 },
    });
    expect(rulesOf({ ...NO_FILTERS, spendMin: '800', spendMax: '300' })).toBe('消费下限不能高于上限');
    expect(rulesOf({ ...NO_FILTERS, lastVisitDaysAgo: '6.5' })).toBe('未到店天数请填写整数');
  });

  it('reads the frequency cap', () => {
    expect(capOf('2', '30')).toEqual({ maxMessages: 2, perDays: 30 });
    expect(capOf('0', '30')).toBe('频次上限为 1–50 条');
    expect(capOf('2', '')).toBe('频次周期为 1–365 天');
  });

  it('reads a send time in Shanghai time, later than now', () => {
    const now = new Date('2026-05-01T01:00:00Z'); // 09:00 Shanghai
    expect(sendTimeOf('2026-05-02', '10:00', now)).toBe('2026-05-02T02:00:00.000Z');
    expect(sendTimeOf('2026-05-01', '08:59', now)).toEqual({ problem: '发送时间须晚于现在' });
    expect(sendTimeOf('5/2', '10:00', now)).toEqual({ problem: '请按 2026-05-01 10:00 的格式填写发送时间' });
  });

  it('knows quiet hours across midnight', () => {
    const quiet = { start: '21:00', end: '09:00' };
    expect(['20:59', '21:00', '03:00', '08:59', '09:00'].map((t) => insideQuietHours(t, quiet))).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
  });
});
