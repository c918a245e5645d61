import type { Coupon, CreditItem, TierLevel } from '@lumi/shared';
import { formatDate, todayInShanghai } from './date.ts';
import { formatFen } from './money.ts';
import { formatCount } from './numbers.ts';

/**
 * Wording of what a member holds — points, tiers, coupons, instalments — shared by the customer screens and any
 * staff screen that shows the same. Pure functions of the API's integers: fen, points, basis points.
 */

/** "1,200 积分（价值 ¥12.00）"; the worth only when the salon gives points a value. */
export function pointsWithWorth(points: number, pointValueFen: number): string {
  const count = `${formatCount(points)} 积分`;
  return pointValueFen > 0 ? `${count}（价值 ${formatFen(points * pointValueFen)}）` : count;
}

/** A package card's sessions as every screen shows them: "剩余 7/10 次". */
export function sessionsLeftText(card: { sessionsLeft: number; sessionsTotal: number }): string {
  return `剩余 ${formatCount(card.sessionsLeft)}/${formatCount(card.sessionsTotal)} 次`;
}

/** "有效期至 2026-12-31", or "已过期（2026-01-31）" once the card has lapsed. */
export function packageCardExpiry(card: { expired: boolean; expiresOn: string }): string {
  return card.expired ? `已过期（${formatDate(card.expiresOn)}）` : `有效期至 ${formatDate(card.expiresOn)}`;
}

/**
 * 500 basis points off → "95折" (she pays 95%); 1,000 → "9折"; 1,250 → "87.5折"; none → "无折扣".
 */
export function discountText(basisPoints: number): string {
  if (basisPoints <= 0) return '无折扣';
  const paidPercent = (10_000 - basisPoints) / 100;
  return paidPercent % 10 === 0 ? `${paidPercent / 10}折` : `${paidPercent}折`;
}

/** 150 → "1.5倍积分"; 100 → "1倍积分". */
export function multiplierText(percent: number): string {
  const times = (percent / 100).toFixed(2).replace(/\.?0+$/, '');
  return `${times}倍积分`;
}

export interface NextTier {
  name: string;
  /** What is still needed in the tier window to reach it. */
  missingFen: number;
  thresholdFen: number;
}

/** The lowest tier above what she qualifies for now; null at the top of the ladder (or without a ladder). */
export function nextTier(levels: readonly Pick<TierLevel, 'name' | 'thresholdFen'>[], qualifyingFen: number) {
  const next = [...levels].sort((a, b) => a.thresholdFen - b.thresholdFen).find((l) => l.thresholdFen > qualifyingFen);
  return next
    ? { name: next.name, thresholdFen: next.thresholdFen, missingFen: next.thresholdFen - qualifyingFen }
    : null;
}

export type CouponState = 'usable' | 'used' | 'expired' | 'void' | 'not_yet';

/** Where a coupon stands now: the API's status, and its validity against the clock. */
export function couponState(coupon: Pick<Coupon, 'status' | 'validFrom' | 'validTo'>, now: Date): CouponState {
  if (coupon.status === 'redeemed') return 'used';
  if (coupon.status === 'void') return 'void';
  if (Date.parse(coupon.validTo) <= now.getTime()) return 'expired';
  if (Date.parse(coupon.validFrom) > now.getTime()) return 'not_yet';
  // A coupon held by a bill waiting for her confirmation is still hers until the bill settles.
  return 'usable';
}

/**
 * What a coupon gives, as the API holds it: an issued coupon (fields null when they do not apply) or a campaign's
 * offer before it is issued (fields absent).
 */
export interface CouponTerms {
  kind: Coupon['kind'];
  amountOffFen?: number | null;
  percentOffBasisPoints?: number | null;
  maxDiscountFen?: number | null;
  addonName?: string | null;
  minSpendFen: number;
}

/** "立减 ¥50.00", "9折（最多减 ¥100.00）", "赠送 肩颈放松 15 分钟". */
export function couponValueText(coupon: Omit<CouponTerms, 'minSpendFen'>): string {
  if (coupon.kind === 'amount_off') return `立减 ${formatFen(coupon.amountOffFen ?? 0)}`;
  if (coupon.kind === 'percent_off') {
    const cap = coupon.maxDiscountFen ? `（最多减 ${formatFen(coupon.maxDiscountFen)}）` : '';
    return `${discountText(coupon.percentOffBasisPoints ?? 0)}${cap}`;
  }
  return `赠送 ${coupon.addonName ?? ''}`.trim();
}

/** "满 ¥300.00 可用", or "无门槛" when any bill may use it. */
export function minSpendText(minSpendFen: number): string {
  return minSpendFen > 0 ? `满 ${formatFen(minSpendFen)} 可用` : '无门槛';
}

/** "满 ¥300.00 可用 · 2026-03-01 至 2026-03-31" */
export function couponConditionText(coupon: Pick<Coupon, 'minSpendFen' | 'validFrom' | 'validTo'>): string {
  return `${minSpendText(coupon.minSpendFen)} · ${formatDate(coupon.validFrom)} 至 ${formatDate(coupon.validTo)}`;
}

/** A coupon on one line, as a list to pick from shows it: "立减 ¥20.00 · 满 ¥200.00 可用 · 2026-03-01 至 2026-03-31". */
export function couponSummary(coupon: CouponTerms & Pick<Coupon, 'validFrom' | 'validTo'>): string {
  return `${couponValueText(coupon)} · ${couponConditionText(coupon)}`;
}

export interface InstalmentView {
  id: string;
  /** "第 2/3 期" or "到期还款" for a single due date. */
  label: string;
  dueText: string;
  amountText: string;
  /** What is still to pay on it, "" when paid. */
  outstandingText: string;
  state: 'paid' | 'overdue' | 'due_soon' | 'upcoming' | 'cancelled';
  stateText: string;
}

const DUE_SOON_DAYS = 7;

/** One instalment (or single due date) of a credit sale, as she reads it; overdue marked. */
export function instalmentView(item: CreditItem, now: Date): InstalmentView {
  const label = item.of > 1 ? `第 ${item.seq}/${item.of} 期` : '到期还款';
  const today = todayInShanghai(now);
  const daysLeft = Math.round((Date.parse(item.dueDate) - Date.parse(today)) / 86_400_000);
  let state: InstalmentView['state'];
  let stateText: string;
  if (item.status === 'paid') {
    state = 'paid';
    stateText = '已还清';
  } else if (item.status === 'cancelled') {
    state = 'cancelled';
    stateText = '已取消';
  } else if (item.overdueDays > 0 || daysLeft < 0) {
    state = 'overdue';
    // The API's count is the one its reminders and freezes use; the clock only covers a stale answer.
    stateText = `已逾期 ${item.overdueDays > 0 ? item.overdueDays : -daysLeft} 天`;
  } else if (daysLeft <= DUE_SOON_DAYS) {
    state = 'due_soon';
    stateText = daysLeft === 0 ? '今天到期' : `${daysLeft} 天后到期`;
  } else {
    state = 'upcoming';
    stateText = '未到期';
  }
  return {
    id: item.id,
    label,
    dueText: formatDate(item.dueDate),
    amountText: formatFen(item.amountFen),
    outstandingText: item.outstandingFen > 0 ? formatFen(item.outstandingFen) : '',
    state,
    stateText,
  };
}
