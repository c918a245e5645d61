import { formatFen } from '@lumi/mini';
import type { Dashboard } from '@lumi/shared';
import { describe, expect, it } from 'vitest';
import {
  agingBuckets,
  owedMoney,
  segmentSizes,
  spendShares,
  tierDistribution,
  topMoves,
  weeklyTransitions,
} from './chart-data.ts';

const ratio = (numerator: number, denominator: number) => ({
  numerator,
  denominator,
  basisPoints: denominator === 0 ? null : Math.floor((10_000 * numerator) / denominator),
});

const dashboard: Dashboard = {
  asOf: '2026-05-01T18:00:00Z',
  customers: 10,
  segments: [
    {
      segment: 'high_value',
      label: '高价值',
      rule: 'R≥4 F≥4 M≥4',
      customers: 2,
      spendFen: 300_000,
      spendShare: ratio(300_000, 400_000),
    },
    {
      segment: 'at_risk',
      label: '流失风险',
      rule: '…',
      customers: 3,
      spendFen: 100_000,
      spendShare: ratio(100_000, 400_000),
    },
    { segment: 'no_purchase', label: '未消费', rule: '…', customers: 5, spendFen: 0, spendShare: ratio(0, 400_000) },
  ],
  transitions: [
    { week: '2026-04-20', fromSegment: 'high_value', toSegment: 'at_risk', count: 2 },
    { week: '2026-04-13', fromSegment: 'new', toSegment: 'potential', count: 1 },
    { week: '2026-04-20', fromSegment: 'new', toSegment: 'potential', count: 3 },
  ],
  tiers: [
    { tierId: '00000000-0000-4000-8000-0000000000e1', name: '金卡', customers: 4 },
    { tierId: null, name: null, customers: 6 },
  ],
  topCustomers: [],
  storedValueLiability: { principalFen: 500_000, bonusFen: 80_000, totalFen: 580_000, customers: 7 },
  liabilities: {
    storedPrincipalFen: 500_000,
    storedBonusFen: 80_000,
    points: 1_200,
    packageSessions: 14,
    packageDeferredFen: 120_000,
    voucherDeferredFen: 0,
  },
};

describe('chart data of 客群', () => {
  it('keeps every segment for the sizes, and only the spending ones for the spend share, with their percentage', () => {
    expect(segmentSizes(dashboard).map((d) => [d.key, d.value, d.text])).toEqual([
      ['high_value', 2, '2 人'],
      ['at_risk', 3, '3 人'],
      ['no_purchase', 5, '5 人'],
    ]);
    expect(spendShares(dashboard, formatFen).map((d) => [d.key, d.value, d.text])).toEqual([
      ['high_value', 300_000, '¥3,000.00 · 75.0%'],
      ['at_risk', 100_000, '¥1,000.00 · 25.0%'],
    ]);
  });

  it('adds up the moves of each week, oldest week first, and names the largest moves', () => {
    expect(weeklyTransitions(dashboard).map((d) => [d.key, d.label, d.value])).toEqual([
      ['2026-04-13', '04-13', 1],
      ['2026-04-20', '04-20', 5],
    ]);
    expect(topMoves(dashboard).map((m) => m.text)).toEqual(['新客 → 潜力 · 4 人次', '高价值 → 流失风险 · 2 人次']);
  });

  it('labels customers without a tier, and splits the money owed into stored value and prepaid services', () => {
    expect(tierDistribution(dashboard).map((d) => [d.label, d.value])).toEqual([
      ['金卡', 4],
      ['未定级', 6],
    ]);
    expect(owedMoney(dashboard.liabilities, formatFen).map((d) => [d.label, d.value, d.text])).toEqual([
      ['储值本金', 500_000, '¥5,000.00'],
      ['赠送金', 80_000, '¥800.00'],
      ['次卡预收', 120_000, '¥1,200.00'],
      ['服务券预收', 0, '¥0.00'],
    ]);
  });

  it('puts the four overdue buckets in order', () => {
    const totals = {
      notDueFen: 1,
      days1to30Fen: 100,
      days31to60Fen: 200,
      days61to90Fen: 0,
      days90plusFen: 400,
      overdueFen: 700,
      owedFen: 701,
    };
    expect(agingBuckets(totals, formatFen).map((d) => [d.label, d.value])).toEqual([
      ['1–30 天', 100],
      ['31–60 天', 200],
      ['61–90 天', 0],
      ['90 天以上', 400],
    ]);
  });
});
