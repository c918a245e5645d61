import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { type Database, queryPreparedRows } from '../../db/database.ts';
import { businessTime } from '../../db/history-time.ts';
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

/** Transactions a PostingBatches keeps in flight per database unless told otherwise (LEDGER_POSTING_SLOTS). */
export const DEFAULT_SLOTS = 2;

interface Waiting {
  input: TransferInput;
  ledgerSettings: unknown;
  /** `tenant|customer`: a customer's postings are never in two transactions at once. */
  customer: string;
  resolve(posted: PostedTransfer | null): void;
  reject(error: unknown): void;
}

interface BatchRow extends LedgerPostRow {
  settings_changed: boolean;
  error_state: string | null;
  error_message: string | null;
  error_detail: string | null;
}

/** Per database: what is in flight and what waits. */
interface Slots {
  inFlight: number;
  /** A dispatch waits for the end of this event-loop turn. */
  scheduled: boolean;
  busyCustomers: Set<string>;
  /** Customers with postings in transactions of their own in flight (see `outside`), and how many. */
  outsideCustomers: Map<string, number>;
  /** In arrival order. */
  waiting: Waiting[];
}

/**
 * Group commit, kept per process. Postings reach PostgreSQL through at most `slots` transactions at a time.
 * Postings wait for the end of the event-loop turn they arrive in (setImmediate, not a timer); then the free
 * slots share the waiting postings of customers with nothing in flight, evenly and up to MAX_BATCH each, in
 * arrival order. A slot given one posting posts it alone (ledger_post); a slot given several posts them in one
 * transaction (ledger_post_batch, 0016): one round trip and one commit for all of them, worked out one after
 * another under the locks and written together; a refused posting writes nothing and each caller gets its own
 * answer. Postings that arrive while every slot is busy wait until a transaction in flight ends.
 *
 * Why: per posting, most of PostgreSQL's work is statement and transaction overhead, not the posting, and on
 * a few cores the transactions in flight compete for the same CPUs; fewer, fuller transactions do more. Waiting
 * for the end of the turn lets the postings of one turn — above all the next postings of the callers a finished
 * batch has just answered — go together, instead of the first taking a free slot alone and the rest queueing
 * behind it. Sharing them among the free slots keeps every slot working: one full slot beside an idle one
 * leaves a core idle. A customer's postings would queue on their account rows anyway; keeping them out of
 * concurrent transactions means a slot never sits waiting for another slot's locks.
 *
 * Only for postings outside a transaction (a caller's transaction could not be shared) that neither capture
 * holds nor reverse a transfer, with the same meaning as postTransferUnderSettings.
 */
export class PostingBatches {
  readonly #slots = new WeakMap<Database, Slots>();

  constructor(readonly slots = DEFAULT_SLOTS) {}

  post(db: Database, input: TransferInput, ledgerSettings: unknown): Promise<PostedTransfer | null> {
    if (db instanceof PgTransaction || !input.customerId || input.capture || input.reversesId != null) {
      return postTransferUnderSettings(db, input, ledgerSettings);
    }
    checkLegs(input);
    const state = this.#state(db);
    const waiting = state.waiting;
    const posted = new Promise<PostedTransfer | null>((resolve, reject) =>
      waiting.push({ input, ledgerSettings, customer: `${input.tenantId}|${input.customerId}`, resolve, reject }),
    );
    this.#schedule(db, state);
    return posted;
  }

  /**
   * Runs `work`, a posting of the customer's in a transaction of its own (a top-up, a spend that earns points),
   * keeping the customer's postings out of the slots until it ends. That transaction holds the customer's
   * account rows from its posting to its commit; a batch sent meanwhile would wait for it, and with the batch
   * its other customers' postings and the slot itself. The customer's postings would wait for those rows
   * anyway; now they wait here, and the slot serves others. Only for `db` itself, not a transaction of it.
   */
  async outside<T>(db: Database, tenantId: string, customerId: string, work: () => Promise<T>): Promise<T> {
    if (db instanceof PgTransaction) return work();
    const state = this.#state(db);
    const customer = `${tenantId}|${customerId}`;
    state.outsideCustomers.set(customer, (state.outsideCustomers.get(customer) ?? 0) + 1);
    try {
      return await work();
    } finally {
      const left = (state.outsideCustomers.get(customer) ?? 1) - 1;
      if (left > 0) state.outsideCustomers.set(customer, left);
      else state.outsideCustomers.delete(customer);
      this.#schedule(db, state);
    }
  }

  #state(db: Database): Slots {
    let state = this.#slots.get(db);
    if (!state) {
      state = { inFlight: 0, scheduled: false, busyCustomers: new Set(), outsideCustomers: new Map(), waiting: [] };
      this.#slots.set(db, state);
    }
    return state;
  }

  #schedule(db: Database, state: Slots) {
    if (state.scheduled) return;
    state.scheduled = true;
    setImmediate(() => {
      state.scheduled = false;
      this.#dispatch(db, state);
    });
  }

  #dispatch(db: Database, state: Slots) {
    while (state.inFlight < this.slots) {
      const batch = takeBatch(state, this.slots - state.inFlight);
      if (batch.length === 0) return;
      const customers = new Set(batch.map((w) => w.customer));
      state.inFlight++;
      for (const c of customers) state.busyCustomers.add(c);
      void runBatch(db, batch).then(() => {
        state.inFlight--;
        for (const c of customers) state.busyCustomers.delete(c);
        this.#schedule(db, state);
      });
    }
  }
}

/**
 * One free slot's share of the waiting postings of customers with nothing in flight (in a slot or outside), in arrival order: whole
 * customers (a customer's postings stay in one transaction), first come first, until the slot has its even
 * share of them among the free slots; at most MAX_BATCH.
 */
function takeBatch(state: Slots, freeSlots: number): Waiting[] {
  const ready = state.waiting.filter(
    (w) => !state.busyCustomers.has(w.customer) && !state.outsideCustomers.has(w.customer),
  );
  const perCustomer = new Map<string, number>();
  for (const w of ready) perCustomer.set(w.customer, (perCustomer.get(w.customer) ?? 0) + 1);
  if (perCustomer.size === 0) return [];
  const share = Math.ceil(ready.length / Math.min(freeSlots, perCustomer.size));
  const taken = new Set<string>();
  let count = 0;
  for (const [customer, postings] of perCustomer) {
    if (count >= share) break;
    taken.add(customer);
    count += postings;
  }
  const batch = ready.filter((w) => taken.has(w.customer)).slice(0, MAX_BATCH);
  const inBatch = new Set(batch);
  state.waiting = state.waiting.filter((w) => !inBatch.has(w));
  return batch;
}

/** Answers every posting of the batch; never throws, so the slot always frees. */
async function runBatch(db: Database, batch: Waiting[]) {
  if (batch.length === 1) return postAlone(db, batch[0]!);
  let rows: BatchRow[];
  try {
    const argument = JSON.stringify(batch.map((w) => batchArgument(w.input, w.ledgerSettings)));
    rows = await queryPreparedRows<BatchRow>(db, sql`select * from ledger_post_batch(${argument}::jsonb)`);
  } catch {
    // The whole batch rolled back (a deadlock, a key claimed by another process meanwhile, or one posting's
    // input the database refused outright): each posts alone, so one posting's failure stays its own.
    for (const w of batch) await postAlone(db, w);
    return;
  }
  batch.forEach((w, i) => {
    const row = rows[i];
    if (!row) w.reject(new Error('ledger_post_batch answered fewer rows than postings'));
    else if (row.error_state) w.reject(translateLedgerError(batchError(row)));
    else w.resolve(row.settings_changed ? null : postedFrom(row, w.input));
  });
}

const postAlone = (db: Database, w: Waiting) =>
  postTransferUnderSettings(db, w.input, w.ledgerSettings).then(w.resolve, w.reject);

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
    at: businessTime(input.at),
    ledger_settings: ledgerSettings,
  };
}

/** A posting's refusal inside a batch, shaped like node-postgres's error so translateLedgerError reads it. */
function batchError(row: BatchRow): Error {
  return Object.assign(new Error(row.error_message ?? 'ledger posting refused'), {
    code: row.error_state,
    detail: row.error_detail || undefined,
  });
}
