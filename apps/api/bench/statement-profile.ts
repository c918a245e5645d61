/**
 * Where the database's time goes in a phase (BENCH_PROFILE=1): pg_stat_statements, reset before the phase and
 * read after it, summed over the rounds. Needs the library preloaded — `pnpm bench:api` starts its cluster with
 * PG_EXTRA_OPTS='-c shared_preload_libraries=pg_stat_statements' when BENCH_PROFILE is set (package.json).
 * Execution time only: parsing, planning and the round trip to the API are not in it.
 */
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../src/db/database.ts';

export interface StatementCost {
  query: string;
  calls: number;
  totalMs: number;
  rows: number;
}

export async function profilingAvailable(db: Database): Promise<boolean> {
  const [row] = await queryRows<{ loaded: boolean }>(
    db,
    sql`select current_setting('shared_preload_libraries') like '%pg_stat_statements%' as loaded`,
  );
  if (!row?.loaded) return false;
  await db.execute(sql`create extension if not exists pg_stat_statements`);
  return true;
}

/** Runs `work` with the statistics reset first; answers the API's statements (not the bench's own) after it. */
export async function profiled<T>(db: Database, work: () => Promise<T>): Promise<[T, StatementCost[]]> {
  await db.execute(sql`select pg_stat_statements_reset()`);
  const result = await work();
  const rows = await queryRows<{ query: string; calls: string; total_ms: number; rows: string }>(
    db,
    sql`select query, calls::text, total_exec_time as total_ms, rows::text from pg_stat_statements
        where dbid = (select oid from pg_database where datname = current_database())
          and query not like '%pg_stat%' and query not like '%pg_database%'`,
  );
  return [
    result,
    rows.map((r) => ({ query: r.query, calls: Number(r.calls), totalMs: Number(r.total_ms), rows: Number(r.rows) })),
  ];
}

/** Adds one round's statements to a phase's total, by statement text. */
export function addCosts(into: Map<string, StatementCost>, costs: StatementCost[]) {
  for (const c of costs) {
    const seen = into.get(c.query);
    into.set(
      c.query,
      seen ? { ...seen, calls: seen.calls + c.calls, totalMs: seen.totalMs + c.totalMs, rows: seen.rows + c.rows } : c,
    );
  }
}

/** The statements that took most of a phase's database time: per operation, their calls and milliseconds. */
export function profileLines(costs: Map<string, StatementCost>, ops: number, top = 12): string[] {
  const all = [...costs.values()].sort((a, b) => b.totalMs - a.totalMs);
  const total = all.reduce((s, c) => s + c.totalMs, 0);
  const per = (n: number) => (ops > 0 ? n / ops : Number.NaN);
  return [
    `  database execution ${per(total).toFixed(3)} ms per operation, ${all.reduce((s, c) => s + c.calls, 0)} calls`,
    ...all.slice(0, top).map((c) => {
      const text = c.query.replace(/\s+/g, ' ').slice(0, 110);
      const share = total > 0 ? ((100 * c.totalMs) / total).toFixed(1) : '0';
      return `  ${share.padStart(5)}%  ${per(c.calls).toFixed(2)} calls/op  ${(c.totalMs / Math.max(c.calls, 1)).toFixed(3)} ms/call  ${text}`;
    }),
  ];
}
