import type { Takings, TakingsTender, TakingsUsage } from '@lumi/shared';
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

/** Postings in which stored value is consumed (or given back by a refund) at the counter. */
const STORED_VALUE_USE = new Set([
  'bill',
  'bill_refund',
  'spend',
  'package_sale',
  'credit_repayment',
  'shop_order',
  'shop_refund',
]);
const SESSION_USE = new Set(['bill', 'bill_refund', 'package_consumption']);
const CREDIT_SOLD = new Set(['bill', 'bill_refund', 'credit_sale']);
const CUSTOMER_KINDS = ['stored_principal', 'stored_bonus', 'package_sessions', 'points', 'credit_receivable'];

const noUsage = (): TakingsUsage => ({
  principalFen: 0,
  bonusFen: 0,
  sessions: 0,
  points: 0,
  creditFen: 0,
  topUpFen: 0,
  topUpBonusFen: 0,
});

/**
 * What one transfer's legs on a customer account say it consumed. Customer accounts are credit-normal (debit +
 * = out of her hands) except the receivable (debit + = she owes more). `debits`/`credits` are the entries' sums
 * by sign, so a bill's points redeemed (debit) and points earned (credit) on one account stay apart.
 */
function addUsage(usage: TakingsUsage, kind: string, account: string, debits: number, credits: number): void {
  const net = debits + credits;
  if (account === 'stored_principal') {
    if (kind === 'top_up') usage.topUpFen -= net;
    else if (STORED_VALUE_USE.has(kind)) usage.principalFen += net;
  } else if (account === 'stored_bonus') {
    if (kind === 'top_up') usage.topUpBonusFen -= net;
    else if (STORED_VALUE_USE.has(kind)) usage.bonusFen += net;
  } else if (account === 'package_sessions') {
    if (SESSION_USE.has(kind)) usage.sessions += net;
  } else if (account === 'points') {
    // Redeemed points leave her hands on a bill; a refund gives them back (and takes back what it earned).
    if (kind === 'bill' || kind === 'points_redemption') usage.points += debits;
    else if (kind === 'bill_refund') usage.points += credits;
  } else if (account === 'credit_receivable' && CREDIT_SOLD.has(kind)) {
    usage.creditFen += net;
  }
}

const hasUsage = (usage: TakingsUsage) => Object.values(usage).some((v) => v !== 0);

function sumUsage(into: TakingsUsage, add: TakingsUsage): void {
  for (const key of Object.keys(into) as (keyof TakingsUsage)[]) into[key] += add[key];
}

/**
 * 交班/日结: the money a store took on one Shanghai business day, read from the ledger — every transfer posted at
 * the store (bills and their refunds, top-ups, card sales, repayments), its legs on the money accounts summed per
 * tender — and what the day consumed that is not money (its legs on customers' accounts: `usage`). `staffId` narrows it to what one staff member took (a beautician's own handover).
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
    customer_account: boolean;
    debits: string;
    credits: string;
  }>(
    db,
    sql`select t.id as transfer_id, t.created_at as at, t.kind, t.staff_id, s.name as staff_name,
               cu.name as customer_name, t.reference_type, t.reference_id, b.number as bill_number,
               a.kind as account_kind, a.owner = 'customer' as customer_account,
               sum(greatest(e.amount, 0)) as debits, sum(least(e.amount, 0)) as credits
        from transfers t
        join entries e on e.transfer_id = t.id
        join accounts a on a.id = e.account_id
        left join staff s on s.id = t.staff_id
        left join customers cu on cu.id = t.customer_id
        left join bills b on t.reference_type = 'bill' and b.id::text = t.reference_id
        where t.tenant_id = ${tenantId} and t.store_id = ${storeId}
          and ((a.owner <> 'customer' and a.kind in ${Object.keys(TENDER_OF_ACCOUNT)})
               or (a.owner = 'customer' and a.kind in ${CUSTOMER_KINDS}))
          and t.created_at >= (${date}::date::timestamp at time zone 'Asia/Shanghai')
          and t.created_at < ((${date}::date + 1)::timestamp at time zone 'Asia/Shanghai')
          ${staffId ? sql`and t.staff_id = ${staffId}` : sql``}
        group by t.id, s.name, cu.name, b.number, a.kind, a.owner
        order by t.created_at desc, t.id desc`,
  );
  const items = new Map<number, Takings['items'][number]>();
  for (const row of rows) {
    const id = Number(row.transfer_id);
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
        usage: noUsage(),
      };
      items.set(id, item);
    }
    const debits = Number(row.debits);
    const credits = Number(row.credits);
    if (row.customer_account) {
      addUsage(item.usage, row.kind, row.account_kind, debits, credits);
      continue;
    }
    const tender = TENDER_OF_ACCOUNT[row.account_kind];
    if (!tender) continue;
    item.tenders[tender] += debits + credits;
    item.totalFen += debits + credits;
  }
  // A transfer whose money legs cancel out (WeChat paying a refund out) and that consumed nothing took nothing.
  const list = [...items.values()].filter(
    (i) => i.tenders.cash !== 0 || i.tenders.card !== 0 || i.tenders.wechat !== 0 || hasUsage(i.usage),
  );
  const usage = noUsage();
  const byTender = { cash: 0, card: 0, wechat: 0 };
  const byStaff = new Map<string, Takings['byStaff'][number]>();
  for (const item of list) {
    byTender.cash += item.tenders.cash;
    byTender.card += item.tenders.card;
    byTender.wechat += item.tenders.wechat;
    const key = item.staffId ?? '';
    const staff = byStaff.get(key) ?? {
      staffId: item.staffId,
      name: item.staffName,
      totalFen: 0,
      count: 0,
      usage: noUsage(),
    };
    staff.totalFen += item.totalFen;
    staff.count += 1;
    sumUsage(staff.usage, item.usage);
    sumUsage(usage, item.usage);
    byStaff.set(key, staff);
  }
  return {
    storeId,
    date,
    scope: staffId ? 'own' : 'store',
    totalFen: byTender.cash + byTender.card + byTender.wechat,
    byTender,
    byStaff: [...byStaff.values()].sort((a, b) => b.totalFen - a.totalFen),
    usage,
    items: list,
  };
}
