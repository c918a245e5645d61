import { type SQL, sql } from 'drizzle-orm';
import { type Database, queryPreparedRows } from '../../db/database.ts';
import { AppError } from '../../errors.ts';

/**
 * The one idempotency contract of every money-moving route: an Idempotency-Key belongs to one tenant, one
 * operation and one request body for good. A replay (same operation, same request) answers the original; the
 * key on another operation, or with another body, is 422 IDEMPOTENCY_KEY_REUSED and writes nothing.
 *
 * How a route keeps it (docs/ledger.md, "Idempotency-Keys"):
 * - Its operation names itself (`operation`, e.g. 'checkout.settle') and hashes what was asked (requestHash,
 *   including the route, the ids in the path and the caller where the same body could mean another thing).
 * - Inside the transaction that does the work, before writing anything else, it calls claimIdempotencyKey. The
 *   claim commits or rolls back with the work, so a refused or failed request leaves the key free.
 * - 'claimed': the key is new, do the work. 'replayed': the same request already claimed it (and, once committed,
 *   did its work): answer with what the operation recorded under the key.
 * - Ledger transfers need no call: every transfer claims its own key as operation 'ledger' (a trigger on
 *   transfers), so an operation that only posts a transfer under the client's key is covered.
 * Requests racing under one key queue on the claim's primary key: the first decides, the others then see its
 * claim (or a free key, if it rolled back).
 */
export interface KeyClaim {
  tenantId: string;
  key: string;
  /** Stable name of the operation that owns the key: '<module>.<operation>'. 'ledger' is the transfers'. */
  operation: string;
  requestHash: string;
}

/** The operation of every key a transfer claimed (the trigger on transfers). */
export const LEDGER_OPERATION = 'ledger';

export type ClaimOutcome = 'claimed' | 'replayed';

export const keyReused = () =>
  new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request');

/**
 * Claims `claim.key` for this operation and request in `tx` (a transaction of the work); see KeyClaim.
 * `recordClaim` writes the operation's own record of the request in the same statement (one round trip less),
 * only when the key is claimed now: given the name of the claim's one-row CTE, it answers an
 * `insert … select … from <claim>` (its text must not vary with its values: the statement is prepared).
 */
export async function claimIdempotencyKey(
  tx: Database,
  claim: KeyClaim,
  recordClaim?: (claimed: SQL) => SQL,
): Promise<ClaimOutcome> {
  const insertKey = sql`insert into idempotency_keys (tenant_id, key, operation, request_hash)
        values (${claim.tenantId}::uuid, ${claim.key}, ${claim.operation}, ${claim.requestHash})
        on conflict do nothing
        returning true as inserted`;
  const [row] = await queryPreparedRows<{ inserted: boolean }>(
    tx,
    recordClaim
      ? sql`with claimed as (${insertKey}), recorded as (${recordClaim(sql.raw('claimed'))}) select inserted from claimed`
      : insertKey,
  );
  return claimOutcome(tx, claim, row?.inserted ?? null);
}

/**
 * The claim as one CTE of the caller's own statement (its name is the caller's; read `inserted` from it): it
 * inserts the key once for the one row `from` (a CTE) answers — none, nothing claimed. A settlement claims
 * after the CTE that locks its bill, so the key is taken after the lock as when the claim followed it. Pass
 * what it answered to claimOutcome, in the same transaction.
 */
export const claimKeySql = (claim: KeyClaim, from: SQL) =>
  sql`insert into idempotency_keys (tenant_id, key, operation, request_hash)
        select ${claim.tenantId}::uuid, ${claim.key}, ${claim.operation}, ${claim.requestHash} from ${from}
        on conflict do nothing
        returning true as inserted`;

/** What a claim's insert answered (`inserted`, null when it inserted nothing) means; see claimIdempotencyKey. */
export async function claimOutcome(tx: Database, claim: KeyClaim, inserted: boolean | null): Promise<ClaimOutcome> {
  if (inserted) return 'claimed';
  // The key was taken (by a transaction that has committed by now: the insert waited for it).
  return sameRequest(await earlierClaim(tx, claim.tenantId, claim.key), claim) ? 'replayed' : reusedKey();
}

/**
 * Before any work, outside a transaction: refuses a key that another operation or another request already
 * owns, and says whether this request already claimed it. Only a shortcut — claimIdempotencyKey decides.
 */
export async function checkIdempotencyKey(db: Database, claim: KeyClaim): Promise<ClaimOutcome | null> {
  const earlier = await earlierClaim(db, claim.tenantId, claim.key);
  if (!earlier) return null;
  return sameRequest(earlier, claim) ? 'replayed' : reusedKey();
}

async function earlierClaim(db: Database, tenantId: string, key: string) {
  const [row] = await queryPreparedRows<{ operation: string; request_hash: string }>(
    db,
    sql`select operation, request_hash from idempotency_keys where tenant_id = ${tenantId}::uuid and key = ${key}`,
  );
  return row;
}

const sameRequest = (earlier: { operation: string; request_hash: string } | undefined, claim: KeyClaim) =>
  earlier !== undefined && earlier.operation === claim.operation && earlier.request_hash === claim.requestHash;

function reusedKey(): never {
  throw keyReused();
}
