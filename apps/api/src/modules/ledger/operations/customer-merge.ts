import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../../db/database.ts';
import { AppError } from '../../../errors.ts';
import { customerAccountId } from '../accounts.ts';
import type { CustomerAccountKind } from '../chart.ts';
import { type Leg, postTransfer, requestHash } from '../post.ts';
import { lockCard, mirrorCard } from './package-cards.ts';

export interface CustomerMerge {
  tenantId: string;
  /** The sign-up being retired. */
  fromId: string;
  /** The surviving customer (the one the front desk registered). */
  intoId: string;
}

export interface MovedBalances {
  /** Null when the sign-up held nothing: no transfer was needed. */
  transferId: number | null;
  principalFen: number;
  bonusFen: number;
  points: number;
  cards: { fromCardId: string; toCardId: string; name: string; sessions: number }[];
}

interface FromAccount {
  id: number;
  kind: CustomerAccountKind;
  balance: number;
  held: number;
  package_card_id: string | null;
}

/** The buckets that move as they are; package cards move card by card; credit is refused (see below). */
const WALLET_KINDS = ['stored_principal', 'stored_bonus', 'points'] as const;

/**
 * 合并账户: moves everything the sign-up holds to the surviving customer in ONE transfer of kind
 * `customer_merge` — principal and bonus each into the same bucket, points into points (and each open points lot
 * re-created for the survivor with its own expiry), each package card with sessions left into a new card of the
 * survivor's that keeps its service, expiry and deferred value. Keyed `merge/<fromId>`: the sign-up can only be
 * merged once, and a second merge of it (two bindings racing) finds the key taken and moves nothing.
 *
 * Refused (409 CUSTOMER_MERGE_CONFLICT, details.reason) where moving is not safe: value held for a bill awaiting
 * the customer (`held`), or money owed on credit (`credit_owed`: receivables carry schedules and reminders the
 * credit module keeps per customer; repay or settle them first).
 */
export async function moveCustomerBalances(db: Database, merge: CustomerMerge): Promise<MovedBalances> {
  const { tenantId, fromId, intoId } = merge;
  const accounts = await queryRows<FromAccount>(
    db,
    sql`select id, kind, balance, held, package_card_id from accounts
        where tenant_id = ${tenantId} and customer_id = ${fromId} and owner = 'customer'
        order by id for update`,
  );
  const refuse = (reason: string) =>
    new AppError('CUSTOMER_MERGE_CONFLICT', 'These accounts cannot be merged yet', { customerId: intoId, reason });
  if (accounts.some((a) => Number(a.held) !== 0)) throw refuse('held');
  if (accounts.some((a) => a.kind === 'credit_receivable' && Number(a.balance) !== 0)) throw refuse('credit_owed');

  const moved: MovedBalances = { transferId: null, principalFen: 0, bonusFen: 0, points: 0, cards: [] };
  const legs: Leg[] = [];
  for (const kind of WALLET_KINDS) {
    const account = accounts.find((a) => a.kind === kind && a.package_card_id === null);
    const balance = Number(account?.balance ?? 0);
    if (!account || balance === 0) continue;
    // Credit-normal: the customer's holding is −balance; emptying it is a debit, the survivor's a credit.
    legs.push({ accountId: account.id, amount: -balance });
    legs.push({ accountId: await customerAccountId(db, { tenantId, customerId: intoId, kind }), amount: balance });
    if (kind === 'stored_principal') moved.principalFen = -balance;
    if (kind === 'stored_bonus') moved.bonusFen = -balance;
    if (kind === 'points') moved.points = -balance;
  }
  for (const account of accounts) {
    if (account.kind !== 'package_sessions' || !account.package_card_id || Number(account.balance) === 0) continue;
    const card = await lockCard(db, tenantId, account.package_card_id);
    const { newCardId, toAccount } = await mirrorCard(db, tenantId, card, intoId);
    legs.push({ accountId: card.account_id, amount: card.sessions_left });
    legs.push({ accountId: toAccount, amount: -card.sessions_left });
    moved.cards.push({ fromCardId: card.id, toCardId: newCardId, name: card.name, sessions: card.sessions_left });
  }
  if (legs.length === 0) return moved;

  const key = `merge/${fromId}`;
  const posted = await postTransfer(db, {
    tenantId,
    kind: 'customer_merge',
    idempotencyKey: key,
    requestHash: requestHash({ key, intoId }),
    customerId: intoId,
    reference: { type: 'customer', id: fromId },
    details: {
      fromCustomerId: fromId,
      principalFen: moved.principalFen,
      bonusFen: moved.bonusFen,
      points: moved.points,
      cards: moved.cards,
    },
    legs,
  });
  // The caller holds both customers' rows locked and checked the sign-up is not merged: a replay means a bug.
  if (posted.replayed) throw refuse('already_merged');
  moved.transferId = posted.transferId;
  for (const card of moved.cards) {
    await db.execute(sql`update package_cards set sold_transfer_id = ${posted.transferId} where id = ${card.toCardId}`);
  }
  // Each open lot keeps its expiry: the survivor's points expire exactly when the sign-up's would have.
  await db.execute(sql`
    insert into points_lots (tenant_id, customer_id, earned_transfer_id, points, remaining, expires_at)
    select tenant_id, ${intoId}::uuid, ${posted.transferId}, remaining, remaining, expires_at from points_lots
    where tenant_id = ${tenantId} and customer_id = ${fromId} and remaining > 0
    order by expires_at, id`);
  await db.execute(
    sql`update points_lots set remaining = 0 where tenant_id = ${tenantId} and customer_id = ${fromId} and remaining > 0`,
  );
  return moved;
}
