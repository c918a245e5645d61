import { describe, expect, it } from 'vitest';
import { billStatusLabel, tenderText } from './bill-format.ts';
import {
  allocateTenders,
  fillRemaining,
  parsePointsInput,
  parseYuanInput,
  type TenderWallet,
  tenderAvailability,
} from './tender-allocation.ts';

const wallet = (over: Partial<TenderWallet> = {}): TenderWallet => ({
  totalFen: 50_000,
  points: 2_000,
  credit: { owedFen: 10_000, limitFen: 30_000 },
  ...over,
});

describe('parseYuanInput', () => {
  it('reads yuan as integer fen without floating point', () => {
    expect(parseYuanInput('388')).toEqual({ ok: true, fen: 38_800 });
    expect(parseYuanInput(' 0.1 ')).toEqual({ ok: true, fen: 10 });
    expect(parseYuanInput('19.99')).toEqual({ ok: true, fen: 1_999 });
    expect(parseYuanInput('')).toEqual({ ok: true, fen: 0 });
  });

  it('refuses what is not an amount, a third decimal, a negative or more than one tender may carry', () => {
    expect(parseYuanInput('1.005')).toEqual({ ok: false, message: '请输入正确的金额，最多两位小数' });
    expect(parseYuanInput('1e3')).toMatchObject({ ok: false });
    expect(parseYuanInput('abc')).toMatchObject({ ok: false });
    expect(parseYuanInput('-5')).toEqual({ ok: false, message: '金额不能为负数' });
    expect(parseYuanInput('1000000.01')).toMatchObject({ ok: false });
    expect(parseYuanInput('1000000')).toEqual({ ok: true, fen: 100_000_000 });
  });

  it('reads points as whole numbers', () => {
    expect(parsePointsInput('500')).toEqual({ ok: true, points: 500 });
    expect(parsePointsInput('')).toEqual({ ok: true, points: 0 });
    expect(parsePointsInput('1.5')).toEqual({ ok: false, message: '积分须为整数' });
  });
});

describe('tenderAvailability', () => {
  it('caps stored value at the balance, points at their value and a tab at the headroom', () => {
    const a = tenderAvailability(wallet(), 2);
    expect(a.stored_value).toMatchObject({ allowed: true, capFen: 50_000 });
    expect(a.points).toMatchObject({ allowed: true, capFen: 4_000 });
    expect(a.credit).toMatchObject({ allowed: true, capFen: 20_000 });
    expect(a.cash).toEqual({ allowed: true, capFen: null, note: null });
    expect(a.card.allowed && a.wechat.allowed).toBe(true);
  });

  it('rules out what the customer does not have', () => {
    const a = tenderAvailability(wallet({ totalFen: 0, points: 0, credit: { owedFen: 0, limitFen: null } }), 1);
    expect(a.stored_value).toMatchObject({ allowed: false, note: '无储值余额' });
    expect(a.points).toMatchObject({ allowed: false, note: '无可用积分' });
    expect(a.credit).toMatchObject({ allowed: false, note: '未开通挂账' });
    expect(tenderAvailability(wallet({ credit: { owedFen: 0, limitFen: 0 } }), 1).credit.note).toBe('未开通挂账');
    const full = tenderAvailability(wallet({ credit: { owedFen: 30_000, limitFen: 30_000 } }), 1);
    expect(full.credit).toMatchObject({ allowed: false, note: '挂账额度已用完' });
    expect(tenderAvailability(wallet(), 0).points.allowed).toBe(false);
  });
});

describe('allocateTenders', () => {
  const availability = tenderAvailability(wallet(), 1);

  it('tracks what is left to allocate and sends nothing until the tenders add up exactly', () => {
    const part = allocateTenders(38_800, { stored_value: { text: '300' } }, availability, 1);
    expect(part).toMatchObject({ allocatedFen: 30_000, remainingFen: 8_800, tenders: null });
    expect(part.blocker).toBe('还差 ¥88.00 未分配');

    const exact = allocateTenders(38_800, { stored_value: { text: '300' }, cash: { text: '88' } }, availability, 1);
    expect(exact).toMatchObject({ remainingFen: 0, blocker: null });
    expect(exact.tenders).toEqual([
      { method: 'stored_value', amountFen: 30_000 },
      { method: 'cash', amountFen: 8_800 },
    ]);

    const over = allocateTenders(38_800, { cash: { text: '400' } }, availability, 1);
    expect(over).toMatchObject({ remainingFen: -1_200, tenders: null, blocker: '多分配了 ¥12.00' });
  });

  it('values points at the tenant rate and leaves empty fields out', () => {
    const result = allocateTenders(
      10_000,
      { points: { text: '2000' }, cash: { text: '80' }, card: { text: '' } },
      tenderAvailability(wallet(), 1),
      1,
    );
    expect(result.tenders).toEqual([
      { method: 'points', points: 2_000 },
      { method: 'cash', amountFen: 8_000 },
    ]);
  });

  it('marks a field over its cap, unreadable, or a card without its reference', () => {
    const result = allocateTenders(
      100_000,
      { stored_value: { text: '600' }, cash: { text: '1.234' }, card: { text: '10' } },
      availability,
      1,
    );
    expect(result.lines).toEqual([
      { method: 'stored_value', fen: 60_000, error: '超出可用额度 ¥500.00' },
      { method: 'cash', fen: 0, error: '请输入正确的金额，最多两位小数' },
      { method: 'card', fen: 1_000, error: '请填写刷卡凭证号' },
    ]);
    expect(result).toMatchObject({ tenders: null, blocker: '请先修正标红的金额' });
    const withRef = allocateTenders(1_000, { card: { text: '10', reference: ' A1234 ' } }, availability, 1);
    expect(withRef.tenders).toEqual([{ method: 'card', amountFen: 1_000, reference: 'A1234' }]);
  });

  it('refuses a tender the customer cannot use and a bill of 0', () => {
    const none = tenderAvailability(wallet({ totalFen: 0 }), 1);
    expect(allocateTenders(100, { stored_value: { text: '1' } }, none, 1).lines[0]?.error).toBe('无储值余额');
    expect(allocateTenders(0, {}, availability, 1)).toMatchObject({
      tenders: null,
      blocker: '本单金额为 0，暂不支持结账',
    });
  });
});

describe('fillRemaining', () => {
  const availability = tenderAvailability(wallet(), 3);

  it('covers what is open within the tender cap', () => {
    expect(fillRemaining('cash', 0, 38_800, availability.cash, 3)).toBe('388.00');
    expect(fillRemaining('stored_value', 0, 80_000, availability.stored_value, 3)).toBe('500.00');
    // Already 100 in the field and 50 still open: the field should say 150.
    expect(fillRemaining('cash', 10_000, 5_000, availability.cash, 3)).toBe('150.00');
  });

  it('rounds points down so they never pay more than is owed', () => {
    expect(fillRemaining('points', 0, 100, availability.points, 3)).toBe('33');
    expect(fillRemaining('points', 0, 2, availability.points, 3)).toBe('');
    expect(
      fillRemaining(
        'credit',
        0,
        100,
        tenderAvailability(wallet({ credit: { owedFen: 0, limitFen: null } }), 1).credit,
        1,
      ),
    ).toBe('');
  });
});

describe('bill labels', () => {
  it('tells a bill waiting for WeChat Pay from one waiting for a confirmation', () => {
    expect(
      billStatusLabel({ status: 'awaiting_customer', tenders: [{ method: 'wechat', amountFen: 1 }], refundedFen: 0 }),
    ).toBe('待微信支付');
    expect(
      billStatusLabel({
        status: 'awaiting_customer',
        tenders: [{ method: 'stored_value', amountFen: 1 }],
        refundedFen: 0,
      }),
    ).toBe('待顾客确认');
    expect(billStatusLabel({ status: 'settled', tenders: [], refundedFen: 0 })).toBe('已结账');
    expect(billStatusLabel({ status: 'settled', tenders: [], refundedFen: 100 })).toBe('已结账（部分退款）');
    expect(billStatusLabel({ status: 'voided', tenders: [], refundedFen: 100 })).toBe('已撤销');
  });

  it('writes tenders in Chinese', () => {
    expect(tenderText({ method: 'stored_value', amountFen: 10_000 })).toBe('储值 ¥100.00');
    expect(tenderText({ method: 'points', points: 1_500 })).toBe('积分 1,500');
    expect(tenderText({ method: 'card', amountFen: 8_800, reference: 'A1234' })).toBe('银行卡 ¥88.00（凭证 A1234）');
    expect(tenderText({ method: 'card', amountFen: 8_800 })).toBe('银行卡 ¥88.00');
  });
});
