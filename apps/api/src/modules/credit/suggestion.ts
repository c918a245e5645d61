import { type CreditSuggestion, formatFen } from '@lumi/shared';
import { and, eq, ne } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { getCustomer } from '../customers/index.ts';
import { daysBetween, monthsBetween, shanghaiDay } from './dates.ts';
import { firstTransferAt, revenueFen } from './ledger-reads.ts';
import { creditSettings } from './settings.ts';
import { creditItems } from './tables.ts';

/** Base limit: this percentage of the last 12 months' spend (≈ 2.4 months of the customer's average spend). */
export const BASE_PERCENT_OF_SPEND = 20;
/** Suggestions are rounded down to whole ¥100. */
export const SUGGESTION_STEP_FEN = 10_000;

export function tenurePercent(months: number): number {
  if (months < 3) return 50;
  if (months < 12) return 100;
  if (months < 36) return 120;
  return 150;
}

export function punctualityPercent(onTime: number, late: number, overdueNow: number): number {
  if (overdueNow > 0) return 0;
  const settled = onTime + late;
  if (settled === 0) return 100;
  const rate = Math.floor((onTime * 100) / settled);
  if (rate >= 95) return 120;
  if (rate >= 80) return 100;
  if (rate >= 50) return 60;
  return 30;
}

/** 120 → "1.2", 50 → "0.5", 100 → "1.0" (integer arithmetic only). */
export function factorText(percent: number): string {
  const whole = Math.trunc(percent / 100);
  const frac = String(percent % 100)
    .padStart(2, '0')
    .replace(/0$/, '');
  return `${whole}.${frac}`;
}

export interface CreditHistory {
  spend12mFen: number;
  tenureMonths: number;
  paidOnTime: number;
  paidLate: number;
  maxDaysLate: number;
  overdueNow: number;
}

/**
 * The limit Lumi suggests, and why. Integer fen throughout:
 *   base      = ⌊spend over the last 12 months × 20 %⌋
 *   suggested = ⌊base × tenure% × punctuality% ÷ 10 000⌋, rounded down to ¥100, capped by the tenant setting.
 * Tenure < 3 months ×0.5, < 12 ×1.0, < 36 ×1.2, otherwise ×1.5. Punctuality over settled credit items: any item
 * overdue now ×0 (no credit), no history ×1.0, on time ≥ 95 % ×1.2, ≥ 80 % ×1.0, ≥ 50 % ×0.6, else ×0.3.
 */
export function suggestLimit(history: CreditHistory, capFen: number): CreditSuggestion {
  const baseFen = Math.floor((history.spend12mFen * BASE_PERCENT_OF_SPEND) / 100);
  const tenure = tenurePercent(history.tenureMonths);
  const punctuality = punctualityPercent(history.paidOnTime, history.paidLate, history.overdueNow);
  const raw = (BigInt(Math.max(0, baseFen)) * BigInt(tenure) * BigInt(punctuality)) / 10_000n;
  const rounded = Number(raw - (raw % BigInt(SUGGESTION_STEP_FEN)));
  const suggested = Math.min(rounded, capFen);

  const reasons: string[] = [];
  reasons.push(
    `近12个月消费 ${formatFen(history.spend12mFen)}，按${BASE_PERCENT_OF_SPEND}%计基础额度 ${formatFen(baseFen)}`,
  );
  const tenureText =
    history.tenureMonths < 3
      ? '不足3个月，新客户'
      : history.tenureMonths < 12
        ? '3–12个月'
        : history.tenureMonths < 36
          ? '1–3年，老客户'
          : '3年以上，忠实客户';
  reasons.push(`成为会员 ${history.tenureMonths} 个月（${tenureText}），时长系数 ×${factorText(tenure)}`);
  const settled = history.paidOnTime + history.paidLate;
  if (history.overdueNow > 0) {
    reasons.push(`当前有 ${history.overdueNow} 笔欠款已逾期未还，暂不建议授信（系数 ×0）`);
  } else if (settled === 0) {
    reasons.push(`暂无挂账还款记录，守时系数 ×${factorText(punctuality)}`);
  } else {
    const rate = Math.floor((history.paidOnTime * 100) / settled);
    const lateText = history.paidLate > 0 ? `，最长逾期 ${history.maxDaysLate} 天` : '';
    reasons.push(
      `已还清 ${settled} 笔挂账，按时 ${history.paidOnTime} 笔、逾期 ${history.paidLate} 笔（按时率 ${rate}%${lateText}），守时系数 ×${factorText(punctuality)}`,
    );
  }
  reasons.push(
    rounded > capFen
      ? `计算结果 ${formatFen(rounded)} 超过本店上限，建议额度 ${formatFen(suggested)}`
      : `建议额度 ${formatFen(suggested)}（向下取整到百元）`,
  );
  return {
    suggestedLimitFen: suggested,
    reasons,
    factors: {
      spend12mFen: history.spend12mFen,
      baseFen,
      tenureMonths: history.tenureMonths,
      tenurePercent: tenure,
      settledItems: settled,
      paidOnTime: history.paidOnTime,
      paidLate: history.paidLate,
      maxDaysLate: history.maxDaysLate,
      overdueNow: history.overdueNow,
      punctualityPercent: punctuality,
      capFen,
    },
  };
}

/** Reads the customer's history from the ledger (spend, first activity) and their credit items (punctuality). */
export async function creditHistory(
  db: Database,
  tenantId: string,
  customerId: string,
  now: Date,
): Promise<CreditHistory> {
  const today = shanghaiDay(now);
  const yearAgo = new Date(now.getTime());
  yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
  const customer = await getCustomer(db, tenantId, customerId);
  const first = await firstTransferAt(db, tenantId, customerId);
  const since = first && first < customer.createdAt ? first : customer.createdAt;
  const spend12mFen = await revenueFen(db, tenantId, customerId, yearAgo, now);
  const items = await db
    .select({
      dueDate: creditItems.dueDate,
      status: creditItems.status,
      paidAt: creditItems.paidAt,
    })
    .from(creditItems)
    .where(
      and(
        eq(creditItems.tenantId, tenantId),
        eq(creditItems.customerId, customerId),
        ne(creditItems.status, 'cancelled'),
      ),
    );
  let paidOnTime = 0;
  let paidLate = 0;
  let maxDaysLate = 0;
  let overdueNow = 0;
  for (const item of items) {
    if (item.status === 'paid' && item.paidAt) {
      const late = daysBetween(item.dueDate, shanghaiDay(item.paidAt));
      if (late > 0) {
        paidLate++;
        maxDaysLate = Math.max(maxDaysLate, late);
      } else {
        paidOnTime++;
      }
    } else if (item.status === 'open' && item.dueDate < today) {
      overdueNow++;
    }
  }
  return {
    spend12mFen,
    tenureMonths: Math.max(0, monthsBetween(shanghaiDay(since), today)),
    paidOnTime,
    paidLate,
    maxDaysLate,
    overdueNow,
  };
}

export async function suggestCreditLimit(
  db: Database,
  tenantId: string,
  customerId: string,
  now: Date,
): Promise<CreditSuggestion> {
  const [history, settings] = [await creditHistory(db, tenantId, customerId, now), await creditSettings(db, tenantId)];
  return suggestLimit(history, settings.maxSuggestedLimitFen);
}
