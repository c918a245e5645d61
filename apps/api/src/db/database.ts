import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';

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
}

/** Runs raw SQL and returns its rows; both drivers answer with `{ rows }`. */
export async function queryRows<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
