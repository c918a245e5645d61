import { parseYuanInput } from '@lumi/mini';
import type { CouponOffer, FrequencyCap, GroupRules, SegmentCode } from '@lumi/shared';

/**
 * The 新建唤醒活动 form's fields as the API's values, or the Chinese sentence that says what is wrong. Kept apart
 * from the screen so each rule has a test of its own.
 */

/** The coupon: its money fields as fen. */
export function offerOf(title: string, amount: string, minSpend: string, days: string): CouponOffer | string {
  const off = parseYuanInput(amount);
  const min = parseYuanInput(minSpend);
  if (!off.ok) return off.message;
  if (!min.ok) return min.message;
  if (off.fen <= 0) return '请填写减免金额';
  const validDays = Number(days);
  if (!Number.isInteger(validDays) || validDays < 1 || validDays > 365) return '有效天数为 1–365 天';
  return {
    kind: 'amount_off',
    title: title.trim() || '回店礼',
    amountOffFen: off.fen,
    minSpendFen: min.fen,
    validDays,
  };
}

/** A custom group's filters as the manager fills them in (text fields as typed). */
export interface GroupFilters {
  segments: SegmentCode[];
  /** Tier ids; null = customers without a tier. */
  tierIds: (string | null)[];
  storeIds: string[];
  /** 最近到店在 N 天前或更早 */
  lastVisitDaysAgo: string;
  spendMin: string;
  spendMax: string;
}

export const NO_FILTERS: GroupFilters = {
  segments: [],
  tierIds: [],
  storeIds: [],
  lastVisitDaysAgo: '',
  spendMin: '',
  spendMax: '',
};

const wholeDays = (text: string) => /^\d{1,5}$/.test(text.trim()) && Number(text) <= 36_500;

/** The filters as GroupRules: a filter left empty is no condition. */
export function rulesOf(f: GroupFilters): GroupRules | string {
  const rules: GroupRules = {};
  if (f.segments.length > 0) rules.segments = f.segments;
  if (f.tierIds.length > 0) rules.tierIds = f.tierIds;
  if (f.storeIds.length > 0) rules.storeIds = f.storeIds;
  if (f.lastVisitDaysAgo.trim()) {
    if (!wholeDays(f.lastVisitDaysAgo)) return '未到店天数请填写整数';
    rules.lastVisitDaysAgo = { min: Number(f.lastVisitDaysAgo) };
  }
  const spend: { min?: number; max?: number } = {};
  for (const [key, text] of [
    ['min', f.spendMin],
    ['max', f.spendMax],
  ] as const) {
    if (!text.trim()) continue;
    const parsed = parseYuanInput(text);
    if (!parsed.ok) return parsed.message;
    spend[key] = parsed.fen;
  }
  if (spend.min !== undefined && spend.max !== undefined && spend.min > spend.max) return '消费下限不能高于上限';
  if (spend.min !== undefined || spend.max !== undefined) rules.spendFen = spend;
  return rules;
}

/** At most N campaign messages in M days. */
export function capOf(maxMessages: string, perDays: string): FrequencyCap | string {
  const n = Number(maxMessages);
  const days = Number(perDays);
  if (!/^\d+$/.test(maxMessages.trim()) || n < 1 || n > 50) return '频次上限为 1–50 条';
  if (!/^\d+$/.test(perDays.trim()) || days < 1 || days > 365) return '频次周期为 1–365 天';
  return { maxMessages: n, perDays: days };
}

/** A Shanghai date and time (YYYY-MM-DD, HH:MM) as an instant, which must be later than `now`. */
export function sendTimeOf(date: string, time: string, now: Date): string | { problem: string } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date.trim()) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time.trim())) {
    return { problem: '请按 2026-05-01 10:00 的格式填写发送时间' };
  }
  const at = new Date(`${date.trim()}T${time.trim()}:00+08:00`);
  if (Number.isNaN(at.getTime())) return { problem: '发送时间不是有效日期' };
  if (at.getTime() <= now.getTime()) return { problem: '发送时间须晚于现在' };
  return at.toISOString();
}

/** Whether a Shanghai time of day (HH:MM) falls inside quiet hours that may wrap midnight (21:00–09:00). */
export function insideQuietHours(time: string, quiet: { start: string; end: string }): boolean {
  const m = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const [t, start, end] = [m(time), m(quiet.start), m(quiet.end)];
  return start < end ? t >= start && t < end : t >= start || t < end;
}
