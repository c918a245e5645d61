import { eq } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { recordAudit } from '../audit/index.ts';
import { releaseHolds } from '../ledger/index.ts';
import { freeDiscountApproval } from './discount-approval-use.ts';
import type { CheckoutDeps } from './open-bill.ts';
import { staffBillRow } from './read-bill.ts';
import { bills } from './tables.ts';

/**
 * 取消账单: a bill that was never paid (the customer left, it was opened by mistake) is closed on the record instead
 * of staying open for ever. Nothing was posted, so no money moves: stored value held while she was asked to confirm
 * is released, the coupon it reserved goes back to her wallet, a service voucher on it can open another bill, and
 * a manager's discount approval it used can open the next one (see freeDiscountApproval).
 * A bill whose WeChat part was already paid is not cancelled (the payment settles it, or reconciliation refunds it);
 * a cancelled bill asked again answers as it is, anything settled or voided is 409.
 */
export async function cancelBill(
  db: Database,
  deps: CheckoutDeps,
  staff: StaffPrincipal,
  billId: string,
  reason: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const bill = await staffBillRow(tx, staff, billId, { lock: true });
    if (bill.status === 'cancelled') return;
    if ((bill.status !== 'open' && bill.status !== 'awaiting_customer') || bill.wechatPaidAt) {
      throw new AppError('CONFLICT', `This bill is ${bill.status}: only an unpaid bill can be cancelled`, {
        status: bill.status,
      });
    }
    if (bill.status === 'awaiting_customer') await releaseHolds(tx, bill.tenantId, { type: 'bill', id: bill.id });
    if (bill.couponId) await deps.hooks.releaseCoupon(tx, { tenantId: bill.tenantId, couponId: bill.couponId });
    const discountApprovalId = await freeDiscountApproval(tx, bill.tenantId, bill.id);
    await tx.update(bills).set({ status: 'cancelled', holdExpiresAt: null, tenders: [] }).where(eq(bills.id, bill.id));
    await recordAudit(tx, {
      tenantId: bill.tenantId,
      actor: { staffId: staff.id },
      action: 'bill.cancelled',
      subject: { type: 'bill', id: bill.id },
      storeId: bill.storeId,
      before: { status: bill.status, tenders: bill.tenders, couponId: bill.couponId },
      after: { status: 'cancelled', ...(discountApprovalId ? { discountApprovalFreed: discountApprovalId } : {}) },
      reason,
    });
  });
}
