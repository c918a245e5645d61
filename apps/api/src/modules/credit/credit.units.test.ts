import { TenantCreditSettingsSchema } from '@lumi/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, monthsBetween, shanghaiDay } from './dates.ts';
import { addToBuckets, emptyBuckets } from './overdue.ts';
import { reminderKindFor } from './reminders.ts';
import { instalmentSchedule } from './schedule.ts';
import { factorText, suggestLimit } from './suggestion.ts';

describe('instalment schedules', () => {
  it('sum exactly to the principal in integer fen, differ by at most one fen, larger ones first (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.integer({ min: 1, max: 36 }),
        fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }),
        (principal, count, first) => {
          fc.pre(principal >= count);
          const firstDue = first.toISOString().slice(0, 10);
          const items = instalmentSchedule(principal, count, firstDue);
          const amounts = items.map((i) => i.amountFen);
          return (
            items.length === count &&
            amounts.reduce((s, a) => s + a, 0) === principal &&
            amounts.every((a) => Number.isSafeInteger(a) && a >= 1) &&
            Math.max(...amounts) - Math.min(...amounts) <= 1 &&
            // The remainder goes to the earliest instalments: amounts never increase.
            amounts.every((a, i) => i === 0 || a <= amounts[i - 1]!) &&
            // Monthly, strictly later each time, numbered 1…N.
            items.every((it, i) => it.seq === i + 1 && (i === 0 || it.dueDate > items[i - 1]!.dueDate))
          );
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('spreads a remainder deterministically and keeps the day of month through short months', () => {
    expect(instalmentSchedule(100_000, 3, '2026-01-31')).toEqual([
      { seq: 1, dueDate: '2026-01-31', amountFen: 33_334 },
      { seq: 2, dueDate: '2026-02-28', amountFen: 33_333 },
      { seq: 3, dueDate: '2026-03-31', amountFen: 33_333 },
    ]);
    expect(instalmentSchedule(5, 3, '2028-01-30').map((i) => [i.dueDate, i.amountFen])).toEqual([
      ['2028-01-30', 2],
      ['2028-02-29', 2],
      ['2028-03-30', 1],
    ]);
    expect(() => instalmentSchedule(2, 3, '2026-01-01')).toThrow(RangeError);
    expect(() => instalmentSchedule(10.5, 2, '2026-01-01')).toThrow(RangeError);
  });
});

describe('business days', () => {
  it('are Asia/Shanghai days', () => {
    expect(shanghaiDay(new Date('2026-03-01T15:59:59Z'))).toBe('2026-03-01');
    expect(shanghaiDay(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(daysBetween('2026-01-01', '2026-03-01')).toBe(59);
    expect(daysBetween('2026-03-01', '2026-01-01')).toBe(-59);
    expect(addMonths('2026-12-31', 2)).toBe('2027-02-28');
    expect(monthsBetween('2025-01-31', '2025-02-28')).toBe(0);
    expect(monthsBetween('2025-01-31', '2026-03-01')).toBe(13);
  });
});

describe('aging buckets', () => {
  it('put each amount in 1–30, 31–60, 61–90 or 90+ by days overdue', () => {
    const b = emptyBuckets();
    for (const [days, fen] of [
      [-3, 1],
      [0, 2],
      [1, 4],
      [30, 8],
      [31, 16],
      [60, 32],
      [61, 64],
      [90, 128],
      [91, 256],
      [400, 512],
    ] as const) {
      addToBuckets(b, days, fen);
    }
    expect(b).toEqual({
      notDueFen: 3,
      days1to30Fen: 12,
      days31to60Fen: 48,
      days61to90Fen: 192,
      days90plusFen: 768,
      overdueFen: 1020,
      owedFen: 1023,
    });
  });
});

describe('reminder stages', () => {
  const settings = TenantCreditSettingsSchema.parse({ remindDaysBeforeDue: [7, 3], remindOverdueDays: [1, 7, 30] });
  it('pick the latest stage reached, so a missed run catches up once', () => {
    expect(reminderKindFor(10, settings)).toBeNull();
    expect(reminderKindFor(7, settings)).toBe('before_due_7');
    expect(reminderKindFor(5, settings)).toBe('before_due_7');
    expect(reminderKindFor(3, settings)).toBe('before_due_3');
    expect(reminderKindFor(1, settings)).toBe('before_due_3');
    expect(reminderKindFor(0, settings)).toBe('due_today');
    expect(reminderKindFor(0, { ...settings, remindOnDueDate: false })).toBeNull();
    expect(reminderKindFor(-1, settings)).toBe('overdue_1');
    expect(reminderKindFor(-6, settings)).toBe('overdue_1');
    expect(reminderKindFor(-7, settings)).toBe('overdue_7');
    expect(reminderKindFor(-400, settings)).toBe('overdue_30');
  });
});

describe('suggested limit', () => {
  it('follows the documented formula with integer fen and explains each factor', () => {
    const s = suggestLimit(
      { spend12mFen: 1_234_567, tenureMonths: 26, paidOnTime: 9, paidLate: 1, maxDaysLate: 4, overdueNow: 0 },
      5_000_000,
    );
    // base ⌊1,234,567 × 20 %⌋ = 246,913; × 1.2 (tenure 12–36 months) × 1.0 (90 % on time) = 296,295.6 → ¥2,900.
    expect(s.factors).toMatchObject({ baseFen: 246_913, tenurePercent: 120, punctualityPercent: 100 });
    expect(s.suggestedLimitFen).toBe(290_000);
    expect(s.reasons).toEqual([
      '近12个月消费 ¥12,345.67，按20%计基础额度 ¥2,469.13',
      '成为会员 26 个月（1–3年，老客户），时长系数 ×1.2',
      '已还清 10 笔挂账，按时 9 笔、逾期 1 笔（按时率 90%，最长逾期 4 天），守时系数 ×1.0',
      '建议额度 ¥2,900.00（向下取整到百元）',
    ]);
  });

  it('gives nothing while something is overdue, and respects the cap', () => {
    const overdue = suggestLimit(
      { spend12mFen: 9_000_000, tenureMonths: 60, paidOnTime: 3, paidLate: 0, maxDaysLate: 0, overdueNow: 1 },
      5_000_000,
    );
    expect(overdue.suggestedLimitFen).toBe(0);
    expect(overdue.reasons[2]).toContain('已逾期未还');
    const capped = suggestLimit(
      { spend12mFen: 90_000_000, tenureMonths: 60, paidOnTime: 0, paidLate: 0, maxDaysLate: 0, overdueNow: 0 },
      5_000_000,
    );
    expect(capped.suggestedLimitFen).toBe(5_000_000);
    expect(capped.reasons.at(-1)).toContain('超过本店上限');
    expect(
      suggestLimit({ spend12mFen: 0, tenureMonths: 0, paidOnTime: 0, paidLate: 0, maxDaysLate: 0, overdueNow: 0 }, 1)
        .suggestedLimitFen,
    ).toBe(0);
    expect([50, 60, 100, 120, 150, 30].map(factorText)).toEqual(['0.5', '0.6', '1.0', '1.2', '1.5', '0.3']);
  });
});
