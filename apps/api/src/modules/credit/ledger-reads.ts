import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { getWallet, postedUnderKey } from '../ledger/index.ts';

/**
 * The credit module's reads of the ledger. What a customer owes is the balance of their credit_receivable
 * account (debit-normal, materialised by ledger_post); it is never copied into a credit table. The
 * tenant-wide and history reads below have no public ledger function yet, so they read the ledger's tables
 * with plain SQL — read-only, in this one file.
 */

export async function owedFen(db: Database, tenantId: string, customerId: string, now: Date): Promise<number> {
  return (await getWallet(db, tenantId, customerId, now, { verify: false })).credit.owedFen;
}

/** customer id → owed, for every customer of the tenant who owes something. */
export async function owedByCustomer(db: Database, tenantId: string): Promise<Map<string, number>> {
  const rows = await queryRows<{ customer_id: string; balance: number }>(
    db,
    sql`select customer_id, balance from accounts
        where tenant_id = ${tenantId} and owner = 'customer' and kind = 'credit_receivable' and balance <> 0`,
  );
  return new Map(rows.map((r) => [r.customer_id, Number(r.balance)]));
}

/**
 * Net revenue recognised for the customer in (from, to]: credits to service, product and package-deferred
 * revenue in transfers of this customer, reversals netted. Using sessions moves value from deferred to service
 * revenue within one transfer, so a package card counts once, when it is sold.
 */
export async function revenueFen(
  db: Database,
  tenantId: string,
  customerId: string,
  from: Date,
  to: Date,
): Promise<number> {
  const [row] = await queryRows<{ total: string | number | null }>(
    db,
    sql`select coalesce(sum(-e.amount), 0) as total
        from transfers t
        join entries e on e.transfer_id = t.id
        join accounts a on a.id = e.account_id
        where t.tenant_id = ${tenantId} and t.customer_id = ${customerId}
          and a.kind in ('service_revenue', 'product_revenue', 'package_deferred_revenue')
          and t.created_at > ${from.toISOString()}::timestamptz and t.created_at <= ${to.toISOString()}::timestamptz`,
  );
  return Number(row?.total ?? 0);
}

/** When the customer's first ledger transfer happened (history imported from an older system counts). */
export async function firstTransferAt(db: Database, tenantId: string, customerId: string): Promise<Date | null> {
  const [row] = await queryRows<{ first: Date | string | null }>(
    db,
    sql`select min(created_at) as first from transfers where tenant_id = ${tenantId} and customer_id = ${customerId}`,
  );
  return row?.first ? new Date(row.first) : null;
}

/** The transfer an Idempotency-Key already posted in this tenant, if any; a key used otherwise is refused. */
export async function transferUnderKey(
  db: Database,
  tenantId: string,
  key: string,
  hash: string,
): Promise<{ id: number } | null> {
  const posted = await postedUnderKey(db, { tenantId, idempotencyKey: key, requestHash: hash });
  return posted && { id: posted.transferId };
}

/** A transfer's kind and details (what a replayed request answers with). */
export async function transferDetails(
  db: Database,
  tenantId: string,
  transferId: number,
): Promise<{ kind: string; customerId: string | null; details: Record<string, unknown> } | null> {
  const [row] = await queryRows<{ kind: string; customer_id: string | null; details: Record<string, unknown> }>(
    db,
    sql`select kind, customer_id, details from transfers where tenant_id = ${tenantId} and id = ${transferId}`,
  );
  return row ? { kind: row.kind, customerId: row.customer_id, details: row.details ?? {} } : null;
}
