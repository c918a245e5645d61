import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { type Database, queryPreparedRows } from '../../db/database.ts';
import { DEADLOCK_DETECTED, SERIALIZATION_FAILURE, sqlState } from '../../db/pg-errors.ts';
import {
  bigintArray,
  checkLegs,
  type LedgerPostRow,
  type PostedTransfer,
  postedFrom,
  postTransferUnderSettings,
  type TransferInput,
  translateLedgerError,
} from './post.ts';

/** At most this many postings share a transaction: a bound on how long one batch holds its customers' rows. */
export const MAX_BATCH = 16;

/** A deadlock or serialization failure aborts the whole batch; it is run again this many times at most. */
const ATTEMPTS = 3;

interface Waiting {
  input: TransferInput;
  ledgerSettings: unknown;
  resolve(posted: PostedTransfer | null): void;
  reject(error: unknown): void;
}

interface BatchRow extends LedgerPostRow {
  settings_changed: boolean;
  error_state: string | null;
  error_message: string | null;
  error_detail: string | null;
  error_constraint: string | null;
}

/**
 * Group commit per customer, kept per process. A customer's postings serialise on their account rows, and each
 * used to hold them through its own commit's WAL flush; while one posting of a customer is in flight, the next
 * ones of that customer wait here and then go to PostgreSQL together (ledger_post_batch, 0015): one round trip,
 * one transaction and one commit for up to MAX_BATCH postings, worked out one after another under the locks and
 * written together; a refused posting writes nothing and each caller gets its own answer. The wait is bounded
 * by the batch in flight: no timer holds a posting back, and a customer with nothing in flight posts at once,
 * alone.
 *
 * Only for postings outside a transaction (a caller's transaction could not be shared) that neither capture
 * holds nor reverse a transfer, with the same meaning as postTransferUnderSettings.
 */
export class PostingBatches {
  /** Per database and customer: the postings waiting for the customer's batch in flight. */
  readonly #waiting = new WeakMap<Database, Map<string, Waiting[]>>();

  post(db: Database, input: TransferInput, ledgerSettings: unknown): Promise<PostedTransfer | null> {
    if (db instanceof PgTransaction || !input.customerId || input.capture || input.reversesId != null) {
      return postTransferUnderSettings(db, input, ledgerSettings);
    }
    checkLegs(input);
    let queues = this.#waiting.get(db);
    if (!queues) {
      queues = new Map();
      this.#waiting.set(db, queues);
    }
    const key = `${input.tenantId}|${input.customerId}`;
    const queue = queues.get(key);
    if (queue) {
      return new Promise((resolve, reject) => queue.push({ input, ledgerSettings, resolve, reject }));
    }
    queues.set(key, []);
    const posted = postTransferUnderSettings(db, input, ledgerSettings);
    const drain = () => this.#drain(db, queues, key);
    posted.then(drain, drain);
    return posted;
  }

  async #drain(db: Database, queues: Map<string, Waiting[]>, key: string) {
    for (let queue = queues.get(key)!; queue.length > 0; ) {
      await runBatch(db, queue.splice(0, MAX_BATCH));
    }
    queues.delete(key);
  }
}

/** Answers every posting of the batch; never throws, so the customer's queue always moves on. */
async function runBatch(db: Database, batch: Waiting[]) {
  if (batch.length === 1) {
    const [only] = batch as [Waiting];
    await postTransferUnderSettings(db, only.input, only.ledgerSettings).then(only.resolve, only.reject);
    return;
  }
  let rows: BatchRow[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      const argument = JSON.stringify(batch.map((w) => batchArgument(w.input, w.ledgerSettings)));
      rows = await queryPreparedRows<BatchRow>(db, sql`select * from ledger_post_batch(${argument}::jsonb)`);
      break;
    } catch (error) {
      const state = sqlState(error);
      if (attempt < ATTEMPTS && (state === DEADLOCK_DETECTED || state === SERIALIZATION_FAILURE)) continue;
      for (const w of batch) w.reject(translateLedgerError(error));
      return;
    }
  }
  batch.forEach((w, i) => {
    const row = rows[i];
    if (!row) w.reject(new Error('ledger_post_batch answered fewer rows than postings'));
    else if (row.error_state) w.reject(translateLedgerError(batchError(row)));
    else w.resolve(row.settings_changed ? null : postedFrom(row, w.input));
  });
}

/** ledger_post's arguments by name, as ledger_post_batch reads them (no captures or reversals: see post). */
function batchArgument(input: TransferInput, ledgerSettings: unknown) {
  const spend = input.spend;
  return {
    tenant: input.tenantId,
    kind: input.kind,
    idempotency_key: input.idempotencyKey,
    request_hash: input.requestHash,
    store: input.storeId ?? null,
    staff: input.staffId ?? null,
    customer: input.customerId ?? null,
    reference_type: input.reference?.type ?? null,
    reference_id: input.reference?.id ?? null,
    memo: input.memo ?? null,
    details: input.details ?? {},
    accounts: bigintArray(input.legs.map((l) => l.accountId)),
    amounts: bigintArray(input.legs.map((l) => l.amount)),
    spend_principal: spend?.principalAccountId ?? null,
    spend_bonus: spend?.bonusAccountId ?? null,
    spend_total: spend?.total ?? null,
    spend_rule: spend?.rule ?? 'proportional',
    at: input.at?.toISOString() ?? null,
    ledger_settings: ledgerSettings,
  };
}

/** A posting's refusal inside a batch, shaped like node-postgres's error so translateLedgerError reads it. */
function batchError(row: BatchRow): Error {
  return Object.assign(new Error(row.error_message ?? 'ledger posting refused'), {
    code: row.error_state,
    detail: row.error_detail || undefined,
    constraint: row.error_constraint || undefined,
  });
}
