/** Fetch a new code this long before the current one expires, so the till never scans a dead one. */
export const REFRESH_MARGIN_MS = 10_000;
/** However long a code lives, ask again at least this often and never more than once per this floor. */
const MIN_DELAY_MS = 5_000;
const MAX_DELAY_MS = 5 * 60_000;

/** How long to wait before fetching the next code. */
export function refreshDelay(expiresAt: string, now: number): number {
  const untilRefresh = Date.parse(expiresAt) - now - REFRESH_MARGIN_MS;
  if (!Number.isFinite(untilRefresh)) return MIN_DELAY_MS;
  return Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, untilRefresh));
}
