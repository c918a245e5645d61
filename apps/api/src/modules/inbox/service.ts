import type { InboxItem, ManagerInbox, ManagerInboxQuery } from '@lumi/shared';
import { sql } from 'drizzle-orm';
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

/**
 * 审批: everything waiting for this manager in one list — credit-limit requests (the salon's; limits are per
 * customer, not per store), approval requests (void/refund, large discounts, package transfers), open disputes and shop after-sales (售后)
 * waiting for a decision, of the stores they manage (an owner: every store). Counts are over everything waiting; the list shows the first 200 in the asked order.
 */
export async function managerInbox(db: Database, who: StaffPrincipal, query: ManagerInboxQuery): Promise<ManagerInbox> {
  const stores = `{${(await managedStores(db, who)).join(',')}}`;
  const waiting = sql`
    select 'credit_limit' as kind, r.id, r.customer_id, c.name as customer_name, s.name as raised_by,
           r.requested_limit_fen as amount_fen, r.reason as summary, r.created_at
      from credit_limit_requests r join customers c on c.id = r.customer_id join staff s on s.id = r.requested_by
     where r.tenant_id = ${who.tenantId} and r.status = 'pending'
    union all
    select case when a.kind in ('void', 'refund') then 'void_refund' else a.kind end, a.id, a.customer_id, c.name,
           s.name, a.amount_fen,
           (case a.kind when 'void' then '撤销 ' || b.number when 'refund' then '退款 ' || b.number
                        when 'discount' then '折扣 ' || st.name else '转卡 ' || pc.name || ' → ' || coalesce(tc.name, '顾客') end)
             || '：' || a.reason,
           a.created_at
      from approval_requests a left join bills b on b.id = a.bill_id join customers c on c.id = a.customer_id
      join staff s on s.id = a.requested_by join stores st on st.id = a.store_id
      left join package_cards pc on pc.id = (a.details->>'packageCardId')::uuid
      left join customers tc on tc.id = (a.details->>'toCustomerId')::uuid
     where a.tenant_id = ${who.tenantId} and a.status = 'pending' and a.store_id = any(${stores}::uuid[])
    union all
    select 'dispute', d.id, d.customer_id, c.name, c.name, b.total_fen, b.number || '：' || d.reason, d.created_at
      from disputes d join bills b on b.id = d.bill_id join customers c on c.id = d.customer_id
     where d.tenant_id = ${who.tenantId} and d.status = 'open' and b.store_id = any(${stores}::uuid[])
    union all
    select 'after_sale', a.id, a.customer_id, c.name, c.name, a.amount_fen, o.number || '：' || a.reason, a.created_at
      from shop_after_sales a join shop_orders o on o.tenant_id = a.tenant_id and o.id = a.order_id
      join customers c on c.id = a.customer_id
     where a.tenant_id = ${who.tenantId} and a.status = 'requested' and o.store_id = any(${stores}::uuid[])`;
  const rows = await queryRows<Row>(db, sql`select * from (${waiting}) w`);
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
    .map((r) => ({
      kind: r.kind,
      id: r.id,
      customerId: r.customer_id,
      customerName: r.customer_name,
      raisedBy: r.raised_by,
      amountFen: Number(r.amount_fen),
      summary: r.summary,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  return { counts, oldestWaitingAt: oldest ? new Date(oldest.created_at).toISOString() : null, items };
}
