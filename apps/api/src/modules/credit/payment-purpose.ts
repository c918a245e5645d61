import { type CreditRepaymentPaymentRequest, fenToYuanString } from '@lumi/shared';
import { AppError } from '../../errors.ts';
import { customerWalletAccounts, postTransfer, requestHash } from '../ledger/index.ts';
import { completionKey, type PaymentPurpose } from '../payments/index.ts';
import { creditSummary } from './lines.ts';
import { applyCreditRepayment } from './repayments.ts';

/**
 * 在线还款: the customer repays what they owe on credit from the mini-program with WeChat Pay. Completing the
 * payment allocates it to the oldest due items. If the debt shrank meanwhile (repaid at the store), the money
 * that already moved is credited to the customer's stored value instead, so nothing is lost.
 */
export const creditRepaymentPurpose: PaymentPurpose<CreditRepaymentPaymentRequest> = {
  name: 'credit_repayment',
  oneOpenOrder: true,

  async prepare(db, ctx, input) {
    const summary = await creditSummary(db, ctx.tenantId, ctx.customerId, ctx.now);
    if (input.amountFen > summary.owedFen) {
      throw new AppError('CREDIT_OVERPAYMENT', 'This is more than you owe', { owedFen: summary.owedFen });
    }
    return {
      amountFen: input.amountFen,
      description: `还款 ¥${fenToYuanString(input.amountFen)}`,
      // What is repaid is the customer's debt: one open repayment order per customer.
      reference: ctx.customerId,
      data: {},
    };
  },

  async complete(tx, ctx, order) {
    const key = completionKey(order.outTradeNo);
    const base = { tenantId: ctx.tenantId, customerId: ctx.customerId, storeId: order.storeId, staffId: null };
    try {
      const applied = await applyCreditRepayment(tx, ctx.ledger, {
        ...base,
        amountFen: order.amountFen,
        method: 'wechat',
        idempotencyKey: key,
        requestHash: requestHash({ key }),
        memo: `微信还款 ${order.outTradeNo}`,
      });
      return applied.transferId;
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'CREDIT_OVERPAYMENT') throw error;
    }
    const wallet = await customerWalletAccounts(tx, ctx.tenantId, ctx.customerId);
    const posted = await postTransfer(tx, {
      ...base,
      idempotencyKey: `${key}/credited`,
      requestHash: requestHash({ key, credited: true }),
      kind: 'credit_payment_credited',
      memo: `欠款已结清，微信还款 ${order.outTradeNo} 转入储值`,
      details: { outTradeNo: order.outTradeNo },
      legs: [
        { accountId: await ctx.ledger.house.id(tx, ctx.tenantId, 'wechat_clearing', null), amount: order.amountFen },
        { accountId: wallet.stored_principal, amount: -order.amountFen },
      ],
    });
    return posted.transferId;
  },

  async refund() {
    throw new AppError('REFUND_NOT_ALLOWED', 'A repayment is not refunded; correct the debt instead');
  },
};
