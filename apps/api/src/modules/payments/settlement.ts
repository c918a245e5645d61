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
 * payment by its transaction id, a refund by its refund id. A payment's line (收入) credits what was received less
 * the fee it contains; a refund's line (支出) pays out what was refunded less the fee given back. Lumi expects its
 * payments less its refunds less the fees the trade bill charged on the salon's lines.
 */
export function settlementOf(mine: TradeBill, fund: FundFlowBill, lumi: LumiDayMoney): ReconciliationSettlement {
  const ids = new Set([...mine.payments.map((p) => p.transactionId), ...mine.refunds.map((r) => r.refundId)]);
  let receivedFen = 0;
  let refundedFen = 0;
  let feesFen = 0;
  for (const movement of fund.movements) {
    if (!ids.has(movement.businessId)) continue;
    if (movement.fen >= 0) {
      receivedFen += movement.fen + movement.feeFen;
      feesFen += movement.feeFen;
    } else {
      refundedFen += -movement.fen + movement.feeFen;
      feesFen -= movement.feeFen;
    }
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
