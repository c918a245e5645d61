import type { AuditAction, CreditSummary } from '@lumi/shared';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { historyNow } from '../../db/history-time.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import { customerWalletAccounts, type Leg, type LedgerDeps } from '../ledger/index.ts';
import { daysBetween, shanghaiDay } from './dates.ts';
import { owedFen } from './ledger-reads.ts';
import { creditItems, creditLines } from './tables.ts';

export type CreditLineRow = typeof creditLines.$inferSelect;

/** A customer without a line has limit 0 and an active status. */
const defaultLine = (tenantId: string, customerId: string): CreditLineRow => ({
  tenantId,
  customerId,
  limitFen: 0,
  status: 'active',
  version: 0,
  frozenReason: null,
  frozenAt: null,
  frozenBy: null,
  unfrozenAt: null,
  updatedAt: new Date(0),
  createdAt: new Date(0),
});

export async function getLine(db: Database, tenantId: string, customerId: string): Promise<CreditLineRow> {
  const [line] = await db
    .select()
    .from(creditLines)
    .where(and(eq(creditLines.tenantId, tenantId), eq(creditLines.customerId, customerId)));
  return line ?? defaultLine(tenantId, customerId);
}

/**
 * Locks the customer's credit line for the rest of the transaction (creating it on first use). Every charge,
 * repayment, limit change and cancellation of this customer takes this lock first, so they queue one behind
 * the other and each sees what the previous one committed.
 */
export async function lockLine(tx: Database, tenantId: string, customerId: string): Promise<CreditLineRow> {
  const at = historyNow();
  await tx.insert(creditLines).values({ tenantId, customerId, createdAt: at, updatedAt: at }).onConflictDoNothing();
  const [line] = await tx
    .select()
    .from(creditLines)
    .where(and(eq(creditLines.tenantId, tenantId), eq(creditLines.customerId, customerId)))
    .for('update');
  if (!line) throw new Error('credit line could not be locked');
  return line;
}

export interface CreditChargeInput {
  tenantId: string;
  customerId: string;
  amountFen: number;
}

/**
 * For checkout (挂账 tender) and credit sales: locks the line and checks that it is active and that
 * owed + amount ≤ limit, with owed read from the ledger under the lock. Returns the debit leg on the customer's
 * credit_receivable; post it with postTransfer in the SAME transaction, then call recordCreditSale.
 * Throws CREDIT_LINE_FROZEN or CREDIT_LIMIT_EXCEEDED (422, details {limitFen, owedFen, availableFen}).
 */
export async function authorizeCreditCharge(tx: Database, deps: LedgerDeps, input: CreditChargeInput): Promise<Leg> {
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) {
    throw new AppError('VALIDATION_FAILED', 'A credit charge must be a positive number of fen', [
      { field: 'amountFen', message: 'positive integer fen' },
    ]);
  }
  const line = await lockLine(tx, input.tenantId, input.customerId);
  if (line.status === 'frozen') {
    throw new AppError('CREDIT_LINE_FROZEN', "This customer's credit line is frozen", {
      reason: line.frozenReason,
    });
  }
  const accounts = await customerWalletAccounts(tx, input.tenantId, input.customerId);
  const owed = await owedFen(tx, input.tenantId, input.customerId, deps.now());
  if (owed + input.amountFen > line.limitFen) {
    throw new AppError('CREDIT_LIMIT_EXCEEDED', 'This would take the customer over their credit limit', {
      limitFen: line.limitFen,
      owedFen: owed,
      availableFen: Math.max(0, line.limitFen - owed),
      amountFen: input.amountFen,
    });
  }
  return { accountId: accounts.credit_receivable, amount: input.amountFen };
}

export interface OpenItemRow {
  id: string;
  saleId: string;
  seq: number;
  dueDate: string;
  amountFen: number;
  paidFen: number;
  createdAt: Date;
}

/** The customer's items with something left to pay, oldest due first (then oldest sale, then schedule order). */
export async function openItems(db: Database, tenantId: string, customerId: string): Promise<OpenItemRow[]> {
  return db
    .select({
      id: creditItems.id,
      saleId: creditItems.saleId,
      seq: creditItems.seq,
      dueDate: creditItems.dueDate,
      amountFen: creditItems.amountFen,
      paidFen: creditItems.paidFen,
      createdAt: creditItems.createdAt,
    })
    .from(creditItems)
    .where(
      and(eq(creditItems.tenantId, tenantId), eq(creditItems.customerId, customerId), eq(creditItems.status, 'open')),
    )
    .orderBy(asc(creditItems.dueDate), asc(creditItems.createdAt), asc(creditItems.saleId), asc(creditItems.seq));
}

export async function creditSummary(
  db: Database,
  tenantId: string,
  customerId: string,
  now: Date,
): Promise<CreditSummary> {
  const [line, owed, items] = await Promise.all([
    getLine(db, tenantId, customerId),
    owedFen(db, tenantId, customerId, now),
    openItems(db, tenantId, customerId),
  ]);
  const today = shanghaiDay(now);
  let overdueFen = 0;
  let nextDue: CreditSummary['nextDue'] = null;
  for (const item of items) {
    const left = item.amountFen - item.paidFen;
    if (daysBetween(item.dueDate, today) > 0) overdueFen += left;
    else if (!nextDue) nextDue = { dueDate: item.dueDate, amountFen: left };
    else if (nextDue.dueDate === item.dueDate) nextDue.amountFen += left;
  }
  return {
    customerId,
    limitFen: line.limitFen,
    owedFen: owed,
    availableFen: Math.max(0, line.limitFen - owed),
    usagePercent: line.limitFen > 0 ? Math.floor((owed * 100) / line.limitFen) : null,
    status: line.status,
    frozenReason: line.frozenReason,
    overdueFen,
    nextDue,
  };
}

type Actor = { staffId: string } | { system: true };

/** Sets the limit (manager directly, or an approved request), audited in the same transaction. */
export async function setLimit(
  tx: Database,
  input: {
    tenantId: string;
    customerId: string;
    limitFen: number;
    actor: Actor;
    action: AuditAction;
    reason: string | null;
  },
): Promise<CreditLineRow> {
  const line = await lockLine(tx, input.tenantId, input.customerId);
  const [updated] = await tx
    .update(creditLines)
    .set({ limitFen: input.limitFen, version: sql`${creditLines.version} + 1`, updatedAt: historyNow() ?? new Date() })
    .where(and(eq(creditLines.tenantId, input.tenantId), eq(creditLines.customerId, input.customerId)))
    .returning();
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actor: input.actor,
    action: input.action,
    subject: { type: 'credit_line', id: input.customerId },
    before: { limitFen: line.limitFen, status: line.status },
    after: { limitFen: input.limitFen, status: line.status },
    reason: input.reason,
  });
  return updated as CreditLineRow;
}

/** Freezes or unfreezes the line; a no-op (not audited) when it already has that status. */
export async function setLineStatus(
  tx: Database,
  input: {
    tenantId: string;
    customerId: string;
    status: 'active' | 'frozen';
    actor: Actor;
    action: AuditAction;
    reason: string;
    at: Date;
  },
): Promise<{ line: CreditLineRow; changed: boolean }> {
  const line = await lockLine(tx, input.tenantId, input.customerId);
  if (line.status === input.status) return { line, changed: false };
  const frozen = input.status === 'frozen';
  const [updated] = await tx
    .update(creditLines)
    .set({
      status: input.status,
      version: sql`${creditLines.version} + 1`,
      frozenReason: frozen ? input.reason : null,
      frozenAt: frozen ? input.at : null,
      frozenBy: frozen && 'staffId' in input.actor ? input.actor.staffId : null,
      ...(frozen ? {} : { unfrozenAt: input.at }),
      updatedAt: historyNow() ?? new Date(),
    })
    .where(and(eq(creditLines.tenantId, input.tenantId), eq(creditLines.customerId, input.customerId)))
    .returning();
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actor: input.actor,
    action: input.action,
    subject: { type: 'credit_line', id: input.customerId },
    before: { status: line.status, limitFen: line.limitFen, frozenReason: line.frozenReason },
    after: { status: input.status, limitFen: line.limitFen, frozenReason: frozen ? input.reason : null },
    reason: input.reason,
  });
  return { line: updated as CreditLineRow, changed: true };
}
