import { runningShare } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../../db/database.ts';
import { AppError } from '../../../errors.ts';
import { customerWalletAccounts } from '../accounts.ts';
import type { LedgerDeps, Posting } from '../context.ts';
import { type Leg, postTransfer } from '../post.ts';

/**
 * WeChat refunds post in two phases, because WeChat confirms a refund seconds to days after accepting it:
 *
 * - hold (when the refund is requested, before WeChat is asked): the refunded value leaves the wallet into
 *   `refunds_pending`, so the customer cannot spend it while WeChat works and a refund of value already spent is
 *   refused up front;
 * - settle (on REFUND.SUCCESS): `refunds_pending` → `wechat_clearing`, the money has left through WeChat;
 * - a refund WeChat closes is voided with a reversal of the hold (reverseTransfer), which puts the value back.
 */

export interface TopUpRefundHold {
  /** The top-up transfer the WeChat payment posted. */
  topUpTransferId: number;
  amountFen: number;
  /** Refunds of this payment already held (not closed) before this one, for the cumulative bonus share. */
  previouslyRefundedFen: number;
  reason: string;
  reference: { type: string; id: string };
}

/**
 * Hold for a refund of (part of) an online top-up: principal +R · refunds_pending −R, and the same share of the
 * bonus the top-up granted is forfeited (stored_bonus +B · bonus_expense −B), so topping up, keeping the bonus and
 * refunding the payment gains nothing. B is computed on the running total, floor(bonus × refunded ÷ paid) minus
 * what earlier refunds of the payment forfeited, so partial refunds add up to exactly the full-refund share; it is
 * capped at the bonus still available (bonus already spent stays spent).
 */
export async function holdTopUpRefund(
  db: Database,
  deps: LedgerDeps,
  posting: Posting,
  input: TopUpRefundHold,
): Promise<number> {
  return db.transaction(async (tx) => {
    const [original] = await queryRows<{ kind: string; customer_id: string | null; details: Record<string, unknown> }>(
      tx,
      sql`select kind, customer_id, details from transfers
          where id = ${input.topUpTransferId} and tenant_id = ${posting.tenantId}`,
    );
    if (original?.kind !== 'top_up' || original.customer_id !== posting.customerId) {
      throw new AppError('TRANSFER_NOT_FOUND', 'The top-up of this payment is not in the ledger');
    }
    const paid = Number(original.details.paidFen ?? 0);
    const granted = Number(original.details.bonusFen ?? 0);
    const wallet = await customerWalletAccounts(tx, posting.tenantId, posting.customerId);
    // What the customer can still give up: bonus set aside for a bill awaiting confirmation (held) is not.
    const [bonusRow] = await queryRows<{ held: number }>(
      tx,
      sql`select greatest(-balance - held, 0) as held from accounts where id = ${wallet.stored_bonus} for update`,
    );
    const due = paid > 0 ? runningShare(granted, paid, input.previouslyRefundedFen, input.amountFen) : 0;
    const bonus = Math.max(0, Math.min(Number(bonusRow?.held ?? 0), due));

    const legs: Leg[] = [
      { accountId: wallet.stored_principal, amount: input.amountFen },
      { accountId: await deps.house.id(tx, posting.tenantId, 'refunds_pending', null), amount: -input.amountFen },
    ];
    if (bonus > 0) {
      legs.push({ accountId: wallet.stored_bonus, amount: bonus });
      legs.push({ accountId: await deps.house.id(tx, posting.tenantId, 'bonus_expense', null), amount: -bonus });
    }
    const posted = await postTransfer(tx, {
      ...posting,
      kind: 'payment_refund',
      reference: input.reference,
      memo: input.reason,
      details: {
        method: 'wechat',
        refundFen: input.amountFen,
        bonusForfeitedFen: bonus,
        topUpTransferId: input.topUpTransferId,
        reason: input.reason,
      },
      legs,
    });
    return posted.transferId;
  });
}

/** REFUND.SUCCESS: the held value has left through WeChat (refunds_pending +R · wechat_clearing −R). */
export async function settleWechatRefund(
  db: Database,
  deps: LedgerDeps,
  posting: Posting,
  input: { amountFen: number; reference: { type: string; id: string } },
): Promise<number> {
  const posted = await postTransfer(db, {
    ...posting,
    kind: 'payment_refund_settled',
    reference: input.reference,
    details: { method: 'wechat', refundFen: input.amountFen },
    legs: [
      { accountId: await deps.house.id(db, posting.tenantId, 'refunds_pending', null), amount: input.amountFen },
      { accountId: await deps.house.id(db, posting.tenantId, 'wechat_clearing', null), amount: -input.amountFen },
    ],
  });
  return posted.transferId;
}
