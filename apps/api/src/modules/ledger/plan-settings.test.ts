/**
 * The ledger's functions carry their planner settings (drizzle 0012, 0016): generic plans, made without
 * sequential scans, so a pooled connection's plans stay index look-ups however small the tables were when it
 * made them. A CREATE OR REPLACE without the SET clauses silently drops them; this catches that.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/postgres.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase(inject('templateDatabase'));
});

afterAll(async () => {
  await database?.destroy();
});

it('keeps every posting function and ledger trigger on generic plans without sequential scans', async () => {
  const rows = await queryRows<{ proname: string; proconfig: string[] | null }>(
    database.db,
    sql`select proname, proconfig from pg_proc
        where proname in ('ledger_post', 'ledger_post_batch', 'ledger_hold', 'ledger_release_holds',
                          'ledger_stored_value_principal', 'ledger_check_entries', 'ledger_check_transfer_has_entries')
        order by proname`,
  );
  expect(rows).toHaveLength(7);
  for (const row of rows) {
    expect({ fn: row.proname, config: [...(row.proconfig ?? [])].sort() }).toEqual({
      fn: row.proname,
      config: ['enable_seqscan=off', 'plan_cache_mode=force_generic_plan'],
    });
  }
});
