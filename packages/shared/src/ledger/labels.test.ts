import { describe, expect, it } from 'vitest';
import { transferKindLabel } from './labels.ts';

describe('transfer kind labels', () => {
  it('names transfer kinds in Chinese, and unknown kinds without leaking the code', () => {
    expect(transferKindLabel('top_up')).toBe('充值');
    expect(transferKindLabel('spend')).toBe('消费');
    expect(transferKindLabel('package_sale')).toBe('购卡');
    expect(transferKindLabel('package_consumption')).toBe('次卡核销');
    expect(transferKindLabel('points_redemption')).toBe('积分抵扣');
    expect(transferKindLabel('bill')).toBe('结账');
    expect(transferKindLabel('reversal')).toBe('冲正');
    expect(transferKindLabel('top_up_refund')).toBe('储值退款');
    expect(transferKindLabel('bill_refund')).toBe('账单退款');
    expect(transferKindLabel('something_new')).toBe('账户变动');
  });
});
