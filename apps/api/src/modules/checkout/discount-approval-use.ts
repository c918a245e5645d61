import type { OpenBillRequest } from '@lumi/shared';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { shanghaiDate } from '../ledger/index.ts';
import type { CheckoutDeps } from './open-bill.ts';
import { approvalRequests } from './tables.ts';

/** What a discount approval holds besides its row: the bill draft as filed and how the till priced it. */
export interface DiscountDetails {
  draft: Omit<OpenBillRequest, 'approvalRequestId'>;
  lines: { name: string; quantity: number; listPriceFen: number; unitPriceFen: number }[];
  subtotalFen: number;
  tierDiscountFen: number;
  limitBasisPoints: number;
}

/** Midnight (Asia/Shanghai) starting the salon's business day that contains `at`. */
export function businessDayStart(at: Date): Date {
  return new Date(`${shanghaiDate(at)}T00:00:00+08:00`);
}

/**
 * A discount approval is good for the business day it was asked on: the customer is at the counter now, and a
 * manager agreed to this bill for her today. At midnight (Asia/Shanghai) an unused one lapses — tomorrow's visit
 * is a new bill and a new decision — so nothing approved lingers to be used weeks later by anyone who finds it.
 */
export function discountApprovalExpiresAt(filedAt: Date): Date {
  const start = businessDayStart(filedAt);
  start.setUTCDate(start.getUTCDate() + 1);
  return start;
}

/** 409 APPROVAL_EXPIRED once the approval's business day is over. */
export function assertDiscountApprovalLive(filedAt: Date, now: Date): void {
  const expiresAt = discountApprovalExpiresAt(filedAt);
  if (now.getTime() >= expiresAt.getTime()) {
    throw new AppError('APPROVAL_EXPIRED', 'This discount approval was for an earlier business day', {
      expiresAt: expiresAt.toISOString(),
    });
  }
}

/** The parts of a bill a discount approval fixes; the memo is free to change. */
const MATCHED = ['customerId', 'storeId', 'lines', 'couponId', 'manualDiscountFen', 'manualDiscountReason'] as const;

/** JSON with sorted keys, so two equal drafts compare equal however their keys were ordered. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** The fields where the bill differs from the approved draft (the body's paths). */
export function draftDifferences(draft: DiscountDetails['draft'], input: OpenBillRequest): string[] {
  return MATCHED.filter((field) => canonical(draft[field] ?? null) !== canonical(input[field] ?? null)).map(
    (field) => `body.${field}`,
  );
}

/** The refusal that tells the app a manager must approve this discount, with the numbers her screen shows. */
export function discountApprovalRequired(
  manualDiscountFen: number,
  subtotalFen: number,
  limitBasisPoints: number,
): never {
  throw new AppError('DISCOUNT_APPROVAL_REQUIRED', 'A discount this large needs a manager', {
    limitBasisPoints,
    limitFen: Math.floor((subtotalFen * limitBasisPoints) / 10_000),
    manualDiscountFen,
    subtotalFen,
  });
}

/**
 * A beautician opens the bill her approved discount request names. Locked for the rest of the bill's transaction,
 * so two attempts with one approval open one bill: the approval must be hers, of this tenant, approved, and the
 * bill exactly its draft, on the business day it was asked (see discountApprovalExpiresAt). Answers the bill it already opened when the same draft comes again (a retry), or `use`
 * to call once the new bill's row exists.
 */
export async function claimDiscountApproval(
  tx: Database,
  deps: CheckoutDeps,
  staff: StaffPrincipal,
  input: OpenBillRequest,
): Promise<{ id: string; billId: string | null; use: (billId: string) => Promise<void> }> {
  const id = input.approvalRequestId as string;
  const [row] = await tx
    .select()
    .from(approvalRequests)
    .where(
      and(
        eq(approvalRequests.tenantId, staff.tenantId),
        eq(approvalRequests.id, id),
        eq(approvalRequests.kind, 'discount'),
      ),
    )
    .for('update');
  const field = [{ field: 'body.approvalRequestId', message: 'not your discount approval' }];
  // Another staff member's approval does not exist for her, as in another store or tenant.
  if (!row || row.requestedBy !== staff.id) throw new AppError('NOT_FOUND', 'Discount approval not found', field);
  if (row.status !== 'approved') {
    throw new AppError('APPROVAL_NOT_APPROVED', `This request is ${row.status}`, { status: row.status });
  }
  const differences = draftDifferences((row.details as unknown as DiscountDetails).draft, input);
  if (row.billId) {
    if (differences.length === 0) return { id, billId: row.billId, use: async () => {} };
    throw new AppError('APPROVAL_USED', 'This approval already opened a bill', { billId: row.billId });
  }
  assertDiscountApprovalLive(row.createdAt, deps.ledger.now());
  if (differences.length > 0) {
    throw new AppError('APPROVAL_DRAFT_MISMATCH', 'The bill is not the draft the manager approved', {
      fields: differences,
    });
  }
  return {
    id,
    billId: null,
    use: async (billId) => {
      await tx.update(approvalRequests).set({ billId, usedAt: deps.ledger.now() }).where(eq(approvalRequests.id, id));
    },
  };
}

/**
 * 取消账单 gives back the discount approval the bill used: the manager agreed to a discount for this customer's
 * visit, and a bill closed unpaid never gave it, so she need not ask again. The approval is usable as before — same
 * draft, same expiry (its business day), listed again among her approved discounts. Answers its id, or null.
 */
export async function freeDiscountApproval(tx: Database, tenantId: string, billId: string): Promise<string | null> {
  const [freed] = await tx
    .update(approvalRequests)
    .set({ billId: null, usedAt: null })
    .where(
      and(
        eq(approvalRequests.tenantId, tenantId),
        eq(approvalRequests.kind, 'discount'),
        eq(approvalRequests.billId, billId),
      ),
    )
    .returning({ id: approvalRequests.id });
  return freed?.id ?? null;
}
