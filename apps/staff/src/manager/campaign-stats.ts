import type { CampaignArmResult } from '@lumi/shared';

/** Below this many customers in either arm, the page says the groups are too small to read much into. */
export const SMALL_GROUP = 30;
const Z = 1.96;

/** Wilson score interval of x successes in n (95%): sensible for small n and for rates near 0 or 1. */
export function wilson(x: number, n: number): { low: number; high: number } {
  const p = x / n;
  const z2 = Z * Z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export interface ReturnUplift {
  /** Treated return rate − holdout return rate, in percentage points. */
  points: number;
  /** 95% interval of the difference (Newcombe's hybrid score method), in percentage points. */
  low: number;
  high: number;
  /** What a manager should take from it, in Chinese. */
  verdict: string;
  small: boolean;
}

/**
 * The uplift in return rate with its uncertainty, or null without a holdout (nothing to compare with). The
 * interval is Newcombe's method 10 (from the two Wilson intervals), which stays honest for a handful of
 * customers, where the usual ± formula claims far too much.
 */
export function returnUplift(treated: CampaignArmResult, holdout: CampaignArmResult): ReturnUplift | null {
  if (treated.customers === 0 || holdout.customers === 0) return null;
  const p1 = treated.returned / treated.customers;
  const p2 = holdout.returned / holdout.customers;
  const w1 = wilson(treated.returned, treated.customers);
  const w2 = wilson(holdout.returned, holdout.customers);
  const d = p1 - p2;
  const low = d - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2);
  const high = d + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2);
  const small = Math.min(treated.customers, holdout.customers) < SMALL_GROUP;
  const pct = (v: number) => Math.round(v * 1000) / 10;
  let verdict: string;
  if (low > 0) verdict = '活动组回店率明显高于对照组';
  else if (high < 0) verdict = '活动组回店率低于对照组';
  else verdict = '差异在误差范围内，尚不能说明活动有效';
  if (small) verdict += `；人数较少（少于 ${SMALL_GROUP} 人），结果仅供参考`;
  return { points: pct(d), low: pct(low), high: pct(high), verdict, small };
}

/** "12 / 40 = 30.0%" */
export function rateText(arm: CampaignArmResult): string {
  if (arm.customers === 0) return '—';
  return `${arm.returned} / ${arm.customers} = ${((arm.returned / arm.customers) * 100).toFixed(1)}%`;
}
