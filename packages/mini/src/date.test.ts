import { describe, expect, it } from 'vitest';
import { formatChineseDate, formatDate, formatDateTime, todayInShanghai } from './date.ts';

describe('dates in Beijing time', () => {
  it('moves a late-evening UTC instant to the next Beijing day', () => {
    expect(formatDateTime('2026-03-04T16:30:00Z')).toBe('2026-03-05 00:30');
    expect(formatDate('2026-03-04T16:30:00Z')).toBe('2026-03-05');
    expect(formatDate('2026-03-04T15:59:59Z')).toBe('2026-03-04');
  });

  it('reads instants with any offset', () => {
    expect(formatDateTime('2026-03-05T09:05:00+08:00')).toBe('2026-03-05 09:05');
    expect(formatDateTime('2026-03-05T09:05:00-05:00')).toBe('2026-03-05 22:05');
    expect(formatDateTime(Date.UTC(2025, 11, 31, 16, 0))).toBe('2026-01-01 00:00');
    expect(formatChineseDate(new Date('2026-10-01T02:00:00+08:00'))).toBe('2026年10月1日');
  });

  it('keeps a calendar date as it is', () => {
    expect(formatDate('1990-06-15')).toBe('1990-06-15');
    expect(formatChineseDate('1990-06-15')).toBe('1990年6月15日');
  });

  it('gives an empty string for missing or unreadable input', () => {
    expect(formatDate(null)).toBe('');
    expect(formatDate(undefined)).toBe('');
    expect(formatDateTime('not a date')).toBe('');
  });

  it("knows today's Beijing date", () => {
    expect(todayInShanghai(new Date('2026-03-04T20:00:00Z'))).toBe('2026-03-05');
  });
});
