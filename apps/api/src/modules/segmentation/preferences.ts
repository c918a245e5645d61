import { sql, type SQL } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { paidTransfers, textArray } from './spend.ts';

/**
 * What customers buy, from the line items the ledger keeps on each paid transfer (details.items of spends,
 * bills, credit sales and points redemptions; the service of a package card for its sessions; the card
 * itself when sold; a paid shop order's lines but its top-ups), less what refunds of a bill or a shop order gave
 * back (checkout's bill_refunds, the shop's approved after-sales: units and money per line, dated by the bill or
 * order) — a product returned in full is no longer bought. An item is known by its name; its type
 * and category come from the tenant's catalogue (services, products, package plans) when the name matches,
 * else it is "other". Sum quantity and amount per item and keep those with units left (`keptItems`).
 */

const SERVICE_ITEM_KINDS = ['spend', 'points_redemption', 'bill', 'credit_sale'];
const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** The shop order a shop_order payment paid (its details name it). */
const shopOrderOf = (tx: SQL) =>
  sql`case when ${tx}.details->>'orderId' ~ ${UUID_PATTERN} then (${tx}.details->>'orderId')::uuid end`;

/** Item lines as a subquery of (customer_id, created_at, name, quantity, amount_fen). */
export function itemLines(tenantId: string, until: string, customerId?: string): SQL {
  return sql`(
    with tx as ${paidTransfers(tenantId, until, customerId)}
    select tx.customer_id, tx.created_at, left(i.value->>'name', 60) as name,
           case when jsonb_typeof(i.value->'quantity') = 'number' then (i.value->>'quantity')::numeric::int else 1 end as quantity,
           case when jsonb_typeof(i.value->'amountFen') = 'number' then (i.value->>'amountFen')::numeric::bigint else 0 end as amount_fen
    from tx cross join lateral jsonb_array_elements(
      case when jsonb_typeof(tx.details->'items') = 'array' then tx.details->'items' else '[]'::jsonb end) i
    where tx.kind = any(${textArray(SERVICE_ITEM_KINDS)})
      and jsonb_typeof(i.value) = 'object' and coalesce(i.value->>'name', '') <> ''
    union all
    select tx.customer_id, tx.created_at, sv.name,
           case when jsonb_typeof(tx.details->'sessions') = 'number' then (tx.details->>'sessions')::numeric::int else 1 end,
           case when jsonb_typeof(tx.details->'recognisedFen') = 'number' then (tx.details->>'recognisedFen')::numeric::bigint else 0 end
    from tx
    join package_cards pc on pc.tenant_id = ${tenantId}
      and pc.id = case when tx.details->>'packageCardId' ~ ${UUID_PATTERN} then (tx.details->>'packageCardId')::uuid end
    join services sv on sv.tenant_id = ${tenantId} and sv.id = pc.service_id
    where tx.kind = 'package_consumption'
    union all
    select tx.customer_id, tx.created_at, left(tx.details->'plan'->>'name', 60), 1,
           case when jsonb_typeof(tx.details->'priceFen') = 'number' then (tx.details->>'priceFen')::numeric::bigint else 0 end
    from tx
    where tx.kind = 'package_sale' and coalesce(tx.details->'plan'->>'name', '') <> ''
    union all
    select tx.customer_id, tx.created_at, left(bl.name, 60),
           -case when jsonb_typeof(r.value->'quantity') = 'number' then (r.value->>'quantity')::numeric::int else 0 end,
           -case when jsonb_typeof(r.value->'amountFen') = 'number' then (r.value->>'amountFen')::numeric::bigint else 0 end
    from tx
    join bills b on b.tenant_id = ${tenantId} and b.customer_id = tx.customer_id and b.transfer_id = tx.id
    join bill_refunds x on x.tenant_id = ${tenantId} and x.bill_id = b.id
    join transfers rt on rt.id = x.transfer_id and rt.created_at <= ${until}::timestamptz
    cross join lateral jsonb_array_elements(x.lines) r
    join bill_lines bl on bl.bill_id = b.id
      and bl.id = case when r.value->>'lineId' ~ ${UUID_PATTERN} then (r.value->>'lineId')::uuid end
    where tx.kind = 'bill'
    union all
    select tx.customer_id, tx.created_at, left(l.name, 60), l.quantity, l.amount_fen
    from tx
    join shop_order_lines l on l.tenant_id = ${tenantId} and l.order_id = ${shopOrderOf(sql`tx`)}
    where tx.kind = 'shop_order' and l.kind <> 'top_up_plan'
    union all
    select tx.customer_id, tx.created_at, left(l.name, 60),
           -case when jsonb_typeof(r.value->'quantity') = 'number' then (r.value->>'quantity')::numeric::int else 0 end,
           -case when jsonb_typeof(r.value->'amountFen') = 'number' then (r.value->>'amountFen')::numeric::bigint else 0 end
    from tx
    join shop_after_sales x on x.tenant_id = ${tenantId} and x.order_id = ${shopOrderOf(sql`tx`)}
      and x.transfer_id is not null
    join transfers rt on rt.id = x.transfer_id and rt.created_at <= ${until}::timestamptz
    cross join lateral jsonb_array_elements(x.lines) r
    join shop_order_lines l on l.order_id = x.order_id
      and l.id = case when r.value->>'lineId' ~ ${UUID_PATTERN} then (r.value->>'lineId')::uuid end
    where tx.kind = 'shop_order' and l.kind <> 'top_up_plan'
  )`;
}

/** Per-item totals keep only what the customer still has: at least one unit not refunded. */
export const keptItems = sql`having sum(l.quantity) > 0`;

/** Type and category of item names: a subquery of (name, item_type, category) for the tenant's catalogue. */
export function catalogueItems(tenantId: string): SQL {
  return sql`(
    select distinct on (name) name, item_type, category from (
      select s.name, 'service' as item_type, s.category, 1 as pref from services s where s.tenant_id = ${tenantId}
      union all
      select p.name, 'product', p.category, 2 from products p where p.tenant_id = ${tenantId}
      union all
      select pp.name, 'package', s.category, 3 from package_plans pp
        join services s on s.tenant_id = pp.tenant_id and s.id = pp.service_id
      where pp.tenant_id = ${tenantId}
    ) x order by name, pref
  )`;
}

/**
 * Rebuilds the tenant's customer_item_stats, customer_preferences (favourite category: most units bought,
 * then most spent, then name) and item_affinities (pairs of items bought by the same customers).
 */
export async function refreshPreferences(
  db: Database,
  tenantId: string,
  now: Date,
): Promise<{ customers: number; items: number }> {
  const until = now.toISOString();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('segmentation.preferences'), hashtext(${tenantId}))`);
    await tx.execute(sql`delete from customer_item_stats where tenant_id = ${tenantId}`);
    await tx.execute(sql`
      insert into customer_item_stats (tenant_id, customer_id, item_name, item_type, category, quantity, amount_fen, last_at)
      select ${tenantId}, l.customer_id, l.name, coalesce(min(c.item_type), 'other'), min(c.category),
             sum(l.quantity)::int, sum(l.amount_fen)::bigint, max(l.created_at)
      from ${itemLines(tenantId, until)} l
      left join ${catalogueItems(tenantId)} c on c.name = l.name
      group by l.customer_id, l.name ${keptItems}`);
    await tx.execute(sql`delete from customer_preferences where tenant_id = ${tenantId}`);
    await tx.execute(sql`
      insert into customer_preferences (tenant_id, customer_id, preferred_category, computed_at)
      select distinct on (customer_id) ${tenantId}, customer_id, category, ${until}::timestamptz
      from (
        select customer_id, category, sum(quantity) as units, sum(amount_fen) as spent
        from customer_item_stats where tenant_id = ${tenantId} and category is not null
        group by customer_id, category
      ) x
      order by customer_id, units desc, spent desc, category`);
    await tx.execute(sql`delete from item_affinities where tenant_id = ${tenantId}`);
    await tx.execute(sql`
      insert into item_affinities (tenant_id, item_a, item_b, customers_both, customers_a, computed_at)
      select ${tenantId}, a.item_name, b.item_name, count(*)::int,
             (select count(*) from customer_item_stats x where x.tenant_id = ${tenantId} and x.item_name = a.item_name)::int,
             ${until}::timestamptz
      from customer_item_stats a
      join customer_item_stats b on b.tenant_id = a.tenant_id and b.customer_id = a.customer_id and b.item_name <> a.item_name
      where a.tenant_id = ${tenantId}
      group by a.item_name, b.item_name`);
    const [counts] = await queryRows<{ customers: number; items: number }>(
      tx,
      sql`select count(distinct customer_id)::int as customers, count(distinct item_name)::int as items
          from customer_item_stats where tenant_id = ${tenantId}`,
    );
    return { customers: Number(counts?.customers ?? 0), items: Number(counts?.items ?? 0) };
  });
}
