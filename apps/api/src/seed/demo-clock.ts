import { createHash } from 'node:crypto';

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** China has one time zone and no daylight saving: Shanghai is always UTC+8. */
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

export type Random = () => number;

/**
 * A small deterministic PRNG so every demo database has the same history. Seeded with a constant, not the
 * tenant's id: that is a fresh uuid per database, and the histories it gave differed from one run to the next
 * (one in a while leaving 林小雅 almost no stored value, which the end-to-end tests rely on).
 */
export function prng(seed: string): Random {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0) || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

export const pickFrom =
  (random: Random) =>
  <T>(xs: readonly T[]): T =>
    xs[Math.floor(random() * xs.length)] as T;

/** Midnight in Shanghai of the day holding `ms`, as an instant. */
export function shanghaiMidnight(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
}

/**
 * A moment the salon is open (10:00–21:00 Asia/Shanghai) on the day holding `ms`. Appointments start by 20:00 so
 * the bill, closed an hour later, still falls inside opening hours.
 */
export function openingHours(ms: number, random: Random): number {
  const minutes = 10 * 60 + Math.floor(random() * 10 * 60);
  return shanghaiMidnight(ms) + minutes * 60_000;
}

/** The same Shanghai day, `minutes` later (a bill closes after the treatment; a top-up comes before it). */
export const later = (ms: number, minutes: number) => ms + minutes * 60_000;

/**
 * The desk's "now" for this morning's items: a bill opened then and settled within the hour (then questions and
 * requests) stays in opening hours and before the real time `ms`. The latest such moment — an hour before `ms`
 * while the salon takes appointments (10:00–20:00 Asia/Shanghai), 20:00 once it has stopped, last night's 20:00
 * before it opens — never in the future, never outside opening hours.
 */
export function deskNow(ms: number): number {
  const latest = ms - HOUR_MS;
  const midnight = shanghaiMidnight(latest);
  if (latest < midnight + 10 * HOUR_MS) return midnight - 4 * HOUR_MS;
  return Math.min(latest, midnight + 20 * HOUR_MS);
}
