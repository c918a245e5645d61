import { type RfmRun, type RfmSettings, SEGMENT_LABELS, type RfmScore, type SegmentCode } from '@lumi/shared';
import { sql, type SQL } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { shanghaiDate } from '../ledger/index.ts';
import { segmentationSettings } from './settings.ts';
import { paidEntryRows } from './spend.ts';

/**
 * RFM per customer, computed inside PostgreSQL in one transaction (the API process only sends SQL):
 *
 * 1. Aggregate the tenant's paid transfers per customer (one parallel scan-and-join of transfers and their
 *    revenue-side entries): last and first paid visit, paid visits and net spend in the window.
 * 2. Score 1–5 and pick the segment for every customer of the tenant (window functions over the result).
 * 3. Record segment changes in segment_transitions and rewrite only the rfm_scores rows that changed.
 *
 * Scores by quintiles, among the customers with at least one paid visit: with N of them and rank k of a
 * customer (rank(): ties share the lowest position), the score is ⌊5·(k−1)/N⌋ + 1. Equal values therefore
 * always share a score — a tie on a quintile border goes to the lower score as a whole — and the result
 * does not depend on row order. R ranks days since the last visit from most to fewest (most recent scores
 * 5); F and M rank ascending. Customers who never paid have no scores. The exact segment rules are in
 * `segmentSql` below and docs/segmentation.md.
 *
 * Rather than ranking every row (three window sorts of whole rows), the run takes four order statistics per
 * measure: with m_j = ⌈j·N/5⌉ and s the values in rank order, k − 1 (the number of customers strictly
 * before) reaches m_j exactly when the value is strictly beyond s[m_j], so the score is 1 + #{j ∈ 1..4 : value
 * beyond s[m_j]} — the same numbers as the formula above, from three sorts of single columns.
 */

export interface RfmRunOptions {
  /** The run's clock: recency is measured to this instant, and later transfers are ignored. */
  asOf: Date;
  /** Receives each step's duration (the benchmark prints them). */
  trace?: (step: string, ms: number) => void;
}

/** ⌊5·(k−1)/N⌋ + 1 for rank k of N. */
export function quintileScore(rank: number, population: number): number {
  return Math.floor(((rank - 1) * 5) / population) + 1;
}

function thresholdScores(settings: RfmSettings): { r: SQL; f: SQL; m: SQL } {
  const t = settings.thresholds;
  if (!t) throw new Error('thresholds missing');
  const [r5, r4, r3, r2] = t.recencyDays;
  const [f2, f3, f4, f5] = t.frequency;
  const [m2, m3, m4, m5] = t.monetaryFen;
  return {
    r: sql`case when recency_days <= ${r5} then 5 when recency_days <= ${r4} then 4 when recency_days <= ${r3} then 3 when recency_days <= ${r2} then 2 else 1 end`,
    f: sql`case when frequency >= ${f5} then 5 when frequency >= ${f4} then 4 when frequency >= ${f3} then 3 when frequency >= ${f2} then 2 else 1 end`,
    m: sql`case when monetary_fen >= ${m5} then 5 when monetary_fen >= ${m4} then 4 when monetary_fen >= ${m3} then 3 when monetary_fen >= ${m2} then 2 else 1 end`,
  };
}

export const scoresFor = (settings: RfmSettings) =>
  settings.method === 'thresholds' && settings.thresholds ? thresholdScores(settings) : QUINTILE_SCORES;

/** Scores from the run's cut values (cuts CTE: r_cut, f_cut, m_cut, four each, ascending j). */
const QUINTILE_SCORES = {
  r: sql`1 + (recency_days < cuts.r_cut[1])::int + (recency_days < cuts.r_cut[2])::int
           + (recency_days < cuts.r_cut[3])::int + (recency_days < cuts.r_cut[4])::int`,
  f: sql`1 + (frequency > cuts.f_cut[1])::int + (frequency > cuts.f_cut[2])::int
           + (frequency > cuts.f_cut[3])::int + (frequency > cuts.f_cut[4])::int`,
  m: sql`1 + (monetary_fen > cuts.m_cut[1])::int + (monetary_fen > cuts.m_cut[2])::int
           + (monetary_fen > cuts.m_cut[3])::int + (monetary_fen > cuts.m_cut[4])::int`,
};

/**
 * The segment of a scored row (r, f, m), first rule that holds:
 *   no paid visit ever:        新客 if signed up within newCustomerDays, else 未消费
 *   first paid visit within newCustomerDays: 新客
 *   R ≥ 4, F ≥ 4, M ≥ 4:       高价值
 *   R ≥ 4:                     潜力 (recent, frequency or spend still low)
 *   R 2–3 and (F ≥ 4 or M ≥ 4): 流失风险 (valuable, lapsing)
 *   R = 1 and (F ≥ 4 or M ≥ 4): 潜力 (long gone, but a strong history worth winning back)
 *   R ≤ 2, F ≤ 2, M ≤ 2:       沉睡
 *   otherwise:                 一般
 */
function segmentSql(asOf: string, newDays: number): SQL {
  const newSince = sql`${new Date(Date.parse(asOf) - newDays * 86_400_000).toISOString()}::timestamptz`;
  return sql`case
    when last_paid_at is null then case when joined_at > ${newSince} then 'new' else 'no_purchase' end
    when first_paid_at > ${newSince} then 'new'
    when r >= 4 and f >= 4 and m >= 4 then 'high_value'
    when r >= 4 then 'potential'
    when r >= 2 and (f >= 4 or m >= 4) then 'at_risk'
    when r = 1 and (f >= 4 or m >= 4) then 'potential'
    when r <= 2 and f <= 2 and m <= 2 then 'dormant'
    else 'regular' end`;
}

/**
 * Scores and segments for every customer of the tenant from seg_rfm_agg, then — in the same statement — the
 * changes into segment_transitions and the changed or new rows into rfm_scores. Returns one summary row.
 */
export function scoreAndWrite(p: {
  tenantId: string;
  asOf: string;
  runId: number;
  settings: RfmSettings;
  scores: { r: SQL; f: SQL; m: SQL };
}): SQL {
  const { tenantId, asOf, runId, settings, scores } = p;
  return sql`
      with base as (
        select c.id as customer_id, c.created_at as joined_at, a.last_paid_at, a.first_paid_at,
               coalesce(a.frequency, 0) as frequency, coalesce(a.monetary_fen, 0) as monetary_fen,
               (${shanghaiDate(new Date(asOf))}::date - (a.last_paid_at at time zone 'Asia/Shanghai')::date) as recency_days
        from customers c left join seg_rfm_agg a on a.customer_id = c.id
        where c.tenant_id = ${tenantId}
      ), fractions as (
        select array(select ((j * n + 4) / 5 - 0.5)::float8 / greatest(n, 1) from generate_series(1, 4) j) as fractions
        from (select count(*) as n from base where last_paid_at is not null) c
      ), cuts as (
        -- s[m_j] with m_j = ⌈j·N/5⌉: percentile_disc(f) is the value at position ⌈f·N⌉; f = (m_j − ½)/N keeps
        -- that exact whatever the floating-point rounding of f·N.
        select percentile_disc((select fractions from fractions)) within group (order by b.recency_days desc) as r_cut,
               percentile_disc((select fractions from fractions)) within group (order by b.frequency) as f_cut,
               percentile_disc((select fractions from fractions)) within group (order by b.monetary_fen) as m_cut
        from base b
        where b.last_paid_at is not null
      ), scored as (
        select base.*,
               (case when last_paid_at is null then null else ${scores.r} end)::smallint as r,
               (case when last_paid_at is null then null else ${scores.f} end)::smallint as f,
               (case when last_paid_at is null then null else ${scores.m} end)::smallint as m
        from base left join cuts on true
      ), segmented as (
        select scored.*, ${segmentSql(asOf, settings.newCustomerDays)} as segment from scored
      ), n as (
        select s.customer_id, s.last_paid_at, s.first_paid_at, s.frequency, s.monetary_fen, s.r, s.f, s.m, s.segment,
               o.segment as old_segment, o.segment_since as old_since, (o.customer_id is null) as is_new,
               (o.last_paid_at, o.first_paid_at, o.frequency, o.monetary_fen, o.r_score, o.f_score, o.m_score, o.segment)
                 is distinct from (s.last_paid_at, s.first_paid_at, s.frequency, s.monetary_fen, s.r, s.f, s.m, s.segment)
                 as changed
        from segmented s
        left join rfm_scores o on o.tenant_id = ${tenantId} and o.customer_id = s.customer_id
      ), moved as (
        insert into segment_transitions (tenant_id, customer_id, run_id, from_segment, from_since, to_segment, at)
        select ${tenantId}, customer_id, ${runId}, old_segment, old_since, segment, ${asOf}::timestamptz
        from n where not is_new and old_segment <> segment
        returning 1
      ), updated as (
        update rfm_scores o
        set last_paid_at = n.last_paid_at, first_paid_at = n.first_paid_at, frequency = n.frequency,
            monetary_fen = n.monetary_fen, r_score = n.r, f_score = n.f, m_score = n.m, segment = n.segment,
            segment_since = case when n.old_segment = n.segment then o.segment_since else ${asOf}::timestamptz end,
            run_id = ${runId}
        from n
        where n.changed and not n.is_new and o.tenant_id = ${tenantId} and o.customer_id = n.customer_id
        returning 1
      ), inserted as (
        insert into rfm_scores (tenant_id, customer_id, last_paid_at, first_paid_at, frequency, monetary_fen,
                                r_score, f_score, m_score, segment, segment_since, run_id)
        select ${tenantId}, customer_id, last_paid_at, first_paid_at, frequency, monetary_fen, r, f, m, segment,
               ${asOf}::timestamptz, ${runId}
        from n where is_new
        returning 1
      )
      select (select count(*) from n)::int as customers,
             (select json_build_object('r', r_cut, 'f', f_cut, 'm', m_cut) from cuts) as cutoffs,
             (select count(last_paid_at) from n)::int as scored,
             (select count(*) from moved)::int as transitions,
             (select count(*) from updated)::int + (select count(*) from inserted)::int as written`;
}

/** Recomputes one tenant's RFM scores and segments; returns the run's summary. */
export async function recomputeRfm(db: Database, tenantId: string, options: RfmRunOptions): Promise<RfmRun> {
  const started = Date.now();
  const asOf = options.asOf.toISOString();
  const settings = (await segmentationSettings(db, tenantId)).rfm;
  const scores = scoresFor(settings);
  const windowStart = new Date(options.asOf.getTime() - settings.windowDays * 86_400_000).toISOString();
  let mark = Date.now();
  const step = (name: string) => {
    const now = Date.now();
    options.trace?.(name, now - mark);
    mark = now;
  };

  return db.transaction(async (tx) => {
    // One run per tenant at a time (the nightly job and a manager's button may meet).
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('segmentation.rfm'), hashtext(${tenantId}))`);
    await tx.execute(sql`set local work_mem = '64MB'`);
    const [run] = await queryRows<{ id: number }>(
      tx,
      sql`insert into rfm_runs (tenant_id, as_of, window_days, method, customers, scored, transitions, duration_ms)
          values (${tenantId}, ${asOf}::timestamptz, ${settings.windowDays}, ${settings.method}, 0, 0, 0, 0)
          returning id`,
    );
    if (!run) throw new Error('rfm run insert returned nothing');
    const runId = Number(run.id);

    // 1. Per-customer aggregates in one pass over the tenant's paid transfers and their revenue-side entries.
    // CREATE TABLE AS may use parallel workers (INSERT … SELECT may not).
    await tx.execute(sql`
      create temp table seg_rfm_agg on commit drop as
      select p.customer_id,
             max(p.created_at) filter (where p.paid) as last_paid_at,
             min(p.created_at) filter (where p.paid) as first_paid_at,
             (count(distinct p.id) filter (where p.paid and p.created_at > ${windowStart}::timestamptz))::int as frequency,
             coalesce(sum(p.amount_fen) filter (where p.created_at > ${windowStart}::timestamptz), 0)::bigint as monetary_fen
      from ${paidEntryRows(tenantId, asOf)} p
      group by p.customer_id`);
    step('aggregate');

    // 2 + 3. Scores and segments for every customer of the tenant, then — in the same statement — the
    // changes into segment_transitions and the changed or new rows into rfm_scores.
    const [written] = await queryRows<{ customers: number; scored: number; transitions: number; cutoffs: unknown }>(
      tx,
      scoreAndWrite({ tenantId, asOf, runId, settings, scores }),
    );
    step('score and write');

    const summary: RfmRun = {
      runId,
      asOf,
      customers: Number(written?.customers ?? 0),
      scored: Number(written?.scored ?? 0),
      transitions: Number(written?.transitions ?? 0),
      durationMs: Date.now() - started,
    };
    await tx.execute(
      sql`update rfm_runs set customers = ${summary.customers}, scored = ${summary.scored},
            transitions = ${summary.transitions}, duration_ms = ${summary.durationMs},
            cutoffs = ${settings.method === 'quintiles' && written?.cutoffs ? JSON.stringify(written.cutoffs) : null}::jsonb
          where id = ${runId}`,
    );
    return summary;
  });
}

export async function latestRun(db: Database, tenantId: string): Promise<{ id: number; asOf: Date } | null> {
  const [row] = await queryRows<{ id: number; as_of: Date | string }>(
    db,
    sql`select id, as_of from rfm_runs where tenant_id = ${tenantId} order by id desc limit 1`,
  );
  return row ? { id: Number(row.id), asOf: new Date(row.as_of) } : null;
}

interface ScoreRow {
  customer_id: string;
  segment: SegmentCode;
  segment_since: Date | string;
  last_paid_at: Date | string | null;
  frequency: number;
  monetary_fen: number;
  r_score: number | null;
  f_score: number | null;
  m_score: number | null;
  recency_days: number | null;
  computed_at: Date | string;
}

const iso = (v: Date | string) => new Date(v).toISOString();

/** A customer's current scores; recency is counted to `now` (Shanghai days). */
export async function customerRfm(
  db: Database,
  tenantId: string,
  customerId: string,
  now: Date,
): Promise<RfmScore | null> {
  const [row] = await queryRows<ScoreRow>(
    db,
    sql`select s.customer_id, s.segment, s.segment_since, s.last_paid_at, s.frequency, s.monetary_fen,
               s.r_score, s.f_score, s.m_score,
               ((${now.toISOString()}::timestamptz at time zone 'Asia/Shanghai')::date
                 - (s.last_paid_at at time zone 'Asia/Shanghai')::date) as recency_days,
               (select r.as_of from rfm_runs r where r.tenant_id = s.tenant_id order by r.id desc limit 1) as computed_at
        from rfm_scores s where s.tenant_id = ${tenantId} and s.customer_id = ${customerId}`,
  );
  if (!row) return null;
  return {
    customerId: row.customer_id,
    segment: row.segment,
    segmentLabel: SEGMENT_LABELS[row.segment],
    segmentSince: iso(row.segment_since),
    recencyDays: row.recency_days === null ? null : Number(row.recency_days),
    frequency: Number(row.frequency),
    monetaryFen: Number(row.monetary_fen),
    rScore: row.r_score,
    fScore: row.f_score,
    mScore: row.m_score,
    lastPaidAt: row.last_paid_at ? iso(row.last_paid_at) : null,
    computedAt: iso(row.computed_at),
  };
}
