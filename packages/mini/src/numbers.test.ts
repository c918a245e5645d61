import { describe, expect, it } from 'vitest';
import { basisPointsToPercentString, formatCount, parsePercentInput } from './numbers.ts';

describe('counts', () => {
  it('group thousands', () => {
    expect([formatCount(0), formatCount(1_234_567), formatCount(-60_000)]).toEqual(['0', '1,234,567', '-60,000']);
  });
});

describe('percents typed by a manager', () => {
  it('read two decimals exactly, where Number(text) * 100 is off by a hair', () => {
    expect(
      ['2.55', '0.29', '1.15', '4.35', '9.95', '12.5', '5', ' 100 '].map((t) => parsePercentInput(t, 0, 100)),
    ).toEqual([255, 29, 115, 435, 995, 1250, 500, 10_000]);
  });

  it('refuse more decimals, signs, words and anything outside the range', () => {
    expect(['2.555', '-1', '1e2', '', '五', '.5', '50.01'].map((t) => parsePercentInput(t, 0, 50))).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('show basis points as the percent that parses back to them', () => {
    for (const bp of [0, 5, 29, 255, 500, 1250, 10_000]) {
      const shown = basisPointsToPercentString(bp);
      expect(parsePercentInput(shown, 0, 100)).toBe(bp);
    }
    expect([basisPointsToPercentString(1250), basisPointsToPercentString(500), basisPointsToPercentString(5)]).toEqual([
      '12.5',
      '5',
      '0.05',
    ]);
  });
});
