import { describe, expect, it } from 'vitest';
import { planTenders } from './tenders.ts';

const wallet = { totalFen: 10_000, points: 500 };

describe('planTenders', () => {
  it('pays the rest by WeChat after stored value and points', () => {
    expect(planTenders(20_000, { storedValue: '50', points: '100' }, wallet, 10)).toEqual({
      ok: true,
      tenders: [
        { method: 'stored_value', amountFen: 5_000 },
        { method: 'points', points: 100 },
        { method: 'wechat', amountFen: 14_000 },
      ],
      wechatFen: 14_000,
    });
  });

  it('needs no WeChat when stored value covers the order', () => {
    const plan = planTenders(8_000, { storedValue: '80', points: '' }, wallet, 1);
    expect(plan).toMatchObject({ ok: true, wechatFen: 0, tenders: [{ method: 'stored_value', amountFen: 8_000 }] });
  });

  it('refuses more than the wallet holds, more than the order, and bad input', () => {
    expect(planTenders(20_000, { storedValue: '200', points: '' }, wallet, 1)).toEqual({
      ok: false,
      message: '储值余额不足',
    });
    expect(planTenders(20_000, { storedValue: '', points: '600' }, wallet, 1)).toEqual({
      ok: false,
      message: '积分不足',
    });
    expect(planTenders(1_000, { storedValue: '20', points: '' }, wallet, 1)).toEqual({
      ok: false,
      message: '抵扣超过了订单金额',
    });
    expect(planTenders(1_000, { storedValue: '1.234', points: '' }, wallet, 1).ok).toBe(false);
  });
});
