import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allocateProportionally,
  fenToYuanString,
  formatFen,
  MoneyFormatError,
  parseYuan,
  runningShare,
} from './money.ts';

describe('parseYuan', () => {
  it.each([
    ['12.30', 1230],
    ['12.3', 1230],
    ['0.01', 1],
    ['7', 700],
    ['-0.5', -50],
    [' 1000 ', 100000],
    ['0', 0],
  ])('parses %s as %i fen', (input, fen) => {
    expect(parseYuan(input)).toBe(fen);
  });

  it.each(['12.345', '1e3', 'abc', '', '12,30', '.5', '1.', 'NaN', '0x10'])('rejects %j', (input) => {
    expect(() => parseYuan(input)).toThrow(MoneyFormatError);
  });

  it('never loses a fen to floating point (0.07 × 100 would be 7.000000000000001)', () => {
    for (let fen = 0; fen < 100_000; fen += 7) {
      expect(parseYuan(fenToYuanString(fen))).toBe(fen);
    }
  });
});

describe('formatFen', () => {
  it('formats with the yuan sign, grouping and two decimals', () => {
    expect(formatFen(1230)).toBe('¥12.30');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(-1230)).toBe('-¥12.30');
    expect(formatFen(123456789)).toBe('¥1,234,567.89');
    expect(formatFen(123456789, { grouping: false })).toBe('¥1234567.89');
  });

  it('refuses non-integers', () => {
    expect(() => formatFen(12.5)).toThrow(MoneyFormatError);
  });
});

describe('allocateProportionally', () => {
  it('splits exactly and deterministically', () => {
    expect(allocateProportionally(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateProportionally(1000, [100000, 20000])).toEqual([833, 167]);
    expect(allocateProportionally(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocateProportionally(0, [0, 0])).toEqual([0, 0]);
  });

  it('always sums to the total', () => {
    for (let total = -500; total <= 5000; total += 37) {
      const weights = [total & 7, 3, (total >>> 2) & 15];
      const parts = allocateProportionally(total, weights);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
    }
  });

  it('refuses to allocate a non-zero total over zero weights', () => {
    expect(() => allocateProportionally(5, [0, 0])).toThrow(RangeError);
  });
});

describe('runningShare', () => {
  it('adds up to exactly the total however the units are taken', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 12 }),
        (total, steps) => {
          const base = steps.reduce((a, b) => a + b, 0);
          let before = 0;
          let taken = 0;
          for (const step of steps) {
            const part = runningShare(total, base, before, step);
            expect(part).toBeGreaterThanOrEqual(0);
            taken += part;
            before += step;
          }
          expect(taken).toBe(total);
        },
      ),
    );
  });

  it('refuses to share out more units than there are', () => {
    expect(() => runningShare(100, 3, 2, 2)).toThrow(RangeError);
    expect(runningShare(100, 3, 0, 1)).toBe(33);
    expect(runningShare(100, 3, 1, 1)).toBe(33);
    expect(runningShare(100, 3, 2, 1)).toBe(34);
  });
});
