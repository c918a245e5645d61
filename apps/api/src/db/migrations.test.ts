import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { adminUrl, databaseUrl, dropDatabase } from '../testing/postgres.ts';
import { queryRows } from './database.ts';
import { assertMigrationsCurrent, MigrationsBehindError, migrationStatus, runMigrations } from './migrate.ts';
import { openDatabase } from './open.ts';

const run = promisify(execFile);

async function emptyDatabase(): Promise<{ name: string; url: string }> {
  const name = `lumi_mig_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  await client.query(`create database "${name}"`);
  await client.end();
  return { name, url: databaseUrl(name) };
}

async function tableNames(handle: Awaited<ReturnType<typeof openDatabase>>) {
  const rows = await queryRows<{ table_name: string }>(
    handle.db,
    sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
  );
  return rows.map((r) => r.table_name);
}

describe('migrations', () => {
  it('apply on real PostgreSQL and on PGlite to the same tables', { timeout: 300_000 }, async () => {
    const { name, url } = await emptyDatabase();
    const real = await openDatabase({ databaseUrl: url });
    const embedded = await openDatabase({ pgliteDir: 'memory://' });
    try {
      for (const handle of [real, embedded]) {
        await expect(assertMigrationsCurrent(handle)).rejects.toBeInstanceOf(MigrationsBehindError);
        await runMigrations(handle);
        await assertMigrationsCurrent(handle);
        // Running again is a no-op.
        await runMigrations(handle);
        expect((await migrationStatus(handle)).current).toBe(true);
      }
      const realTables = await tableNames(real);
      expect(realTables).toContain('customers');
      expect(await tableNames(embedded)).toEqual(realTables);
    } finally {
      await real.close();
      await embedded.close();
      await dropDatabase(name);
    }
  });

  it('the server refuses to start on a database whose migrations are behind', async () => {
    const { name, url } = await emptyDatabase();
    try {
      const server = fileURLToPath(new URL('../server.ts', import.meta.url));
      const result = await run(process.execPath, ['--import', 'tsx', server], {
        env: { ...process.env, DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'silent', NODE_ENV: 'test' },
        // Start-up under tsx on a busy CI machine can take a long while; the point is the exit code, not speed.
        timeout: 100_000,
      }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/migrations are behind/);
    } finally {
      await dropDatabase(name);
    }
  }, 120_000);
});
