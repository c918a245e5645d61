import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import type { PgTable } from 'drizzle-orm/pg-core';

/**
 * A subquery answering `table`'s rows that match `where` (over the alias `r`) as a JSON array of objects keyed
 * like drizzle's rows (`position`, `listPriceFen`, …), ordered by `orderBy`: rows another statement can carry
 * along (one round trip instead of two). Only for tables whose columns JSON gives back unchanged — text, uuid,
 * numbers (bigint fen within 2^53), booleans, arrays of those; timestamps would come back as strings. Column
 * names follow the database's snake_case casing (db/open.ts).
 */
export function jsonRowsSql(table: PgTable, where: SQL, orderBy?: SQL): SQL {
  const fields = Object.entries(getTableColumns(table)).map(
    ([key, column]) =>
      sql`${sql.raw(`'${key}'`)}, r.${sql.identifier(column.keyAsName ? toSnakeCase(column.name) : column.name)}`,
  );
  return sql`coalesce((select json_agg(json_build_object(${sql.join(fields, sql`, `)})${
    orderBy ? sql` order by ${orderBy}` : sql``
  }) from ${table} r where ${where}), '[]'::json)`;
}
