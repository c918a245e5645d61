import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { type CreditTakeOver, takeOverCredit } from '../credit/index.ts';
import { type CustomerMerge, type MovedBalances, moveCustomerBalances } from '../ledger/index.ts';

/**
 * Records that carry a customer id and simply follow her to the survivor. `unique` names the columns (beside
 * tenant and customer) a row must not collide on there: such a row stays with the retired sign-up, still
 * readable by its id, rather than being duplicated (a coupon of a campaign she already holds, an
 * Idempotency-Key used by both).
 */
const FOLLOWING: readonly { table: string; unique?: string }[] = [
  { table: 'bills' },
  { table: 'disputes' },
  { table: 'payment_orders', unique: 'idempotency_key' },
  { table: 'payment_refunds' },
  { table: 'coupons', unique: 'campaign_id' },
  { table: 'shop_orders', unique: 'idempotency_key' },
  { table: 'shop_after_sales', unique: 'idempotency_key' },
  { table: 'shop_vouchers' },
  { table: 'outbound_messages' },
  { table: 'sms_messages' },
];

/** What must be finished before a sign-up can be merged: each is a stable reason a person can act on. */
async function blockingReason(db: Database, tenantId: string, fromId: string): Promise<string | null> {
  const [row] = await queryRows<{ reason: string | null }>(
    db,
    sql`select case
          when exists (select 1 from bills where tenant_id = ${tenantId} and customer_id = ${fromId}
                         and status in ('open', 'awaiting_customer')) then 'bill_open'
          when exists (select 1 from payment_orders where tenant_id = ${tenantId} and customer_id = ${fromId}
                         and state = 'NOTPAY') then 'payment_open'
          when exists (select 1 from payment_refunds where tenant_id = ${tenantId} and customer_id = ${fromId}
                         and state in ('PENDING', 'PROCESSING')) then 'refund_pending'
        end as reason`,
  );
  return row?.reason ?? null;
}

/**
 * 合并两个都有资产的账户: the WeChat sign-up `fromId` is absorbed by the customer the front desk registered,
 * `intoId`. Runs inside the phone binding's transaction, which holds both customers' rows locked (so two
 * bindings of the same pair run one after the other, and the second finds the sign-up already merged). Her
 * balances move through the ledger (`moveCustomerBalances`, one `customer_merge` transfer); her bills, payments,
 * coupons, shop orders and messages are re-pointed to the survivor, and what she owes on credit becomes the
 * survivor's debt with its schedule (`takeOverCredit`; the receivable moves in the same transfer). Her ledger
 * history stays on her own accounts (append-only), and the merge transfer names both. A bill of hers refunded
 * later returns its package sessions to the card the survivor holds (the ledger's cardHeldAfterMerge).
 */
export async function absorbSignUp(
  db: Database,
  merge: CustomerMerge,
): Promise<MovedBalances & { credit: CreditTakeOver }> {
  const reason = await blockingReason(db, merge.tenantId, merge.fromId);
  if (reason) {
    throw new AppError('CUSTOMER_MERGE_CONFLICT', 'These accounts cannot be merged yet', {
      customerId: merge.intoId,
      reason,
    });
  }
  // Credit lines first: every charge locks its line before it posts, so this order cannot deadlock with one.
  const credit = await takeOverCredit(db, merge);
  const moved = await moveCustomerBalances(db, merge);
  for (const { table, unique } of FOLLOWING) {
    const collides = unique
      ? sql`and not exists (select 1 from ${sql.identifier(table)} other
              where other.tenant_id = t.tenant_id and other.customer_id = ${merge.intoId}
                and other.${sql.identifier(unique)} = t.${sql.identifier(unique)})`
      : sql``;
    await db.execute(sql`update ${sql.identifier(table)} t set customer_id = ${merge.intoId}
      where t.tenant_id = ${merge.tenantId} and t.customer_id = ${merge.fromId} ${collides}`);
  }
  return { ...moved, credit };
}
