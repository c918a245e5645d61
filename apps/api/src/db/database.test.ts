/**
 * queryPreparedRows: on node-postgres a statement is parsed and planned once per connection and then only bound
 * and executed, whatever the values; statements of different texts never share a name.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/postgres.ts';
import { queryPreparedRows, queryRows } from './database.ts';

let database: TestDatabase;

beforeAll(async () => {
  // One connection, so every call below meets the statements the earlier ones prepared.
  database = await createTestDatabase(inject('templateDatabase'), 1);
});

afterAll(async () => {
  await database?.destroy();
});

describe('queryPreparedRows', () => {
  it('prepares each statement text once per connection and answers with each call’s own values', async () => {
    const db = database.db;
    const doubled = (n: number) => queryPreparedRows<{ n: number }>(db, sql`select ${n}::int * 2 as n`);
    const tripled = (n: number) => queryPreparedRows<{ n: number }>(db, sql`select ${n}::int * 3 as n`);
    expect(await doubled(1)).toEqual([{ n: 2 }]);
    expect(await doubled(21)).toEqual([{ n: 42 }]);
    expect(await tripled(5)).toEqual([{ n: 15 }]);
    expect(await doubled(-4)).toEqual([{ n: -8 }]);

    const prepared = await queryRows<{ statement: string; calls: number }>(
      db,
      sql`select statement, generic_plans + custom_plans as calls from pg_prepared_statements order by statement`,
    );
    expect(prepared).toEqual([
      { statement: 'select $1::int * 2 as n', calls: 3 },
      { statement: 'select $1::int * 3 as n', calls: 1 },
    ]);
  });

  it('works inside a transaction, on the transaction’s connection', async () => {
    const rows = await database.db.transaction((tx) =>
      queryPreparedRows<{ n: number }>(tx, sql`select ${7}::int * 2 as n`),
    );
    expect(rows).toEqual([{ n: 14 }]);
  });
});
