import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../../db/database.ts';
import { AppError } from '../../../errors.ts';
import type { Posted } from '../post.ts';

/**
 * When ledger_post finds the idempotency key already posted, rows the operation wrote before it (a package
 * card, a points lot) must go. Throwing this rolls the transaction back; unwrapReplay turns it into the
 * original transfer, marked replayed, for the caller, who answers exactly as the first time.
 */
class Replay {
  constructor(readonly transferId: number) {}
}

export function rollbackToReplay(transferId: number): never {
  throw new Replay(transferId);
}

export function unwrapReplay(error: unknown): Posted {
  if (error instanceof Replay) return { transferId: error.transferId, replayed: true };
  throw error;
}

/**
 * The transfer this Idempotency-Key already posted, if any; the same key with another request is refused, as
 * ledger_post would refuse it. The routes ask before running an operation, so a retry is answered without
 * re-checking preconditions that may have changed since. Operations that check a precondition under a lock
 * before posting (sessions left, stored value to refund) ask again right after taking the lock: a concurrent
 * retry that waited on the lock while the original committed then answers with the original transfer, instead
 * of being refused because the original already used up what it checks.
 */
export async function postedUnderKey(
  db: Database,
  posting: { tenantId: string; idempotencyKey: string; requestHash: string },
): Promise<Posted | null> {
  const [row] = await queryRows<{ id: number; request_hash: string }>(
    db,
    sql`select id, request_hash from transfers where tenant_id = ${posting.tenantId} and idempotency_key = ${posting.idempotencyKey}`,
  );
  if (!row) return null;
  if (row.request_hash !== posting.requestHash) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request');
  }
  return { transferId: Number(row.id), replayed: true };
}
