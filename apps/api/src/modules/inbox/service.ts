import type {
  DecidedInboxPage,
  DecidedInboxQuery,
  InboxDecision,
  InboxItem,
  ManagerInbox,
  ManagerInboxQuery,
} from '@lumi/shared';
import { type SQL, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { managedStores } from '../checkout/index.ts';

type Row = {
  kind: InboxItem['kind'];
  id: string;
  customer_id: string;
  customer_name: string | null;
  raised_by: string | null;
  amount_fen: number | string;
  summary: string;
  created_at: Date | string;
};
type DecidedRow = Row & {
  decision: InboxDecision;
  decided_amount_fen: number | string | null;
  decided_by: string | null;
  note: string | null;
  decided_at: Date | string;
  cursor: string;
};

/**
 * Every kind the inbox lists, waiting or already decided, of the stores this manager manages (an owner: every
 * store; credit-limit requests are the salon's: limits are per customer, not per store). One query for both
 * states so the 已处理 view lists exactly what the 待处理 view listed before its decision.
 */
async function inboxItems(db: Database, who: StaffPrincipal, state: 'waiting' | 'decided'): Promise<SQL> {
  const stores = `{${(await managedStores(db, who)).join(',')}}`;
  const is = sql.raw(state === 'waiting' ? '=' : '<>');
  return sql`
    select 'credit_limit' as kind, r.id, r.customer_id, c.name as customer_name, s.name as raised_by,
           r.requested_limit_fen as amount_fen, r.reason as summary, r.created_at,
           case when r.status = 'rejected' then 'rejected'
                when r.approved_limit_fen < r.requested_limit_fen then 'lowered' else 'approved' end as decision,
           r.approved_limit_fen as decided_amount_fen, dby.name as decided_by, r.decision_note as note, r.decided_at
      from credit_limit_requests r join customers c on c.id = r.customer_id join staff s on s.id = r.requested_by
      left join staff dby on dby.id = r.decided_by
     where r.tenant_id = ${who.tenantId} and r.status ${is} 'pending'
    union all
    select case when a.kind in ('void', 'refund') then 'void_refund' else a.kind end, a.id, a.customer_id, c.name,
           s.name, a.amount_fen,
           (case a.kind when 'void' then '撤销 ' || b.number when 'refund' then '退款 ' || b.number
                        when 'discount' then '折扣 ' || st.name else '转卡 ' || pc.name || ' → ' || coalesce(tc.name, '顾客') end)
             || '：' || a.reason,
           a.created_at, a.status, null, dby.name, a.decision_note, a.decided_at
      from approval_requests a left join bills b on b.id = a.bill_id join customers c on c.id = a.customer_id
      join staff s on s.id = a.requested_by join stores st on st.id = a.store_id
      left join package_cards pc on pc.id = (a.details->>'packageCardId')::uuid
      left join customers tc on tc.id = (a.details->>'toCustomerId')::uuid
      left join staff dby on dby.id = a.decided_by
     where a.tenant_id = ${who.tenantId} and a.status ${is} 'pending' and a.store_id = any(${stores}::uuid[])
    union all
    select 'dispute', d.id, d.customer_id, c.name, c.name, b.total_fen, b.number || '：' || d.reason, d.created_at,
           d.status::text, null, dby.name, d.answer, d.resolved_at
      from disputes d join bills b on b.id = d.bill_id join customers c on c.id = d.customer_id
      left join staff dby on dby.id = d.resolved_by
     where d.tenant_id = ${who.tenantId} and d.status ${is} 'open' and b.store_id = any(${stores}::uuid[])
    union all
    select 'after_sale', a.id, a.customer_id, c.name, c.name, a.amount_fen, o.number || '：' || a.reason, a.created_at,
           case a.status when 'refused' then 'rejected' else a.status end, null, dby.name, a.decision_note, a.decided_at
      from shop_after_sales a join shop_orders o on o.tenant_id = a.tenant_id and o.id = a.order_id
      join customers c on c.id = a.customer_id
      left join staff dby on dby.id = a.decided_by
     where a.tenant_id = ${who.tenantId} and a.status ${is} 'requested' and o.store_id = any(${stores}::uuid[])`;
}

const iso = (at: Date | string) => new Date(at).toISOString();
const asItem = (r: Row): InboxItem => ({
  kind: r.kind,
  id: r.id,
  customerId: r.customer_id,
  customerName: r.customer_name,
  raisedBy: r.raised_by,
  amountFen: Number(r.amount_fen),
  summary: r.summary,
  createdAt: iso(r.created_at),
});

/**
 * 审批 待处理: everything waiting for this manager in one list — credit-limit requests, approval requests
 * (void/refund, large discounts, package transfers), open disputes and shop after-sales (售后) waiting for a
 * decision. Counts are over everything waiting; the list shows the first 200 in the asked order.
 */
export async function managerInbox(db: Database, who: StaffPrincipal, query: ManagerInboxQuery): Promise<ManagerInbox> {
  const rows = await queryRows<Row>(db, sql`select * from (${await inboxItems(db, who, 'waiting')}) w`);
  const counts = {
    credit_limit: 0,
    void_refund: 0,
    discount: 0,
    package_transfer: 0,
    dispute: 0,
    after_sale: 0,
    total: rows.length,
  };
  for (const r of rows) counts[r.kind]++;
  const at = (r: Row) => new Date(r.created_at).getTime();
  const oldest = rows.reduce<Row | null>((o, r) => (!o || at(r) < at(o) ? r : o), null);
  const items = rows
    .filter((r) => !query.kind || r.kind === query.kind)
    .sort((x, y) => (query.order === 'oldest' ? at(x) - at(y) : at(y) - at(x)) || x.id.localeCompare(y.id))
    .slice(0, 200)
    .map(asItem);
  return { counts, oldestWaitingAt: oldest ? iso(oldest.created_at) : null, items };
}

/**
 * 审批 已处理: what this manager's inbox held and was decided (by anyone), latest decision first, a page at a
 * time. The cursor carries the decision time to the microsecond so pages neither repeat nor skip an item.
 */
export async function decidedInbox(
  db: Database,
  who: StaffPrincipal,
  query: DecidedInboxQuery,
): Promise<DecidedInboxPage> {
  const [afterAt, afterId] = query.cursor ? query.cursor.split('~') : [];
  const rows = await queryRows<DecidedRow>(
    db,
    sql`select w.*, to_char(w.decided_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '~' || w.id as cursor
          from (${await inboxItems(db, who, 'decided')}) w
         where ${query.kind ? sql`w.kind = ${query.kind}` : sql`true`}
           and ${afterAt ? sql`(w.decided_at, w.id) < (${afterAt}::timestamptz, ${afterId}::uuid)` : sql`true`}
         order by w.decided_at desc, w.id desc
         limit ${query.limit + 1}`,
  );
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((r) => ({
      ...asItem(r),
      decision: r.decision,
      decidedAmountFen: r.decided_amount_fen === null ? null : Number(r.decided_amount_fen),
      decidedBy: r.decided_by,
      note: r.note,
      decidedAt: iso(r.decided_at),
    })),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.cursor ?? null) : null,
  };
}
