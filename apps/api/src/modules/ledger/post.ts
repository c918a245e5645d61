import { createHash } from 'node:crypto';
import { type SQL, sql, type WithSubquery } from 'drizzle-orm';
import { type Database, queryPreparedRows, queryRows } from '../../db/database.ts';
import { DEADLOCK_DETECTED, SERIALIZATION_FAILURE, sqlState, UNIQUE_VIOLATION } from '../../db/pg-errors.ts';
import { AppError } from '../../errors.ts';
import { businessTime } from '../../db/history-time.ts';

export interface Leg {
  accountId: number;
  /** Signed: debit +, credit −. */
  amount: number;
}

export interface StoredValueSpend {
  principalAccountId: number;
  bonusAccountId: number;
  total: number;
  rule: SpendRule;
}

export type SpendRule = 'proportional' | 'principal_first' | 'bonus_first';

export interface TransferInput {
  tenantId: string;
  kind: string;
  idempotencyKey: string;
  requestHash: string;
  storeId?: string | null;
  staffId?: string | null;
  customerId?: string | null;
  reversesId?: number | null;
  reference?: { type: string; id: string } | null;
  memo?: string | null;
  details?: Record<string, unknown>;
  legs: Leg[];
  spend?: StoredValueSpend;
  /** When the event happened; the database clock unless history is being imported. */
  at?: Date;
  /** Active holds under this reference are captured (their value freed for exactly this posting). */
  capture?: { type: string; id: string };
}

/** What a money-moving operation did: its transfer, and whether the Idempotency-Key had already posted it. */
export type Posted = Pick<PostedTransfer, 'transferId' | 'replayed'>;

export interface PostedTransfer {
  transferId: number;
  /** True when the idempotency key had already posted this request: nothing new was written. */
  replayed: boolean;
  /** The principal/bonus split of a stored-value spend (null on a replay: read it from the transfer). */
  spent: { principal: number; bonus: number } | null;
}

export const bigintArray = (values: number[]) => `{${values.map((v) => String(Math.trunc(v))).join(',')}}`;

/** A stable hash of what a request asked for, so a replay with a different body can be told apart. */
export function requestHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value as Record<string, unknown>)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Posts one transfer through ledger_post (one round trip; see drizzle/0002_ledger_guarantees.sql) and turns
 * the database's refusals into the API's error codes.
 */
export async function postTransfer(db: Database, input: TransferInput): Promise<PostedTransfer> {
  const posted = await runLedgerPost(
    db,
    input,
    sql`select * from ${ledgerPostCall(input, sql`${input.tenantId}::uuid`)}`,
  );
  if (!posted) throw new Error('ledger_post returned no row');
  return posted;
}

/**
 * postTransfer for a caller that writes what follows from the transfer in the same statement (checkout marks its
 * bill settled with the transfer's id): `write` runs a statement with ledger_post's row as the CTE `posted`
 * (transfer_id, replayed, principal_part, bonus_part) and must use it, so the posting runs. One round trip
 * instead of two; the ledger's refusals become the API's errors as with postTransfer.
 */
export async function postTransferWithin<T>(
  db: Database,
  input: TransferInput,
  write: (posted: WithSubquery) => Promise<T>,
): Promise<T> {
  checkLegs(input);
  const posted = db.$with('posted', {}).as(sql`select * from ${ledgerPostCall(input, sql`${input.tenantId}::uuid`)}`);
  try {
    return await write(posted);
  } catch (error) {
    throw translateLedgerError(error);
  }
}

/**
 * postTransfer for a posting computed from the tenant's ledger settings (`ledgerSettings`, as stored under
 * tenants.settings.ledger): in the same statement, it posts only if those are still the tenant's settings, so
 * a caller may compute from settings it cached. Null when they changed: nothing was written.
 */
export function postTransferUnderSettings(
  db: Database,
  input: TransferInput,
  ledgerSettings: unknown,
): Promise<PostedTransfer | null> {
  // ledger_post takes the tenant id from the tenant row that passed the check, so it runs only for that row.
  return runLedgerPost(
    db,
    input,
    sql`select p.* from tenants t cross join lateral ${ledgerPostCall(input, sql`t.id`)}
        where t.id = ${input.tenantId} and coalesce(t.settings->'ledger', '{}'::jsonb) = ${JSON.stringify(ledgerSettings)}::jsonb`,
  );
}

function ledgerPostCall(input: TransferInput, tenant: SQL) {
  const spend = input.spend;
  return sql`ledger_post(
        ${tenant}, ${input.kind}, ${input.idempotencyKey}, ${input.requestHash},
        ${input.storeId ?? null}::uuid, ${input.staffId ?? null}::uuid, ${input.customerId ?? null}::uuid,
        ${input.reversesId ?? null}::bigint, ${input.reference?.type ?? null}, ${input.reference?.id ?? null},
        ${input.memo ?? null}, ${JSON.stringify(input.details ?? {})}::jsonb,
        ${bigintArray(input.legs.map((l) => l.accountId))}::bigint[], ${bigintArray(input.legs.map((l) => l.amount))}::bigint[],
        ${spend?.principalAccountId ?? null}::bigint, ${spend?.bonusAccountId ?? null}::bigint,
        ${spend?.total ?? null}::bigint, ${spend?.rule ?? 'proportional'}, ${businessTime(input.at)}::timestamptz,
        ${input.capture?.type ?? null}, ${input.capture?.id ?? null}) p`;
}

export function checkLegs(input: TransferInput) {
  for (const leg of input.legs) {
    if (!Number.isSafeInteger(leg.amount) || !Number.isSafeInteger(leg.accountId)) {
      throw new AppError('LEDGER_UNBALANCED_TRANSFER', 'Ledger amounts must be integers');
    }
  }
}

async function runLedgerPost(db: Database, input: TransferInput, query: SQL): Promise<PostedTransfer | null> {
  checkLegs(input);
  try {
    const [row] = await queryPreparedRows<LedgerPostRow>(db, query);
    return row ? postedFrom(row, input) : null;
  } catch (error) {
    throw translateLedgerError(error);
  }
}

/** A row of ledger_post (and of ledger_post_batch for a posting that went through). */
export interface LedgerPostRow {
  transfer_id: number;
  replayed: boolean;
  principal_part: number | null;
  bonus_part: number | null;
}

export function postedFrom(row: LedgerPostRow, input: TransferInput): PostedTransfer {
  return {
    transferId: Number(row.transfer_id),
    replayed: row.replayed,
    spent:
      row.replayed || !input.spend ? null : { principal: Number(row.principal_part), bonus: Number(row.bonus_part) },
  };
}

export interface HoldRequest {
  tenantId: string;
  reference: { type: string; id: string };
  expiresAt: Date;
  /** Amounts in the customer's direction (fen, points, sessions) to set aside. */
  amounts: { accountId: number; amount: number }[];
  spend?: StoredValueSpend;
}

/**
 * Sets value aside for a settlement that waits on the customer (confirmation, WeChat payment). Idempotent
 * per reference; returns the holds, which say exactly how much of each account the settlement may use.
 */
export async function placeHolds(db: Database, request: HoldRequest): Promise<{ accountId: number; amount: number }[]> {
  const spend = request.spend;
  try {
    const rows = await queryPreparedRows<{ account_id: number; amount: number }>(
      db,
      sql`select * from ledger_hold(${request.tenantId}::uuid, ${request.reference.type}, ${request.reference.id},
        ${request.expiresAt.toISOString()}::timestamptz,
        ${bigintArray(request.amounts.map((a) => a.accountId))}::bigint[], ${bigintArray(request.amounts.map((a) => a.amount))}::bigint[],
        ${spend?.principalAccountId ?? null}::bigint, ${spend?.bonusAccountId ?? null}::bigint,
        ${spend?.total ?? null}::bigint, ${spend?.rule ?? 'proportional'})`,
    );
    return rows.map((r) => ({ accountId: Number(r.account_id), amount: Number(r.amount) }));
  } catch (error) {
    throw translateLedgerError(error);
  }
}

/** Gives held value back; returns how many holds were released (0 when none were active). */
export async function releaseHolds(
  db: Database,
  tenantId: string,
  reference: { type: string; id: string },
): Promise<number> {
  const [row] = await queryRows<{ released: number }>(
    db,
    sql`select ledger_release_holds(${tenantId}::uuid, ${reference.type}, ${reference.id}) as released`,
  );
  return Number(row?.released ?? 0);
}

export function translateLedgerError(error: unknown): unknown {
  const state = sqlState(error);
  const cause =
    (error as { cause?: { message?: string; detail?: string; constraint?: string } }).cause ??
    (error as { message?: string; detail?: string; constraint?: string });
  switch (state) {
    case 'LD001':
      return new AppError('LEDGER_INSUFFICIENT_BALANCE', 'Not enough balance for this', {
        account: cause.detail ?? null,
      });
    case 'LD002':
      return new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request');
    case 'LD003':
      return new AppError('ACCOUNT_NOT_FOUND', 'An account in this operation does not exist');
    case 'LD004':
      return new AppError('LEDGER_UNBALANCED_TRANSFER', cause.message ?? 'The transfer does not balance');
    case DEADLOCK_DETECTED:
    case SERIALIZATION_FAILURE:
      // A duplicate racing a batched posting from another process (docs/ledger.md): nothing was written, and
      // the same Idempotency-Key posts or replays it on retry.
      return new AppError('CONFLICT', 'Another request on the same account got in the way; retry with the same key', {
        retry: true,
      });
    case UNIQUE_VIOLATION:
      if (cause.constraint === 'transfers_reverses_key') {
        return new AppError('LEDGER_ALREADY_REVERSED', 'This transfer was already reversed');
      }
      return error;
    default:
      return error;
  }
}
