import type { CustomerLiabilities, Dashboard, SegmentCode } from '@lumi/shared';
import { SEGMENT_LABELS } from '@lumi/shared';
import type { AgingBuckets } from '@lumi/shared';
import { AGING_BUCKETS } from '../aging.ts';

/** One bar or slice of a chart, and the row of the list under it that gives its number. */
export interface ChartDatum {
  key: string;
  label: string;
  value: number;
  /** The number as the list shows it: 12 人, ¥1,200.00, 34.5%. */
  text: string;
}

const percent = (basisPoints: number | null) => (basisPoints === null ? '—' : `${(basisPoints / 100).toFixed(1)}%`);

/** 客群规模: customers per segment, in the ladder's order, empty segments kept so the list is complete. */
export function segmentSizes(dashboard: Dashboard): ChartDatum[] {
  return dashboard.segments.map((s) => ({
    key: s.segment,
    label: s.label,
    value: s.customers,
    text: `${s.customers} 人`,
  }));
}

/** 消费占比: each segment's share of net spend in the RFM window (only segments that spent anything). */
export function spendShares(dashboard: Dashboard, formatFen: (fen: number) => string): ChartDatum[] {
  return dashboard.segments
    .filter((s) => s.spendFen > 0)
    .map((s) => ({
      key: s.segment,
      label: s.label,
      value: s.spendFen,
      text: `${formatFen(s.spendFen)} · ${percent(s.spendShare.basisPoints)}`,
    }));
}

/** 等级分布: customers per tier; customers without a tier count as 未定级. */
export function tierDistribution(dashboard: Dashboard): ChartDatum[] {
  return dashboard.tiers.map((t) => ({
    key: t.tierId ?? 'none',
    label: t.name ?? '未定级',
    value: t.customers,
    text: `${t.customers} 人`,
  }));
}

/** 客群流转: how many customers changed segment each week, oldest week first. */
export function weeklyTransitions(dashboard: Dashboard): ChartDatum[] {
  const byWeek = new Map<string, number>();
  for (const t of dashboard.transitions) byWeek.set(t.week, (byWeek.get(t.week) ?? 0) + t.count);
  return [...byWeek.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([week, count]) => ({ key: week, label: week.slice(5), value: count, text: `${count} 人次` }));
}

/** The largest moves between segments over the period, e.g. 高价值 → 流失风险 · 3 人次. */
export function topMoves(dashboard: Dashboard, limit = 5): { from: SegmentCode; to: SegmentCode; text: string }[] {
  const pairs = new Map<string, { from: SegmentCode; to: SegmentCode; count: number }>();
  for (const t of dashboard.transitions) {
    const key = `${t.fromSegment}>${t.toSegment}`;
    const pair = pairs.get(key) ?? { from: t.fromSegment, to: t.toSegment, count: 0 };
    pair.count += t.count;
    pairs.set(key, pair);
  }
  return [...pairs.values()]
    .sort((a, b) => b.count - a.count || `${a.from}${a.to}`.localeCompare(`${b.from}${b.to}`))
    .slice(0, limit)
    .map((p) => ({
      from: p.from,
      to: p.to,
      text: `${SEGMENT_LABELS[p.from]} → ${SEGMENT_LABELS[p.to]} · ${p.count} 人次`,
    }));
}

/**
 * 负债构成: the money the salon owes its customers — stored value (principal, bonus) and what was paid for and not
 * yet served (package cards, shop service vouchers). Points and sessions are counts, listed apart.
 */
export function owedMoney(owed: CustomerLiabilities, formatFen: (fen: number) => string): ChartDatum[] {
  const money = (key: string, label: string, fen: number): ChartDatum => ({
    key,
    label,
    value: fen,
    text: formatFen(fen),
  });
  return [
    money('principal', '储值本金', owed.storedPrincipalFen),
    money('bonus', '赠送金', owed.storedBonusFen),
    money('package', '次卡预收', owed.packageDeferredFen),
    money('voucher', '服务券预收', owed.voucherDeferredFen),
  ];
}

/** 逾期账龄: overdue money per bucket. */
export function agingBuckets(totals: AgingBuckets, formatFen: (fen: number) => string): ChartDatum[] {
  return AGING_BUCKETS.map((b) => ({
    key: b.key,
    label: b.label,
    value: totals[b.key],
    text: formatFen(totals[b.key]),
  }));
}
