import type { EntriesPage, EntriesQuery, Entry } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../../db/database.ts';
import { BUCKET_OF_KIND, customerView } from '../chart.ts';

const KIND_OF_BUCKET = Object.fromEntries(Object.entries(BUCKET_OF_KIND).map(([k, b]) => [b, k]));

interface EntryRow {
  id: number;
  transfer_id: number;
  created_at: Date | string;
  transfer_kind: string;
  account_kind: string;
  normal_side: 'debit' | 'credit';
  unit: string;
  amount: number;
  balance_after: number;
  package_card_id: string | null;
  store_id: string | null;
  store_name: string | null;
  staff_id: string | null;
  staff_name: string | null;
  details: { items?: Entry['items'] } | null;
  memo: string | null;
  reverses_id: number | null;
  reference_type: string | null;
  reference_id: string | null;
}

/**
 * A customer's entries, newest first, keyset-paginated on the entry id (index entries_customer_idx), with the
 * transfer's store, staff and items. Amounts are shown from the customer's side: + received, − spent.
 */
export async function listEntries(
  db: Database,
  tenantId: string,
  customerId: string,
  query: EntriesQuery,
): Promise<EntriesPage> {
  const filters = [sql`e.customer_id = ${customerId}`, sql`e.tenant_id = ${tenantId}`];
  if (query.cursor) filters.push(sql`e.id < ${query.cursor}`);
  if (query.kind) filters.push(sql`t.kind = ${query.kind}`);
  if (query.bucket) filters.push(sql`a.kind = ${KIND_OF_BUCKET[query.bucket]}`);
  if (query.from) filters.push(sql`e.created_at >= (${query.from}::date::timestamp at time zone 'Asia/Shanghai')`);
  if (query.to) filters.push(sql`e.created_at < ((${query.to}::date + 1)::timestamp at time zone 'Asia/Shanghai')`);
  const rows = await queryRows<EntryRow>(
    db,
    sql`select e.id, e.transfer_id, e.created_at, t.kind as transfer_kind, a.kind as account_kind, a.normal_side,
               e.unit, e.amount, e.balance_after, a.package_card_id, t.store_id, s.name as store_name,
               t.staff_id, st.name as staff_name, t.details, t.memo, t.reverses_id, t.reference_type, t.reference_id
        from entries e
        join transfers t on t.id = e.transfer_id
        join accounts a on a.id = e.account_id
        left join stores s on s.id = t.store_id
        left join staff st on st.id = t.staff_id
        where ${sql.join(filters, sql` and `)}
        order by e.id desc
        limit ${query.limit + 1}`,
  );
  const page = rows.slice(0, query.limit);
  return {
    items: page.map(toEntry),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

function toEntry(r: EntryRow): Entry {
  return {
    id: Number(r.id),
    transferId: Number(r.transfer_id),
    at: new Date(r.created_at).toISOString(),
    kind: r.transfer_kind,
    bucket: BUCKET_OF_KIND[r.account_kind] ?? 'principal',
    unit: r.unit,
    amount: customerView(r.normal_side, Number(r.amount)),
    balanceAfter: customerView(r.normal_side, Number(r.balance_after)),
    packageCardId: r.package_card_id,
    store: r.store_id ? { id: r.store_id, name: r.store_name ?? '' } : null,
    staff: r.staff_id ? { id: r.staff_id, name: r.staff_name ?? '' } : null,
    items: r.details?.items ?? [],
    memo: r.memo,
    reversesTransferId: r.reverses_id === null ? null : Number(r.reverses_id),
    reference: r.reference_type && r.reference_id ? { type: r.reference_type, id: r.reference_id } : null,
  };
}
