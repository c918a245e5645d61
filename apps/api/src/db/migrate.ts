import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { type DatabaseHandle, queryRows } from './database.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

interface Journal {
  entries: { idx: number; when: number; tag: string }[];
}

function readJournal(): Journal {
  return JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as Journal;
}

export async function runMigrations(handle: DatabaseHandle): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  if (handle.driver === 'postgres') {
    await migratePg(handle.db as unknown as NodePgDatabase, config);
  } else {
    await migrateInOneExchange(handle);
  }
}

/**
 * drizzle's migrator, for embedded PGlite in one round trip: the same pending migrations (those newer than the
 * last one recorded), the same statements and the same records in drizzle.__drizzle_migrations, in one
 * transaction — but sent as one multi-statement text instead of some 350 statements one by one, each a trip
 * through PGlite's protocol layer (seconds on a fresh demo database).
 */
async function migrateInOneExchange(handle: DatabaseHandle): Promise<void> {
  const table = 'drizzle.__drizzle_migrations';
  await handle.rawQuery(
    `create schema if not exists drizzle;
     create table if not exists ${table} (id serial primary key, hash text not null, created_at bigint)`,
  );
  const [last] = (await handle.rawQuery(`select max(created_at) as at from ${table}`)).rows as { at: unknown }[];
  const lastAt = last?.at == null ? null : Number(last.at);
  const pending = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).filter(
    (m) => lastAt === null || lastAt < m.folderMillis,
  );
  if (pending.length === 0) return;
  const statements = pending.flatMap((m) => [
    ...m.sql,
    `insert into ${table} (hash, created_at) values ('${m.hash}', ${Number(m.folderMillis)})`,
  ]);
  await handle.rawQuery(`begin;\n${statements.join(';\n')};\ncommit;`);
}

export interface MigrationStatus {
  expected: number;
  applied: number;
  current: boolean;
  missing: string[];
}

/** Compares the committed journal with what drizzle's migrator recorded in the database. */
export async function migrationStatus(handle: DatabaseHandle): Promise<MigrationStatus> {
  const journal = readJournal();
  const exists = await queryRows<{ present: boolean }>(
    handle.db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  const applied = exists[0]?.present
    ? await queryRows<{ created_at: number }>(handle.db, sql`select created_at from drizzle.__drizzle_migrations`)
    : [];
  const appliedAt = new Set(applied.map((r) => Number(r.created_at)));
  const missing = journal.entries.filter((e) => !appliedAt.has(e.when)).map((e) => e.tag);
  return { expected: journal.entries.length, applied: applied.length, current: missing.length === 0, missing };
}

export class MigrationsBehindError extends Error {
  constructor(readonly missing: string[]) {
    super(`Database migrations are behind; run \`pnpm --filter @lumi/api migrate\`. Missing: ${missing.join(', ')}`);
    this.name = 'MigrationsBehindError';
  }
}

export async function assertMigrationsCurrent(handle: DatabaseHandle): Promise<void> {
  const status = await migrationStatus(handle);
  if (!status.current) throw new MigrationsBehindError(status.missing);
}
