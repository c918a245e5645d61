import type { FileDiscountApproval } from '@lumi/shared';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { assertStoreAccess } from '../../plugins/idempotency.ts';
import type { DiscountDetails } from './discount-approval-use.ts';
import { type CheckoutDeps, isLargeDiscount, priceBill } from './open-bill.ts';

/** A discount request as approvals.ts files it: the row's kind-specific part. */
export interface FiledDiscount {
  storeId: string;
  customerId: string;
  reason: string;
  amountFen: number;
  thresholdFen: number;
  details: DiscountDetails;
}

/**
 * 请店长审批 for a large discount: the draft is priced now, exactly as opening it would price it, so the manager sees
 * the lines and their list prices; a discount within the limit (give it yourself) or larger than the bill is
 * refused at once.
 */
export async function planDiscountRequest(
  db: Database,
  deps: CheckoutDeps,
  who: StaffPrincipal,
  body: FileDiscountApproval,
): Promise<FiledDiscount> {
  const { draft } = body;
  assertStoreAccess(who.storeIds, draft.storeId, 'body.draft.storeId');
  if (!draft.manualDiscountReason) {
    throw new AppError('VALIDATION_FAILED', 'A discount request needs a reason', [
      { field: 'body.draft.manualDiscountReason', message: 'required' },
    ]);
  }
  const { context, lines, subtotal, tierDiscount } = await priceBill(db, deps, who, draft);
  const limit = context.settings.discountApprovalBasisPoints;
  const manual = draft.manualDiscountFen;
  if (manual > subtotal - tierDiscount) {
    throw new AppError('BUSINESS_RULE_VIOLATED', 'The discount is larger than the bill', [
      { field: 'body.draft.manualDiscountFen', message: 'larger than the bill' },
    ]);
  }
  if (!isLargeDiscount(manual, subtotal, limit)) {
    throw new AppError('BUSINESS_RULE_VIOLATED', 'This discount needs no manager: give it directly', {
      manualDiscountFen: manual,
      limitBasisPoints: limit,
    });
  }
  return {
    storeId: draft.storeId,
    customerId: draft.customerId,
    reason: draft.manualDiscountReason,
    amountFen: manual,
    thresholdFen: Math.floor((subtotal * limit) / 10_000),
    details: {
      draft,
      lines: lines.map((l) => ({
        name: l.name,
        quantity: l.quantity,
        listPriceFen: l.listPriceFen,
        unitPriceFen: l.unitPriceFen,
      })),
      subtotalFen: subtotal,
      tierDiscountFen: tierDiscount,
      limitBasisPoints: limit,
    },
  };
}
