import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Database, DatabaseHandle } from './database.ts';

// int8 columns carry fen; the ledger keeps them far below 2^53, so they are parsed to numbers once here
// instead of being compared as strings all over the code base.
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} exceeds the safe integer range`);
  return n;
}
pg.types.setTypeParser(pg.types.builtins.INT8, parseInt8);
const INT8_OID = 20;

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  poolMax?: number;
  /** Folder for PGlite's files; `memory://` keeps it in memory. */
  pgliteDir?: string;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const connectionErrorListeners: ((error: Error) => void)[] = [];
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolMax ?? 10,
      application_name: 'lumi-api',
      // No connectionTimeoutMillis: pg-pool applies it to requests queued for a busy pool too, so a burst of
      // requests on a loaded machine failed with 503 although the database was fine. A database that is down
      // refuses connections at once (ECONNREFUSED) and the request fails cleanly anyway.
    });
    // A connection the server drops (pg_terminate_backend, a restart, a failover) emits 'error' on its client.
    // The pool listens only while a client is idle; a checked-out client with no listener would throw the error
    // out of the socket handler and kill the process. The query in flight rejects on its own and the pool
    // discards the broken client when it is released, so here the error is only reported.
    const report = (error: Error) => {
      for (const listener of connectionErrorListeners) listener(error);
    };
    pool.on('error', report);
    pool.on('connect', (client) => client.on('error', report));
    const db = drizzlePg({ client: pool, casing: 'snake_case' }) as unknown as Database;
    return {
      db,
      driver: 'postgres',
      rawQuery: async (text, values) => ({ rows: (await pool.query(text, values)).rows }),
      close: () => pool.end(),
      onConnectionError: (listener) => connectionErrorListeners.push(listener),
    };
  }
  const dir = options.pgliteDir ?? 'memory://';
  if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir, { parsers: { [INT8_OID]: parseInt8 } });
  const db = drizzlePglite({ client, casing: 'snake_case' }) as unknown as Database;
  return {
    db,
    driver: 'pglite',
    // Without parameters the text may hold several statements, which only exec() accepts.
    rawQuery: async (text, values) =>
      values?.length
        ? { rows: (await client.query(text, values)).rows }
        : { rows: (await client.exec(text)).at(-1)?.rows ?? [] },
    close: () => client.close(),
    // An embedded database has no connection to lose.
    onConnectionError: () => {},
  };
}
