import type { ConsumeSessionsRequest, SellPackageCardRequest } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../../db/database.ts';
import { historyNow } from '../../../db/history-time.ts';
import { AppError } from '../../../errors.ts';
import { customerAccountId, customerWalletAccounts } from '../accounts.ts';
import { sessionsUnit } from '../chart.ts';
import { type LedgerDeps, ledgerSettings, type Posting } from '../context.ts';
import { type Leg, type Posted, postTransfer, requestHash, type StoredValueSpend } from '../post.ts';
import { packageCards } from '../tables.ts';
import { cardHeldAfterMerge } from './customer-merge.ts';
import { lockCard, mirrorCard, recognisedValue } from './package-card-state.ts';
import { postedUnderKey, rollbackToReplay, unwrapReplay } from './replay.ts';
import { tenderLeg } from './tenders.ts';

/** Business days are Shanghai days: a card "valid until the 31st" is usable all of that day in China. */
// One formatter for every call: building an Intl.DateTimeFormat costs far more than formatting with it.
const SHANGHAI_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });

export function shanghaiDate(at: Date): string {
  return SHANGHAI_DAY.format(at);
}

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function getPlan(db: Database, deps: LedgerDeps, tenantId: string, planId: string) {
  const plan = await deps.packagePlans.find(db, tenantId, planId);
  if (!plan) throw new AppError('NOT_FOUND', 'Package plan not found');
  return plan;
}

interface NewCard {
  cardId: string;
  legs: Leg[];
  attach(transferId: number): Promise<void>;
}

/**
 * Creates the card row and its sessions account and returns the legs that put its sessions in the
 * customer's hands: sessions leave the house's issued pool (debit) into the card (credit).
 */
async function createCard(
  db: Database,
  deps: LedgerDeps,
  posting: Posting,
  planId: string,
  priceFen: number,
  now: Date,
): Promise<NewCard> {
  const plan = await getPlan(db, deps, posting.tenantId, planId);
  const [card] = await db
    .insert(packageCards)
    .values({
      tenantId: posting.tenantId,
      customerId: posting.customerId,
      serviceId: plan.serviceId,
      planId: plan.id,
      name: plan.name,
      sessionsTotal: plan.sessions,
      priceFen,
      valuePerSessionFen: Math.floor(priceFen / plan.sessions),
      expiresOn: addDays(shanghaiDate(now), plan.validDays),
      createdAt: historyNow(),
    })
    .returning({ id: packageCards.id });
  if (!card) throw new Error('package card insert returned nothing');
  const unit = sessionsUnit(plan.serviceId);
  const cardAccount = await customerAccountId(db, {
    tenantId: posting.tenantId,
    customerId: posting.customerId,
    kind: 'package_sessions',
    unit,
    packageCardId: card.id,
  });
  const issued = await deps.house.id(db, posting.tenantId, 'sessions_issued', null, unit);
  return {
    cardId: card.id,
    legs: [
      { accountId: issued, amount: plan.sessions },
      { accountId: cardAccount, amount: -plan.sessions },
    ],
    attach: async (transferId) => {
      await db.execute(sql`update package_cards set sold_transfer_id = ${transferId} where id = ${card.id}`);
    },
  };
}

/**
 * A package card sold with something else (a shop order): the card and the legs that put its sessions in the
 * customer's hands; the caller posts them with the money, and attaches the card to that transfer.
 */
export function newPackageCard(
  db: Database,
  deps: LedgerDeps,
  posting: Posting,
  planId: string,
  priceFen: number,
  now: Date,
) {
  return createCard(db, deps, posting, planId, priceFen, now);
}

/** A package card given away with a top-up offer: sessions only, no money (its price is zero). */
export function issueGiftPackageCard(db: Database, deps: LedgerDeps, posting: Posting, planId: string, now: Date) {
  return createCard(db, deps, posting, planId, 0, now);
}

/**
 * 售卡: the price is paid (cash, card or stored value) into deferred revenue — it is earned session by session —
 * and the card's sessions are credited to the customer.
 */
export async function sellPackageCard(
  db: Database,
  deps: LedgerDeps,
  posting: Posting,
  input: SellPackageCardRequest,
): Promise<Posted> {
  return db
    .transaction(async (tx) => {
      const plan = await getPlan(tx, deps, posting.tenantId, input.planId);
      const card = await createCard(tx, deps, posting, plan.id, plan.priceFen, deps.now());
      const legs: Leg[] = [
        ...card.legs,
        {
          accountId: await deps.house.id(tx, posting.tenantId, 'package_deferred_revenue', null),
          amount: -plan.priceFen,
        },
      ];
      let spend: StoredValueSpend | undefined;
      if (input.method === 'stored_value') {
        const wallet = await customerWalletAccounts(tx, posting.tenantId, posting.customerId);
        const settings = await ledgerSettings(tx, posting.tenantId);
        spend = {
          principalAccountId: wallet.stored_principal,
          bonusAccountId: wallet.stored_bonus,
          total: plan.priceFen,
          rule: settings.spendRule,
        };
      } else {
        legs.push(await tenderLeg(tx, deps, posting, input.method, plan.priceFen));
      }
      const posted = await postTransfer(tx, {
        ...posting,
        kind: 'package_sale',
        reference: { type: 'package_card', id: card.cardId },
        details: {
          method: input.method,
          plan: { id: plan.id, name: plan.name },
          sessions: plan.sessions,
          priceFen: plan.priceFen,
          packageCardId: card.cardId,
        },
        legs,
        ...(spend ? { spend } : {}),
      });
      if (posted.replayed) rollbackToReplay(posted.transferId);
      await card.attach(posted.transferId);
      return posted;
    })
    .catch(unwrapReplay);
}

export interface SessionUse {
  legs: Leg[];
  valueFen: number;
  card: { id: string; name: string; customerId: string };
}

/**
 * The legs for using `sessions` of a card at a store: sessions leave the card and their recorded value moves
 * from deferred to service revenue. Locks the card's account first so the value split cannot race; refuses an
 * expired card or too few sessions. Checkout uses it for package-session lines of a bill.
 */
export async function packageSessionUse(
  db: Database,
  deps: LedgerDeps,
  tenantId: string,
  storeId: string | null,
  cardId: string,
  sessions: number,
  customerId?: string,
): Promise<SessionUse> {
  const card = await lockCard(db, tenantId, cardId);
  if (customerId && card.customer_id !== customerId) throw new AppError('NOT_FOUND', 'Package card not found');
  if (card.expires_on < shanghaiDate(deps.now())) {
    throw new AppError('PACKAGE_CARD_EXPIRED', `This package card expired on ${card.expires_on}`);
  }
  if (card.sessions_left < sessions) {
    throw new AppError('LEDGER_INSUFFICIENT_BALANCE', `Only ${card.sessions_left} sessions left`, {
      account: 'package_sessions',
    });
  }
  const value = recognisedValue(card, card.sessions_left, sessions);
  const unit = sessionsUnit(card.service_id);
  const legs: Leg[] = [
    { accountId: card.account_id, amount: sessions },
    { accountId: await deps.house.id(db, tenantId, 'sessions_issued', null, unit), amount: -sessions },
  ];
  if (value > 0) {
    legs.push({ accountId: await deps.house.id(db, tenantId, 'package_deferred_revenue', null), amount: value });
    legs.push({ accountId: await deps.house.id(db, tenantId, 'service_revenue', storeId), amount: -value });
  }
  return { legs, valueFen: value, card: { id: card.id, name: card.name, customerId: card.customer_id } };
}

/**
 * The legs that give `sessions` back to a card (a refunded bill line), taking back the `valueFen` of revenue
 * their use recognised. The card keeps its expiry: sessions returned to an expired card expire with the next run.
 * If the card's owner was merged into another customer since, they go to the survivor's card (cardHeldAfterMerge).
 */
export async function packageSessionReturn(
  db: Database,
  deps: LedgerDeps,
  tenantId: string,
  storeId: string | null,
  cardId: string,
  sessions: number,
  valueFen: number,
): Promise<Leg[]> {
  // A bill of a sign-up merged since: the sessions go to the card she holds now, not the retired one.
  const card = await cardHeldAfterMerge(db, tenantId, await lockCard(db, tenantId, cardId), sessions, valueFen);
  const legs: Leg[] = [
    { accountId: card.account_id, amount: -sessions },
    {
      accountId: await deps.house.id(db, tenantId, 'sessions_issued', null, sessionsUnit(card.service_id)),
      amount: sessions,
    },
  ];
  if (valueFen > 0) {
    legs.push({ accountId: await deps.house.id(db, tenantId, 'package_deferred_revenue', null), amount: -valueFen });
    legs.push({ accountId: await deps.house.id(db, tenantId, 'service_revenue', storeId), amount: valueFen });
  }
  return legs;
}

/** 核销: sessions of a card used on their own (outside a bill). */
export async function consumeSessions(
  db: Database,
  deps: LedgerDeps,
  posting: Omit<Posting, 'customerId'>,
  cardId: string,
  input: ConsumeSessionsRequest,
  customerId?: string,
): Promise<Posted> {
  return db.transaction(async (tx) => {
    // Lock the card first: a retry that waited here while the original committed answers with the original.
    await lockCard(tx, posting.tenantId, cardId);
    const replayed = await postedUnderKey(tx, posting);
    if (replayed !== null) return replayed;
    const use = await packageSessionUse(
      tx,
      deps,
      posting.tenantId,
      posting.storeId,
      cardId,
      input.sessions,
      customerId,
    );
    const posted = await postTransfer(tx, {
      ...posting,
      customerId: use.card.customerId,
      kind: 'package_consumption',
      reference: { type: 'package_card', id: use.card.id },
      details: {
        packageCardId: use.card.id,
        card: use.card.name,
        sessions: input.sessions,
        recognisedFen: use.valueFen,
        items: [{ name: use.card.name, quantity: input.sessions, amountFen: use.valueFen }],
      },
      legs: use.legs,
    });
    return posted;
  });
}

/**
 * Nightly: unused sessions of cards past their last day are taken back and their remaining deferred value is
 * recognised as breakage. Keyed by card, so running twice posts once.
 */
export async function expirePackageCards(db: Database, deps: LedgerDeps, tenantId: string): Promise<number> {
  const today = shanghaiDate(deps.now());
  const due = await queryRows<{ id: string }>(
    db,
    sql`select c.id from package_cards c join accounts a on a.package_card_id = c.id
        where c.tenant_id = ${tenantId} and c.expires_on < ${today}::date and a.balance < 0`,
  );
  let expired = 0;
  for (const { id } of due) {
    await db.transaction(async (tx) => {
      const card = await lockCard(tx, tenantId, id);
      if (card.sessions_left <= 0) return;
      const remainingValue = recognisedValue(card, card.sessions_left, card.sessions_left);
      const unit = sessionsUnit(card.service_id);
      const legs: Leg[] = [
        { accountId: card.account_id, amount: card.sessions_left },
        { accountId: await deps.house.id(tx, tenantId, 'sessions_issued', null, unit), amount: -card.sessions_left },
      ];
      if (remainingValue > 0) {
        legs.push({
          accountId: await deps.house.id(tx, tenantId, 'package_deferred_revenue', null),
          amount: remainingValue,
        });
        legs.push({
          accountId: await deps.house.id(tx, tenantId, 'package_breakage_revenue', null),
          amount: -remainingValue,
        });
      }
      const key = `package-expiry:${card.id}`;
      await postTransfer(tx, {
        tenantId,
        customerId: card.customer_id,
        storeId: null,
        staffId: null,
        idempotencyKey: key,
        requestHash: requestHash({ key }),
        kind: 'package_expiry',
        reference: { type: 'package_card', id: card.id },
        details: { packageCardId: card.id, card: card.name, sessions: card.sessions_left, expiredOn: card.expires_on },
        legs,
      });
      expired++;
    });
  }
  return expired;
}

/**
 * 转卡: a manager moves unused sessions of a card — `sessions` of them, or all left — to another customer of the
 * same tenant. The card keeps the rest (and its rounding remainder, recognised with its last session).
 */
export async function transferPackageCard(
  db: Database,
  posting: Omit<Posting, 'customerId'>,
  cardId: string,
  toCustomerId: string,
  reason: string,
  sessions?: number,
): Promise<Posted> {
  return db
    .transaction(async (tx) => {
      const card = await lockCard(tx, posting.tenantId, cardId);
      const replayed = await postedUnderKey(tx, posting);
      if (replayed !== null) return replayed;
      if (card.customer_id === toCustomerId)
        throw new AppError('BUSINESS_RULE_VIOLATED', 'The card already belongs to this customer');
      if (card.sessions_left <= 0) throw new AppError('BUSINESS_RULE_VIOLATED', 'The card has no sessions left');
      const moving = sessions ?? card.sessions_left;
      if (moving > card.sessions_left) {
        throw new AppError('LEDGER_INSUFFICIENT_BALANCE', `Only ${card.sessions_left} sessions left`, {
          account: 'package_sessions',
        });
      }
      const { newCardId, toAccount } = await mirrorCard(tx, posting.tenantId, card, toCustomerId, moving);
      const posted = await postTransfer(tx, {
        ...posting,
        customerId: card.customer_id,
        kind: 'package_transfer',
        reference: { type: 'package_card', id: card.id },
        details: {
          fromCardId: card.id,
          toCardId: newCardId,
          toCustomerId,
          sessions: moving,
          sessionsKept: card.sessions_left - moving,
          reason,
        },
        legs: [
          { accountId: card.account_id, amount: moving },
          { accountId: toAccount, amount: -moving },
        ],
      });
      if (posted.replayed) rollbackToReplay(posted.transferId);
      await tx.execute(sql`update package_cards set sold_transfer_id = ${posted.transferId} where id = ${newCardId}`);
      return posted;
    })
    .catch(unwrapReplay);
}

/**
 * The legs that take a whole unused card back from the customer (the shop order that sold it refunded): every
 * session leaves the card for the house's issued pool. Refuses a card with a session used or expired (its
 * sessions already gone) with `used`; the caller books the money and the deferred revenue back.
 */
export async function packageCardTakeBack(
  db: Database,
  deps: LedgerDeps,
  tenantId: string,
  cardId: string,
  used: () => AppError,
): Promise<Leg[]> {
  const card = await lockCard(db, tenantId, cardId);
  if (Number(card.sessions_left) !== Number(card.sessions_total)) throw used();
  return [
    { accountId: card.account_id, amount: card.sessions_total },
    {
      accountId: await deps.house.id(db, tenantId, 'sessions_issued', null, sessionsUnit(card.service_id)),
      amount: -card.sessions_total,
    },
  ];
}
