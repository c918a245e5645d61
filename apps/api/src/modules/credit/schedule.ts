import { addMonths } from './dates.ts';

export interface ScheduledItem {
  seq: number;
  dueDate: string;
  amountFen: number;
}

/**
 * Splits a principal into `count` instalments that sum to it exactly, in integer fen: each gets
 * ⌊principal ÷ count⌋ and the first (principal mod count) instalments one fen more, so the remainder is
 * distributed deterministically and no two instalments differ by more than one fen. Due dates fall monthly on
 * the first due date's day of the month (clamped to short months).
 */
export function instalmentSchedule(principalFen: number, count: number, firstDueDate: string): ScheduledItem[] {
  if (!Number.isSafeInteger(principalFen) || principalFen <= 0) throw new RangeError('principal must be positive fen');
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
  if (principalFen < count) throw new RangeError('every instalment must be at least one fen');
  const remainder = principalFen % count;
  const base = (principalFen - remainder) / count;
  return Array.from({ length: count }, (_, i) => ({
    seq: i + 1,
    dueDate: addMonths(firstDueDate, i),
    amountFen: base + (i < remainder ? 1 : 0),
  }));
}
