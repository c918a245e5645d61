import { ApiError } from '@lumi/mini';
import { describe, expect, it } from 'vitest';
import { checkoutErrorMessage } from './errors.ts';

describe('checkoutErrorMessage', () => {
  it('reads a 403 as a job for the manager', () => {
    const error = new ApiError('FORBIDDEN', '没有权限执行此操作', 403);
    expect(checkoutErrorMessage(error, '撤销失败')).toBe('需要店长操作');
  });

  it("words the server's differenceFen both ways", () => {
    const short = new ApiError('BUSINESS_RULE_VIOLATED', 'x', 422, { differenceFen: 150 });
    const over = new ApiError('BUSINESS_RULE_VIOLATED', 'x', 422, { differenceFen: -2_000 });
    expect(checkoutErrorMessage(short, '')).toBe('支付金额与账单不符：还差 ¥1.50');
    expect(checkoutErrorMessage(over, '')).toBe('支付金额与账单不符：多了 ¥20.00');
  });

  it('says why a shop voucher cannot be a line, naming the bill that already has it', () => {
    const onBill = new ApiError('VOUCHER_NOT_USABLE', '该服务券已使用或已退款', 422, {
      reason: 'on_another_bill',
      billNumber: 'S01-20261207-0042',
      billStatus: 'awaiting_customer',
    });
    expect(checkoutErrorMessage(onBill, '')).toBe(
      '该服务券已在账单 S01-20261207-0042 中（等待顾客确认），请先处理该账单',
    );
    const open = new ApiError('VOUCHER_NOT_USABLE', 'x', 422, {
      reason: 'on_another_bill',
      billNumber: 'B-1',
      billStatus: 'open',
    });
    expect(checkoutErrorMessage(open, '')).toBe('该服务券已在账单 B-1 中（尚未结账），请先处理该账单');
    expect(checkoutErrorMessage(new ApiError('VOUCHER_NOT_USABLE', 'x', 422, { reason: 'used' }), '')).toBe(
      '该服务券已使用',
    );
    expect(checkoutErrorMessage(new ApiError('VOUCHER_NOT_USABLE', '该服务券已使用或已退款', 422), '')).toBe(
      '该服务券已使用或已退款',
    );
  });

  it("falls back to the API's message, or the page's own for anything else", () => {
    expect(checkoutErrorMessage(new ApiError('CONFLICT', '账单状态已变化', 409), '结账失败')).toBe('账单状态已变化');
    expect(checkoutErrorMessage(new Error('boom'), '结账失败')).toBe('结账失败');
  });
});
