/**
 * Money is always an integer number of fen (分). These helpers are the only place where a
 * yuan string becomes fen or the other way round, and they never touch floating point.
 */

const YUAN_PATTERN = /^(-)?(\d{1,12})(?:\.(\d{1,2}))?$/;

export class MoneyFormatError extends Error {
  constructor(input: string) {
    super(`Not a valid yuan amount: "${input}"`);
    this.name = 'MoneyFormatError';
  }
}

/** "12.30" → 1230, "-0.5" → -50, "7" → 700. Rejects more than two decimals, exponents and junk. */
export function parseYuan(input: string): number {
  const match = YUAN_PATTERN.exec(input.trim());
  if (!match) throw new MoneyFormatError(input);
  const [, sign, whole = '0', frac = ''] = match;
  const fen = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return sign && fen !== 0 ? -fen : fen;
}

/** 1230 → "12.30" (no currency sign); -5 → "-0.05". */
export function fenToYuanString(fen: number): string {
  assertFen(fen);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.trunc(abs / 100);
  const frac = String(abs % 100).padStart(2, '0');
  return `${sign}${whole}.${frac}`;
}

/** 1230 → "¥12.30", 123456789 → "¥1,234,567.89". */
export function formatFen(fen: number, options: { grouping?: boolean } = {}): string {
  const plain = fenToYuanString(fen);
  const negative = plain.startsWith('-');
  const [whole = '0', frac = '00'] = (negative ? plain.slice(1) : plain).split('.');
  const grouped = options.grouping === false ? whole : whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}¥${grouped}.${frac}`;
}

export function isFen(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

export function assertFen(value: number): void {
  if (!isFen(value)) throw new MoneyFormatError(String(value));
}

/**
 * Splits `total` into parts proportional to `weights`, exactly: the parts are integers that sum to
 * `total`. Remainders go to the largest fractional shares first (largest-remainder method), ties to the
 * earlier weight, so the result is deterministic. Used for principal/bonus splits and discount spreads.
 */
export function allocateProportionally(total: number, weights: readonly number[]): number[] {
  assertFen(total);
  const sumWeights = weights.reduce((a, b) => a + b, 0);
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) {
    throw new RangeError('weights must be non-negative integers');
  }
  if (sumWeights === 0) {
    if (total === 0) return weights.map(() => 0);
    throw new RangeError('cannot allocate a non-zero total over zero weights');
  }
  // BigInt keeps total * weight exact even when both are large.
  const bigTotal = BigInt(total);
  const bigSum = BigInt(sumWeights);
  const floors = weights.map((w) => (bigTotal * BigInt(w)) / bigSum);
  const remainders = weights.map((w, i) => bigTotal * BigInt(w) - (floors[i] as bigint) * bigSum);
  let left = Number(bigTotal - floors.reduce((a, b) => a + b, 0n));
  const order = weights
    .map((_, i) => i)
    .sort((a, b) => {
      const abs = (x: bigint) => (x < 0n ? -x : x);
      const diff = abs(remainders[b] as bigint) - abs(remainders[a] as bigint);
      return diff === 0n ? a - b : diff > 0n ? 1 : -1;
    });
  const parts = floors.map(Number);
  const step = left >= 0 ? 1 : -1;
  for (const i of order) {
    if (left === 0) break;
    parts[i] = (parts[i] as number) + step;
    left -= step;
  }
  return parts;
}

/**
 * The part of `total` that belongs to `now` more units out of `base`, when `before` units were already taken:
 * floor(total·(before+now)/base) − floor(total·before/base). Taking all `base` units in any number of steps adds
 * up to exactly `total`, so partial refunds of a discount, a bonus or earned points never drift by a fen.
 */
export function runningShare(total: number, base: number, before: number, now: number): number {
  for (const n of [total, base, before, now]) assertFen(n);
  if (base <= 0 || before < 0 || now < 0 || before + now > base) throw new RangeError('share out of range');
  const upTo = (units: number) => (BigInt(total) * BigInt(units)) / BigInt(base);
  return Number(upTo(before + now) - upTo(before));
}
