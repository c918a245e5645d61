import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { refreshTokens } from './tables.ts';

export type SubjectKind = 'customer' | 'staff';

export interface RefreshSubject {
  kind: SubjectKind;
  id: string;
  tenantId: string;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function issueRefreshToken(
  db: Database,
  subject: RefreshSubject,
  ttlDays: number,
  familyId: string = randomUUID(),
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.insert(refreshTokens).values({
    tokenHash: hashToken(token),
    familyId,
    tenantId: subject.tenantId,
    subjectKind: subject.kind,
    subjectId: subject.id,
    expiresAt: new Date(Date.now() + ttlDays * 86_400_000),
  });
  return token;
}

const invalid = () => new AppError('REFRESH_TOKEN_INVALID', 'Please sign in again');

/**
 * Spends a refresh token and returns its subject plus a replacement in the same family. A token that was
 * already spent is evidence of theft: the whole family is revoked so the thief's copy dies too.
 */
export async function rotateRefreshToken(
  db: Database,
  token: string,
  ttlDays: number,
): Promise<{ subject: RefreshSubject; refreshToken: string }> {
  const [row] = await db
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hashToken(token)));
  if (!row || row.revokedAt || row.expiresAt.getTime() <= Date.now()) throw invalid();
  const spent = await db
    .update(refreshTokens)
    .set({ replacedAt: new Date() })
    .where(and(eq(refreshTokens.id, row.id), isNull(refreshTokens.replacedAt)))
    .returning({ id: refreshTokens.id });
  if (spent.length === 0) {
    await revokeFamily(db, row.familyId);
    throw invalid();
  }
  const subject = { kind: row.subjectKind, id: row.subjectId, tenantId: row.tenantId };
  return { subject, refreshToken: await issueRefreshToken(db, subject, ttlDays, row.familyId) };
}

export async function revokeFamily(db: Database, familyId: string): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

/** Logout: revokes the family of the given token; unknown tokens are ignored so logout never fails. */
export async function revokeRefreshToken(db: Database, token: string): Promise<void> {
  const [row] = await db
    .select({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hashToken(token)));
  if (row) await revokeFamily(db, row.familyId);
}

/** Revokes every live refresh token of a subject (a customer absorbed by a phone merge no longer signs in). */
export async function revokeSubjectTokens(db: Database, subject: RefreshSubject): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(refreshTokens.tenantId, subject.tenantId),
        eq(refreshTokens.subjectKind, subject.kind),
        eq(refreshTokens.subjectId, subject.id),
        isNull(refreshTokens.revokedAt),
      ),
    );
}
