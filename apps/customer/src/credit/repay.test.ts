import { describe, expect, it } from 'vitest';
import { repaymentPrefill } from './repay.ts';

const owing = (owedFen: number, overdueFen = 0) => ({ owedFen, overdueFen, nextDue: null });

describe('the repayment field before she types', () => {
  it('offers what she owes in yuan with two decimals', () => {
    expect(repaymentPrefill(owing(30_029))).toBe('300.29');
    expect(repaymentPrefill(owing(5))).toBe('0.05');
    expect(repaymentPrefill(owing(50_000, 12_010))).toBe('120.10');
  });

  it('is exact where dividing by 100 in floating point is not', () => {
    // (9007199254740985 / 100).toFixed(2) is "90071992547409.84": a float prefill would take a fen too little.
    expect(repaymentPrefill(owing(9_007_199_254_740_985))).toBe('90071992547409.85');
  });

  it('is empty when she owes nothing', () => {
    expect(repaymentPrefill(owing(0))).toBe('');
  });
});
