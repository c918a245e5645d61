import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../../db/database.ts';
import { historyNow } from '../../../db/history-time.ts';
import { AppError } from '../../../errors.ts';
import { customerAccountId } from '../accounts.ts';
import { sessionsUnit } from '../chart.ts';
import { packageCards } from '../tables.ts';

/*
 * A package card's row with its sessions account, and the one way a card is re-issued to another customer: what
 * both selling/using cards (package-cards.ts) and merging customers (customer-merge.ts) build on, so neither imports
 * the other's module for it.
 */

export interface CardState {
  id: string;
  customer_id: string;
  service_id: string;
  name: string;
  sessions_total: number;
  price_fen: number;
  value_per_session_fen: number;
  expires_on: string;
  account_id: number;
  sessions_left: number;
}

/** Reads a card with its sessions account, locking the account so a use, a return or a move of its sessions cannot race. */
export async function lockCard(db: Database, tenantId: string, cardId: string): Promise<CardState> {
  const [card] = await queryRows<CardState>(
    db,
    sql`select c.id, c.customer_id, c.service_id, c.name, c.sessions_total, c.price_fen, c.value_per_session_fen,
               to_char(c.expires_on, 'YYYY-MM-DD') as expires_on, a.id as account_id, -a.balance as sessions_left
        from package_cards c join accounts a on a.package_card_id = c.id
        where c.tenant_id = ${tenantId} and c.id = ${cardId}
        for update of a`,
  );
  if (!card) throw new AppError('NOT_FOUND', 'Package card not found');
  return card;
}

/** Revenue earned by using `sessions` of a card that has `left`: the last session also takes the rounding remainder. */
export function recognisedValue(
  card: Pick<CardState, 'price_fen' | 'value_per_session_fen' | 'sessions_total'>,
  left: number,
  sessions: number,
): number {
  const base = sessions * card.value_per_session_fen;
  return left === sessions ? base + (card.price_fen - card.sessions_total * card.value_per_session_fen) : base;
}

/**
 * A new card for `toCustomerId` holding `sessions` of what is left of `card` (all of them by default): the same
 * service, expiry and value per session, priced at the deferred value of those sessions — recognisedValue, so the
 * rounding remainder goes with the card's last session — and using it recognises exactly what the old card would
 * have. Returns its sessions account; the caller posts the sessions across.
 */
export async function mirrorCard(
  db: Database,
  tenantId: string,
  card: CardState,
  toCustomerId: string,
  sessions: number = card.sessions_left,
): Promise<{ newCardId: string; toAccount: number }> {
  const [newCard] = await db
    .insert(packageCards)
    .values({
      tenantId,
      customerId: toCustomerId,
      serviceId: card.service_id,
      name: card.name,
      sessionsTotal: sessions,
      priceFen: recognisedValue(card, card.sessions_left, sessions),
      valuePerSessionFen: card.value_per_session_fen,
      expiresOn: card.expires_on,
      createdAt: historyNow(),
    })
    .returning({ id: packageCards.id });
  if (!newCard) throw new Error('card insert returned nothing');
  const toAccount = await customerAccountId(db, {
    tenantId,
    customerId: toCustomerId,
    kind: 'package_sessions',
    unit: sessionsUnit(card.service_id),
    packageCardId: newCard.id,
  });
  return { newCardId: newCard.id, toAccount };
}
