import { sql, type SQL } from 'drizzle-orm';

/**
 * A customer's own visit rhythm, as SQL over her paid visit days (Shanghai dates) — one definition for the
 * value analysis (her page) and the RFM segments (流失风险 / 重要挽回), so the two cannot disagree.
 *
 * With d distinct visit days from `first` to `last`, her average interval is ⌊(last − first) / (d − 1)⌋ days
 * (at least 1); with fewer than two visit days she has no rhythm yet (null). Churn risk compares the days since
 * her last visit with that interval: within it `low`, within twice it `medium`, beyond `high`, no rhythm
 * `unknown`. She is **overdue** when the risk is `medium` or `high` (her next visit was due and has not come).
 */

export const CHURN_RISKS = ['low', 'medium', 'high', 'unknown'] as const;
export type ChurnRisk = (typeof CHURN_RISKS)[number];

/** The Shanghai business date of a timestamptz expression. */
export const shanghaiDay = (at: SQL) => sql`((${at}) at time zone 'Asia/Shanghai')::date`;

/**
 * The instant a timestamptz's Shanghai day began, for telling days apart (equal exactly when shanghaiDay is)
 * where the date itself is not needed: Asia/Shanghai has kept UTC+8 all year since 1991, so days start at a
 * fixed offset and date_bin finds the start by arithmetic, several times cheaper per row than the time-zone
 * conversion — which the RFM aggregate would otherwise make for every one of the tenant's entry rows.
 */
export const shanghaiDayKey = (at: SQL) => sql`date_bin('1 day', ${at}, '2000-01-01 00:00:00+08'::timestamptz)`;

/** Seconds Shanghai is ahead of UTC, all year since 1991 (see shanghaiDayKey). */
const SHANGHAI_OFFSET_S = 8 * 3600;
const DAY_S = 86_400;

/**
 * The Shanghai business day of a timestamptz as a day number (days since 1970-01-01, Shanghai): differences of
 * day numbers are differences of shanghaiDay dates, for the same reason as shanghaiDayKey, by arithmetic on the
 * instant instead of a time-zone conversion — which the RFM run would otherwise make three or four times per
 * customer, for every customer of the tenant.
 */
export const shanghaiDayNumber = (at: SQL) =>
  sql`floor((date_part('epoch', ${at}) + ${sql.raw(String(SHANGHAI_OFFSET_S))}) / ${sql.raw(String(DAY_S))})::int`;

/** The day number (shanghaiDayNumber) of an instant, in JavaScript. */
export const shanghaiDayNumberOf = (at: Date) => Math.floor((at.getTime() / 1000 + SHANGHAI_OFFSET_S) / DAY_S);

/** Average days between visit days (integer, ≥ 1), or null with fewer than two visit days. */
export const averageInterval = (first: SQL, last: SQL, days: SQL) =>
  sql`(case when ${days} >= 2 then greatest(1, ((${last}) - (${first})) / ((${days}) - 1)) end)`;

/** 'low' | 'medium' | 'high' | 'unknown' from the days since the last visit and the average interval. */
export const churnRisk = (daysSince: SQL, interval: SQL) =>
  sql`(case when ${interval} is null or ${daysSince} is null then 'unknown'
            when ${daysSince} <= ${interval} then 'low'
            when ${daysSince} <= 2 * ${interval} then 'medium'
            else 'high' end)`;
