import { type RfmRun, type RfmSettings, SEGMENT_LABELS, type RfmScore, type SegmentCode } from '@lumi/shared';
import { sql, type SQL } from 'drizzle-orm';
import { type Database, queryRows, uuidArray } from '../../db/database.ts';
import { shanghaiDate } from '../ledger/index.ts';
import { averageInterval, churnRisk, shanghaiDayNumber, shanghaiDayNumberOf } from './cadence.ts';
import { segmentationSettings } from './settings.ts';
import { paidEntryRows, type ResolvedSets, resolveSets } from './spend.ts';

/**
 * RFM per customer, computed inside PostgreSQL in one transaction (the API process only sends SQL):
 *
 * 1. Aggregate the tenant's paid visits per customer (one parallel scan-and-join of transfers and their
 *    revenue-side entries, corrections netted — spend.ts): last and first paid visit, visit days, paid visits
 *    and net spend in the window.
 * 2. Read the quintile cut values off that aggregate (a small statement), then score 1–5 against them as
 *    constants and pick the segment for every customer of the tenant.
 * 3. Record segment changes in segment_transitions and rewrite only the rfm_scores rows that changed.
 *
 * Everything is counted in Shanghai days (recency, the window, the new-customer period, the visit rhythm), so a
 * run later the same day with no new transfers writes nothing.
 *
 * Quintile scores are over the **distinct values** of a measure among the customers with a paid visit: with D
 * distinct values and d the dense rank of a customer's value (1 = fewest visits, least spend, most days since
 * the last visit), the score is ⌊5·(d − ½)/D⌋ + 1 — the fifth in which the middle of the value's slot falls
 * (`quintileScore`). Equal values always share a score, however many customers share them, and a customer
 * who ties with existing values changes nobody's score; the most recent day, the most visits and the highest
 * spend score 5 and the other ends 1 once there are three distinct values (one value alone scores 3).
 *
 * Rather than ranking rows, the run takes up to four order statistics per measure over its distinct values:
 * with m_j = ⌊(j·D + 2)/5⌋ and s the distinct values in rank order, d − 1 ≥ m_j exactly when the value is
 * strictly beyond s[m_j] (always, when m_j = 0), so the score is 1 + #{j ∈ 1..4 : value beyond s[m_j]}.
 */

export interface RfmRunOptions {
  /** The run's clock: recency is measured to this instant, and later transfers are ignored. */
  asOf: Date;
  /** Receives each step's duration (the benchmark prints them). */
  trace?: (step: string, ms: number) => void;
}

/** ⌊5·(d − ½)/D⌋ + 1 for dense rank d among D distinct values. */
export function quintileScore(denseRank: number, distinctValues: number): number {
  return Math.floor((10 * denseRank - 5) / (2 * distinctValues)) + 1;
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

/** The run's quintile cut values, four per measure (null where m_j = 0, or none at all with nobody scored). */
export interface QuintileCuts {
  r: (number | null)[] | null;
  f: (number | null)[] | null;
  m: (number | null)[] | null;
}

/** The score expressions: thresholds from the settings, or quintiles from the run's cut values. */
export const scoresFor = (settings: RfmSettings, cuts: QuintileCuts | null) =>
  settings.method === 'thresholds' && settings.thresholds ? thresholdScores(settings) : quintileScores(cuts);

/** 1 + #{j : value beyond the j-th cut}; a missing cut (m_j = 0) is passed by every value. */
function beyondCuts(value: string, beyond: '<' | '>', cuts: (number | null)[] | null): SQL {
  const terms = [1, 2, 3, 4].map((j) => {
    const cut = cuts?.[j - 1];
    return cut === null || cut === undefined ? sql`1` : sql`(${sql.raw(value)} ${sql.raw(beyond)} ${cut})::int`;
  });
  return sql`(1 + ${sql.join(terms, sql` + `)})`;
}

const quintileScores = (cuts: QuintileCuts | null) => ({
  r: beyondCuts('recency_days', '<', cuts?.r ?? null),
  f: beyondCuts('frequency', '>', cuts?.f ?? null),
  m: beyondCuts('monetary_fen', '>', cuts?.m ?? null),
});

/**
 * s[m_1..m_4] of one measure over its distinct values among the scored customers (null where m_j = 0), in
 * rank order: percentile_disc(f) is the value at position ⌈f·D⌉, and f = (m_j − ½)/D keeps that exact
 * whatever the floating-point rounding of f·D. D is counted off the distinct values themselves (a
 * count(distinct …) over every customer would sort them all once more).
 */
function cutsOf(column: 'recency_days' | 'frequency' | 'monetary_fen', order: 'asc' | 'desc'): SQL {
  const fraction = (j: number) =>
    `case when (${j} * d.n + 2) / 5 > 0 then ((${j} * d.n + 2) / 5 - 0.5)::float8 / d.n end`;
  return sql.raw(`(
    with v as materialized (select distinct ${column} as value from paid)
    select percentile_disc(array[${[1, 2, 3, 4].map(fraction).join(', ')}]) within group (order by v.value ${order})
    from v cross join (select count(*) as n from v) d
    group by d.n)`);
}

/**
 * The quintile cut values of the run, read from seg_rfm_agg alone (the customers with a paid visit are its rows
 * with a last paid visit): a small statement of its own, so that scoring every customer compares with
 * constants. Returned as JSON, as rfm_runs.cutoffs keeps them.
 */
export function quintileCutsSql(asOf: Date): SQL {
  return sql`
    with paid as materialized (
      select (${shanghaiDayNumberOf(asOf)}::int - ${shanghaiDayNumber(sql`last_paid_at`)}) as recency_days, frequency, monetary_fen
      from seg_rfm_agg where last_paid_at is not null
    )
    select json_build_object('r', ${cutsOf('recency_days', 'desc')}, 'f', ${cutsOf('frequency', 'asc')},
                             'm', ${cutsOf('monetary_fen', 'asc')}) as cuts`;
}

/**
 * The segment of a scored row (r, f, m and her churn risk, cadence.ts), first rule that holds — the same
 * rules as segmentRules() in @lumi/shared and docs/segmentation.md:
 *   no paid visit ever:        新客 if signed up within newCustomerDays, else 未消费
 *   first paid visit within newCustomerDays: 新客
 *   (F ≥ 4 or M ≥ 4), R ≥ 3, overdue against her own rhythm:  流失风险
 *   (F ≥ 4 or M ≥ 4), R ≤ 2, not on her rhythm (or none yet): 重要挽回
 *   R ≥ 4, F ≥ 4, M ≥ 4:       高价值
 *   R ≥ 4:                     潜力 (recent, frequency or spend still low)
 *   R ≤ 2, F ≤ 2, M ≤ 2:       沉睡
 *   otherwise:                 一般
 */
function segmentSql(newSince: string): SQL {
  const since = sql`${newSince}::timestamptz`;
  return sql`case
    when last_paid_at is null then case when joined_at >= ${since} then 'new' else 'no_purchase' end
    when first_paid_at >= ${since} then 'new'
    when (f >= 4 or m >= 4) and r >= 3 and churn_risk in ('medium', 'high') then 'at_risk'
    when (f >= 4 or m >= 4) and r <= 2 and churn_risk <> 'low' then 'win_back'
    when r >= 4 and f >= 4 and m >= 4 then 'high_value'
    when r >= 4 then 'potential'
    when r <= 2 and f <= 2 and m <= 2 then 'dormant'
    else 'regular' end`;
}

const DAY_MS = 86_400_000;

/** The instant the Shanghai day `days − 1` days before `asOf`'s begins: the last `days` days, today included. */
export function daysBackStart(asOf: Date, days: number): string {
  const today = Date.parse(`${shanghaiDate(asOf)}T00:00:00+08:00`);
  return new Date(today - (days - 1) * DAY_MS).toISOString();
}

/**
 * Scores and segments for every live customer of the tenant from seg_rfm_agg, then — in the same statement —
 * the changes into segment_transitions, the changed or new rows into rfm_scores, and the rows of customers
 * merged into another out of it (their visits are their survivor's). Returns one summary row.
 */
export function scoreAndWrite(p: {
  tenantId: string;
  asOf: string;
  runId: number;
  settings: RfmSettings;
  scores: { r: SQL; f: SQL; m: SQL };
  /** Customers merged into another (spend.ts `mergedInto`): a row of theirs left from before is deleted. */
  retired: readonly string[];
}): SQL {
  const { tenantId, asOf, runId, settings, scores, retired } = p;
  const today = sql`${shanghaiDayNumberOf(new Date(asOf))}::int`;
  return sql`
      with base as (
        select c.id as customer_id, c.created_at as joined_at, a.last_paid_at, a.first_paid_at,
               coalesce(a.frequency, 0) as frequency, coalesce(a.monetary_fen, 0) as monetary_fen,
               (${today} - ${shanghaiDayNumber(sql`a.last_paid_at`)}) as recency_days,
               ${averageInterval(shanghaiDayNumber(sql`a.first_paid_at`), shanghaiDayNumber(sql`a.last_paid_at`), sql`a.visit_days`)} as avg_interval
        from customers c left join seg_rfm_agg a on a.customer_id = c.id
        where c.tenant_id = ${tenantId} and c.merged_into_id is null -- a retired customer counts for her survivor
        offset 0 -- computed once per row: inlined, every use of a column below would repeat its expression
      ), scored as (
        select base.*,
               (case when last_paid_at is null then null else ${scores.r} end)::smallint as r,
               (case when last_paid_at is null then null else ${scores.f} end)::smallint as f,
               (case when last_paid_at is null then null else ${scores.m} end)::smallint as m,
               ${churnRisk(sql`recency_days`, sql`avg_interval`)} as churn_risk
        from base
        offset 0 -- the same: the segment rules read r, f, m and churn_risk several times each
      ), segmented as (
        select scored.*, ${segmentSql(daysBackStart(new Date(asOf), settings.newCustomerDays))} as segment from scored
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
        order by customer_id -- in primary-key order: appends to the index instead of splitting pages at random
        returning 1
      ), removed as (
        delete from rfm_scores o
        where o.tenant_id = ${tenantId} and o.customer_id = any(${uuidArray(retired)})
        returning 1
      )
      select (select count(*) from n)::int as customers,
             (select count(last_paid_at) from n)::int as scored,
             (select count(*) from moved)::int as transitions,
             (select count(*) from updated)::int + (select count(*) from inserted)::int
               + (select count(*) from removed)::int as written`;
}

/**
 * Per customer with paid-visit rows: last and first paid visit, distinct visit days, paid visits and net spend
 * in the window.
 *
 * Without DISTINCT aggregates: those sort every customer's rows again inside the aggregate (two small sorts
 * per customer, in one process), which measured as costly as the scan and join themselves. Instead one sort
 * orders each customer's rows by time and visit, and one window pass compares each row with the one before
 * it: a visit's rows are adjacent, so the first row of a visit (`new_visit`) opens a visit, and since days never
 * go down in this order, a row whose day differs from the row before it (`new_day`) opens a visit day.
 *
 * Every row counts, a correction's as much as a paid one: a correction's rows carry its visit's id, time and day
 * (spend.ts), and a visit has correction rows only when it has paid rows (a correction moves back revenue-side
 * accounts its transfer moved, and both rows pass the same filters), so the visits, visit days, first and last
 * visit over all rows are those over the paid rows. Not telling the two apart keeps `paid` out of the sort key
 * and the rows the workers hand to the leader narrower. Corrections of transfers with no customer (not visits)
 * are left out first. Counting flagged rows gives the same numbers as count(distinct visit) and
 * count(distinct day) over the paid rows (`spend.test.ts` compares both forms). Both flags are `lag` over one
 * window (one window pass, no frame to aggregate), and the day itself is computed by the scan's workers
 * (spend.ts), not here.
 */
export function rfmAggregate(tenantId: string, asOf: string, windowStart: string, sets: ResolvedSets): SQL {
  const inWindow = sql`p.created_at >= ${windowStart}::timestamptz`;
  return sql`
    select p.customer_id,
           max(p.created_at) as last_paid_at,
           min(p.created_at) as first_paid_at,
           (count(*) filter (where p.new_day))::int as visit_days,
           (count(*) filter (where p.new_visit and ${inWindow}))::int as frequency,
           coalesce(sum(p.amount_fen) filter (where ${inWindow}), 0)::bigint as monetary_fen
    from (
      select p.customer_id, p.created_at, p.amount_fen,
             (p.id is distinct from lag(p.id) over visits) as new_visit,
             (p.day is distinct from lag(p.day) over visits) as new_day
      from ${paidEntryRows(tenantId, asOf, undefined, sets)} p
      where p.customer_id is not null
      window visits as (partition by p.customer_id order by p.created_at, p.id)
    ) p
    group by p.customer_id`;
}

/** Recomputes one tenant's RFM scores and segments; returns the run's summary. */
export async function recomputeRfm(db: Database, tenantId: string, options: RfmRunOptions): Promise<RfmRun> {
  const started = Date.now();
  const asOf = options.asOf.toISOString();
  const settings = (await segmentationSettings(db, tenantId)).rfm;
  const windowStart = daysBackStart(options.asOf, settings.windowDays);
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
    // Compiling this one-off statement (JIT, with inlining at its cost) takes longer than it saves.
    await tx.execute(sql`set local jit = off`);
    const [run] = await queryRows<{ id: number }>(
      tx,
      sql`insert into rfm_runs (tenant_id, as_of, window_days, method, customers, scored, transitions, duration_ms)
          values (${tenantId}, ${asOf}::timestamptz, ${settings.windowDays}, ${settings.method}, 0, 0, 0, 0)
          returning id`,
    );
    if (!run) throw new Error('rfm run insert returned nothing');
    const runId = Number(run.id);

    // 1. Per-customer aggregates in one pass over the tenant's paid transfers and their revenue-side entries.
    // CREATE TABLE AS may use parallel workers (INSERT … SELECT may not); so may the scan, with the small sets
    // it reads resolved first.
    const sets = await resolveSets(tx, tenantId, asOf);
    step('resolve');
    await tx.execute(
      sql`create temp table seg_rfm_agg on commit drop as ${rfmAggregate(tenantId, asOf, windowStart, sets)}`,
    );
    step('aggregate');

    // 2. The quintile cut values (small: distinct values of the scored customers), then scores and segments for
    // every customer of the tenant and — in the same statement — the changes into segment_transitions and the
    // changed or new rows into rfm_scores.
    let cuts: QuintileCuts | null = null;
    if (settings.method === 'quintiles') {
      const [row] = await queryRows<{ cuts: QuintileCuts }>(tx, quintileCutsSql(options.asOf));
      cuts = row?.cuts ?? null;
      step('cuts');
    }
    const scores = scoresFor(settings, cuts);
    const [written] = await queryRows<{
      customers: number;
      scored: number;
      transitions: number;
      written: number;
    }>(tx, scoreAndWrite({ tenantId, asOf, runId, settings, scores, retired: sets.merges.from }));
    step('score and write');

    const summary: RfmRun = {
      runId,
      asOf,
      customers: Number(written?.customers ?? 0),
      scored: Number(written?.scored ?? 0),
      written: Number(written?.written ?? 0),
      transitions: Number(written?.transitions ?? 0),
      durationMs: Date.now() - started,
    };
    await tx.execute(
      sql`update rfm_runs set customers = ${summary.customers}, scored = ${summary.scored},
            transitions = ${summary.transitions}, duration_ms = ${summary.durationMs},
            cutoffs = ${cuts ? JSON.stringify(cuts) : null}::jsonb
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
