import type { Tender } from '@lumi/shared';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { assertStoreAccess } from '../../plugins/idempotency.ts';
import { recordAudit } from '../audit/index.ts';
import { products } from '../catalog/index.ts';
import { requestHash, reverseTransfer } from '../ledger/index.ts';
import { reverseCommissions } from './commissions.ts';
import type { CheckoutDeps } from './open-bill.ts';
import { billLinesOf, getBillRow } from './read-bill.ts';
import { checkoutSettings } from './settings.ts';
import { bills } from './tables.ts';

/**
 * 作废: every tender goes back to its source through one reversing transfer (stored value, bonus, points,
 * sessions, tab; cash back out of the till; the WeChat part becomes a refund for the payments module), stock
 * returns, commissions reverse. Bills above the tenant's threshold need a manager. Audited.
 */
export async function voidBill(
  db: Database,
  deps: CheckoutDeps,
  staff: StaffPrincipal,
  billId: string,
  reason: string,
): Promise<number> {
  return db.transaction(async (tx) => {
    const bill = await getBillRow(tx, staff.tenantId, billId, { lock: true });
    assertStoreAccess(staff.storeIds, bill.storeId);
    if (bill.status !== 'settled' || !bill.transferId)
      throw new AppError('CONFLICT', `Only a settled bill can be voided; this one is ${bill.status}`);
    if ((bill.tenders as Tender[]).some((t) => t.method === 'wechat')) {
      // The WeChat part would have to be refunded at WeChat; until the bill purpose can refund, a manager refunds
      // the payment and corrects the rest by hand.
      throw new AppError('BUSINESS_RULE_VIOLATED', 'A bill paid partly with WeChat cannot be voided here yet');
    }
    const settings = await checkoutSettings(tx, staff.tenantId);
    const manager = staff.role === 'manager' || staff.role === 'owner';
    if (bill.totalFen > settings.voidApprovalThresholdFen && !manager) {
      throw new AppError('FORBIDDEN', 'Voiding a bill this large needs a manager');
    }
    // First, so a sale the customer has already partly repaid stops the void before anything moves.
    await deps.hooks.cancelCreditSale(tx, { tenantId: staff.tenantId, transferId: bill.transferId });
    const key = `void:${bill.id}`;
    const { transferId: voidTransferId } = await reverseTransfer(
      tx,
      deps.ledger,
      {
        tenantId: staff.tenantId,
        staffId: staff.id,
        storeId: bill.storeId,
        idempotencyKey: key,
        requestHash: requestHash({ key }),
      },
      bill.transferId,
      reason,
      ['bill'],
    );
    for (const line of await billLinesOf(tx, bill.id)) {
      if (line.type === 'product' && line.productId) {
        await tx
          .update(products)
          .set({ stock: sql`${products.stock} + ${line.quantity}` })
          .where(and(eq(products.id, line.productId), eq(products.tenantId, staff.tenantId)));
      }
    }
    await reverseCommissions(tx, staff.tenantId, bill.id);
    const now = deps.ledger.now();
    await tx.update(bills).set({ status: 'voided', voidTransferId, closedAt: now }).where(eq(bills.id, bill.id));
    await recordAudit(tx, {
      tenantId: staff.tenantId,
      actor: { staffId: staff.id },
      action: 'bill.voided',
      subject: { type: 'bill', id: bill.id },
      storeId: bill.storeId,
      before: { status: 'settled', totalFen: bill.totalFen, transferId: bill.transferId },
      after: { status: 'voided', voidTransferId },
      reason,
    });
    return voidTransferId;
  });
}
