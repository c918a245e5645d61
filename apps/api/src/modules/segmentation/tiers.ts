import type { CustomerTier, PutTierProgramRequest, TierEvaluation, TierProgram } from '@lumi/shared';
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import { segmentationSettings, type TierRules, updateTierRules } from './settings.ts';
import { mergedInto, spendRows, TOP_UP_KINDS, TOP_UP_REFUND_KINDS, textArray } from './spend.ts';
import { tierLevels } from './tables.ts';

/**
 * Membership tiers (会员等级). A tenant sets a ladder of levels, each reached with at least `thresholdFen` of
 * qualifying amount in a sliding window: net spend (the RFM definition) or net top-ups (principal paid in by
 * top-ups, less principal refunded). Evaluation puts every customer on the highest level they reach —
 * upgrades and downgrades alike — records each change in tier_changes and leaves its notification to
 * `sendTierNotifications`. Checkout and the shop read the benefits through `tierBenefits`.
 */

export interface TierBenefits {
  tierId: string | null;
  name: string | null;
  /** Off the bill: 500 = 5% off. */
  discountBasisPoints: number;
  /** Points × this / 100. */
  pointsMultiplierPercent: number;
}

const NO_TIER: TierBenefits = { tierId: null, name: null, discountBasisPoints: 0, pointsMultiplierPercent: 100 };

/**
 * A customer's tier benefits as a JSON subquery (null without a tier) another statement can carry — checkout's
 * locked bill reads them with the bill — read back with `tierBenefitsOf`. `tenantId`/`customerId` are SQL over
 * that statement's row.
 */
export const tierBenefitsSql = (tenantId: SQL, customerId: SQL): SQL =>
  sql`(select json_build_object('id', l.id, 'name', l.name, 'discount', l.discount_basis_points,
                                'multiplier', l.points_multiplier_percent)
       from customer_tiers ct join tier_levels l on l.tenant_id = ct.tenant_id and l.id = ct.tier_id
       where ct.tenant_id = ${tenantId} and ct.customer_id = ${customerId})`;

/** The benefits `tierBenefitsSql` read; no tier is 0 bp and ×1. */
export function tierBenefitsOf(json: unknown): TierBenefits {
  if (!json) return NO_TIER;
  const row = json as { id: string; name: string; discount: number; multiplier: number };
  return {
    tierId: row.id,
    name: row.name,
    discountBasisPoints: Number(row.discount),
    pointsMultiplierPercent: Number(row.multiplier),
  };
}

/** The discount and points multiplier checkout applies for a customer; no tier is 0 bp and ×1. */
export async function tierBenefits(db: Database, tenantId: string, customerId: string): Promise<TierBenefits> {
  const [row] = await queryRows<{ tier: unknown }>(
    db,
    sql`select ${tierBenefitsSql(sql`${tenantId}::uuid`, sql`${customerId}::uuid`)} as tier`,
  );
  return tierBenefitsOf(row?.tier);
}

export async function customerTier(db: Database, tenantId: string, customerId: string): Promise<CustomerTier> {
  const [row] = await queryRows<{
    id: string;
    name: string;
    discount: number;
    multiplier: number;
    qualifying: number;
    since: Date | string;
  }>(
    db,
    sql`select l.id, l.name, l.discount_basis_points as discount, l.points_multiplier_percent as multiplier,
               ct.qualifying_fen as qualifying, ct.since
        from customer_tiers ct join tier_levels l on l.tenant_id = ct.tenant_id and l.id = ct.tier_id
        where ct.tenant_id = ${tenantId} and ct.customer_id = ${customerId}`,
  );
  if (!row) return { ...NO_TIER, qualifyingFen: 0, since: null };
  return {
    tierId: row.id,
    name: row.name,
    discountBasisPoints: Number(row.discount),
    pointsMultiplierPercent: Number(row.multiplier),
    qualifyingFen: Number(row.qualifying),
    since: new Date(row.since).toISOString(),
  };
}

export async function tierProgram(db: Database, tenantId: string): Promise<TierProgram> {
  const rules = (await segmentationSettings(db, tenantId)).tiers;
  const levels = await db
    .select()
    .from(tierLevels)
    .where(and(eq(tierLevels.tenantId, tenantId), eq(tierLevels.active, true)))
    .orderBy(asc(tierLevels.thresholdFen));
  return {
    basis: rules.basis,
    windowDays: rules.windowDays,
    levels: levels.map((l) => ({
      id: l.id,
      name: l.name,
      thresholdFen: l.thresholdFen,
      discountBasisPoints: l.discountBasisPoints,
      pointsMultiplierPercent: l.pointsMultiplierPercent,
    })),
  };
}

/** Replaces the ladder: levels with an id are updated, new ones created, missing ones retired. */
export async function putTierProgram(
  db: Database,
  tenantId: string,
  staffId: string,
  body: PutTierProgramRequest,
): Promise<TierProgram> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from tenants where id = ${tenantId} for update`);
    const before = await tierProgram(tx, tenantId);
    const keep = new Set(body.levels.flatMap((l) => (l.id ? [l.id] : [])));
    for (const id of keep) {
      if (!before.levels.some((l) => l.id === id))
        throw new AppError('NOT_FOUND', 'Tier level not found', [
          { field: 'body.levels.id', message: 'unknown level' },
        ]);
    }
    // Thresholds are distinct within the request (the schema checks), and the tenant row lock above keeps
    // two edits of the ladder from interleaving.
    for (const level of before.levels.filter((l) => !keep.has(l.id))) {
      await tx.update(tierLevels).set({ active: false, updatedAt: new Date() }).where(eq(tierLevels.id, level.id));
    }
    for (const level of body.levels) {
      const values = {
        name: level.name,
        thresholdFen: level.thresholdFen,
        discountBasisPoints: level.discountBasisPoints,
        pointsMultiplierPercent: level.pointsMultiplierPercent,
        updatedAt: new Date(),
      };
      if (level.id) await tx.update(tierLevels).set(values).where(eq(tierLevels.id, level.id));
      else await tx.insert(tierLevels).values({ ...values, tenantId });
    }
    const rules: TierRules = { basis: body.basis, windowDays: body.windowDays };
    await updateTierRules(tx, tenantId, rules);
    const after = await tierProgram(tx, tenantId);
    await recordAudit(tx, {
      tenantId,
      actor: { staffId },
      action: 'segmentation.tier_program',
      subject: { type: 'tenant', id: tenantId },
      before,
      after,
    });
    return after;
  });
}

/** Qualifying amount per customer in (since, until]: a subquery of (customer_id, amount_fen). */
function qualifying(tenantId: string, rules: TierRules, since: string, until: string): SQL {
  if (rules.basis === 'spend') {
    return sql`(select s.customer_id, sum(s.amount_fen)::bigint as amount_fen
                from ${spendRows(tenantId, since, until)} s group by s.customer_id)`;
  }
  // A shop order's stored-value entries mix a top-up it sold with what it paid from stored value, so top-ups
  // bought in the shop are read from the order's top-up lines (their principal: stored value cannot pay for
  // them), less the top-up lines its after-sales gave back — each dated like a top-up or its refund.
  // A merged customer's top-ups count for the customer she was merged into, as her spend does (spend.ts).
  const inWindow = (at: SQL) => sql`${at} > ${since}::timestamptz and ${at} <= ${until}::timestamptz`;
  return sql`(
    select coalesce(m.into_id, q.customer_id) as customer_id, sum(q.amount_fen)::bigint as amount_fen from (
      select e.customer_id, -e.amount as amount_fen
      from entries e
      join accounts a on a.id = e.account_id and a.kind = 'stored_principal'
      join transfers t on t.id = e.transfer_id
      where e.tenant_id = ${tenantId} and e.customer_id is not null
        and t.kind = any(${textArray([...TOP_UP_KINDS, ...TOP_UP_REFUND_KINDS])}) and ${inWindow(sql`t.created_at`)}
        and not exists (select 1 from transfers r where r.reverses_id = t.id and r.created_at <= ${until}::timestamptz)
      union all
      select o.customer_id, l.amount_fen
      from shop_orders o
      join transfers t on t.id = o.transfer_id
      join shop_order_lines l on l.order_id = o.id and l.kind = 'top_up_plan'
      where o.tenant_id = ${tenantId} and ${inWindow(sql`t.created_at`)}
      union all
      select x.customer_id, -(g.value->>'amountFen')::bigint
      from shop_after_sales x
      join transfers t on t.id = x.transfer_id
      cross join lateral jsonb_array_elements(x.lines) g
      join shop_order_lines l on l.order_id = x.order_id and l.id = (g.value->>'lineId')::uuid
        and l.kind = 'top_up_plan'
      where x.tenant_id = ${tenantId} and ${inWindow(sql`t.created_at`)}
    ) q
    left join ${mergedInto(tenantId)} m on m.from_id = q.customer_id
    group by 1)`;
}

/** Puts every customer of the tenant on the tier their qualifying amount reaches now. */
export async function evaluateTiers(db: Database, tenantId: string, now: Date): Promise<TierEvaluation> {
  const rules = (await segmentationSettings(db, tenantId)).tiers;
  const until = now.toISOString();
  const since = new Date(now.getTime() - rules.windowDays * 86_400_000).toISOString();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('segmentation.tiers'), hashtext(${tenantId}))`);
    const [result] = await queryRows<{ evaluated: number; upgrades: number; downgrades: number }>(
      tx,
      sql`
      with q as ${qualifying(tenantId, rules, since, until)},
      retired as ${mergedInto(tenantId)},
      cur as (
        select ct.customer_id, ct.tier_id, l.threshold_fen from customer_tiers ct
        join tier_levels l on l.tenant_id = ct.tenant_id and l.id = ct.tier_id
        where ct.tenant_id = ${tenantId} and ct.customer_id not in (select m.from_id from retired m)
      ), candidates as (
        select coalesce(q.customer_id, cur.customer_id) as customer_id, coalesce(q.amount_fen, 0) as amount_fen,
               cur.tier_id as old_tier, cur.threshold_fen as old_threshold
        from q full join cur on cur.customer_id = q.customer_id
      ), target as (
        select c.*, best.id as new_tier, best.threshold_fen as new_threshold
        from candidates c
        left join lateral (
          select l.id, l.threshold_fen from tier_levels l
          where l.tenant_id = ${tenantId} and l.active and l.threshold_fen <= c.amount_fen
          order by l.threshold_fen desc limit 1
        ) best on true
      ), changed as (
        select * from target where new_tier is distinct from old_tier
      ), logged as (
        insert into tier_changes (tenant_id, customer_id, from_tier_id, to_tier_id, direction, qualifying_fen, at)
        select ${tenantId}, customer_id, old_tier, new_tier,
               case when coalesce(new_threshold, -1) > coalesce(old_threshold, -1) then 'up' else 'down' end,
               amount_fen, ${until}::timestamptz
        from changed
        returning direction
      ), upserted as (
        insert into customer_tiers (tenant_id, customer_id, tier_id, qualifying_fen, since, evaluated_at)
        select ${tenantId}, customer_id, new_tier, amount_fen, ${until}::timestamptz, ${until}::timestamptz
        from target where new_tier is not null
        on conflict (tenant_id, customer_id) do update
          set tier_id = excluded.tier_id, qualifying_fen = excluded.qualifying_fen,
              since = case when customer_tiers.tier_id = excluded.tier_id then customer_tiers.since else excluded.since end,
              evaluated_at = excluded.evaluated_at
        returning 1
      ), removed as (
        delete from customer_tiers ct using changed c
        where ct.tenant_id = ${tenantId} and ct.customer_id = c.customer_id and c.new_tier is null
        returning 1
      ), dropped as (
        -- A customer merged into another has no tier of her own (her survivor qualifies with her spend).
        delete from customer_tiers ct using retired m where ct.tenant_id = ${tenantId} and ct.customer_id = m.from_id
        returning 1
      )
      select (select count(*) from target)::int as evaluated,
             (select count(*) from logged where direction = 'up')::int as upgrades,
             (select count(*) from logged where direction = 'down')::int as downgrades,
             (select count(*) from upserted)::int + (select count(*) from removed)::int
               + (select count(*) from dropped)::int as written`,
    );
    return {
      evaluated: Number(result?.evaluated ?? 0),
      upgrades: Number(result?.upgrades ?? 0),
      downgrades: Number(result?.downgrades ?? 0),
    };
  });
}
