import type { ManagerReport, ReconciliationSettlement } from '@lumi/shared';

type Day = ManagerReport['reconciliation']['days'][number];

/** The period's money by WeChat's fund-flow bill: the days that had one, added up; null when none had. */
export function periodSettlement(days: Day[]): (ReconciliationSettlement & { days: number }) | null {
  const settled = days.flatMap((d) => (d.settlement ? [d.settlement] : []));
  if (settled.length === 0) return null;
  const sum = (key: keyof ReconciliationSettlement) => settled.reduce((s, d) => s + d[key], 0);
  return {
    days: settled.length,
    receivedFen: sum('receivedFen'),
    refundedFen: sum('refundedFen'),
    feesFen: sum('feesFen'),
    netFen: sum('netFen'),
    expectedNetFen: sum('expectedNetFen'),
  };
}

/** Why a day's bills were not used, as a manager reads it; null when both were. */
export function billProblemNote(day: Day): string | null {
  if (day.billProblem === 'integrity') return `${day.date} 微信交易账单与校验值（SHA1）不符，已拒用，改为逐笔查询`;
  if (day.settlementProblem === 'integrity') return `${day.date} 微信资金账单与校验值（SHA1）不符，已拒用，资金未核对`;
  return null;
}
