import type pg from 'pg';

/**
 * Data for the segmentation benchmark, generated set-based inside PostgreSQL in batches: one tenant, its
 * stores and house accounts, N customers and M paid transfers with balanced entries on the revenue accounts
 * the RFM SQL reads (plus a few reversals).
 *
 * The ledger only lets ledger_post write entries (its statement trigger compares every new entry with the
 * transfer ledger_post is posting), which costs ~0.3 ms per transfer: 10M would take most of an hour on two
 * cores. So, in this throwaway database only, the bulk load switches that trigger off and drops the
 * secondary indexes and foreign keys of transfers and entries, then restores all of them (foreign keys
 * re-validated over every row) and runs the trigger's checks over every generated transfer — entries sum
 * to zero per transfer and unit, and every transfer has entries — failing the benchmark if any is violated.
 */
export interface GenerateOptions {
  tenantId: string;
  storeIds: string[];
  customers: number;
  transactions: number;
  asOf: Date;
  batchSize?: number;
  progress: (label: string, done: number, total: number) => void;
}

/** Deterministic customer ids, so transfers can name a customer without a lookup. */
export const benchCustomerId = (n: number) => `md5('bench-customer-' || ${n})::uuid`;

interface Restorable {
  /** Statements that put back what `relaxForBulkLoad` took away, in order. */
  restore: string[];
}

/**
 * Bulk-load preparation for the throwaway benchmark database only: secondary indexes and foreign keys of
 * transfers and entries are dropped during generation and rebuilt (and re-validated) afterwards, which is
 * much faster than maintaining them row by row. The ledger's own triggers stay on, and so do the indexes
 * they need (primary keys, entries by transfer).
 */
async function relaxForBulkLoad(client: pg.Client): Promise<Restorable> {
  const constraints = await client.query<{ table: string; name: string; def: string; type: string }>(
    `select c.conrelid::regclass::text as table, c.conname as name, pg_get_constraintdef(c.oid) as def, c.contype as type
     from pg_constraint c
     where c.conrelid in ('transfers'::regclass, 'entries'::regclass) and c.contype in ('f', 'u')
       and not (c.contype = 'f' and c.confrelid = c.conrelid)`,
  );
  const indexes = await client.query<{ name: string; def: string }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
     from pg_index i
     where i.indrelid in ('transfers'::regclass, 'entries'::regclass) and not i.indisprimary
       and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
       and i.indexrelid::regclass::text not in ('entries_transfer_idx', 'transfers_reverses_key')`,
  );
  for (const c of constraints.rows) await client.query(`alter table ${c.table} drop constraint "${c.name}"`);
  for (const i of indexes.rows) await client.query(`drop index "${i.name}"`);
  return {
    restore: [
      ...indexes.rows.map((i) => i.def),
      ...constraints.rows
        .sort((a, b) => (a.type === b.type ? 0 : a.type === 'u' ? -1 : 1))
        .map((c) => `alter table ${c.table} add constraint "${c.name}" ${c.def}`),
    ],
  };
}

export async function generateBenchData(
  clients: pg.Client[],
  o: GenerateOptions,
): Promise<{ reversals: number; restoreSeconds: number }> {
  const batch = o.batchSize ?? 100_000;
  const [main] = clients;
  if (!main) throw new Error('need a connection');
  for (const [i, c] of clients.entries()) {
    await c.query(`select setseed(${(0.1 + i / 10).toFixed(2)})`);
    await c.query('set synchronous_commit = off');
  }

  const customerBatches: [number, number][] = [];
  for (let from = 1; from <= o.customers; from += batch) {
    customerBatches.push([from, Math.min(o.customers, from + batch - 1)]);
  }
  let customersDone = 0;
  await inParallel(clients, customerBatches, async (client, [from, to]) => {
    await client.query(
      `insert into customers (id, tenant_id, name, phone, gender, birthday, tags, consents, home_store_id, created_at)
       select md5('bench-customer-' || g)::uuid, $1, '顾客' || g, '1' || lpad(g::text, 10, '0'),
              (case when g % 9 = 0 then 'male' else 'female' end)::gender,
              make_date(1960 + g % 45, 1 + g % 12, 1 + g % 28),
              case g % 5 when 0 then array['VIP'] when 1 then array['敏感肌','补水'] else '{}'::text[] end,
              jsonb_build_object('marketing', g % 4 <> 0, 'sms', g % 3 <> 0),
              ($2::uuid[])[1 + g % cardinality($2::uuid[])],
              $3::timestamptz - ((g::bigint * 7919) % 1000) * interval '1 day'
       from generate_series($4::int, $5::int) g`,
      [o.tenantId, o.storeIds, o.asOf.toISOString(), from, to],
    );
    customersDone += to - from + 1;
    o.progress('customers', customersDone, o.customers);
  });

  const accounts = await main.query<{ kind: string; store_id: string | null; id: string }>(
    `select kind, store_id, id from accounts where tenant_id = $1 and owner <> 'customer'`,
    [o.tenantId],
  );
  const houseId = (kind: string, storeId: string | null) => {
    const row = accounts.rows.find((a) => a.kind === kind && a.store_id === storeId);
    if (!row) throw new Error(`house account ${kind} missing`);
    return Number(row.id);
  };
  const perStore = (kind: string) => o.storeIds.map((s) => houseId(kind, s));
  const legs = {
    cash: perStore('cash'),
    card: perStore('card_clearing'),
    service: perStore('service_revenue'),
    product: perStore('product_revenue'),
    deferred: houseId('package_deferred_revenue', null),
    pointsCost: houseId('points_redemption', null),
  };

  const relaxed = await relaxForBulkLoad(main);
  await main.query('alter table entries disable trigger entries_balanced');
  // 90% of customers buy something; a skewed pick gives a long tail of light customers and some heavy ones.
  const active = Math.max(1, Math.floor(o.customers * 0.9));
  const transferBatches: [number, number][] = [];
  for (let from = 1; from <= o.transactions; from += batch) {
    transferBatches.push([from, Math.min(o.transactions, from + batch - 1)]);
  }
  let transfersDone = 0;
  const insertTransfers = async (client: pg.Client, [from, to]: [number, number]) => {
    await client.query('begin');
    await client.query(
      `with src as (
         select g as n,
                1 + floor(power(random(), 1.7) * $3)::int as cust,
                random() as rk,
                (3 + floor(random() * 95)::int) * 1000 as amt,
                floor(random() * $4)::int as store,
                $2::timestamptz - random() * interval '730 days' as at
         from generate_series($5::bigint, $6::bigint) g
       ), typed as (
         select *, case when rk < 0.80 then 'spend' when rk < 0.85 then 'package_sale'
                        when rk < 0.97 then 'package_consumption' else 'points_redemption' end as kind
         from src
       ), ins as (
         insert into transfers (tenant_id, kind, idempotency_key, request_hash, store_id, customer_id, details, created_at)
         select $1, kind, 'bench-' || n, 'bench', ($7::uuid[])[store + 1], md5('bench-customer-' || cust)::uuid,
                jsonb_build_object('amountFen', amt), at
         from typed
         returning id, kind, (details->>'amountFen')::bigint as amt, array_position($7::uuid[], store_id) as store, created_at
       )
       insert into entries (transfer_id, account_id, tenant_id, unit, amount, created_at)
       select ins.id, leg.account_id, $1, 'CNY', leg.amount, ins.created_at
       from ins cross join lateral (values
         (case ins.kind when 'spend' then ($8::bigint[])[ins.store]
                        when 'package_sale' then ($9::bigint[])[ins.store]
                        when 'package_consumption' then $12::bigint
                        else $13::bigint end, ins.amt),
         (case ins.kind when 'spend' then (case when ins.id % 10 = 0 then ($11::bigint[])[ins.store] else ($10::bigint[])[ins.store] end)
                        when 'package_sale' then $12::bigint
                        else ($10::bigint[])[ins.store] end, -ins.amt)
       ) as leg(account_id, amount)`,
      [
        o.tenantId,
        o.asOf.toISOString(),
        active,
        o.storeIds.length,
        from,
        to,
        o.storeIds,
        legs.cash,
        legs.card,
        legs.service,
        legs.product,
        legs.deferred,
        legs.pointsCost,
      ],
    );
    await client.query('commit');
    transfersDone += to - from + 1;
    o.progress('transfers', transfersDone, o.transactions);
  };
  await inParallel(clients, transferBatches, insertTransfers);

  // Corrections: one transfer in 200 is reversed (mirror entries, reverses_id), as a manager's 冲正 would.
  await main.query('begin');
  const reversed = await main.query(
    `with originals as (
       select id, customer_id, store_id, kind, created_at from transfers
       where tenant_id = $1 and id % 200 = 7 and kind <> 'reversal'
     ), ins as (
       insert into transfers (tenant_id, kind, idempotency_key, request_hash, store_id, customer_id, reverses_id, details, created_at)
       select $1, 'reversal', 'bench-rev-' || id, 'bench', store_id, customer_id, id,
              jsonb_build_object('reversedKind', kind), created_at + interval '1 hour'
       from originals
       returning id, reverses_id, created_at
     )
     insert into entries (transfer_id, account_id, tenant_id, unit, amount, created_at)
     select ins.id, e.account_id, $1, e.unit, -e.amount, ins.created_at
     from ins join entries e on e.transfer_id = ins.reverses_id`,
    [o.tenantId],
  );
  await main.query('commit');

  const started = Date.now();
  await main.query("set maintenance_work_mem = '512MB'");
  for (const [i, statement] of relaxed.restore.entries()) {
    await main.query(statement);
    o.progress('indexes and constraints', i + 1, relaxed.restore.length);
  }
  await main.query('alter table entries enable trigger entries_balanced');
  const checks = await main.query<{ unbalanced: string; without_entries: string }>(
    `select
       (select count(*) from (select transfer_id from entries where tenant_id = $1
                              group by transfer_id, unit having sum(amount) <> 0) u) as unbalanced,
       (select count(*) from transfers t where t.tenant_id = $1
          and not exists (select 1 from entries e where e.transfer_id = t.id)) as without_entries`,
    [o.tenantId],
  );
  const check = checks.rows[0];
  if (!check || Number(check.unbalanced) !== 0 || Number(check.without_entries) !== 0) {
    throw new Error(`generated ledger rows break the ledger's rules: ${JSON.stringify(check)}`);
  }
  return { reversals: (reversed.rowCount ?? 0) / 2, restoreSeconds: (Date.now() - started) / 1000 };
}

/** Runs the work items on the connections, each connection taking the next item when it is free. */
async function inParallel<T>(clients: pg.Client[], items: T[], run: (client: pg.Client, item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (next < items.length) {
        const item = items[next++] as T;
        await run(client, item);
      }
    }),
  );
}
