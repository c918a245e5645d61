import { fenToYuanString, type TopUpPaymentRequest } from '@lumi/shared';
import { and, eq, gte, isNull, lte, or } from 'drizzle-orm';
import { AppError } from '../../errors.ts';
import { holdTopUpRefund, requestHash, topUp, topUpPlans } from '../ledger/index.ts';
import type { Database } from '../../db/database.ts';
import {
  completionKey,
  type PaymentPurpose,
  type PreparedPayment,
  type PurposeContext,
  type PurposeOrder,
  refundHoldKey,
} from './purposes.ts';

const posting = (order: PurposeOrder, key: string, request: unknown, staffId: string | null = null) => ({
  tenantId: order.tenantId,
  customerId: order.customerId,
  // Online top-ups happen at no counter; the home store only labels the entry (wechat tenders need no store).
  storeId: order.storeId,
  staffId,
  idempotencyKey: key,
  requestHash: requestHash(request),
});

/**
 * The offer a top-up order is for: the plan in force at its price, or the amount asked; `lock` reads the plan
 * FOR SHARE (the order's insert transaction: a manager's edit locks it FOR UPDATE, so it waits for the order and
 * then finds the offer named, its terms fixed).
 */
async function offerFor(
  db: Database,
  ctx: PurposeContext,
  input: TopUpPaymentRequest,
  lock: boolean,
): Promise<PreparedPayment> {
  if (!input.planId) {
    const amountFen = input.amountFen ?? 0;
    return { amountFen, description: `会员储值 ¥${fenToYuanString(amountFen)}`, reference: null, data: {} };
  }
  const query = db
    .select()
    .from(topUpPlans)
    .where(
      and(
        eq(topUpPlans.tenantId, ctx.tenantId),
        eq(topUpPlans.id, input.planId),
        eq(topUpPlans.active, true),
        or(isNull(topUpPlans.validFrom), lte(topUpPlans.validFrom, ctx.now)),
        or(isNull(topUpPlans.validTo), gte(topUpPlans.validTo, ctx.now)),
      ),
    );
  const [plan] = lock ? await query.for('share') : await query;
  if (!plan) {
    throw new AppError('BUSINESS_RULE_VIOLATED', 'This top-up offer is not available', [
      { field: 'body.planId', message: 'not available' },
    ]);
  }
  if (input.amountFen !== undefined && input.amountFen !== plan.payFen) {
    throw new AppError('BUSINESS_RULE_VIOLATED', `This offer is for exactly ${plan.payFen} fen`, [
      { field: 'body.amountFen', message: 'does not match the offer' },
    ]);
  }
  return {
    amountFen: plan.payFen,
    description: `会员储值 ${plan.name}`.slice(0, 127),
    reference: plan.id,
    data: { planId: plan.id, planName: plan.name },
  };
}

/**
 * 在线充值: the customer tops up stored value from the mini-program and pays with WeChat — on her own, or at the
 * counter, where staff open the order (POST /staff/customers/{id}/wechat-top-ups) and she pays it on her phone.
 */
export const topUpPurpose: PaymentPurpose<TopUpPaymentRequest> = {
  name: 'top_up',

  prepare: (db, ctx, input) => offerFor(db, ctx, input, false),

  async confirm(tx, ctx, input, prepared) {
    if (!input.planId) return;
    const now = await offerFor(tx, ctx, input, true);
    if (now.amountFen !== prepared.amountFen) {
      throw new AppError('BUSINESS_RULE_VIOLATED', `This offer is now for ${now.amountFen} fen`, [
        { field: 'body.planId', message: 'the offer changed' },
      ]);
    }
  },

  async complete(tx, ctx, order) {
    const planId = typeof order.purposeData.planId === 'string' ? order.purposeData.planId : undefined;
    // A counter top-up (staff asked, the customer paid on her phone) is that staff member's takings.
    const staffId = typeof order.purposeData.staffId === 'string' ? order.purposeData.staffId : null;
    const request = { purpose: 'top_up', outTradeNo: order.outTradeNo, amountFen: order.amountFen };
    // The offer in force when the customer ordered is the offer they paid for, even if it ends before WeChat's
    // confirmation arrives.
    const deps = { ...ctx.ledger, now: () => order.createdAt };
    const input = {
      storeId: order.storeId,
      amountFen: order.amountFen,
      method: 'wechat' as const,
      memo: `微信支付 ${order.outTradeNo}`,
    };
    try {
      return (
        await topUp(tx, deps, posting(order, completionKey(order.outTradeNo), request, staffId), { ...input, planId })
      ).transferId;
    } catch (error) {
      // The money has moved, so the top-up must post: if the chosen offer was withdrawn meanwhile, the customer
      // still gets every fen they paid and the best tier in force (topUp runs in a savepoint, so this is safe).
      if (!planId || !(error instanceof AppError) || error.code !== 'BUSINESS_RULE_VIOLATED') throw error;
      return (await topUp(tx, deps, posting(order, completionKey(order.outTradeNo), request, staffId), input))
        .transferId;
    }
  },

  async refund(tx, ctx, order, refund) {
    if (order.transferId === null) throw new AppError('REFUND_NOT_ALLOWED', 'This payment has not been credited');
    return holdTopUpRefund(
      tx,
      ctx.ledger,
      posting(
        order,
        refundHoldKey(refund.outRefundNo),
        { outRefundNo: refund.outRefundNo, amountFen: refund.amountFen },
        refund.staffId,
      ),
      {
        topUpTransferId: order.transferId,
        amountFen: refund.amountFen,
        previouslyRefundedFen: refund.previouslyRefundedFen,
        reason: refund.reason,
        reference: { type: 'wechat_refund', id: refund.outRefundNo },
      },
    );
  },
};
