import { sql } from 'drizzle-orm';
import { index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/tables.ts';

export const subjectKind = pgEnum('subject_kind', ['customer', 'staff']);

/**
 * Refresh tokens are stored only as SHA-256 hashes. Each login starts a family; every refresh replaces the
 * token with a new one in the same family, and presenting a replaced token again revokes the whole family
 * (someone is replaying a stolen token).
 */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tokenHash: text().notNull().unique(),
    familyId: uuid().notNull(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    subjectKind: subjectKind().notNull(),
    subjectId: uuid().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    replacedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('refresh_tokens_family_idx').on(t.familyId)],
);
