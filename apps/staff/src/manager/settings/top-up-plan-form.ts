import { fenToYuanString, formatDate, formatFen, parseYuanInput } from '@lumi/mini';
import type { ManagedTopUpPlan, TopUpPlanStatus } from '@lumi/shared';

/** What a manager types for an offer, as typed. */
export interface PlanDraft {
  name: string;
  pay: string;
  bonus: string;
  points: string;
  giftPackagePlanId: string | null;
  /** Beijing dates "2026-06-01", '' for open-ended: on sale from the start of `starts` to the end of `ends`. */
  starts: string;
  ends: string;
}

export interface PlanTerms {
  name: string;
  payFen: number;
  bonusFen: number;
  bonusPoints: number;
  giftPackagePlanId: string | null;
  validFrom: string | null;
  validTo: string | null;
}

export const PLAN_STATUS_LABELS: Record<TopUpPlanStatus, string> = {
  in_force: '在售',
  scheduled: '未开始',
  ended: '已过期',
  withdrawn: '已下架',
};

export function draftOf(plan?: ManagedTopUpPlan): PlanDraft {
  if (!plan) return { name: '', pay: '', bonus: '', points: '', giftPackagePlanId: null, starts: '', ends: '' };
  return {
    name: plan.name,
    pay: fenToYuanString(plan.payFen),
    bonus: plan.bonusFen ? fenToYuanString(plan.bonusFen) : '',
    points: plan.bonusPoints ? String(plan.bonusPoints) : '',
    giftPackagePlanId: plan.giftPackagePlanId,
    starts: formatDate(plan.validFrom),
    ends: formatDate(plan.validTo),
  };
}

/** The instant a Beijing day starts, or (with `end`) its last millisecond, as the API's ISO date-time. */
function beijingInstant(day: string, end = false): string | null {
  if (day === '') return null;
  return new Date(`${day}T${end ? '23:59:59.999' : '00:00:00.000'}+08:00`).toISOString();
}

/** The offer a draft describes, or what is wrong with it (the API checks the same rules and answers by field). */
export function readPlanDraft(draft: PlanDraft): { ok: true; terms: PlanTerms } | { ok: false; message: string } {
  const name = draft.name.trim();
  if (name === '' || name.length > 30) return { ok: false, message: '请填写方案名称（最多 30 个字）' };
  const pay = parseYuanInput(draft.pay);
  if (!pay.ok) return { ok: false, message: `充值金额：${pay.message}` };
  if (pay.fen <= 0) return { ok: false, message: '充值金额应大于 0' };
  const bonus = parseYuanInput(draft.bonus);
  if (!bonus.ok) return { ok: false, message: `赠送金额：${bonus.message}` };
  if (bonus.fen > pay.fen) return { ok: false, message: '赠送金额不能超过充值金额' };
  const points = draft.points.trim() === '' ? 0 : Number(draft.points.trim());
  if (!Number.isInteger(points) || points < 0 || points > 10_000_000)
    return { ok: false, message: '赠送积分应为不小于 0 的整数' };
  // Calendar dates compare as text; the last day is part of the offer, so one day alone is a valid offer.
  if (draft.starts && draft.ends && draft.ends < draft.starts)
    return { ok: false, message: '结束日期不能早于开始日期' };
  return {
    ok: true,
    terms: {
      name,
      payFen: pay.fen,
      bonusFen: bonus.fen,
      bonusPoints: points,
      giftPackagePlanId: draft.giftPackagePlanId,
      validFrom: beijingInstant(draft.starts),
      validTo: beijingInstant(draft.ends, true),
    },
  };
}

/** "2026-06-01 至 2026-06-30", "2026-06-01 起", "至 2026-06-30"; '' when always on sale. */
export function planDatesText(plan: Pick<PlanDraft, 'starts' | 'ends'>): string {
  if (plan.starts && plan.ends) return `${plan.starts} 至 ${plan.ends}`;
  if (plan.starts) return `${plan.starts} 起`;
  return plan.ends ? `至 ${plan.ends}` : '';
}

/** "充¥1,000.00 送¥200.00 · 赠500积分 · 赠次卡 补水10次" */
export function planTermsText(plan: PlanTerms, giftName: string | undefined): string {
  const parts = [`充${formatFen(plan.payFen)}${plan.bonusFen ? ` 送${formatFen(plan.bonusFen)}` : ''}`];
  if (plan.bonusPoints) parts.push(`赠${plan.bonusPoints}积分`);
  if (plan.giftPackagePlanId) parts.push(`赠次卡 ${giftName ?? '（已停售）'}`);
  return parts.join(' · ');
}
