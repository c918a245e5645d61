import { basisPointsToPercentString, fenToYuanString, parsePercentInput, parseYuanInput } from '@lumi/mini';
import type { PutTierProgramRequest, TierProgram } from '@lumi/shared';

/** One level of the ladder as typed: threshold in yuan, discount in percent off, points multiplier in percent. */
export interface LevelDraft {
  id?: string;
  name: string;
  threshold: string;
  discountPercent: string;
  multiplierPercent: string;
}

export const MAX_LEVELS = 10;

export function levelDrafts(program: TierProgram): LevelDraft[] {
  return program.levels.map((l) => ({
    id: l.id,
    name: l.name,
    threshold: fenToYuanString(l.thresholdFen),
    discountPercent: basisPointsToPercentString(l.discountBasisPoints),
    multiplierPercent: String(l.pointsMultiplierPercent),
  }));
}

export const emptyLevel = (): LevelDraft => ({
  name: '',
  threshold: '',
  discountPercent: '0',
  multiplierPercent: '100',
});

/**
 * The ladder a manager typed, or what is wrong with it: levels climb, each threshold above the one before (the
 * API sorts by threshold, so a ladder typed out of order would silently reorder what the manager sees).
 */
export function readLadder(
  basis: PutTierProgramRequest['basis'],
  windowDays: string,
  drafts: LevelDraft[],
): { ok: true; program: PutTierProgramRequest } | { ok: false; message: string } {
  const days = Number(windowDays);
  if (!Number.isInteger(days) || days < 30 || days > 1095) return { ok: false, message: '统计天数应为 30–1095 的整数' };
  if (drafts.length > MAX_LEVELS) return { ok: false, message: `最多 ${MAX_LEVELS} 个等级` };
  const levels: PutTierProgramRequest['levels'] = [];
  for (const [i, d] of drafts.entries()) {
    const which = `第 ${i + 1} 级`;
    const name = d.name.trim();
    if (name === '' || name.length > 40) return { ok: false, message: `${which}：请填写等级名称` };
    if (levels.some((l) => l.name === name)) return { ok: false, message: `${which}：等级名称重复` };
    const threshold = parseYuanInput(d.threshold);
    if (!threshold.ok) return { ok: false, message: `${which}门槛：${threshold.message}` };
    const below = levels.at(-1);
    if (below && threshold.fen <= below.thresholdFen) return { ok: false, message: `${which}的门槛应高于第 ${i} 级` };
    const discountBasisPoints = parsePercentInput(d.discountPercent, 0, 50);
    if (discountBasisPoints === null) return { ok: false, message: `${which}：优惠应为 0–50（%），最多两位小数` };
    const multiplier = Number(d.multiplierPercent);
    if (!Number.isInteger(multiplier) || multiplier < 100 || multiplier > 1000)
      return { ok: false, message: `${which}：积分倍数应为 100–1000 的整数（%）` };
    levels.push({
      ...(d.id ? { id: d.id } : {}),
      name,
      thresholdFen: threshold.fen,
      discountBasisPoints,
      pointsMultiplierPercent: multiplier,
    });
  }
  return { ok: true, program: { basis, windowDays: days, levels } };
}
