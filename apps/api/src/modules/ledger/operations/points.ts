import type { RedeemPointsRequest } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../../db/database.ts';
import { customerWalletAccounts } from '../accounts.ts';
import { type LedgerDeps, ledgerSettings, POINTS_DAY_MS, type Posting } from '../context.ts';
import { type Leg, type Posted, postTransfer, requestHash } from '../post.ts';
import { applyPointsDelta } from './points-lots.ts';

/**
 * The legs for paying with points: the points go back to the issued pool and their value (at the tenant's
 * rate) is booked as a redemption cost against the revenue they paid for. The caller credits the revenue.
 */
export async function pointsTenderLegs(
  db: Database,
  deps: LedgerDeps,
  tenantId: string,
  customerId: string,
  points: number,
) {
  const settings = await ledgerSettings(db, tenantId);
  const wallet = await customerWalletAccounts(db, tenantId, customerId);
  const valueFen = points * settings.pointValueFen;
  const legs: Leg[] = [
    { accountId: wallet.points, amount: points },
    { accountId: await deps.house.id(db, tenantId, 'points_issued', null), amount: -points },
  ];
  if (valueFen > 0)
    legs.push({ accountId: await deps.house.id(db, tenantId, 'points_redemption', null), amount: valueFen });
  return { legs, valueFen, pointsAccountId: wallet.points };
}

/** 积分抵扣: points paid toward a service at the tenant's rate; their value is booked as a redemption cost. */
export async function redeemPoints(
  db: Database,
  deps: LedgerDeps,
  posting: Posting,
  input: RedeemPointsRequest,
): Promise<Posted> {
  return db.transaction(async (tx) => {
    const settings = await ledgerSettings(tx, posting.tenantId);
    const wallet = await customerWalletAccounts(tx, posting.tenantId, posting.customerId);
    const valueFen = input.points * settings.pointValueFen;
    const legs: Leg[] = [
      { accountId: wallet.points, amount: input.points },
      { accountId: await deps.house.id(tx, posting.tenantId, 'points_issued', null), amount: -input.points },
    ];
    if (valueFen > 0) {
      legs.push({ accountId: await deps.house.id(tx, posting.tenantId, 'points_redemption', null), amount: valueFen });
      legs.push({
        accountId: await deps.house.id(tx, posting.tenantId, 'service_revenue', posting.storeId),
        amount: -valueFen,
      });
    }
    const posted = await postTransfer(tx, {
      ...posting,
      kind: 'points_redemption',
      details: { points: input.points, valueFen, items: input.items },
      legs,
    });
    if (!posted.replayed) {
      await applyPointsDelta(tx, { ...posting, transferId: posted.transferId, expiresAt: deps.now() }, -input.points);
    }
    return posted;
  });
}

/** A manager's correction of a customer's points, with the reason on record. */
export async function adjustPoints(
  db: Database,
  deps: LedgerDeps,
  posting: Posting,
  points: number,
  reason: string,
): Promise<Posted> {
  return db.transaction(async (tx) => {
    const settings = await ledgerSettings(tx, posting.tenantId);
    const wallet = await customerWalletAccounts(tx, posting.tenantId, posting.customerId);
    const posted = await postTransfer(tx, {
      ...posting,
      kind: 'points_adjustment',
      memo: reason,
      details: { points, reason },
      legs: [
        { accountId: wallet.points, amount: -points },
        { accountId: await deps.house.id(tx, posting.tenantId, 'points_issued', null), amount: points },
      ],
    });
    if (!posted.replayed) {
      const expiresAt = new Date(deps.now().getTime() + settings.pointsExpiryDays * POINTS_DAY_MS);
      await applyPointsDelta(tx, { ...posting, transferId: posted.transferId, expiresAt }, points);
    }
    return posted;
  });
}

/** Nightly: points whose lot has passed its expiry leave the customer's account, one transfer per lot. */
export async function expirePoints(db: Database, deps: LedgerDeps, tenantId: string): Promise<number> {
  const due = await queryRows<{ id: number; customer_id: string }>(
    db,
    sql`select id, customer_id from points_lots
        where tenant_id = ${tenantId} and remaining > 0 and expires_at <= ${deps.now().toISOString()}::timestamptz
        order by id`,
  );
  let expired = 0;
  for (const lot of due) {
    await db.transaction(async (tx) => {
      const wallet = await customerWalletAccounts(tx, tenantId, lot.customer_id);
      // Same lock order as a redemption (points account, then lots), so the two cannot deadlock.
      await tx.execute(sql`select 1 from accounts where id = ${wallet.points} for update`);
      const [fresh] = await queryRows<{ remaining: number }>(
        tx,
        sql`select remaining from points_lots where id = ${lot.id} for update`,
      );
      const points = Number(fresh?.remaining ?? 0);
      if (points <= 0) return;
      const key = `points-expiry:${lot.id}`;
      const posted = await postTransfer(tx, {
        tenantId,
        customerId: lot.customer_id,
        storeId: null,
        staffId: null,
        idempotencyKey: key,
        requestHash: requestHash({ key }),
        kind: 'points_expiry',
        details: { points, lotId: lot.id },
        legs: [
          { accountId: wallet.points, amount: points },
          { accountId: await deps.house.id(tx, tenantId, 'points_issued', null), amount: -points },
        ],
      });
      if (posted.replayed) return;
      await tx.execute(sql`update points_lots set remaining = 0 where id = ${lot.id}`);
      expired++;
    });
  }
  return expired;
}
