import type { ManagerReport, ManagerReportQuery, ReportTenderMethod } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { managedStores } from '../checkout/index.ts';
import { customerLiabilities } from './liabilities.ts';

const METHODS: ReportTenderMethod[] = ['stored_value', 'points', 'cash', 'card', 'wechat', 'credit'];

/** The Shanghai calendar date of an instant. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** First and last Shanghai day of the period, and every day in it. */
export function periodDays(period: 'day' | 'month', date: string): string[] {
  if (period === 'day') return [date];
  const [y, m] = date.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: last }, (_, i) => `${date.slice(0, 8)}${String(i + 1).padStart(2, '0')}`);
}

interface Net {
  salesFen: number;
  refundsFen: number;
}
const net = (n: Net) => ({ ...n, netFen: n.salesFen - n.refundsFen });

type BillTender = { method: ReportTenderMethod; amountFen?: number };

/** What each tender paid of a bill: points carry no fen in the request, so they are worth the rest of the total. */
export function tenderAmounts(totalFen: number, tenders: BillTender[]): Map<ReportTenderMethod, number> {
  const out = new Map<ReportTenderMethod, number>();
  let money = 0;
  for (const t of tenders) {
    if (t.method === 'points') continue;
    out.set(t.method, (out.get(t.method) ?? 0) + (t.amountFen ?? 0));
    money += t.amountFen ?? 0;
  }
  if (tenders.some((t) => t.method === 'points')) out.set('points', totalFen - money);
  return out;
}

/**
 * 报表: sales of bills settled in the period (by the day they settled) less refunds and voids made in it (by the
 * day they were made), per tender, store and day; top-ups and the bonus they gave; what the salon owes its
 * customers now; commissions earned; WeChat Pay reconciliation mismatches found for its days. A manager sees the
 * stores they manage, an owner every store; online top-ups (no store) count only in an owner's salon-wide view.
 */
export async function managerReport(
  db: Database,
  who: StaffPrincipal,
  query: ManagerReportQuery,
  now: Date,
): Promise<ManagerReport> {
  const managed = await managedStores(db, who);
  if (query.storeId && !managed.includes(query.storeId)) {
    throw new AppError('FORBIDDEN', 'You do not manage this store', [
      { field: 'querystring.storeId', message: 'not one of your stores' },
    ]);
  }
  const storeIds = query.storeId ? [query.storeId] : managed;
  const stores = `{${storeIds.join(',')}}`;
  const salonWide = who.role === 'owner' && !query.storeId;
  const days = periodDays(query.period, query.date ?? shanghaiDate(now));
  const from = days[0] as string;
  const to = days[days.length - 1] as string;
  const start = sql`(${from}::date::timestamp at time zone 'Asia/Shanghai')`;
  const end = sql`((${to}::date + 1)::timestamp at time zone 'Asia/Shanghai')`;
  const day = (column: ReturnType<typeof sql>) => sql`to_char(${column} at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`;

  const sales = await queryRows<{ store_id: string; day: string; total_fen: number | string; tenders: BillTender[] }>(
    db,
    sql`select b.store_id, ${day(sql`b.settled_at`)} as day, b.total_fen, b.tenders from bills b
        where b.tenant_id = ${who.tenantId} and b.store_id = any(${stores}::uuid[])
          and b.settled_at >= ${start} and b.settled_at < ${end}`,
  );
  const refunds = await queryRows<{
    store_id: string;
    day: string;
    amount_fen: number | string;
    tenders: BillTender[];
  }>(
    db,
    sql`select b.store_id, ${day(sql`r.created_at`)} as day, r.amount_fen, r.tenders
        from bill_refunds r join bills b on b.id = r.bill_id
        where r.tenant_id = ${who.tenantId} and b.store_id = any(${stores}::uuid[])
          and r.created_at >= ${start} and r.created_at < ${end}`,
  );

  const byTender = new Map<ReportTenderMethod, Net>(METHODS.map((m) => [m, { salesFen: 0, refundsFen: 0 }]));
  const byStore = new Map<string, Net>(storeIds.map((s) => [s, { salesFen: 0, refundsFen: 0 }]));
  const byDay = new Map<string, number>(days.map((d) => [d, 0]));
  const total: Net = { salesFen: 0, refundsFen: 0 };
  for (const b of sales) {
    const amount = Number(b.total_fen);
    for (const [method, fen] of tenderAmounts(amount, b.tenders)) (byTender.get(method) as Net).salesFen += fen;
    (byStore.get(b.store_id) as Net).salesFen += amount;
    byDay.set(b.day, (byDay.get(b.day) ?? 0) + amount);
    total.salesFen += amount;
  }
  for (const r of refunds) {
    const amount = Number(r.amount_fen);
    for (const t of r.tenders) (byTender.get(t.method) as Net).refundsFen += t.amountFen ?? 0;
    (byStore.get(r.store_id) as Net).refundsFen += amount;
    byDay.set(r.day, (byDay.get(r.day) ?? 0) - amount);
    total.refundsFen += amount;
  }

  const names = await queryRows<{ id: string; name: string }>(
    db,
    sql`select id, name from stores where tenant_id = ${who.tenantId} and id = any(${stores}::uuid[])`,
  );
  const storeName = new Map(names.map((s) => [s.id, s.name]));
  const inStores = salonWide
    ? sql`(t.store_id = any(${stores}::uuid[]) or t.store_id is null)`
    : sql`t.store_id = any(${stores}::uuid[])`;
  const [topUps] = await queryRows<{ count: number; principal: string; bonus: string; refunded: string }>(
    db,
    sql`select count(distinct t.id) filter (where t.kind = 'top_up')::int as count,
               coalesce(-sum(e.amount) filter (where t.kind = 'top_up' and a.kind = 'stored_principal'), 0) as principal,
               coalesce(-sum(e.amount) filter (where t.kind = 'top_up' and a.kind = 'stored_bonus'), 0) as bonus,
               coalesce(sum(e.amount) filter (where t.kind <> 'top_up' and a.kind = 'stored_principal'), 0) as refunded
        from transfers t join entries e on e.transfer_id = t.id join accounts a on a.id = e.account_id
        where t.tenant_id = ${who.tenantId} and t.kind in ('top_up', 'top_up_refund', 'payment_refund')
          and t.created_at >= ${start} and t.created_at < ${end} and ${inStores}`,
  );
  const commissions = await queryRows<{ staff_id: string; name: string; amount: string; lines: string }>(
    db,
    sql`select c.staff_id, s.name, sum(c.amount_fen) as amount,
               count(*) filter (where not c.reversal) - count(*) filter (where c.reversal) as lines
        from commissions c join staff s on s.id = c.staff_id join bills b on b.id = c.bill_id
        where c.tenant_id = ${who.tenantId} and b.store_id = any(${stores}::uuid[])
          and c.created_at >= ${start} and c.created_at < ${end}
        group by c.staff_id, s.name order by amount desc, c.staff_id`,
  );
  type Day = ManagerReport['reconciliation']['days'][number];
  const checks = await queryRows<{
    business_date: string;
    source: Day['source'];
    bill_problem: Day['billProblem'];
    settlement: Day['settlement'];
    settlement_problem: Day['settlementProblem'];
    mismatches: ManagerReport['reconciliation']['mismatches'];
  }>(
    db,
    sql`select to_char(business_date, 'YYYY-MM-DD') as business_date, source, bill_problem, settlement,
          settlement_problem, mismatches
        from payment_reconciliation_reports
        where tenant_id = ${who.tenantId} and business_date between ${from}::date and ${to}::date
        order by business_date`,
  );

  return {
    period: query.period,
    from,
    to,
    storeIds,
    revenue: { ...net(total), bills: sales.length, refunds: refunds.length },
    byTender: [...byTender].map(([method, n]) => ({ method, ...net(n) })),
    byStore: [...byStore].map(([storeId, n]) => ({ storeId, storeName: storeName.get(storeId) ?? '', ...net(n) })),
    byDay: [...byDay].sort(([a], [b]) => a.localeCompare(b)).map(([date, netFen]) => ({ date, netFen })),
    topUps: {
      count: Number(topUps?.count ?? 0),
      principalFen: Number(topUps?.principal ?? 0),
      bonusFen: Number(topUps?.bonus ?? 0),
      refundedFen: Number(topUps?.refunded ?? 0),
    },
    liabilities: await customerLiabilities(db, who.tenantId),
    commissions: commissions.map((c) => ({
      staffId: c.staff_id,
      name: c.name,
      amountFen: Number(c.amount),
      lines: Number(c.lines),
    })),
    reconciliation: {
      daysChecked: checks.length,
      daysWithBill: checks.filter((c) => c.source === 'bill').length,
      days: checks.map((c) => ({
        date: c.business_date,
        source: c.source,
        billProblem: c.bill_problem,
        settlement: c.settlement,
        settlementProblem: c.settlement_problem,
      })),
      mismatches: checks.flatMap((c) =>
        c.mismatches.map((m) => ({
          date: c.business_date,
          kind: m.kind,
          outTradeNo: m.outTradeNo,
          outRefundNo: m.outRefundNo,
          localAmountFen: m.localAmountFen,
          wechatAmountFen: m.wechatAmountFen,
        })),
      ),
    },
  };
}
