import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { historyNow } from '../../db/history-time.ts';
import { lockLine } from './lines.ts';
import { creditLines } from './tables.ts';

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
 * left at 0. A pending limit request follows her unless the survivor already has one waiting.
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
  await tx.execute(sql`update credit_limit_requests r set customer_id = ${intoId}
    where r.tenant_id = ${tenantId} and r.customer_id = ${fromId}
      and (r.status <> 'pending' or not exists (select 1 from credit_limit_requests o
        where o.tenant_id = r.tenant_id and o.customer_id = ${intoId} and o.status = 'pending'))`);

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
  return { limitFen, status: frozenBy ? 'frozen' : 'active' };
}
