/**
 * Business days are Asia/Shanghai calendar days (YYYY-MM-DD strings). Arithmetic on them goes through UTC
 * midnights, so it is exact and independent of the server's time zone (Shanghai has no daylight saving).
 */
const DAY_MS = 86_400_000;
const SHANGHAI = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });

export function shanghaiDay(at: Date): string {
  return SHANGHAI.format(at);
}

function utcMidnight(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

const format = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  return format(utcMidnight(date) + days * DAY_MS);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS);
}

/**
 * The same day of the month `months` later, clamped to the month's last day: 01-31 + 1 month → 02-28 (or 29),
 * + 2 months → 03-31. Instalment dates are all computed from the first one, so a short month never drifts later
 * ones.
 */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const monthIndex = m - 1 + months;
  const year = y + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return format(Date.UTC(year, month, Math.min(d, lastDay)));
}

/** Whole months from `from` to `to` (e.g. 2025-01-31 → 2025-02-28 is 0, → 2025-03-01 is 1). */
export function monthsBetween(from: string, to: string): number {
  const [y1, m1, d1] = from.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = to.split('-').map(Number) as [number, number, number];
  return (y2 - y1) * 12 + (m2 - m1) - (d2 < d1 ? 1 : 0);
}

/** Start of a Shanghai business day as an instant. */
export function shanghaiDayStart(date: string): Date {
  return new Date(utcMidnight(date) - 8 * 3600 * 1000);
}
