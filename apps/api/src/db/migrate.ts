import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
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
    await migratePglite(handle.db as unknown as PgliteDatabase, config);
  }
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
