import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../../db/database.ts';
import { AppError } from '../../../errors.ts';
import { customerAccountId } from '../accounts.ts';
import { type CustomerAccountKind, sessionsUnit } from '../chart.ts';
import { type Leg, postTransfer, requestHash } from '../post.ts';
import { type CardState, lockCard, mirrorCard } from './package-card-state.ts';
import { packageCards } from '../tables.ts';

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
  /** What the sign-up owed on credit, now owed by the survivor. */
  owedFen: number;
  cards: { fromCardId: string; toCardId: string; name: string; sessions: number }[];
}

interface FromAccount {
  id: number;
  kind: CustomerAccountKind;
  balance: number;
  held: number;
  package_card_id: string | null;
}

/** The buckets that move as they are (what she holds, and what she owes); package cards move card by card. */
const WALLET_KINDS = ['stored_principal', 'stored_bonus', 'points', 'credit_receivable'] as const;

/**
 * 合并账户: moves everything the sign-up holds to the surviving customer in ONE transfer of kind
 * `customer_merge` — principal and bonus each into the same bucket, points into points (and each open points lot
 * re-created for the survivor with its own expiry), each package card with sessions left into a new card of the
 * survivor's that keeps its service, expiry and deferred value, and what she owes on credit into the survivor's
 * receivable (the credit module re-points its sales and schedules in the same transaction). Keyed `merge/<fromId>`: the sign-up can only be
 * merged once, and a second merge of it (two bindings racing) finds the key taken and moves nothing.
 *
 * Refused (409 CUSTOMER_MERGE_CONFLICT, details.reason) where moving is not safe: value held for a bill awaiting
 * the customer (`held`).
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

  const moved: MovedBalances = {
    transferId: null,
    principalFen: 0,
    bonusFen: 0,
    points: 0,
    owedFen: 0,
    cards: [],
  };
  const legs: Leg[] = [];
  for (const kind of WALLET_KINDS) {
    const account = accounts.find((a) => a.kind === kind && a.package_card_id === null);
    const balance = Number(account?.balance ?? 0);
    if (!account || balance === 0) continue;
    // Emptying the sign-up's account and filling the survivor's: −balance there, +balance here, whichever its
    // normal side (her holdings are credit-normal, −balance; what she owes is debit-normal, +balance).
    legs.push({ accountId: account.id, amount: -balance });
    legs.push({ accountId: await customerAccountId(db, { tenantId, customerId: intoId, kind }), amount: balance });
    if (kind === 'stored_principal') moved.principalFen = -balance;
    if (kind === 'stored_bonus') moved.bonusFen = -balance;
    if (kind === 'points') moved.points = -balance;
    if (kind === 'credit_receivable') moved.owedFen = balance;
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
      owedFen: moved.owedFen,
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

/**
 * Where sessions given back to `card` belong (a refunded bill line that used them): the card itself while its
 * customer is live. Once she was merged into another, the sessions go to the card the survivor holds instead of
 * the retired one — the card the merge re-issued from it, or, if it was empty at the merge (nothing to re-issue),
 * a new card of the survivor's with the same name, service and expiry holding just these sessions, priced at the
 * `valueFen` their use recognised so using them again recognises exactly that. Follows chained merges.
 */
export async function cardHeldAfterMerge(
  db: Database,
  tenantId: string,
  card: CardState,
  sessions: number,
  valueFen: number,
): Promise<CardState> {
  let current = card;
  // A merge always goes into a live customer, so the chain ends; it is as long as the merges made it. Should the
  // rows ever point round in a circle, refuse (409) rather than loop.
  const visited = new Set<string>();
  for (;;) {
    if (visited.has(current.customer_id)) {
      throw new AppError('CUSTOMER_MERGE_CONFLICT', 'The merge chain of this card loops', {
        customerId: card.customer_id,
        reason: 'merge_cycle',
      });
    }
    visited.add(current.customer_id);
    const [owner] = await queryRows<{ merged_into_id: string | null; successor: string | null }>(
      db,
      sql`select c.merged_into_id,
                 (select d->>'toCardId' from transfers t, jsonb_array_elements(t.details->'cards') d
                  where t.tenant_id = ${tenantId} and t.kind = 'customer_merge' and t.reference_type = 'customer'
                    and t.reference_id = ${current.customer_id} and d->>'fromCardId' = ${current.id}
                  limit 1) as successor
          from customers c where c.tenant_id = ${tenantId} and c.id = ${current.customer_id}`,
    );
    if (!owner?.merged_into_id) return current;
    if (owner.successor) {
      current = await lockCard(db, tenantId, owner.successor);
      continue;
    }
    const [created] = await db
      .insert(packageCards)
      .values({
        tenantId,
        customerId: owner.merged_into_id,
        serviceId: current.service_id,
        name: current.name,
        sessionsTotal: sessions,
        priceFen: valueFen,
        valuePerSessionFen: current.value_per_session_fen,
        expiresOn: current.expires_on,
      })
      .returning({ id: packageCards.id });
    if (!created) throw new Error('card insert returned nothing');
    await customerAccountId(db, {
      tenantId,
      customerId: owner.merged_into_id,
      kind: 'package_sessions',
      unit: sessionsUnit(current.service_id),
      packageCardId: created.id,
    });
    return lockCard(db, tenantId, created.id);
  }
}
