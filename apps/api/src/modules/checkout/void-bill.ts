import type { Database } from '../../db/database.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { requestHash } from '../ledger/index.ts';
import type { CheckoutDeps } from './open-bill.ts';
import { type BillRefundOutcome, refundBill } from './refund-bill.ts';

/**
 * 撤销 (void): a refund of everything on the bill that is not refunded yet (all of it, unless part was refunded
 * before), after which the bill is voided. Bills above the tenant's threshold need a manager.
 */
export async function voidBill(
  db: Database,
  deps: CheckoutDeps,
  staff: StaffPrincipal,
  billId: string,
  reason: string,
  idempotencyKey: string,
): Promise<BillRefundOutcome> {
  return refundBill(
    db,
    deps,
    staff,
    billId,
    { lines: 'rest', restock: true, reason },
    { key: idempotencyKey, hash: requestHash({ void: billId, reason }) },
  );
}
