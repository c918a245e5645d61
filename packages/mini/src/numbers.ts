/**
 * 1234567 → "1,234,567", for points and sessions (integers). No Intl: not every WeChat JS engine has it.
 * A module of its own so the wallet on the home page can use it without pulling the ledger formatting (only the
 * 明细 page needs that) into the main package.
 */
export function formatCount(n: number): string {
  const sign = n < 0 ? '-' : '';
  return `${sign}${String(Math.abs(Math.trunc(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}
