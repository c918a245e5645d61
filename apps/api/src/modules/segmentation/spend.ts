import { sql, type SQL } from 'drizzle-orm';

/**
 * What counts as a paid visit/order and as spend — the one place segmentation reads the ledger's vocabulary.
 *
 * A **paid visit/order** is a transfer of one of PAID_KINDS for the customer that moved value on the revenue
 * side (at least one entry on a REVENUE_ACCOUNT_KINDS account: money, stored value or credit for services and
 * goods, points paid for a service, a paid package card's session) and was not reversed (冲正: no transfer
 * has reverses_id pointing at it). A voided bill or reversed spend is neither a visit nor spend; a free
 * session of a gift card (worth 0) moves no value and is not a paid visit.
 *
 * **Net spend** of a transfer is minus the sum of its entries on the revenue-side accounts: revenue credited,
 * less discounts and the value paid with points (both debited to their own accounts) — what the customer paid
 * in money, stored value or on credit. Selling a package card counts its price when sold; using its sessions
 * moves deferred revenue to service revenue (net 0, no double counting). SPEND_REFUND_KINDS give spend back
 * without being a visit (a partial bill refund, should checkout post one): they lower net spend at their date.
 */
export const PAID_KINDS = [
  'spend',
  'package_sale',
  'package_consumption',
  'points_redemption',
  'bill',
  'credit_sale',
] as const;

export const SPEND_REFUND_KINDS: readonly string[] = [];

export const REVENUE_ACCOUNT_KINDS = [
  'service_revenue',
  'product_revenue',
  'package_deferred_revenue',
  'points_redemption',
  'discounts',
] as const;

/** Stored value that counts for a top-up tier: principal credited by top-ups, less principal refunded. */
export const TOP_UP_KINDS = ['top_up'] as const;
export const TOP_UP_REFUND_KINDS = ['top_up_refund', 'payment_refund'] as const;

/** A PostgreSQL array literal of text values, bound as one parameter. */
export function textArray(values: readonly string[]): SQL {
  const literal = `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
  return sql`${literal}::text[]`;
}

const notReversed = (tenantId: string, until: string) => sql`t.id not in (
  select r.reverses_id from transfers r
  where r.tenant_id = ${tenantId} and r.reverses_id is not null and r.created_at <= ${until}::timestamptz)`;

const customerFilter = (customerId: string | undefined) =>
  customerId ? sql`t.customer_id = ${customerId}` : sql`t.customer_id is not null`;

const revenueAccounts = (tenantId: string) => sql`array(
  select a.id from accounts a
  where a.tenant_id = ${tenantId} and a.owner <> 'customer' and a.kind = any(${textArray(REVENUE_ACCOUNT_KINDS)}))`;

/**
 * One row per revenue-side entry of the tenant's (or one customer's) paid and spend-refund transfers up to
 * `until`: a subquery of (id, customer_id, created_at, kind, paid, amount_fen). A transfer may have several
 * rows: sum amount_fen for spend, count(distinct id) for visits.
 */
export function paidEntryRows(tenantId: string, until: string, customerId?: string): SQL {
  return sql`(
    select t.id, t.customer_id, t.created_at, t.kind, t.kind = any(${textArray(PAID_KINDS)}) as paid,
           -e.amount as amount_fen
    from transfers t
    join entries e on e.transfer_id = t.id
    where t.tenant_id = ${tenantId} and ${customerFilter(customerId)}
      and t.kind = any(${textArray([...PAID_KINDS, ...SPEND_REFUND_KINDS])})
      and t.created_at <= ${until}::timestamptz
      and e.account_id = any(${revenueAccounts(tenantId)})
      and ${notReversed(tenantId, until)}
  )`;
}

/**
 * The tenant's (or one customer's) paid visits/orders up to `until`: a subquery of
 * (id, customer_id, created_at, kind, details), one row per transfer.
 */
export function paidTransfers(tenantId: string, until: string, customerId?: string): SQL {
  return sql`(
    select t.id, t.customer_id, t.created_at, t.kind, t.details
    from transfers t
    where t.tenant_id = ${tenantId} and ${customerFilter(customerId)}
      and t.kind = any(${textArray(PAID_KINDS)})
      and t.created_at <= ${until}::timestamptz
      and exists (select 1 from entries e where e.transfer_id = t.id and e.account_id = any(${revenueAccounts(tenantId)}))
      and ${notReversed(tenantId, until)}
  )`;
}

/**
 * Net-spend rows of the tenant's (or one customer's) transfers created in (since, until]: a subquery of
 * (transfer_id, customer_id, created_at, amount_fen), one row per revenue-side entry.
 */
export function spendRows(tenantId: string, since: string | null, until: string, customerId?: string): SQL {
  return sql`(
    select p.id as transfer_id, p.customer_id, p.created_at, p.amount_fen
    from ${paidEntryRows(tenantId, until, customerId)} p
    ${since ? sql`where p.created_at > ${since}::timestamptz` : sql``}
  )`;
}
