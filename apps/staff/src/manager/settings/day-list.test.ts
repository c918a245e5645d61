import { describe, expect, it } from 'vitest';
import { dayListText, parseDayList } from './day-list.ts';

describe('reminder day lists', () => {
  it('reads Chinese and Latin separators, sorts, and an empty line is no reminders', () => {
    expect(parseDayList('15，1、 7', 1, 365, 10, '逾期提醒')).toEqual([1, 7, 15]);
    expect(parseDayList('  ', 1, 60, 5, '到期前提醒')).toEqual([]);
    expect(dayListText([1, 7, 15])).toBe('1, 7, 15');
  });

  it('names what is wrong: out of range, not a whole number, too many, repeated', () => {
    expect(parseDayList('0, 3', 1, 60, 5, '到期前提醒')).toBe('到期前提醒应为 1–60 的整数，用逗号分隔');
    expect(parseDayList('2.5', 1, 60, 5, '到期前提醒')).toBe('到期前提醒应为 1–60 的整数，用逗号分隔');
    expect(parseDayList('1 2 3 4 5 6', 1, 60, 5, '到期前提醒')).toBe('到期前提醒最多 5 个');
    expect(parseDayList('7, 7', 1, 365, 10, '逾期提醒')).toBe('逾期提醒不能重复');
  });
});
