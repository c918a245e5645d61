import { sql, type SQL } from 'drizzle-orm';
import { type Database, queryRows, uuidArray } from '../../db/database.ts';
import { shanghaiDayKey } from './cadence.ts';

/**
 * What counts as a paid visit/order and as spend — the one place segmentation reads the ledger's vocabulary.
 * RFM, tiers (spend basis), the value analysis, campaign results and preferences all read these subqueries.
 *
 * A **paid visit/order** is a transfer of one of PAID_KINDS for the customer that moved value on the revenue
 * side (at least one entry on a REVENUE_ACCOUNT_KINDS account: money, stored value or credit for services and
 * goods, points paid for a service, a paid package card's session) and that its corrections did not cancel.
 * A free session of a gift card (worth 0) moves no value and is not a paid visit.
 *
 * A paid **shop order** (商城, its payment transfer) is a paid order like a bill: its goods' revenue, a service
 * voucher's or package card's price (deferred until used, so using it later nets 0), less discounts and points;
 * a top-up bought in the shop moves nothing on the revenue side and is not an order here, as at the counter.
 *
 * **Corrections** of a paid transfer: its reversal (冲正, reverses_id); for a bill, its refunds and its void
 * (bill_refund transfers: checkout's bill_refunds rows name the bill, whose settlement is the transfer
 * corrected); for a shop order, its approved after-sales (售后: shop_after_sales names the order, whose payment
 * is the transfer corrected). A correction moves the same revenue-side accounts the other way, never past what is left, so
 * the transfer is **cancelled** exactly when its corrections' revenue-side entries add up (in absolute value)
 * to its own: a reversed spend, a voided bill, a bill or shop order refunded line by line to the end. A cancelled transfer is
 * neither a visit nor spend, and it is not a last visit either.
 *
 * **Net spend** of a visit is minus the sum of its entries and its corrections' entries on the revenue-side
 * accounts: revenue credited, less discounts and the value paid with points (both debited to their own
 * accounts), less what refunds gave back in money, stored value or credit. It belongs to the visit's own date
 * (a refund lowers the spend of the bill it refunds, whenever it happens, as long as it happened by `until`).
 * Selling a package card counts its price when sold; using its sessions moves deferred revenue to service
 * revenue (net 0, no double counting); a points-only payment is a visit with net spend 0.
 *
 * A **merged customer** (a WeChat sign-up absorbed by the customer the front desk registered, customers.merged_into_id)
 * is retired, but her transfers keep her own customer_id (the ledger is append-only). Her paid visits and spend,
 * with their corrections, belong to the customer she was merged into — the live end of the chain if that one was
 * merged later (`mergedInto`). Every subquery here reports them under that customer, and one customer's rows
 * are those of her id and the ids merged into her (`mergedWith`), so nothing counts for a retired customer.
 */
export const PAID_KINDS = [
  'spend',
  'package_sale',
  'package_consumption',
  'points_redemption',
  'bill',
  'credit_sale',
  'shop_order',
] as const;

export const REVENUE_ACCOUNT_KINDS = [
  'service_revenue',
  'product_revenue',
  'package_deferred_revenue',
  'voucher_deferred_revenue',
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

/**
 * Retired customers and whom they count for: a subquery of (from_id, into_id), one row per customer merged into
 * another, `into_id` the live end of her chain. Few rows, read through customers_merged_into_idx.
 */
export function mergedInto(tenantId: string): SQL {
  return sql`(
    with recursive chain (from_id, into_id, hops) as (
      select c.id, c.merged_into_id, 1 from customers c
      where c.tenant_id = ${tenantId} and c.merged_into_id is not null
      union all
      select chain.from_id, c.merged_into_id, chain.hops + 1 from chain
      join customers c on c.tenant_id = ${tenantId} and c.id = chain.into_id
      where c.merged_into_id is not null and chain.hops < 16
    )
    select distinct on (from_id) from_id, into_id from chain order by from_id, hops desc
  )`;
}

/** A customer's id and the ids of those merged into her: whose transfers are hers (a uuid[]). */
const mergedWith = (tenantId: string, customerId: string) =>
  sql`array(select ${customerId}::uuid union all
            select m.from_id from ${mergedInto(tenantId)} m where m.into_id = ${customerId}::uuid)`;

/** One customer's transfers (hers and those of the customers merged into her, by the transfers index) or all. */
const customerFilter = (tenantId: string, alias: string, customerId: string | undefined) =>
  customerId
    ? sql`${sql.identifier(alias)}.customer_id = any(${mergedWith(tenantId, customerId)})`
    : sql`${sql.identifier(alias)}.customer_id is not null`;

/**
 * The join that maps a transfer's customer (alias `t`) to the one she counts for (`counted(alias)`): `resolved`
 * pairs as a constant relation (none: no join at all), else the `mergedInto` subquery.
 */
function mergeJoin(tenantId: string, alias: string, resolved?: ResolvedSets): SQL {
  if (resolved && resolved.merges.from.length === 0) return sql``;
  const pairs = resolved
    ? sql`unnest(${uuidArray(resolved.merges.from)}, ${uuidArray(resolved.merges.into)})`
    : mergedInto(tenantId);
  return sql`left join ${pairs} as ${sql.identifier(`${alias}_merged`)}(from_id, into_id)
    on ${sql.identifier(`${alias}_merged`)}.from_id = ${sql.identifier(alias)}.customer_id`;
}

const counted = (alias: string, resolved?: ResolvedSets) =>
  resolved && resolved.merges.from.length === 0
    ? sql`${sql.identifier(alias)}.customer_id`
    : sql`coalesce(${sql.identifier(`${alias}_merged`)}.into_id, ${sql.identifier(alias)}.customer_id)`;

const revenueAccounts = (tenantId: string) => sql`array(
  select a.id from accounts a
  where a.tenant_id = ${tenantId} and a.owner <> 'customer' and a.kind = any(${textArray(REVENUE_ACCOUNT_KINDS)}))`;

/** 冲正 made by `until` of the tenant's (or one customer's) transfers: (id, root_id). Indexed, one per reversal. */
function reversals(tenantId: string, until: string, customerId?: string): SQL {
  return sql`(
    select r.id, r.reverses_id as root_id from transfers r
    where r.tenant_id = ${tenantId} and r.reverses_id is not null and r.created_at <= ${until}::timestamptz
      and ${customerFilter(tenantId, 'r', customerId)}
  )`;
}

/**
 * Refunds made by `until` of the tenant's (or one customer's) bills and shop orders: (id, root_id). A bill's
 * refunds and its void are checkout's bill_refunds rows, the root its settlement; a shop order's are its approved
 * after-sales (售后, shop_after_sales with their transfer), the root the order's payment. One row per refund.
 */
function refunds(tenantId: string, until: string, customerId?: string): SQL {
  return sql`(
    select r.id, b.transfer_id as root_id from bill_refunds x
    join bills b on b.id = x.bill_id
    join transfers r on r.id = x.transfer_id
    where x.tenant_id = ${tenantId} and b.transfer_id is not null and r.created_at <= ${until}::timestamptz
      and ${customerFilter(tenantId, 'r', customerId)}
    union all
    select r.id, o.transfer_id from shop_after_sales x
    join shop_orders o on o.tenant_id = x.tenant_id and o.id = x.order_id
    join transfers r on r.id = x.transfer_id
    where x.tenant_id = ${tenantId} and x.transfer_id is not null and o.transfer_id is not null
      and r.created_at <= ${until}::timestamptz and ${customerFilter(tenantId, 'r', customerId)}
  )`;
}

/**
 * The corrections made by `until` of the tenant's (or one customer's) transfers: (id, root_id) — the
 * correcting transfer and the transfer it corrects. Both sources are indexed and small (one row per 冲正,
 * refund or void), so the subquery stays cheap next to the scan of every paid transfer.
 */
function corrections(tenantId: string, until: string, customerId?: string): SQL {
  return sql`(${reversals(tenantId, until, customerId)} union all ${refunds(tenantId, until, customerId)})`;
}

/**
 * Transfers whose corrections gave back everything they moved on the revenue side: (root_id). A 冲正 posts
 * every leg of its transfer negated, so a reversed transfer is cancelled without reading its entries; only
 * the refunds of a bill or a shop order are added up against what its settlement or payment moved.
 */
function cancelled(tenantId: string, until: string, customerId?: string): SQL {
  return sql`(
    select v.root_id from ${reversals(tenantId, until, customerId)} v
    union
    select k.root_id from ${refunds(tenantId, until, customerId)} k
    join entries e on e.transfer_id = k.id and e.account_id = any(${revenueAccounts(tenantId)})
    group by k.root_id
    having sum(abs(e.amount)) >= (
      select coalesce(sum(abs(o.amount)), 0) from entries o
      where o.transfer_id = k.root_id and o.account_id = any(${revenueAccounts(tenantId)}))
  )`;
}

/**
 * The sets the visit definition reads, resolved to constants before a tenant-wide scan: the revenue-side
 * accounts, the cancelled transfers and the merged customers (`mergedInto`'s pairs, `from` and `into` in step;
 * all small). Given as literal arrays, they leave the scan-and-join of
 * every paid transfer free of subqueries, so PostgreSQL can run it with parallel workers (the subqueries keep
 * it in one process) and test membership by hashing.
 */
export interface ResolvedSets {
  revenueAccountIds: string[];
  cancelledIds: string[];
  merges: { from: string[]; into: string[] };
}

export async function resolveSets(db: Database, tenantId: string, until: string): Promise<ResolvedSets> {
  const [row] = await queryRows<{ accounts: string[]; cancelled: string[]; from_ids: string[]; into_ids: string[] }>(
    db,
    sql`select ${revenueAccounts(tenantId)}::text[] as accounts,
               array(select g.root_id from ${cancelled(tenantId, until)} g)::text[] as cancelled,
               array(select m.from_id from ${mergedInto(tenantId)} m order by m.from_id)::text[] as from_ids,
               array(select m.into_id from ${mergedInto(tenantId)} m order by m.from_id)::text[] as into_ids`,
  );
  return {
    revenueAccountIds: row?.accounts ?? [],
    cancelledIds: row?.cancelled ?? [],
    merges: { from: row?.from_ids ?? [], into: row?.into_ids ?? [] },
  };
}

const bigintArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::bigint[]`;

/**
 * One row per revenue-side entry of the tenant's (or one customer's) paid visits up to `until`, and of their
 * corrections made by then: a subquery of (id, customer_id, created_at, day, paid, amount_fen) where id,
 * customer_id, created_at and day (the start of its Shanghai day, `shanghaiDayKey`) are the visit's and `paid` is false on a correction's
 * rows. A visit may have several rows: sum amount_fen for net spend, count(distinct id) filter (where paid) for
 * visits. The day is worked out here, next to the scan, so a parallel plan computes it in its workers.
 * `resolved` (resolveSets, at the same `until`) gives the same rows by a plan that scales to a whole tenant.
 */
export function paidEntryRows(tenantId: string, until: string, customerId?: string, resolved?: ResolvedSets): SQL {
  const revenue = resolved ? bigintArray(resolved.revenueAccountIds) : revenueAccounts(tenantId);
  const kept = (id: SQL) =>
    resolved
      ? sql`not (${id} = any(${bigintArray(resolved.cancelledIds)}))`
      : sql`${id} not in ${cancelled(tenantId, until, customerId)}`;
  return sql`(
    select t.id, ${counted('t', resolved)} as customer_id, t.created_at, ${shanghaiDayKey(sql`t.created_at`)} as day,
           true as paid, -e.amount as amount_fen
    from transfers t
    join entries e on e.transfer_id = t.id
    ${mergeJoin(tenantId, 't', resolved)}
    where t.tenant_id = ${tenantId} and ${customerFilter(tenantId, 't', customerId)}
      and t.kind = any(${textArray(PAID_KINDS)})
      and t.created_at <= ${until}::timestamptz
      and e.account_id = any(${revenue})
      and ${kept(sql`t.id`)}
    union all
    select t.id, ${counted('t', resolved)}, t.created_at, ${shanghaiDayKey(sql`t.created_at`)}, false, -e.amount
    from ${corrections(tenantId, until, customerId)} k
    join transfers t on t.id = k.root_id
    join entries e on e.transfer_id = k.id
    ${mergeJoin(tenantId, 't', resolved)}
    where t.tenant_id = ${tenantId} and t.kind = any(${textArray(PAID_KINDS)})
      and e.account_id = any(${revenue})
      and ${kept(sql`k.root_id`)}
  )`;
}

/**
 * The tenant's (or one customer's) paid visits/orders up to `until`: a subquery of
 * (id, customer_id, created_at, kind, details), one row per transfer, customer_id the one it counts for.
 */
export function paidTransfers(tenantId: string, until: string, customerId?: string): SQL {
  return sql`(
    select t.id, ${counted('t')} as customer_id, t.created_at, t.kind, t.details
    from transfers t
    ${mergeJoin(tenantId, 't')}
    where t.tenant_id = ${tenantId} and ${customerFilter(tenantId, 't', customerId)}
      and t.kind = any(${textArray(PAID_KINDS)})
      and t.created_at <= ${until}::timestamptz
      and exists (select 1 from entries e where e.transfer_id = t.id and e.account_id = any(${revenueAccounts(tenantId)}))
      and t.id not in ${cancelled(tenantId, until, customerId)}
  )`;
}

/**
 * Net-spend rows of the tenant's (or one customer's) paid visits made in (since, until], with their
 * corrections made by `until`: a subquery of (transfer_id, customer_id, created_at, amount_fen), one row per
 * revenue-side entry, dated by the visit.
 */
export function spendRows(tenantId: string, since: string | null, until: string, customerId?: string): SQL {
  return sql`(
    select p.id as transfer_id, p.customer_id, p.created_at, p.amount_fen
    from ${paidEntryRows(tenantId, until, customerId)} p
    ${since ? sql`where p.created_at > ${since}::timestamptz` : sql``}
  )`;
}
