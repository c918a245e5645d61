import pg from 'pg';

/** What one operation cost the database: statements sent (each a round trip) and transactions. */
export interface StatementCount {
  /** Every statement sent, BEGIN and COMMIT included: each is one round trip to PostgreSQL. */
  statements: number;
  /** Explicit transactions (BEGIN … COMMIT/ROLLBACK) plus statements run outside one (each its own). */
  transactions: number;
  /** The statements' texts in the order they were sent, shortened, for the failure message. */
  texts: string[];
}

const queryText = (args: unknown[]): string => {
  const [first] = args;
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object' && 'text' in first) return String((first as { text: unknown }).text);
  return '?';
};

/**
 * Counts what `run` sends to PostgreSQL through node-postgres (every pool and client of this process), by
 * wrapping `pg.Client.prototype.query` while it runs. A test kit for the round-trip budget tests: the API's
 * cost per operation under load is mostly its statements (docs/performance.md), so their number is guarded.
 * Work an earlier request left running after its answer (notifications) is let finish first, and what `run`
 * leaves running is counted with it: counting starts, and ends, once no statement was sent for `quietMs`.
 * Run nothing else against the database meanwhile (the count is process-wide).
 */
export async function countStatements(run: () => Promise<unknown>, quietMs = 300): Promise<StatementCount> {
  let count: StatementCount = { statements: 0, transactions: 0, texts: [] };
  let lastSent = Date.now();
  const inTransaction = new WeakSet<object>();
  const original = pg.Client.prototype.query;
  // biome-ignore lint/suspicious/noExplicitAny: the wrapper forwards node-postgres's overloads untouched.
  pg.Client.prototype.query = function (this: pg.Client, ...args: any[]) {
    const text = queryText(args).trim();
    const verb = text.split(/\s/, 1)[0]?.toLowerCase() ?? '';
    lastSent = Date.now();
    count.statements += 1;
    count.texts.push(text.replace(/\s+/g, ' ').slice(0, 100));
    if (verb === 'begin') {
      count.transactions += 1;
      inTransaction.add(this);
    } else if (verb === 'commit' || verb === 'rollback') {
      inTransaction.delete(this);
    } else if (!inTransaction.has(this)) {
      count.transactions += 1;
    }
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  const quiet = async () => {
    while (Date.now() - lastSent < quietMs) await new Promise((resolve) => setTimeout(resolve, quietMs / 3));
  };
  try {
    await quiet();
    count = { statements: 0, transactions: 0, texts: [] };
    await run();
    await quiet();
  } finally {
    pg.Client.prototype.query = original;
  }
  return count;
}
