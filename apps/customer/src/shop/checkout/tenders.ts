import { parsePointsInput, parseYuanInput } from '@lumi/mini';
import type { ShopTender } from '@lumi/shared';

export interface TenderInputs {
  storedValue: string;
  points: string;
}

export type TenderPlan = { ok: true; tenders: ShopTender[]; wechatFen: number } | { ok: false; message: string };

/**
 * The tenders of an order: the stored value and points she types in, and WeChat Pay for the rest. Checked
 * against her wallet here so she hears about it before the API refuses; the API checks again.
 */
export function planTenders(
  totalFen: number,
  inputs: TenderInputs,
  wallet: { totalFen: number; points: number },
  pointValueFen: number,
  /** Points the items taken at their points price need: the points typed in must cover them. */
  minPoints = 0,
): TenderPlan {
  const stored = parseYuanInput(inputs.storedValue);
  if (!stored.ok) return stored;
  const points = parsePointsInput(inputs.points);
  if (!points.ok) return points;
  if (stored.fen > wallet.totalFen) return { ok: false, message: '储值余额不足' };
  if (points.points > wallet.points || minPoints > wallet.points) return { ok: false, message: '积分不足' };
  if (points.points < minPoints) return { ok: false, message: `积分兑换需至少 ${minPoints} 积分` };
  const wechatFen = totalFen - stored.fen - points.points * pointValueFen;
  if (wechatFen < 0) return { ok: false, message: '抵扣超过了订单金额' };
  const tenders: ShopTender[] = [];
  if (stored.fen > 0) tenders.push({ method: 'stored_value', amountFen: stored.fen });
  if (points.points > 0) tenders.push({ method: 'points', points: points.points });
  if (wechatFen > 0) tenders.push({ method: 'wechat', amountFen: wechatFen });
  if (tenders.length === 0) return { ok: false, message: '请选择支付方式' };
  return { ok: true, tenders, wechatFen };
}
