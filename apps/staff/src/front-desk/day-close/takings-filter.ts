import type { Takings, TakingsItem, TakingsTender } from '@lumi/shared';

export const TENDER_NAMES: Record<TakingsTender, string> = { cash: '现金', card: '银行卡', wechat: '微信支付' };

/** Which figure she tapped: a tender, a staff member (null: nobody, e.g. a bill the customer paid alone), or all. */
export type Figure =
  | { kind: 'all' }
  | { kind: 'tender'; tender: TakingsTender }
  | { kind: 'staff'; staffId: string | null };

/** The postings behind a figure; for a tender, only those that moved money in it. */
export function itemsBehind(takings: Takings, figure: Figure): TakingsItem[] {
  if (figure.kind === 'tender') return takings.items.filter((i) => i.tenders[figure.tender] !== 0);
  if (figure.kind === 'staff') return takings.items.filter((i) => i.staffId === figure.staffId);
  return takings.items;
}

/** The amount an item contributes to the figure. */
export function amountFor(item: TakingsItem, figure: Figure): number {
  return figure.kind === 'tender' ? item.tenders[figure.tender] : item.totalFen;
}
