import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../../db/database.ts';
import { AppError } from '../../../errors.ts';
import { customerWalletAccounts } from '../accounts.ts';
import { type LedgerDeps, ledgerSettings, POINTS_DAY_MS } from '../context.ts';
import { type Posted, postTransfer } from '../post.ts';
import { applyPointsDelta } from './points-lots.ts';
import { postedUnderKey } from './replay.ts';

export interface Correction {
  tenantId: string;
  /** null when the system corrects itself (e.g. a WeChat refund that did not happen is voided). */
  staffId: string | null;
  storeId: string | null;
  idempotencyKey: string;
  requestHash: string;
}

/**
 * Kinds the generic reversal may undo. Bills, credit sales and repayments, and WeChat payments carry state in
 * their own modules (stock, commissions, schedules, refunds at WeChat) and are undone there; those modules pass
 * their own kinds in `kinds`.
 */
export const LEDGER_REVERSIBLE_KINDS: readonly string[] = [
  'top_up',
  'spend',
  'package_sale',
  'package_consumption',
  'package_transfer',
  'points_redemption',
  'points_adjustment',
  'stored_value_adjustment',
];

/**
 * 冲正: a manager undoes a transfer with a new one that mirrors every entry. The original stays as it was;
 * a transfer can be reversed once, and a reversal that would overdraw (the top-up was already spent) is refused.
 */
export async function reverseTransfer(
  db: Database,
  deps: LedgerDeps,
  c: Correction,
  transferId: number,
  reason: string,
  kinds: readonly string[] = LEDGER_REVERSIBLE_KINDS,
): Promise<Posted> {
  try {
    return await postReversal(db, deps, c, transferId, reason, kinds);
  } catch (error) {
    // A retry of this very request (same key) that committed while this one posted trips the one-reversal-
    // per-transfer constraint before the key's: answer with its transfer, as a replay.
    if (error instanceof AppError && error.code === 'LEDGER_ALREADY_REVERSED') {
      const posted = await postedUnderKey(db, c);
      if (posted) return posted;
    }
    throw error;
  }
}

function postReversal(
  db: Database,
  deps: LedgerDeps,
  c: Correction,
  transferId: number,
  reason: string,
  kinds: readonly string[],
): Promise<Posted> {
  return db.transaction(async (tx) => {
    const [original] = await queryRows<{
      id: number;
      kind: string;
      customer_id: string | null;
      store_id: string | null;
      method: string | null;
    }>(
      tx,
      sql`select id, kind, customer_id, store_id, details->>'method' as method
          from transfers where id = ${transferId} and tenant_id = ${c.tenantId}`,
    );
    if (!original) throw new AppError('TRANSFER_NOT_FOUND', 'Transfer not found');
    // A top-up paid by WeChat is refunded through WeChat, not reversed on paper.
    if (!kinds.includes(original.kind) || (original.kind === 'top_up' && original.method === 'wechat')) {
      throw new AppError(
        'BUSINESS_RULE_VIOLATED',
        `A ${original.kind} is corrected where it was made (void the bill, refund the payment)`,
        {
          kind: original.kind,
        },
      );
    }
    const legs = await queryRows<{ account_id: number; amount: number; kind: string }>(
      tx,
      sql`select e.account_id, e.amount, a.kind from entries e join accounts a on a.id = e.account_id where e.transfer_id = ${transferId}`,
    );
    const posted = await postTransfer(tx, {
      ...c,
      storeId: original.store_id,
      customerId: original.customer_id,
      kind: 'reversal',
      reversesId: original.id,
      memo: reason,
      details: { reason, reversedKind: original.kind },
      legs: legs.map((l) => ({ accountId: Number(l.account_id), amount: -Number(l.amount) })),
    });
    const pointsDelta = legs.filter((l) => l.kind === 'points').reduce((sum, l) => sum + Number(l.amount), 0);
    if (!posted.replayed && original.customer_id && pointsDelta !== 0) {
      // The reversal moves points by -(original credit); a credit is negative, so the customer's points change by +amount.
      const settings = await ledgerSettings(tx, c.tenantId);
      const expiresAt = new Date(deps.now().getTime() + settings.pointsExpiryDays * POINTS_DAY_MS);
      await applyPointsDelta(
        tx,
        { tenantId: c.tenantId, customerId: original.customer_id, transferId: posted.transferId, expiresAt },
        pointsDelta,
      );
    }
    return posted;
  });
}

/** A manager's correction of principal or bonus, with the reason on record; the other side is `adjustments`. */
export async function adjustStoredValue(
  db: Database,
  deps: LedgerDeps,
  c: Correction & { customerId: string },
  input: { account: 'principal' | 'bonus'; amountFen: number; reason: string },
): Promise<Posted> {
  const wallet = await customerWalletAccounts(db, c.tenantId, c.customerId);
  const target = input.account === 'principal' ? wallet.stored_principal : wallet.stored_bonus;
  const posted = await postTransfer(db, {
    ...c,
    kind: 'stored_value_adjustment',
    memo: input.reason,
    details: { account: input.account, amountFen: input.amountFen, reason: input.reason },
    legs: [
      { accountId: target, amount: -input.amountFen },
      { accountId: await deps.house.id(db, c.tenantId, 'adjustments', null), amount: input.amountFen },
    ],
  });
  return posted;
}
