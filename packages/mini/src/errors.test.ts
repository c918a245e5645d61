import { ERROR_STATUS, type ErrorCode } from '@lumi/shared';
import { describe, expect, it } from 'vitest';
import { userMessage } from './errors.ts';

const CHINESE = /[\u4e00-\u9fff]/;

describe('userMessage', () => {
  it('has Chinese words for every code the API can answer', () => {
    for (const code of Object.keys(ERROR_STATUS) as ErrorCode[]) {
      const text = userMessage(code, 'English developer text');
      expect(text, code).toMatch(CHINESE);
      expect(text, code).not.toContain('English');
    }
  });

  it('never shows an English API message for a code it does not know, but keeps a Chinese fallback', () => {
    expect(userMessage('SOMETHING_NEW', 'Bill not found')).toBe('操作失败，请稍后重试');
    expect(userMessage('SOMETHING_NEW', '账单不存在')).toBe('账单不存在');
    expect(userMessage('toString')).toBe('操作失败，请稍后重试');
    expect(userMessage('NOT_FOUND', 'Bill not found')).toBe('没有找到这条记录，它可能已被撤销或删除');
  });

  it('names the bill a voucher sits on when the details carry it, and falls back to the table without', () => {
    expect(userMessage('VOUCHER_ON_OPEN_BILL', 'English', 409, { billNumber: 'B20261207-0003' })).toBe(
      '该服务券正在门店账单 B20261207-0003 中使用，该账单结账或取消后才能办理售后',
    );
    expect(userMessage('VOUCHER_ON_OPEN_BILL', 'English', 409, {})).toBe(
      '该服务券正在门店一张未结账单中使用，该账单结账或取消后才能办理售后',
    );
    expect(userMessage('VOUCHER_ON_OPEN_BILL', 'English', 409, null)).toMatch(/未结账单/);
  });
});
