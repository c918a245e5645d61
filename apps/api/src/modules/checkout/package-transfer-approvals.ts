import type { FilePackageTransferApproval } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { assertStoreAccess } from '../../plugins/idempotency.ts';
import { liveCustomerSql } from '../customers/index.ts';
import { requestHash, shanghaiDate, transferPackageCard } from '../ledger/index.ts';
import type { CheckoutDeps } from './open-bill.ts';

/** What a package-transfer request holds besides its row. */
export interface TransferDetails {
  packageCardId: string;
  toCustomerId: string;
  /** The sessions the transfer moves (all left unless the beautician asked for fewer). */
  sessions: number;
  /**
   * The card's sessions left when filed: approving refuses as stale if the card no longer has exactly these.
   * Absent on requests filed before partial transfers, which always moved every session left.
   */
  sessionsLeft?: number;
  /** The receiving customer's new card, once approved. */
  toCardId?: string;
}

interface CardNow {
  customer_id: string;
  sessions_left: number;
  expires_on: string;
}

async function cardNow(db: Database, tenantId: string, cardId: string): Promise<CardNow | undefined> {
  const [card] = await queryRows<CardNow>(
    db,
    sql`select c.customer_id, -a.balance as sessions_left, to_char(c.expires_on, 'YYYY-MM-DD') as expires_on
        from package_cards c join accounts a on a.package_card_id = c.id
        where c.tenant_id = ${tenantId} and c.id = ${cardId}`,
  );
  return card ? { ...card, sessions_left: Number(card.sessions_left) } : undefined;
}

/**
 * 转卡 asked by a beautician: the card must be the customer's, usable and not empty, and go to another live
 * customer of the salon; she moves all its sessions or some (1..left). The request records how many move and how
 * many the card had, so the manager reads what stays.
 */
export async function planPackageTransferRequest(
  db: Database,
  deps: CheckoutDeps,
  who: StaffPrincipal,
  body: FilePackageTransferApproval,
): Promise<{ storeId: string; customerId: string; reason: string; details: TransferDetails }> {
  assertStoreAccess(who.storeIds, body.storeId);
  const [row] = await queryRows<{ from: unknown; to: unknown }>(
    db,
    sql`select ${liveCustomerSql(who.tenantId, body.customerId)} as from,
               ${liveCustomerSql(who.tenantId, body.toCustomerId)} as to`,
  );
  if (!row?.from) throw new AppError('CUSTOMER_NOT_FOUND', 'Customer not found');
  if (!row.to) {
    throw new AppError('CUSTOMER_NOT_FOUND', 'Customer not found', [
      { field: 'body.toCustomerId', message: 'no such customer' },
    ]);
  }
  const card = await cardNow(db, who.tenantId, body.packageCardId);
  if (!card || card.customer_id !== body.customerId) {
    throw new AppError('NOT_FOUND', 'Package card not found', [
      { field: 'body.packageCardId', message: "not this customer's card" },
    ]);
  }
  if (body.toCustomerId === body.customerId) {
    throw new AppError('BUSINESS_RULE_VIOLATED', 'The card already belongs to this customer', [
      { field: 'body.toCustomerId', message: 'the card’s owner' },
    ]);
  }
  if (card.sessions_left <= 0) throw new AppError('BUSINESS_RULE_VIOLATED', 'The card has no sessions left');
  if (card.expires_on < shanghaiDate(deps.ledger.now())) {
    throw new AppError('PACKAGE_CARD_EXPIRED', `This package card expired on ${card.expires_on}`);
  }
  const sessions = body.sessions ?? card.sessions_left;
  if (sessions > card.sessions_left) {
    throw new AppError('BUSINESS_RULE_VIOLATED', `The card has only ${card.sessions_left} sessions left`, [
      { field: 'body.sessions', message: `at most ${card.sessions_left}` },
    ]);
  }
  return {
    storeId: body.storeId,
    customerId: body.customerId,
    reason: body.reason,
    details: {
      packageCardId: body.packageCardId,
      toCustomerId: body.toCustomerId,
      sessions,
      sessionsLeft: card.sessions_left,
    },
  };
}

/**
 * Approving a transfer performs it as the manager through the ledger's own 转卡, under the key `approval/<id>`:
 * the sessions move once whoever approves and however often. A card that changed since the request (sessions used
 * or already moved) is refused as stale rather than leaving a different number than the manager read.
 */
export async function performPackageTransfer(
  tx: Database,
  who: StaffPrincipal,
  request: { id: string; storeId: string; reason: string; details: TransferDetails },
): Promise<{ transferId: number; toCardId: string }> {
  const { details } = request;
  const card = await cardNow(tx, who.tenantId, details.packageCardId);
  const filedWith = details.sessionsLeft ?? details.sessions;
  if (!card || card.sessions_left !== filedWith) {
    throw new AppError('APPROVAL_STALE', 'The card changed since the request was filed', {
      sessionsLeft: card?.sessions_left ?? 0,
      sessionsWhenFiled: filedWith,
      sessionsRequested: details.sessions,
    });
  }
  const key = `approval/${request.id}`;
  const posted = await transferPackageCard(
    tx,
    {
      tenantId: who.tenantId,
      storeId: request.storeId,
      staffId: who.id,
      idempotencyKey: key,
      requestHash: requestHash({ key }),
    },
    details.packageCardId,
    details.toCustomerId,
    request.reason,
    details.sessions,
  );
  const [toCard] = await queryRows<{ id: string }>(
    tx,
    sql`select id from package_cards where tenant_id = ${who.tenantId} and sold_transfer_id = ${posted.transferId}`,
  );
  if (!toCard) throw new Error('package transfer left no card for the receiving customer');
  return { transferId: posted.transferId, toCardId: toCard.id };
}
