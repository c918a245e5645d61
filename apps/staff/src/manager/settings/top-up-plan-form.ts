import { fenToYuanString, formatFen, parseYuanInput } from '@lumi/mini';
import type { ManagedTopUpPlan, TopUpPlanStatus } from '@lumi/shared';

/** What a manager types for an offer, as typed. */
export interface PlanDraft {
  name: string;
  pay: string;
  bonus: string;
  points: string;
  giftPackagePlanId: string | null;
}

export interface PlanTerms {
  name: string;
  payFen: number;
  bonusFen: number;
  bonusPoints: number;
  giftPackagePlanId: string | null;
}

export const PLAN_STATUS_LABELS: Record<TopUpPlanStatus, string> = {
  in_force: '在售',
  scheduled: '未开始',
  ended: '已过期',
  withdrawn: '已下架',
};

export function draftOf(plan?: ManagedTopUpPlan): PlanDraft {
  if (!plan) return { name: '', pay: '', bonus: '', points: '', giftPackagePlanId: null };
  return {
    name: plan.name,
    pay: fenToYuanString(plan.payFen),
    bonus: plan.bonusFen ? fenToYuanString(plan.bonusFen) : '',
    points: plan.bonusPoints ? String(plan.bonusPoints) : '',
    giftPackagePlanId: plan.giftPackagePlanId,
  };
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
  return {
    ok: true,
    terms: {
      name,
      payFen: pay.fen,
      bonusFen: bonus.fen,
      bonusPoints: points,
      giftPackagePlanId: draft.giftPackagePlanId,
    },
  };
}

/** "充¥1,000.00 送¥200.00 · 赠500积分 · 赠次卡 补水10次" */
export function planTermsText(plan: PlanTerms, giftName: string | undefined): string {
  const parts = [`充${formatFen(plan.payFen)}${plan.bonusFen ? ` 送${formatFen(plan.bonusFen)}` : ''}`];
  if (plan.bonusPoints) parts.push(`赠${plan.bonusPoints}积分`);
  if (plan.giftPackagePlanId) parts.push(`赠次卡 ${giftName ?? '（已停售）'}`);
  return parts.join(' · ');
}
