import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseHandle } from '../db/database.ts';
import { runMigrations } from '../db/migrate.ts';
import { openDatabase } from '../db/open.ts';

/** The throwaway cluster started by infra/scripts/with-postgres.sh (the test command does this). */
export function adminUrl(): string {
  const url = process.env.PG_ADMIN_URL;
  if (!url) {
    throw new Error(
      'PG_ADMIN_URL is not set. Run tests through the repository test command (`npm test`), or wrap them: ' +
        '`bash infra/scripts/with-postgres.sh pnpm --filter @lumi/api test`.',
    );
  }
  return url;
}

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `fn` on a superuser connection to the throwaway cluster, closed afterwards. */
export async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates a database with every migration applied, to be cloned per test file. */
export async function createTemplateDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`drop database if exists "${name}"`).then(() => c.query(`create database "${name}"`)));
  const handle = await openDatabase({ databaseUrl: databaseUrl(name), poolMax: 1 });
  try {
    await runMigrations(handle);
  } finally {
    await handle.close();
  }
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
}

export interface TestDatabase extends DatabaseHandle {
  name: string;
  url: string;
  /** Closes the pool and drops the database. */
  destroy(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file: a clone of the template (fast, isolated). */
export async function createTestDatabase(template: string, poolMax = 10): Promise<TestDatabase> {
  const name = `lumi_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database "${name}" template "${template}"`));
  const url = databaseUrl(name);
  const handle = await openDatabase({ databaseUrl: url, poolMax });
  return {
    ...handle,
    name,
    url,
    async destroy() {
      await handle.close();
      await dropDatabase(name);
    },
  };
}
