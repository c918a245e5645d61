import type { Tender } from '@lumi/shared';
import { AppError } from '../../errors.ts';
import { customerWalletAccounts, postTransfer, requestHash } from '../ledger/index.ts';
import type { PaymentPurpose } from '../payments/index.ts';
import { completeBillWechatPayment } from './customer-actions.ts';
import type { CheckoutDeps } from './open-bill.ts';
import { getBillRow } from './read-bill.ts';

/**
 * 账单微信支付: the customer pays the WeChat part of a waiting bill on their own phone. Completing the payment
 * settles the bill (paying is confirming). If the bill can no longer settle — its hold expired and staff
 * reopened it — the money that already moved is credited to the customer's stored value instead, so nothing is
 * lost, and staff settle the bill from it.
 */
export function billPaymentPurpose(deps: CheckoutDeps): PaymentPurpose<{ billId: string }> {
  return {
    name: 'bill',
    oneOpenOrder: true,

    async prepare(db, ctx, input) {
      const bill = await getBillRow(db, ctx.tenantId, input.billId);
      if (bill.customerId !== ctx.customerId) throw new AppError('NOT_FOUND', 'Bill not found');
      const wechat = (bill.tenders as Tender[]).find((t) => t.method === 'wechat');
      if (bill.status !== 'awaiting_customer' || !wechat || bill.wechatPaidAt) {
        throw new AppError('CONFLICT', 'This bill has nothing to pay with WeChat');
      }
      return {
        amountFen: wechat.amountFen,
        description: `账单 ${bill.number}`,
        reference: bill.id,
        data: { billId: bill.id },
      };
    },

    async complete(tx, ctx, order) {
      const billId = String(order.purposeData.billId);
      const settled = await completeBillWechatPayment(tx, { ...deps, ledger: ctx.ledger }, ctx.tenantId, billId);
      if (settled !== null) return settled;
      const wallet = await customerWalletAccounts(tx, ctx.tenantId, ctx.customerId);
      const key = `wxpay/pay/${order.outTradeNo}`;
      const posted = await postTransfer(tx, {
        tenantId: ctx.tenantId,
        customerId: ctx.customerId,
        storeId: order.storeId,
        staffId: null,
        idempotencyKey: key,
        requestHash: requestHash({ key }),
        kind: 'bill_payment_credited',
        memo: `账单已失效，微信支付 ${order.outTradeNo} 转入储值`,
        reference: { type: 'bill', id: billId },
        details: { billId, outTradeNo: order.outTradeNo },
        legs: [
          { accountId: await ctx.ledger.house.id(tx, ctx.tenantId, 'wechat_clearing', null), amount: order.amountFen },
          { accountId: wallet.stored_principal, amount: -order.amountFen },
        ],
      });
      return posted.transferId;
    },

    async refund() {
      throw new AppError(
        'REFUND_NOT_ALLOWED',
        'A bill paid with WeChat is refunded from the bill (POST /staff/bills/{id}/refunds or its void)',
      );
    },

    /** WeChat would not pay the bill's refund out: the customer keeps it as stored value, and can take it in cash. */
    async refundClosed(tx, ctx, order, refund) {
      const wallet = await customerWalletAccounts(tx, ctx.tenantId, ctx.customerId);
      const key = `wxpay/refund/${refund.outRefundNo}/credited`;
      const posted = await postTransfer(tx, {
        tenantId: ctx.tenantId,
        customerId: ctx.customerId,
        storeId: order.storeId,
        staffId: null,
        idempotencyKey: key,
        requestHash: requestHash({ key }),
        kind: 'bill_refund_credited',
        memo: `${refund.reason}，已转入储值`.slice(0, 200),
        reference: { type: 'bill', id: String(order.purposeData.billId) },
        details: { billId: order.purposeData.billId, outRefundNo: refund.outRefundNo, amountFen: refund.amountFen },
        legs: [
          { accountId: await ctx.ledger.house.id(tx, ctx.tenantId, 'refunds_pending', null), amount: refund.amountFen },
          { accountId: wallet.stored_principal, amount: -refund.amountFen },
        ],
      });
      return posted.transferId;
    },
  };
}
