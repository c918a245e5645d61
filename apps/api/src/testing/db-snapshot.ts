import type { DatabaseHandle } from '../db/database.ts';

/** Row count and content hash of every table in the public schema, keyed by table name. */
export type DbSnapshot = Record<string, string>;

/**
 * A fingerprint of everything the app stores: a rejected request must leave it unchanged. Content hashes catch
 * an update as well as an insert; rows are hashed in sorted order, so the physical order does not matter.
 */
export async function snapshotDatabase(database: DatabaseHandle): Promise<DbSnapshot> {
  const { rows: tables } = await database.rawQuery(
    "select tablename from pg_tables where schemaname = 'public' order by tablename",
  );
  const names = (tables as { tablename: string }[]).map((t) => t.tablename);
  const parts = names.map(
    (name) =>
      `select '${name}' as name, count(*) || ':' || coalesce(md5(string_agg(md5(t::text), '' order by md5(t::text))), '') as fingerprint from public."${name}" t`,
  );
  const { rows } = await database.rawQuery(parts.join(' union all '));
  return Object.fromEntries((rows as { name: string; fingerprint: string }[]).map((r) => [r.name, r.fingerprint]));
}

/** The tables whose fingerprint differs between two snapshots. */
export function changedTables(before: DbSnapshot, after: DbSnapshot): string[] {
  return Object.keys({ ...before, ...after }).filter((name) => before[name] !== after[name]);
}
