import type { ReconciliationSettlement } from '@lumi/shared';
import type { FundFlowBill } from './fund-flow-bill.ts';
import type { TradeBill } from './trade-bill.ts';

/** What Lumi's own records hold for the salon's day: payments that succeeded, refunds WeChat accepted. */
export interface LumiDayMoney {
  paidFen: number;
  refundedFen: number;
}

/**
 * The salon's day by the fund-flow bill. The fund-flow bill covers the whole merchant and names movements only by
 * WeChat's numbers, so a movement is the salon's when the salon's lines of the trade bill (`mine`) name it: a
 * payment by its transaction id, a refund by its refund id. Fee movements (业务类型 with 手续费) are the fees; the
 * rest is money received (收入) or refunded (支出). Lumi expects its payments less its refunds less the fees the
 * trade bill charged on the salon's lines.
 */
export function settlementOf(mine: TradeBill, fund: FundFlowBill, lumi: LumiDayMoney): ReconciliationSettlement {
  const ids = new Set([...mine.payments.map((p) => p.transactionId), ...mine.refunds.map((r) => r.refundId)]);
  let receivedFen = 0;
  let refundedFen = 0;
  let feesFen = 0;
  for (const movement of fund.movements) {
    if (!ids.has(movement.businessId)) continue;
    if (movement.type.includes('手续费')) feesFen -= movement.fen;
    else if (movement.fen >= 0) receivedFen += movement.fen;
    else refundedFen -= movement.fen;
  }
  const billFeesFen = [...mine.payments, ...mine.refunds].reduce((sum, line) => sum + line.feeFen, 0);
  return {
    receivedFen,
    refundedFen,
    feesFen,
    netFen: receivedFen - refundedFen - feesFen,
    expectedNetFen: lumi.paidFen - lumi.refundedFen - billFeesFen,
  };
}
