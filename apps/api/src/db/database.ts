import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { PgDialect, type PgDatabase, type PgQueryResultHKT, type PgTransaction } from 'drizzle-orm/pg-core';

/**
 * One type for both drivers (node-postgres in production and tests, PGlite for the embedded demo).
 * A transaction is also a Database, so services take `db: Database` and work inside or outside one.
 */
export type Database = PgDatabase<PgQueryResultHKT>;
export type Transaction = PgTransaction<PgQueryResultHKT>;

export type DriverName = 'postgres' | 'pglite';

export interface DatabaseHandle {
  db: Database;
  driver: DriverName;
  /** Plain SQL on the same connection(s), for libraries that bring their own SQL (pg-boss). */
  rawQuery(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
  /** Called when the server drops a connection of the pool (the pool replaces it); for logging. */
  onConnectionError(listener: (error: Error) => void): void;
}

/** Runs raw SQL and returns its rows; both drivers answer with `{ rows }`. */
export async function queryRows<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** A uuid[] parameter: one placeholder however many ids, so the statement text stays the same. */
export const uuidArray = (values: readonly string[]): SQL => sql`${`{${values.join(',')}}`}::uuid[]`;

// The casing both drivers are opened with (db/open.ts): a column object in the SQL renders as its snake_case name.
const dialect = new PgDialect({ casing: 'snake_case' });
/** Each prepared text's name, hashed once per process: the texts are the code's, so the map stays small. */
const preparedNames = new Map<string, string>();

/**
 * queryRows for the statements on the posting hot path. On node-postgres the statement becomes a named prepared
 * statement (named after a hash of its text, so one name never means two texts), parsed and planned once per
 * connection instead of on every call: with ledger_post that was 40% more postings per second (docs/ledger.md).
 * PGlite runs it as an ordinary query. Only for SQL whose text does not vary with its values.
 */
export async function queryPreparedRows<T>(db: Database, query: SQL): Promise<T[]> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  let name = preparedNames.get(text);
  if (!name) {
    name = `lumi_${createHash('sha1').update(text).digest('base64url')}`;
    preparedNames.set(text, name);
  }
  const result = await db._.session.prepareQuery({ sql: text, params }, undefined, name, false).execute();
  return (result as { rows: T[] }).rows;
}
