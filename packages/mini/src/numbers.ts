/**
 * 1234567 → "1,234,567", for points and sessions (integers). No Intl: not every WeChat JS engine has it.
 * A module of its own so the wallet on the home page can use it without pulling the ledger formatting (only the
 * 明细 page needs that) into the main package.
 */
export function formatCount(n: number): string {
  const sign = n < 0 ? '-' : '';
  return `${sign}${String(Math.abs(Math.trunc(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

/**
 * Basis points as the percent a manager reads and types: 1250 → "12.5", 500 → "5". Integer arithmetic only, so
 * what is shown parses back to the same basis points (parsePercentInput).
 */
export function basisPointsToPercentString(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  const hundredths = String(Math.abs(basisPoints % 100))
    .padStart(2, '0')
    .replace(/0+$/, '');
  return hundredths === '' ? String(whole) : `${whole}.${hundredths}`;
}

/**
 * A percent typed with at most two decimals ("2.55", "12.5", "5") as basis points, read from the text itself:
 * `Number("2.55") * 100` is 254.99999999999997, which refused exact entries. Null when the text is not such a
 * percent or lies outside [min, max] (in percent).
 */
export function parsePercentInput(input: string, min: number, max: number): number | null {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(input.trim());
  if (!match) return null;
  const basisPoints = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return basisPoints < min * 100 || basisPoints > max * 100 ? null : basisPoints;
}
