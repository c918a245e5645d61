import { formatCount, formatFen } from '@lumi/mini';
import type { Takings, TakingsItem, TakingsTender, TakingsUsage, TakingsUsageFigure } from '@lumi/shared';

export const TENDER_NAMES: Record<TakingsTender, string> = { cash: '现金', card: '银行卡', wechat: '微信支付' };

/** 日结 beyond money, in the order the screen lists them; sessions and points are counts, the rest fen. */
export const USAGE_FIGURES: readonly { figure: TakingsUsageFigure; name: string; unit: 'fen' | '次' | '分' }[] = [
  { figure: 'principalFen', name: '储值消费（本金）', unit: 'fen' },
  { figure: 'bonusFen', name: '储值消费（赠送金）', unit: 'fen' },
  { figure: 'sessions', name: '次卡核销', unit: '次' },
  { figure: 'points', name: '积分抵扣', unit: '分' },
  { figure: 'creditFen', name: '挂账消费', unit: 'fen' },
  { figure: 'topUpFen', name: '充值（实付）', unit: 'fen' },
  { figure: 'topUpBonusFen', name: '充值赠送', unit: 'fen' },
];

/** A usage figure as the screen prints it: money as ¥, sessions and points as counts. */
export function formatUsage(usage: TakingsUsage, figure: TakingsUsageFigure): string {
  const unit = USAGE_FIGURES.find((f) => f.figure === figure)?.unit ?? 'fen';
  return unit === 'fen' ? formatFen(usage[figure]) : `${formatCount(usage[figure])} ${unit}`;
}

/** Which figure she tapped: a tender, a staff member (null: nobody, e.g. a bill the customer paid alone), or all. */
export type Figure =
  | { kind: 'all' }
  | { kind: 'tender'; tender: TakingsTender }
  | { kind: 'staff'; staffId: string | null }
  | { kind: 'usage'; figure: TakingsUsageFigure };

/** The postings behind a figure; for a tender, only those that moved money in it. */
export function itemsBehind(takings: Takings, figure: Figure): TakingsItem[] {
  if (figure.kind === 'tender') return takings.items.filter((i) => i.tenders[figure.tender] !== 0);
  if (figure.kind === 'staff') return takings.items.filter((i) => i.staffId === figure.staffId);
  if (figure.kind === 'usage') return takings.items.filter((i) => i.usage[figure.figure] !== 0);
  return takings.items;
}

/** What an item contributes to the figure, as printed. */
export function amountFor(item: TakingsItem, figure: Figure): string {
  if (figure.kind === 'usage') return formatUsage(item.usage, figure.figure);
  return formatFen(figure.kind === 'tender' ? item.tenders[figure.tender] : item.totalFen);
}
