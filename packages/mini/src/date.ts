/**
 * Dates are shown in Beijing time whatever the phone's time zone. China has had no daylight saving since
 * 1991, so Asia/Shanghai is a fixed UTC+8 and plain arithmetic is exact. That avoids Intl time zones,
 * which not every WeChat JS engine ships.
 */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

export type DateInput = string | number | Date | null | undefined;

interface ShanghaiParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function shanghaiParts(input: DateInput): ShanghaiParts | null {
  if (input === null || input === undefined || input === '') return null;
  if (typeof input === 'string') {
    // A calendar date (a birthday) is not an instant: shifting it by a time zone would change the day.
    const dateOnly = DATE_ONLY.exec(input);
    if (dateOnly) {
      return { year: Number(dateOnly[1]), month: Number(dateOnly[2]), day: Number(dateOnly[3]), hour: 0, minute: 0 };
    }
  }
  const ms = input instanceof Date ? input.getTime() : typeof input === 'number' ? input : Date.parse(input);
  if (!Number.isFinite(ms)) return null;
  const shifted = new Date(ms + SHANGHAI_OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-03-05"; '' for a missing or unreadable date. */
export function formatDate(input: DateInput): string {
  const p = shanghaiParts(input);
  return p ? `${p.year}-${pad(p.month)}-${pad(p.day)}` : '';
}

/** "2026-03-05 14:30" */
export function formatDateTime(input: DateInput): string {
  const p = shanghaiParts(input);
  return p ? `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}` : '';
}

/** "2026年3月5日" */
export function formatChineseDate(input: DateInput): string {
  const p = shanghaiParts(input);
  return p ? `${p.year}年${p.month}月${p.day}日` : '';
}

/** Today's date in Beijing, "2026-03-05". */
export function todayInShanghai(now: Date = new Date()): string {
  return formatDate(now);
}
