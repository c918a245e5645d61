import { createHash } from 'node:crypto';
import type { VerifyReport } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryPreparedRows, queryRows } from '../../db/database.ts';

type Problem = VerifyReport['problems'][number];

interface ChainEntry {
  id: number;
  account_id: number;
  transfer_id: number;
  amount: number;
  balance_after: number | null;
  account_version: number | null;
  hash: Buffer | Uint8Array | null;
}

interface AccountHead {
  id: number;
  balance: number;
  version: number;
  head_hash: Buffer | Uint8Array | null;
}

const toBuffer = (value: Buffer | Uint8Array | null) => (value ? Buffer.from(value) : null);

/**
 * The hash of one entry, computed here independently of the SQL that wrote it: sha256(previous hash ‖
 * "account|version|transfer|amount|balance_after"). Version 1 starts from an empty previous hash.
 */
export function chainHash(
  previous: Buffer | null,
  e: { accountId: number; version: number; transferId: number; amount: number; balanceAfter: number },
): Buffer {
  return createHash('sha256')
    .update(previous ?? Buffer.alloc(0))
    .update(`${e.accountId}|${e.version}|${e.transferId}|${e.amount}|${e.balanceAfter}`, 'utf8')
    .digest();
}

interface ChainStart {
  version: number;
  balance: number;
  hash: Buffer | null;
}

const GENESIS: ChainStart = { version: 0, balance: 0, hash: null };

/** Walks one account's chain from `start` and names the first entry that does not match. */
function verifyChain(
  account: AccountHead,
  chain: ChainEntry[],
  start: ChainStart = GENESIS,
): { problems: Problem[]; head: Buffer | null } {
  let previous: Buffer | null = start.hash;
  let running = start.balance;
  let version = start.version;
  for (const e of chain) {
    version++;
    running += Number(e.amount);
    const expected = chainHash(previous, {
      accountId: Number(account.id),
      version,
      transferId: Number(e.transfer_id),
      amount: Number(e.amount),
      balanceAfter: running,
    });
    const stored = toBuffer(e.hash);
    if (
      Number(e.account_version) !== version ||
      Number(e.balance_after) !== running ||
      !stored ||
      !stored.equals(expected)
    ) {
      const problem = {
        check: 'hash_chain',
        message: `account ${account.id}: entry ${e.id} (version ${version}) does not match its chain`,
        accountId: Number(account.id),
        entryId: Number(e.id),
      };
      return { problems: [problem], head: null };
    }
    previous = expected;
  }
  const problems: Problem[] = [];
  if (Number(account.balance) !== running || Number(account.version) !== version) {
    problems.push({
      check: 'balance_equals_entries',
      message: `account ${account.id}: balance ${account.balance} v${account.version}, entries sum ${running} v${version}`,
      accountId: Number(account.id),
      entryId: null,
    });
  }
  const head = toBuffer(account.head_hash);
  if (version > 0 && (!head || !previous || !head.equals(previous))) {
    problems.push({
      check: 'hash_chain',
      message: `account ${account.id}: head hash does not match the last entry`,
      accountId: Number(account.id),
      entryId: null,
    });
  }
  return { problems, head: previous };
}

const CHAIN_PAGE = 5_000;

/**
 * Verifies the chains of the selected accounts, reading entries in pages so a long history never sits in
 * memory whole. With `fromCheckpoint`, each chain resumes where it was last verified and the checkpoint moves
 * forward when the new entries check out.
 */
async function verifyAccounts(
  db: Database,
  accountFilter: ReturnType<typeof sql>,
  fromCheckpoint = false,
): Promise<Problem[]> {
  const heads = await queryPreparedRows<ChainHead>(
    db,
    sql`select ${chainHeadColumns} from accounts a ${chainHeadJoins(fromCheckpoint)}
        where a.materialized and ${accountFilter} order by a.id`,
  );
  return verifyChainsFrom(db, heads, fromCheckpoint);
}

/** An account's head and, with checkpoints, where its chain was last verified (chainHeadColumns). */
export type ChainHead = AccountHead & {
  cp_version: number | null;
  cp_balance: number | null;
  cp_hash: Buffer | null;
  has_new: boolean;
  /** With chainFirstPageColumn: the first page of the chain's new entries, read with the head (hash in hex). */
  first_page?: (Omit<ChainEntry, 'hash'> & { hash: string | null })[];
};

/**
 * The columns of a ChainHead, for a query over `accounts a` with chainHeadJoins. has_new: whether any entry
 * lies beyond where the walk starts, so chains with nothing new (a wallet read right after the last one) cost
 * no query of their own; their head is still checked against the start.
 */
export const chainHeadColumns = sql`a.id, a.balance, a.version, a.head_hash, c.version as cp_version,
  e.balance_after as cp_balance, c.hash as cp_hash,
  exists (select 1 from entries n where n.account_id = a.id and n.account_version > coalesce(c.version, 0)) as has_new`;

export const chainHeadJoins = (fromCheckpoint: boolean) =>
  sql`left join chain_checkpoints c on ${fromCheckpoint ? sql`c.account_id = a.id` : sql`false`}
      left join entries e on e.account_id = c.account_id and e.account_version = c.version`;

/**
 * With checkpoints, the first page of the chain's new entries as a JSON column of the heads' own statement
 * (`first_page`): a wallet read then verifies what is new without a round trip of its own (firstPages).
 * Where the walk starts is firstPages' rule: the checkpoint, or the chain's start when it has none.
 */
export const chainFirstPageColumn = sql`(select coalesce(json_agg(json_build_object(
    'id', x.id, 'account_id', x.account_id, 'transfer_id', x.transfer_id, 'amount', x.amount,
    'balance_after', x.balance_after, 'account_version', x.account_version, 'hash', encode(x.hash, 'hex'))
    order by x.account_version), '[]'::json)
  from (select n.* from entries n
        where n.account_id = a.id
          and n.account_version > (case when c.version is not null and c.hash is not null then c.version else 0 end)
        order by n.account_version limit ${CHAIN_PAGE}) x) as first_page`;

/** The pages chainFirstPageColumn carried, as firstPages answers them. */
function carriedPages(heads: ChainHead[]): Map<number, ChainEntry[]> {
  return new Map(
    heads
      .filter((h) => h.has_new)
      .map((h) => [
        Number(h.id),
        (h.first_page ?? []).map((e) => ({ ...e, hash: e.hash === null ? null : Buffer.from(e.hash, 'hex') })),
      ]),
  );
}

/**
 * The first page of new entries of every chain that has any, in one statement (a wallet read after a visit
 * has a few chains with a few new entries each: one round trip for all of them, not one per chain).
 */
async function firstPages(db: Database, heads: ChainHead[]): Promise<Map<number, ChainEntry[]>> {
  const walked = heads.filter((h) => h.has_new);
  const pages = new Map<number, ChainEntry[]>(walked.map((h) => [Number(h.id), []]));
  if (walked.length === 0) return pages;
  // Where each walk starts: its checkpoint, or the chain's start when it has none (as verifyChainsFrom).
  const after = (h: ChainHead) => (h.cp_version !== null && h.cp_hash ? Number(h.cp_version) : GENESIS.version);
  const rows = await queryRows<ChainEntry>(
    db,
    sql`select x.* from unnest(${`{${walked.map((h) => h.id).join(',')}}`}::bigint[],
                               ${`{${walked.map(after).join(',')}}`}::bigint[]) s(account_id, version)
        cross join lateral (
          select id, account_id, transfer_id, amount, balance_after, account_version, hash from entries
          where account_id = s.account_id and account_version > s.version
          order by account_version limit ${CHAIN_PAGE}) x`,
  );
  for (const row of rows) pages.get(Number(row.account_id))?.push(row);
  return pages;
}

/** Verifies the chains of the given heads (in account order); see verifyAccounts. */
export async function verifyChainsFrom(db: Database, heads: ChainHead[], fromCheckpoint: boolean): Promise<Problem[]> {
  const problems: Problem[] = [];
  const checkpoints: { accountId: number; version: number; hash: Buffer }[] = [];
  // From checkpoints (a wallet) the first pages come in one statement; a full walk (verify, over every account)
  // reads page by page, so it never holds more than one page.
  const carried = heads.every((h) => h.first_page !== undefined);
  const prefetched = fromCheckpoint ? (carried ? carriedPages(heads) : await firstPages(db, heads)) : null;
  const nextPage = (accountId: number, after: number) =>
    queryRows<ChainEntry>(
      db,
      sql`select id, account_id, transfer_id, amount, balance_after, account_version, hash from entries
          where account_id = ${accountId} and account_version > ${after}
          order by account_version limit ${CHAIN_PAGE}`,
    );
  for (const account of heads) {
    let start: ChainStart =
      account.cp_version !== null && account.cp_hash
        ? {
            version: Number(account.cp_version),
            balance: Number(account.cp_balance),
            hash: Buffer.from(account.cp_hash),
          }
        : GENESIS;
    const startVersion = start.version;
    let result: { problems: Problem[]; head: Buffer | null } = { problems: [], head: start.hash };
    let page = !account.has_new
      ? []
      : (prefetched?.get(Number(account.id)) ?? (await nextPage(Number(account.id), start.version)));
    for (;;) {
      const last = page.at(-1);
      const isLastPage = page.length < CHAIN_PAGE;
      result = verifyChain(
        isLastPage
          ? account
          : {
              ...account,
              balance: Number(last?.balance_after),
              version: Number(last?.account_version),
              head_hash: last?.hash ?? null,
            },
        page,
        start,
      );
      if (result.problems.length > 0 || isLastPage || !last) break;
      start = { version: Number(last.account_version), balance: Number(last.balance_after), hash: result.head };
      page = await nextPage(Number(account.id), start.version);
    }
    problems.push(...result.problems);
    if (!fromCheckpoint && result.problems.length > 0) {
      // A full walk found this chain broken: wallets must re-walk it from the start too, and so show it broken.
      await db.execute(sql`delete from chain_checkpoints where account_id = ${account.id}`);
    }
    if (fromCheckpoint && result.problems.length === 0 && result.head && Number(account.version) > startVersion) {
      checkpoints.push({ accountId: Number(account.id), version: Number(account.version), hash: result.head });
    }
  }
  if (checkpoints.length > 0) {
    // Every chain verified further than its checkpoint moves its checkpoint on, in one statement.
    await db.execute(
      sql`insert into chain_checkpoints (account_id, version, hash, verified_at)
          select s.account_id, s.version, decode(s.hash, 'hex'), now()
          from unnest(${`{${checkpoints.map((c) => c.accountId).join(',')}}`}::bigint[],
                      ${`{${checkpoints.map((c) => c.version).join(',')}}`}::bigint[],
                      ${`{${checkpoints.map((c) => c.hash.toString('hex')).join(',')}}`}::text[]) s(account_id, version, hash)
          on conflict (account_id) do update set version = excluded.version, hash = excluded.hash, verified_at = excluded.verified_at
          where chain_checkpoints.version < excluded.version`,
    );
  }
  return problems;
}

/**
 * Every invariant over the whole ledger: transfers sum to zero per unit, every transfer has entries, customer
 * balances equal their entries and respect their floors, hash chains are intact, house accounts carry no
 * materialised balance, and each transfer's idempotency record is complete and its key claimed.
 */
export async function verifyLedger(db: Database, tenantId?: string): Promise<VerifyReport> {
  const scopeOf = (alias: string) => (tenantId ? sql`${sql.identifier(alias)}.tenant_id = ${tenantId}` : sql`true`);
  const scope = tenantId ? sql`tenant_id = ${tenantId}` : sql`true`;
  const problems: Problem[] = [];
  const unbalanced = await queryRows<{ transfer_id: number; unit: string; total: number }>(
    db,
    sql`select transfer_id, unit, sum(amount) as total from entries where ${scope} group by transfer_id, unit having sum(amount) <> 0 limit 100`,
  );
  for (const u of unbalanced) {
    problems.push({
      check: 'zero_sum',
      message: `transfer ${u.transfer_id} is off by ${u.total} ${u.unit}`,
      accountId: null,
      entryId: null,
    });
  }
  const empty = await queryRows<{ id: number }>(
    db,
    sql`select t.id from transfers t where ${scopeOf('t')} and not exists (select 1 from entries e where e.transfer_id = t.id) limit 100`,
  );
  for (const t of empty)
    problems.push({
      check: 'transfer_has_entries',
      message: `transfer ${t.id} has no entries`,
      accountId: null,
      entryId: null,
    });
  const overdrawn = await queryRows<{ id: number; kind: string; balance: number }>(
    db,
    sql`select id, kind, balance from accounts where ${scope} and no_overdraw
        and not ((normal_side = 'credit' and balance <= 0) or (normal_side = 'debit' and balance >= 0))`,
  );
  for (const a of overdrawn)
    problems.push({
      check: 'non_negative',
      message: `account ${a.id} (${a.kind}) is overdrawn: ${a.balance}`,
      accountId: Number(a.id),
      entryId: null,
    });
  const badIdempotency = await queryRows<{ id: number }>(
    db,
    sql`select id from transfers where ${scope} and (idempotency_key = '' or request_hash !~ '^[0-9a-f]{64}$') limit 100`,
  );
  for (const t of badIdempotency)
    problems.push({
      check: 'idempotency_record',
      message: `transfer ${t.id} has an incomplete idempotency record`,
      accountId: null,
      entryId: null,
    });
  // Every transfer claimed its key in idempotency_keys (the trigger on transfers, operation 'ledger', the same
  // request hash): without that row a retry under the key on another operation would not be refused.
  const unclaimed = await queryRows<{ id: number; idempotency_key: string }>(
    db,
    sql`select t.id, t.idempotency_key from transfers t where ${scopeOf('t')} and not exists (
          select 1 from idempotency_keys k where k.tenant_id = t.tenant_id and k.key = t.idempotency_key
          and k.operation = 'ledger' and k.request_hash = t.request_hash) limit 100`,
  );
  for (const t of unclaimed)
    problems.push({
      check: 'idempotency_claim',
      message: `transfer ${t.id}: its Idempotency-Key ${t.idempotency_key} has no claim of the ledger's in idempotency_keys`,
      accountId: null,
      entryId: null,
    });
  const lots = await queryRows<{ customer_id: string; held: number; lots: number }>(
    db,
    sql`select a.customer_id, -a.balance as held, coalesce((select sum(remaining) from points_lots l where l.tenant_id = a.tenant_id and l.customer_id = a.customer_id), 0) as lots
        from accounts a where a.kind = 'points' and ${scopeOf('a')}
        and -a.balance <> coalesce((select sum(remaining) from points_lots l where l.tenant_id = a.tenant_id and l.customer_id = a.customer_id), 0)`,
  );
  for (const l of lots)
    problems.push({
      check: 'points_lots',
      message: `customer ${l.customer_id}: points ${l.held} but lots hold ${l.lots}`,
      accountId: null,
      entryId: null,
    });
  problems.push(...(await verifyAccounts(db, scopeOf('a'))));
  const [counts] = await queryRows<{ accounts: number; transfers: number; entries: number }>(
    db,
    sql`select (select count(*) from accounts where ${scope}) as accounts, (select count(*) from transfers where ${scope}) as transfers,
               (select count(*) from entries where ${scope}) as entries`,
  );
  return {
    ok: problems.length === 0,
    checkedAt: new Date().toISOString(),
    counts: {
      accounts: Number(counts?.accounts ?? 0),
      transfers: Number(counts?.transfers ?? 0),
      entries: Number(counts?.entries ?? 0),
    },
    problems,
  };
}
