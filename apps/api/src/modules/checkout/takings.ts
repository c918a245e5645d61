import type { Takings, TakingsTender } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';

/**
 * Which house accounts are money taken, per tender. WeChat money given back sits in refunds_pending until WeChat
 * pays it out; counting both accounts as one tender makes that later settlement (one leg on each) add nothing.
 */
const TENDER_OF_ACCOUNT: Record<string, TakingsTender> = {
  cash: 'cash',
  card_clearing: 'card',
  wechat_clearing: 'wechat',
  refunds_pending: 'wechat',
};

/**
 * 交班/日结: the money a store took on one Shanghai business day, read from the ledger — every transfer posted at
 * the store (bills and their refunds, top-ups, card sales, repayments), its legs on the money accounts summed per
 * tender. `staffId` narrows it to what one staff member took (a beautician's own handover).
 */
export async function storeTakings(
  db: Database,
  tenantId: string,
  storeId: string,
  date: string,
  staffId?: string,
): Promise<Takings> {
  const rows = await queryRows<{
    transfer_id: string;
    at: Date | string;
    kind: string;
    staff_id: string | null;
    staff_name: string | null;
    customer_name: string | null;
    reference_type: string | null;
    reference_id: string | null;
    bill_number: string | null;
    account_kind: string;
    amount: string;
  }>(
    db,
    sql`select t.id as transfer_id, t.created_at as at, t.kind, t.staff_id, s.name as staff_name,
               cu.name as customer_name, t.reference_type, t.reference_id, b.number as bill_number,
               a.kind as account_kind, sum(e.amount) as amount
        from transfers t
        join entries e on e.transfer_id = t.id
        join accounts a on a.id = e.account_id
        left join staff s on s.id = t.staff_id
        left join customers cu on cu.id = t.customer_id
        left join bills b on t.reference_type = 'bill' and b.id::text = t.reference_id
        where t.tenant_id = ${tenantId} and t.store_id = ${storeId}
          and a.owner <> 'customer' and a.kind in ${Object.keys(TENDER_OF_ACCOUNT)}
          and t.created_at >= (${date}::date::timestamp at time zone 'Asia/Shanghai')
          and t.created_at < ((${date}::date + 1)::timestamp at time zone 'Asia/Shanghai')
          ${staffId ? sql`and t.staff_id = ${staffId}` : sql``}
        group by t.id, s.name, cu.name, b.number, a.kind
        order by t.created_at desc, t.id desc`,
  );
  const items = new Map<number, Takings['items'][number]>();
  for (const row of rows) {
    const id = Number(row.transfer_id);
    const tender = TENDER_OF_ACCOUNT[row.account_kind];
    if (!tender) continue;
    let item = items.get(id);
    if (!item) {
      const isBill = row.reference_type === 'bill' && row.reference_id !== null;
      item = {
        transferId: id,
        at: new Date(row.at).toISOString(),
        kind: row.kind,
        staffId: row.staff_id,
        staffName: row.staff_name,
        customerName: row.customer_name,
        billId: isBill ? row.reference_id : null,
        billNumber: row.bill_number,
        tenders: { cash: 0, card: 0, wechat: 0 },
        totalFen: 0,
      };
      items.set(id, item);
    }
    item.tenders[tender] += Number(row.amount);
    item.totalFen += Number(row.amount);
  }
  // A transfer whose money legs cancel out (WeChat paying a refund out) took nothing that day.
  const list = [...items.values()].filter(
    (i) => i.tenders.cash !== 0 || i.tenders.card !== 0 || i.tenders.wechat !== 0,
  );
  const byTender = { cash: 0, card: 0, wechat: 0 };
  const byStaff = new Map<string, Takings['byStaff'][number]>();
  for (const item of list) {
    byTender.cash += item.tenders.cash;
    byTender.card += item.tenders.card;
    byTender.wechat += item.tenders.wechat;
    const key = item.staffId ?? '';
    const staff = byStaff.get(key) ?? { staffId: item.staffId, name: item.staffName, totalFen: 0, count: 0 };
    staff.totalFen += item.totalFen;
    staff.count += 1;
    byStaff.set(key, staff);
  }
  return {
    storeId,
    date,
    scope: staffId ? 'own' : 'store',
    totalFen: byTender.cash + byTender.card + byTender.wechat,
    byTender,
    byStaff: [...byStaff.values()].sort((a, b) => b.totalFen - a.totalFen),
    items: list,
  };
}
