import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { historyNow } from '../../db/history-time.ts';
import { recordAudit } from '../audit/index.ts';
import { lockLine } from './lines.ts';
import { creditLimitRequests, creditLines } from './tables.ts';

/**
 * Credit records that follow the customer to the survivor as they are: the sales, their items, reminders and
 * collection tasks. Allocations (which repayment paid which item) are append-only and read through their item,
 * so they stay as written, naming who paid then.
 */
const FOLLOWING = ['credit_sales', 'credit_items', 'credit_reminders', 'collection_tasks'];

export interface CreditTakeOver {
  /** The survivor's limit after the merge. */
  limitFen: number;
  status: 'active' | 'frozen';
  /** Her pending limit request, closed because the survivor already had one waiting; null otherwise. */
  closedRequestId: string | null;
}

/**
 * 合并账户, the credit side: the survivor takes over the sign-up's credit — her credit sales with their due dates
 * and instalments, what was already paid on them, reminders and collection tasks — so the overdue job, reminders
 * and repayments find it all on the one customer; the receivable itself moves in the ledger's `customer_merge`
 * transfer. Both lines are locked first, in customer-id order, as every charge and repayment locks a line before
 * it posts: nothing can be charged to the sign-up meanwhile.
 *
 * The survivor's line: the larger of the two limits (each was granted to this same person by a manager), frozen
 * if either was — merging must not lift a freeze for overdue debt. What she owes on both now counts against that
 * one limit; above it, no new credit until she repays (the charge check already refuses). The sign-up's line is
 * left at 0. Her limit requests follow her (takeOverLimitRequests).
 */
export async function takeOverCredit(
  tx: Database,
  merge: { tenantId: string; fromId: string; intoId: string },
): Promise<CreditTakeOver> {
  const { tenantId, fromId, intoId } = merge;
  const [first, second] = [fromId, intoId].sort();
  const lines = new Map([
    [first as string, await lockLine(tx, tenantId, first as string)],
    [second as string, await lockLine(tx, tenantId, second as string)],
  ]);
  const from = lines.get(fromId);
  const into = lines.get(intoId);
  if (!from || !into) throw new Error('credit lines could not be locked');

  for (const table of FOLLOWING) {
    await tx.execute(sql`update ${sql.identifier(table)} set customer_id = ${intoId}
      where tenant_id = ${tenantId} and customer_id = ${fromId}`);
  }
  const closedRequestId = await takeOverLimitRequests(tx, merge);

  const limitFen = Math.max(Number(from.limitFen), Number(into.limitFen));
  const frozenBy = into.status === 'frozen' ? into : from.status === 'frozen' ? from : null;
  const line = (customerId: string) => and(eq(creditLines.tenantId, tenantId), eq(creditLines.customerId, customerId));
  const bumped = { version: sql`${creditLines.version} + 1`, updatedAt: historyNow() ?? new Date() };
  await tx
    .update(creditLines)
    .set({
      ...bumped,
      limitFen,
      status: frozenBy ? 'frozen' : 'active',
      frozenReason: frozenBy?.frozenReason ?? null,
      frozenAt: frozenBy?.frozenAt ?? null,
      frozenBy: frozenBy?.frozenBy ?? null,
    })
    .where(line(intoId));
  if (Number(from.limitFen) !== 0)
    await tx
      .update(creditLines)
      .set({ ...bumped, limitFen: 0 })
      .where(line(fromId));
  return { limitFen, status: frozenBy ? 'frozen' : 'active', closedRequestId };
}

/** The note a limit request closed by a merge carries, read by the manager and the requester. */
export const CLOSED_BY_MERGE = '合并账户时关闭：该顾客已有一份待审批的额度申请，请在那份申请中一并考虑';

/**
 * Her limit requests follow her: decided ones as history, a pending one to be decided for the survivor — the
 * manager then sets the one line she has now. One customer has at most one pending request, so when the survivor
 * already has one waiting, the sign-up's is closed instead (decided by nobody, `decidedAt` the merge, the note
 * CLOSED_BY_MERGE, audited `credit.request_closed`) and still moves, so her history shows it; the survivor's, filed
 * for the customer the salon registered, is the one a manager decides. Answers the closed request's id, or null.
 */
async function takeOverLimitRequests(
  tx: Database,
  { tenantId, fromId, intoId }: { tenantId: string; fromId: string; intoId: string },
): Promise<string | null> {
  const [waiting] = await tx
    .select({ id: creditLimitRequests.id })
    .from(creditLimitRequests)
    .where(
      and(
        eq(creditLimitRequests.tenantId, tenantId),
        eq(creditLimitRequests.customerId, intoId),
        eq(creditLimitRequests.status, 'pending'),
      ),
    );
  let closedRequestId: string | null = null;
  if (waiting) {
    const [closed] = await tx
      .update(creditLimitRequests)
      .set({ status: 'rejected', decidedAt: historyNow() ?? new Date(), decisionNote: CLOSED_BY_MERGE })
      .where(
        and(
          eq(creditLimitRequests.tenantId, tenantId),
          eq(creditLimitRequests.customerId, fromId),
          eq(creditLimitRequests.status, 'pending'),
        ),
      )
      .returning({ id: creditLimitRequests.id, requestedLimitFen: creditLimitRequests.requestedLimitFen });
    if (closed) {
      closedRequestId = closed.id;
      await recordAudit(tx, {
        tenantId,
        actor: { system: true },
        action: 'credit.request_closed',
        subject: { type: 'credit_limit_request', id: closed.id },
        before: { status: 'pending', customerId: fromId, requestedLimitFen: closed.requestedLimitFen },
        after: { status: 'rejected', customerId: intoId, pendingRequestId: waiting.id },
        reason: CLOSED_BY_MERGE,
      });
    }
  }
  await tx
    .update(creditLimitRequests)
    .set({ customerId: intoId })
    .where(and(eq(creditLimitRequests.tenantId, tenantId), eq(creditLimitRequests.customerId, fromId)));
  return closedRequestId;
}
