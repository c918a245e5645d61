import {
  type Dashboard,
  type DashboardQuery,
  SEGMENT_CODES,
  SEGMENT_LABELS,
  type SegmentCode,
  type SegmentListing,
  segmentRules,
  type TransitionPage,
  type TransitionsQuery,
} from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { customerLiabilities } from '../reports/index.ts';
import { latestRun } from './rfm.ts';
import { segmentationSettings } from './settings.ts';
import { ratio } from './uplift.ts';

/** Every segment in display order with its rule, size and net spend share, as of the latest RFM run. */
export async function segmentListing(db: Database, tenantId: string): Promise<SegmentListing> {
  const run = await latestRun(db, tenantId);
  const rules = segmentRules((await segmentationSettings(db, tenantId)).rfm.newCustomerDays);
  const segments = await queryRows<{ segment: SegmentCode; customers: number; spend: string | number }>(
    db,
    sql`select segment, count(*)::int as customers, coalesce(sum(monetary_fen), 0) as spend
        from rfm_scores where tenant_id = ${tenantId} group by segment`,
  );
  const total = segments.reduce((sum, s) => sum + BigInt(s.spend), 0n);
  const bySegment = new Map(segments.map((s) => [s.segment, s]));
  return {
    asOf: run ? run.asOf.toISOString() : null,
    segments: SEGMENT_CODES.map((segment) => {
      const row = bySegment.get(segment);
      const spend = BigInt(row?.spend ?? 0);
      return {
        segment,
        label: SEGMENT_LABELS[segment],
        rule: rules[segment],
        customers: Number(row?.customers ?? 0),
        spendFen: Number(spend),
        spendShare: ratio(spend, total),
      };
    }),
  };
}

/** The manager's dashboard: segment sizes and spend share, transitions per week, tiers, top customers, liabilities. */
export async function dashboard(db: Database, tenantId: string, query: DashboardQuery, now: Date): Promise<Dashboard> {
  const listing = await segmentListing(db, tenantId);
  const since = new Date(now.getTime() - query.transitionDays * 86_400_000).toISOString();
  const transitions = await queryRows<{
    week: string;
    from_segment: SegmentCode;
    to_segment: SegmentCode;
    count: number;
  }>(
    db,
    sql`select to_char(date_trunc('week', at at time zone 'Asia/Shanghai'), 'YYYY-MM-DD') as week,
               from_segment, to_segment, count(*)::int as count
        from segment_transitions
        where tenant_id = ${tenantId} and at > ${since}::timestamptz
        group by 1, 2, 3 order by 1, 4 desc, 2, 3`,
  );
  const tiers = await queryRows<{ tier_id: string | null; name: string | null; customers: number }>(
    db,
    sql`select l.id as tier_id, l.name, count(ct.customer_id)::int as customers
        from tier_levels l left join customer_tiers ct on ct.tenant_id = l.tenant_id and ct.tier_id = l.id
        where l.tenant_id = ${tenantId} and (l.active or ct.customer_id is not null)
        group by l.id, l.name, l.threshold_fen order by l.threshold_fen
        `,
  );
  const [counts] = await queryRows<{ customers: number; tiered: number }>(
    db,
    sql`select (select count(*) from customers where tenant_id = ${tenantId} and merged_into_id is null)::int as customers,
               (select count(*) from customer_tiers where tenant_id = ${tenantId})::int as tiered`,
  );
  const top = await queryRows<{
    customer_id: string;
    name: string | null;
    monetary_fen: number;
    frequency: number;
    segment: SegmentCode;
  }>(
    db,
    sql`select s.customer_id, c.name, s.monetary_fen, s.frequency, s.segment
        from rfm_scores s join customers c on c.tenant_id = s.tenant_id and c.id = s.customer_id
        where s.tenant_id = ${tenantId} and s.monetary_fen > 0
        order by s.monetary_fen desc, s.customer_id limit ${query.top}`,
  );
  const [liability] = await queryRows<{ principal: string | number; bonus: string | number; customers: number }>(
    db,
    sql`select coalesce(sum(-balance) filter (where kind = 'stored_principal'), 0) as principal,
               coalesce(sum(-balance) filter (where kind = 'stored_bonus'), 0) as bonus,
               count(distinct customer_id) filter (where balance <> 0)::int as customers
        from accounts where tenant_id = ${tenantId} and owner = 'customer' and kind in ('stored_principal', 'stored_bonus')`,
  );
  const principal = Number(liability?.principal ?? 0);
  const bonus = Number(liability?.bonus ?? 0);
  const customers = Number(counts?.customers ?? 0);
  return {
    asOf: listing.asOf,
    customers,
    segments: listing.segments,
    transitions: transitions.map((t) => ({
      week: t.week,
      fromSegment: t.from_segment,
      toSegment: t.to_segment,
      count: Number(t.count),
    })),
    tiers: [
      ...tiers.map((t) => ({ tierId: t.tier_id, name: t.name, customers: Number(t.customers) })),
      { tierId: null, name: null, customers: customers - Number(counts?.tiered ?? 0) },
    ],
    topCustomers: top.map((t) => ({
      customerId: t.customer_id,
      name: t.name,
      monetaryFen: Number(t.monetary_fen),
      frequency: Number(t.frequency),
      segment: t.segment,
    })),
    storedValueLiability: {
      principalFen: principal,
      bonusFen: bonus,
      totalFen: principal + bonus,
      customers: Number(liability?.customers ?? 0),
    },
    liabilities: await customerLiabilities(db, tenantId),
  };
}

/** Segment changes, newest first, with counts per (from, to) over the same filters. */
export async function listTransitions(
  db: Database,
  tenantId: string,
  query: TransitionsQuery,
): Promise<TransitionPage> {
  const filters = sql`t.tenant_id = ${tenantId}
    ${query.from ? sql`and (t.at at time zone 'Asia/Shanghai')::date >= ${query.from}::date` : sql``}
    ${query.to ? sql`and (t.at at time zone 'Asia/Shanghai')::date <= ${query.to}::date` : sql``}
    ${query.fromSegment ? sql`and t.from_segment = ${query.fromSegment}` : sql``}
    ${query.toSegment ? sql`and t.to_segment = ${query.toSegment}` : sql``}`;
  const counts = await queryRows<{ from_segment: SegmentCode; to_segment: SegmentCode; count: number }>(
    db,
    sql`select t.from_segment, t.to_segment, count(*)::int as count from segment_transitions t where ${filters}
        group by 1, 2 order by 3 desc, 1, 2`,
  );
  const rows = await queryRows<{
    id: number;
    customer_id: string;
    name: string | null;
    from_segment: SegmentCode;
    from_since: Date | string;
    to_segment: SegmentCode;
    at: Date | string;
  }>(
    db,
    sql`select t.id, t.customer_id, c.name, t.from_segment, t.from_since, t.to_segment, t.at
        from segment_transitions t left join customers c on c.tenant_id = t.tenant_id and c.id = t.customer_id
        where ${filters} ${query.cursor ? sql`and t.id < ${query.cursor}` : sql``}
        order by t.id desc limit ${query.limit + 1}`,
  );
  const items = rows.slice(0, query.limit).map((r) => ({
    id: Number(r.id),
    customerId: r.customer_id,
    customerName: r.name,
    fromSegment: r.from_segment,
    fromSince: new Date(r.from_since).toISOString(),
    toSegment: r.to_segment,
    at: new Date(r.at).toISOString(),
  }));
  return {
    counts: counts.map((c) => ({ fromSegment: c.from_segment, toSegment: c.to_segment, count: Number(c.count) })),
    items,
    nextCursor: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null,
  };
}
