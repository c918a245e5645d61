import { sql } from 'drizzle-orm';
import { type Database, queryPreparedRows } from '../../../db/database.ts';
import { keyReused, LEDGER_OPERATION } from '../idempotency-keys.ts';
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
 * The transfer this Idempotency-Key already posted, if any; a key another operation or another request owns
 * (idempotency-keys.ts) is refused, as the claim would refuse it when the transfer is inserted. The routes ask
 * before running an operation, so a retry is answered without re-checking preconditions that may have changed
 * since. Operations that check a precondition under a lock before posting (sessions left, stored value to
 * refund) ask again right after taking the lock: a concurrent retry that waited on the lock while the original
 * committed then answers with the original transfer, instead of being refused because the original already
 * used up what it checks.
 */
export async function postedUnderKey(
  db: Database,
  posting: { tenantId: string; idempotencyKey: string; requestHash: string },
): Promise<Posted | null> {
  const [row] = await queryPreparedRows<{ operation: string; request_hash: string; transfer_id: number | null }>(
    db,
    sql`select k.operation, k.request_hash, t.id as transfer_id
        from idempotency_keys k
        left join transfers t on t.tenant_id = k.tenant_id and t.idempotency_key = k.key
        where k.tenant_id = ${posting.tenantId}::uuid and k.key = ${posting.idempotencyKey}`,
  );
  if (!row) return null;
  if (row.operation !== LEDGER_OPERATION || row.request_hash !== posting.requestHash || row.transfer_id === null) {
    throw keyReused();
  }
  return { transferId: Number(row.transfer_id), replayed: true };
}
