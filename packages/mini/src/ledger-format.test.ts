import { describe, expect, it } from 'vitest';
import { formatLedgerAmount, groupEntries, itemText } from './ledger-format.ts';
import { formatCount } from './numbers.ts';
import { makeEntry as entry } from './testing/index.ts';

const STORE = { id: '00000000-0000-4000-8000-000000000010', name: '示例美容院·国贸店' };
const STAFF = { id: '00000000-0000-4000-8000-000000000011', name: '王美丽' };

describe('ledger amounts', () => {
  it('formats fen as yuan, points and sessions as counts, with a sign for changes', () => {
    expect(formatLedgerAmount(100_000, 'CNY', { signed: true })).toBe('+¥1,000.00');
    expect(formatLedgerAmount(-29_800, 'CNY', { signed: true })).toBe('-¥298.00');
    expect(formatLedgerAmount(520_000, 'CNY')).toBe('¥5,200.00');
    expect(formatLedgerAmount(0, 'CNY', { signed: true })).toBe('¥0.00');
    expect(formatLedgerAmount(1_500, 'POINTS', { signed: true })).toBe('+1,500 积分');
    expect(formatLedgerAmount(-100, 'POINTS', { signed: true })).toBe('-100 积分');
    expect(formatLedgerAmount(-1, 'SESSIONS:00000000-0000-4000-8000-000000000099', { signed: true })).toBe('-1 次');
    expect(formatLedgerAmount(9, 'SESSIONS:00000000-0000-4000-8000-000000000099')).toBe('9 次');
    expect(formatCount(-1_234_567)).toBe('-1,234,567');
  });
});

describe('groupEntries', () => {
  it('shows a top-up as one event in Beijing time with its principal and bonus lines, principal first', () => {
    const groups = groupEntries([
      entry({
        id: 12,
        transferId: 7,
        kind: 'top_up',
        bucket: 'bonus',
        unit: 'CNY',
        amount: 20_000,
        balanceAfter: 45_000,
      }),
      entry({
        id: 11,
        transferId: 7,
        kind: 'top_up',
        bucket: 'principal',
        unit: 'CNY',
        amount: 100_000,
        balanceAfter: 350_000,
        store: STORE,
      }),
    ]);
    expect(groups).toEqual([
      {
        transferId: 7,
        kind: 'top_up',
        kindLabel: '充值',
        timeText: '2026-03-05 00:30',
        storeName: null,
        staffName: null,
        itemTexts: [],
        lines: [
          {
            entryId: 11,
            bucket: 'principal',
            bucketLabel: '本金',
            amountText: '+¥1,000.00',
            balanceText: '余额 ¥3,500.00',
            direction: 'in',
          },
          {
            entryId: 12,
            bucket: 'bonus',
            bucketLabel: '赠送金',
            amountText: '+¥200.00',
            balanceText: '余额 ¥450.00',
            direction: 'in',
          },
        ],
      },
    ]);
  });

  it('keeps the newest-first order of transfers and carries store, staff and items', () => {
    const groups = groupEntries([
      entry({
        id: 30,
        transferId: 20,
        kind: 'package_consumption',
        bucket: 'sessions',
        unit: 'SESSIONS:s1',
        amount: -1,
        balanceAfter: 9,
        store: STORE,
        staff: STAFF,
      }),
      entry({
        id: 29,
        transferId: 19,
        kind: 'spend',
        bucket: 'principal',
        unit: 'CNY',
        amount: -29_800,
        balanceAfter: 70_200,
        store: STORE,
        staff: STAFF,
        items: [{ name: '深层补水护理', quantity: 1, amountFen: 29_800 }],
      }),
      entry({
        id: 28,
        transferId: 19,
        kind: 'spend',
        bucket: 'points',
        unit: 'POINTS',
        amount: 298,
        balanceAfter: 1_298,
      }),
      entry({
        id: 27,
        transferId: 18,
        kind: 'credit_sale',
        bucket: 'credit',
        unit: 'CNY',
        amount: 30_000,
        balanceAfter: 30_000,
      }),
    ]);
    expect(
      groups.map((g) => [
        g.transferId,
        g.kindLabel,
        g.lines.map((l) => `${l.bucketLabel} ${l.amountText} ${l.balanceText}`),
      ]),
    ).toEqual([
      [20, '次卡核销', ['次卡 -1 次 剩余 9 次']],
      [19, '消费', ['本金 -¥298.00 余额 ¥702.00', '积分 +298 积分 余额 1,298 积分']],
      [18, '挂账消费', ['欠款 +¥300.00 待还 ¥300.00']],
    ]);
    expect(groups[1]).toMatchObject({
      storeName: '示例美容院·国贸店',
      staffName: '王美丽',
      itemTexts: ['深层补水护理 ×1 ¥298.00'],
    });
    expect(groups[1]?.lines.map((l) => l.direction)).toEqual(['out', 'in']);
  });

  it('joins entries of one transfer that arrived on two pages', () => {
    const page1 = [entry({ id: 12, transferId: 7, kind: 'top_up', bucket: 'bonus', unit: 'CNY', amount: 20_000 })];
    const page2 = [
      entry({ id: 11, transferId: 7, kind: 'top_up', bucket: 'principal', unit: 'CNY', amount: 100_000 }),
      entry({ id: 10, transferId: 6, kind: 'spend', bucket: 'principal', unit: 'CNY', amount: -100 }),
    ];
    const groups = groupEntries([...page1, ...page2]);
    expect(groups.map((g) => [g.transferId, g.lines.length])).toEqual([
      [7, 2],
      [6, 1],
    ]);
  });
});

describe('merge entries', () => {
  it('name which account went into which, each merge of a chain its own pair', () => {
    const side = (memberNo: number, name: string | null) => ({
      id: `00000000-0000-4000-8000-${String(memberNo).padStart(12, '0')}`,
      memberNo,
      name,
    });
    const groups = groupEntries([
      entry({
        id: 9,
        transferId: 5,
        kind: 'customer_merge',
        bucket: 'principal',
        unit: 'CNY',
        amount: 70_000,
        merge: { from: side(100012, '钱女士'), into: side(100013, '钱女士') },
      }),
      entry({
        id: 4,
        transferId: 3,
        kind: 'customer_merge',
        bucket: 'principal',
        unit: 'CNY',
        amount: 50_000,
        merge: { from: side(100020, null), into: side(100012, '钱女士') },
      }),
    ]);
    expect(groups.map((g) => [g.kindLabel, g.itemTexts])).toEqual([
      ['账户合并', ['会员 100012（钱女士） 并入 会员 100013（钱女士）']],
      ['账户合并', ['会员 100020 并入 会员 100012（钱女士）']],
    ]);
  });
});

describe('itemText', () => {
  it('names the count of a line, but not the 0 of a refund of money without a return', () => {
    expect(itemText({ name: '深层补水护理', quantity: 2, amountFen: 59_600 })).toBe('深层补水护理 ×2 ¥596.00');
    expect(itemText({ name: '深层补水护理', quantity: 0, amountFen: 1_000 })).toBe('深层补水护理（部分金额）¥10.00');
  });
});
