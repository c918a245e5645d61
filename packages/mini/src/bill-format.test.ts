import type { Bill } from '@lumi/shared';
import { describe, expect, it } from 'vitest';
import {
  awaitsCustomer,
  billActions,
  billLineView,
  billStatus,
  disputeStatusLabel,
  disputeWindow,
  refundView,
  sortBillsForCustomer,
  tenderAmountText,
  tenderLabel,
  tendersText,
} from './bill-format.ts';
import { makeBill as bill, makeDispute as dispute } from './testing/index.ts';

const NOW = new Date('2026-03-05T06:00:00Z');
const LATER = '2026-03-05T06:30:00Z';
const EARLIER = '2026-03-05T05:30:00Z';

const waiting = (partial: Partial<Bill> = {}) =>
  bill({ status: 'awaiting_customer', confirmationRequired: true, holdExpiresAt: LATER, transferId: null, ...partial });

describe('tenders', () => {
  it('names every way of paying in Chinese', () => {
    expect(['stored_value', 'points', 'cash', 'card', 'wechat', 'credit'].map((m) => tenderLabel(m as never))).toEqual([
      '储值',
      '积分',
      '现金',
      '银行卡',
      '微信支付',
      '挂账',
    ]);
  });

  it('shows fen as money and points as points', () => {
    expect(tenderAmountText({ method: 'stored_value', amountFen: 12_345 })).toBe('¥123.45');
    expect(tenderAmountText({ method: 'points', points: 1_200 })).toBe('1,200 积分');
    expect(
      tendersText([
        { method: 'stored_value', amountFen: 30_000 },
        { method: 'points', points: 500 },
        { method: 'card', amountFen: 3_800, reference: '6222' },
      ]),
    ).toBe('储值 ¥300.00 · 积分 500 · 银行卡 ¥38.00（凭证 6222）');
  });
});

describe('bill status', () => {
  it('tells waiting, done, refunded and void bills apart', () => {
    expect(billStatus(waiting(), NOW)).toEqual({ label: '待确认', tone: 'waiting' });
    expect(billStatus(waiting({ holdExpiresAt: EARLIER }), NOW)).toEqual({ label: '已超时', tone: 'muted' });
    expect(billStatus(bill(), NOW)).toEqual({ label: '已完成', tone: 'done' });
    expect(billStatus(bill({ refundedFen: 10_000 }), NOW)).toEqual({ label: '部分退款', tone: 'refunded' });
    expect(billStatus(bill({ refundedFen: 38_800 }), NOW)).toEqual({ label: '已退款', tone: 'refunded' });
    expect(billStatus(bill({ status: 'voided' }), NOW)).toEqual({ label: '已撤销', tone: 'muted' });
    expect(billStatus(bill({ status: 'open' }), NOW)).toEqual({ label: '待结账', tone: 'muted' });
  });

  it('counts a bill as waiting only while its hold lasts', () => {
    expect(awaitsCustomer(waiting(), NOW)).toBe(true);
    expect(awaitsCustomer(waiting({ holdExpiresAt: EARLIER }), NOW)).toBe(false);
    expect(awaitsCustomer(waiting({ holdExpiresAt: null }), NOW)).toBe(true);
    expect(awaitsCustomer(bill(), NOW)).toBe(false);
  });

  it('puts bills still waiting first, then the newest', () => {
    const old = bill({ id: 'old', createdAt: '2026-03-01T00:00:00Z' });
    const recent = bill({ id: 'recent', createdAt: '2026-03-05T04:00:00Z' });
    const wait = waiting({ id: 'wait', createdAt: '2026-03-02T00:00:00Z' });
    const expired = waiting({ id: 'expired', holdExpiresAt: EARLIER, createdAt: '2026-03-05T05:00:00Z' });
    expect(sortBillsForCustomer([old, recent, expired, wait], NOW).map((b) => b.id)).toEqual([
      'wait',
      'expired',
      'recent',
      'old',
    ]);
  });
});

describe('dispute window', () => {
  it('is open until disputeUntil on settled bills only', () => {
    expect(disputeWindow(bill({ disputeUntil: LATER }), NOW)).toEqual({ state: 'open', untilText: '2026-03-05 14:30' });
    expect(disputeWindow(bill({ disputeUntil: EARLIER }), NOW)).toEqual({
      state: 'closed',
      untilText: '2026-03-05 13:30',
    });
    expect(disputeWindow(bill({ disputeUntil: NOW.toISOString() }), NOW).state).toBe('closed');
    // Confirmed first: the customer agreed, there is no window.
    expect(disputeWindow(bill({ disputeUntil: null }), NOW)).toEqual({ state: 'none' });
    expect(disputeWindow(bill({ status: 'voided', disputeUntil: LATER }), NOW)).toEqual({ state: 'none' });
  });

  it('names what became of a question', () => {
    expect(disputeStatusLabel('open')).toBe('处理中');
    expect(disputeStatusLabel('answered')).toBe('已答复');
    expect(disputeStatusLabel('reversed')).toBe('已撤销账单');
  });
});

describe('bill actions', () => {
  const none = { confirm: false, decline: false, wechatFen: null, dispute: false };

  it('offers 确认扣款 and 拒绝 on a bill waiting for the customer', () => {
    expect(billActions(waiting(), [], NOW)).toEqual({ ...none, confirm: true, decline: true });
  });

  it('offers 微信支付 for the WeChat part instead of 确认扣款, since paying confirms', () => {
    const split = waiting({
      tenders: [
        { method: 'stored_value', amountFen: 30_000 },
        { method: 'wechat', amountFen: 8_800 },
      ],
    });
    expect(billActions(split, [], NOW)).toEqual({ ...none, decline: true, wechatFen: 8_800 });
    // A bill waiting only for its WeChat part (the salon does not ask to confirm) is paid the same way.
    expect(billActions({ ...split, confirmationRequired: false }, [], NOW)).toEqual({
      ...none,
      decline: true,
      wechatFen: 8_800,
    });
  });

  it('offers nothing on a waiting bill whose hold ran out', () => {
    expect(billActions(waiting({ holdExpiresAt: EARLIER }), [], NOW)).toEqual(none);
  });

  it('offers 有疑问 while the window is open and no question is waiting for an answer', () => {
    const settled = bill({ disputeUntil: LATER });
    expect(billActions(settled, [], NOW)).toEqual({ ...none, dispute: true });
    expect(billActions(settled, [dispute()], NOW)).toEqual(none);
    expect(billActions(settled, [dispute({ status: 'answered', answer: '已核实' })], NOW)).toEqual({
      ...none,
      dispute: true,
    });
    expect(billActions(settled, [dispute({ billId: 'another' })], NOW)).toEqual({ ...none, dispute: true });
    expect(billActions(bill({ disputeUntil: EARLIER }), [], NOW)).toEqual(none);
  });
});

describe('refunds', () => {
  it('reads a refund or a void with its amount and where the money went', () => {
    const view = refundView({
      id: 'r1',
      kind: 'refund',
      amountFen: 18_800,
      lines: [],
      tenders: [
        { method: 'stored_value', amountFen: 10_000 },
        { method: 'wechat', amountFen: 8_800 },
      ],
      pointsClawedBack: 0,
      reason: '顾客过敏，未做完',
      staffId: 's1',
      transferId: 9,
      wechatOutRefundNo: null,
      createdAt: '2026-03-05T07:00:00Z',
    });
    expect(view).toEqual({
      id: 'r1',
      kindLabel: '退款',
      amountText: '¥188.00',
      timeText: '2026-03-05 15:00',
      reason: '顾客过敏，未做完',
      tendersText: '储值 ¥100.00 · 微信支付 ¥88.00',
    });
  });
});

describe('billLineView', () => {
  const line = (over: Partial<Bill['lines'][number]>): Bill['lines'][number] => ({
    id: '00000000-0000-4000-8000-0000000000c1',
    type: 'service',
    name: '深层补水护理',
    quantity: 1,
    listPriceFen: 26_800,
    unitPriceFen: 26_800,
    discountFen: 0,
    amountFen: 26_800,
    performerIds: [],
    ...over,
  });

  it('shows a discounted line at its price, with list price, discount and net that add up', () => {
    expect(billLineView(line({ discountFen: 2_000, amountFen: 24_800 }))).toEqual({
      amountText: '¥268.00',
      detailText: '原价 ¥268.00 · 优惠 -¥20.00 · 实付 ¥248.00',
    });
  });

  it('counts a cut unit price into the discount, and says nothing for a line at list price', () => {
    expect(billLineView(line({ quantity: 2, unitPriceFen: 25_000, amountFen: 50_000 })).detailText).toBe(
      '原价 ¥536.00 · 优惠 -¥36.00 · 实付 ¥500.00',
    );
    expect(billLineView(line({}))).toEqual({ amountText: '¥268.00', detailText: null });
    expect(billLineView(line({ type: 'package_session', amountFen: 0 })).amountText).toBe('次卡抵扣');
    expect(billLineView(line({ type: 'shop_voucher', amountFen: 0 }))).toEqual({
      amountText: '服务券抵扣',
      detailText: null,
    });
  });
});
