import type { CampaignArmResult, Ratio, Uplift } from '@lumi/shared';

/**
 * Exact arithmetic for campaign results: rates stay fractions (BigInt numerator and denominator, reduced),
 * shown in basis points only at the end, and money is rounded once, half away from zero.
 */

const abs = (x: bigint) => (x < 0n ? -x : x);

function gcd(a: bigint, b: bigint): bigint {
  let x = abs(a);
  let y = abs(b);
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** ⌊n / d⌋ for d > 0 (BigInt division truncates toward zero; this floors). */
export function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n !== d < 0n ? q - 1n : q;
}

/** n / d rounded to the nearest integer, halves away from zero. */
export function roundDiv(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new RangeError('division by zero');
  const sign = n < 0n !== d < 0n ? -1n : 1n;
  const q = (2n * abs(n) + abs(d)) / (2n * abs(d));
  return sign * q;
}

const toSafe = (x: bigint): number => {
  const n = Number(x);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${x} is outside the safe integer range`);
  return n;
};

/** A reduced fraction with its value in basis points (floored); d = 0 gives basisPoints null. */
export function ratio(numerator: bigint | number, denominator: bigint | number): Ratio {
  let n = BigInt(numerator);
  let d = BigInt(denominator);
  if (d === 0n) return { numerator: toSafe(n), denominator: 0, basisPoints: null };
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d) || 1n;
  n /= g;
  d /= g;
  return { numerator: toSafe(n), denominator: toSafe(d), basisPoints: toSafe(floorDiv(10_000n * n, d)) };
}

export interface ArmCounts {
  customers: number;
  delivered: number;
  opened: number;
  couponsRedeemed: number;
  returned: number;
  revenueFen: number;
}

export function armResult(c: ArmCounts): CampaignArmResult {
  return {
    ...c,
    returnRate: ratio(c.returned, c.customers),
    revenuePerCustomerFen: c.customers === 0 ? null : toSafe(roundDiv(BigInt(c.revenueFen), BigInt(c.customers))),
  };
}

/**
 * Treated vs holdout. With n customers, r returned and v revenue per arm (t treated, h holdout):
 *   return-rate difference = r_t/n_t − r_h/n_h = (r_t·n_h − r_h·n_t) / (n_t·n_h)
 *   incremental returns    = r_t − n_t·r_h/n_h = (r_t·n_h − r_h·n_t) / n_h
 *   incremental revenue    = v_t − n_t·v_h/n_h, rounded half away from zero
 * Without a holdout (n_h = 0) or without treated customers there is nothing to compare: the difference has
 * denominator 0 and the incremental figures are null.
 */
export function computeUplift(treated: ArmCounts, holdout: ArmCounts): Uplift {
  const nt = BigInt(treated.customers);
  const nh = BigInt(holdout.customers);
  if (nt === 0n || nh === 0n) {
    return {
      returnRateDifference: { numerator: 0, denominator: 0, basisPoints: null },
      incrementalRevenueFen: null,
      incrementalReturns: null,
    };
  }
  const rt = BigInt(treated.returned);
  const rh = BigInt(holdout.returned);
  const cross = rt * nh - rh * nt;
  const returns = ratio(cross, nh);
  return {
    returnRateDifference: ratio(cross, nt * nh),
    incrementalRevenueFen: toSafe(roundDiv(BigInt(treated.revenueFen) * nh - BigInt(holdout.revenueFen) * nt, nh)),
    incrementalReturns: { numerator: returns.numerator, denominator: returns.denominator },
  };
}
