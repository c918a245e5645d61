import type { CustomerValue } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { creditSummary } from '../credit/index.ts';
import { getWallet, shanghaiDate } from '../ledger/index.ts';
import { catalogueItems, itemLines } from './preferences.ts';
import { customerRfm } from './rfm.ts';
import { paidTransfers, spendRows } from './spend.ts';
import { ratio } from './uplift.ts';
import { customerTier } from './tiers.ts';

/**
 * Customer value analysis (客户价值分析) for staff: lifetime spend and visits (the RFM definitions, all time),
 * visit cadence and the expected next visit, favourite items, balances and credit from the ledger's wallet,
 * churn risk and a few recommendations.
 *
 * Cadence is over visit days (Shanghai): with d distinct days from first to last, the average interval is
 * ⌊(last − first) / (d − 1)⌋ days and the next visit is expected that many days after the last. Churn risk
 * compares the days since the last visit with that interval: within it low, within twice it medium, beyond
 * high; fewer than two visit days give "unknown".
 */

const DAY_MS = 86_400_000;
const dayNumber = (isoDate: string) => Math.round(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Credit behaviour from the credit module (its owed amount is the ledger's receivable, as in the wallet). */
async function creditBehaviour(db: Database, tenantId: string, customerId: string, now: Date) {
  const credit = await creditSummary(db, tenantId, customerId, now);
  return {
    owedFen: credit.owedFen,
    limitFen: credit.limitFen,
    overdueFen: credit.overdueFen,
    frozen: credit.status === 'frozen',
  };
}

export async function customerValue(
  db: Database,
  tenantId: string,
  customerId: string,
  now: Date,
): Promise<CustomerValue> {
  const [customer] = await queryRows<{ name: string | null }>(
    db,
    sql`select name from customers where tenant_id = ${tenantId} and id = ${customerId}`,
  );
  if (!customer) throw new AppError('CUSTOMER_NOT_FOUND', 'Customer not found');
  const until = now.toISOString();

  const [totals] = await queryRows<{
    visits: number;
    first_at: Date | string | null;
    last_at: Date | string | null;
    spend: string | number | null;
  }>(
    db,
    sql`select (select count(*) from ${paidTransfers(tenantId, until, customerId)} p)::int as visits,
               (select min(p.created_at) from ${paidTransfers(tenantId, until, customerId)} p) as first_at,
               (select max(p.created_at) from ${paidTransfers(tenantId, until, customerId)} p) as last_at,
               (select sum(s.amount_fen) from ${spendRows(tenantId, null, until, customerId)} s) as spend`,
  );
  const days = await queryRows<{ day: string }>(
    db,
    sql`select distinct to_char(p.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day
        from ${paidTransfers(tenantId, until, customerId)} p order by 1`,
  );
  const visits = Number(totals?.visits ?? 0);
  const lifetime = Number(totals?.spend ?? 0);
  const today = dayNumber(shanghaiDate(now));
  const visitDays = days.map((d) => dayNumber(d.day));
  const first = visitDays[0];
  const last = visitDays.at(-1);
  const interval =
    first !== undefined && last !== undefined && visitDays.length >= 2
      ? Math.max(1, Math.floor((last - first) / (visitDays.length - 1)))
      : null;
  const daysSince = last === undefined ? null : today - last;
  const expected = interval !== null && last !== undefined ? last + interval : null;
  const churnRisk =
    interval === null || daysSince === null
      ? 'unknown'
      : daysSince <= interval
        ? 'low'
        : daysSince <= 2 * interval
          ? 'medium'
          : 'high';

  const favourites = await queryRows<{
    name: string;
    item_type: string | null;
    category: string | null;
    quantity: number;
    amount_fen: string | number;
    last_at: Date | string;
  }>(
    db,
    sql`select l.name, min(c.item_type) as item_type, min(c.category) as category, sum(l.quantity)::int as quantity,
               sum(l.amount_fen) as amount_fen, max(l.created_at) as last_at
        from ${itemLines(tenantId, until, customerId)} l
        left join ${catalogueItems(tenantId)} c on c.name = l.name
        group by l.name order by sum(l.quantity) desc, sum(l.amount_fen) desc, l.name limit 5`,
  );

  const wallet = await getWallet(db, tenantId, customerId, now, { verify: false });
  const owned = new Set(
    (
      await queryRows<{ name: string }>(
        db,
        sql`select distinct l.name from ${itemLines(tenantId, until, customerId)} l`,
      )
    ).map((r) => r.name),
  );

  // Customers who bought X often took Y: the best-supported items this customer has not had yet.
  const affinities = await queryRows<{
    item_a: string;
    item_b: string;
    both: number;
    base: number;
    item_type: string | null;
    category: string | null;
  }>(
    db,
    sql`select a.item_a, a.item_b, a.customers_both as both, a.customers_a as base, c.item_type, c.category
        from item_affinities a left join ${catalogueItems(tenantId)} c on c.name = a.item_b
        where a.tenant_id = ${tenantId}
          and a.item_a in (select distinct l.name from ${itemLines(tenantId, until, customerId)} l)
          and a.item_b not in (select distinct l.name from ${itemLines(tenantId, until, customerId)} l)
          and a.customers_both >= 2
        order by a.customers_both::numeric / a.customers_a desc, a.customers_both desc, a.item_b
        limit 20`,
  );
  const recommendations: CustomerValue['recommendations'] = [];
  for (const a of affinities) {
    if (recommendations.length >= 3) break;
    if (owned.has(a.item_b) || recommendations.some((r) => r.name === a.item_b)) continue;
    recommendations.push({
      name: a.item_b,
      type: a.item_type === 'service' || a.item_type === 'product' ? a.item_type : 'other',
      category: a.category,
      reason: `做过「${a.item_a}」的顾客中，${a.both}/${a.base} 位也选择了「${a.item_b}」`,
      support: ratio(Number(a.both), Number(a.base)),
      basedOn: a.item_a,
    });
  }
  if (recommendations.length < 2) {
    // Too little co-occurrence data: the most popular services in the customer's favourite category.
    const popular = await queryRows<{ item_name: string; item_type: string; category: string | null; buyers: number }>(
      db,
      sql`select s.item_name, min(s.item_type) as item_type, min(s.category) as category, count(*)::int as buyers
          from customer_item_stats s
          where s.tenant_id = ${tenantId} and s.item_type in ('service', 'product')
            and s.category = (select p.preferred_category from customer_preferences p
                              where p.tenant_id = ${tenantId} and p.customer_id = ${customerId})
          group by s.item_name order by count(*) desc, s.item_name limit 10`,
    );
    for (const p of popular) {
      if (recommendations.length >= 3) break;
      if (owned.has(p.item_name) || recommendations.some((r) => r.name === p.item_name)) continue;
      recommendations.push({
        name: p.item_name,
        type: p.item_type === 'service' || p.item_type === 'product' ? p.item_type : 'other',
        category: p.category,
        reason: `「${p.category ?? ''}」是您常选的类别，这是其中 ${p.buyers} 位顾客选过的热门项目`,
        support: null,
        basedOn: null,
      });
    }
  }

  return {
    customerId,
    name: customer.name,
    lifetimeSpendFen: lifetime,
    paidVisits: visits,
    averageTicketFen: visits === 0 ? null : Math.floor(lifetime / visits),
    firstVisitAt: totals?.first_at ? new Date(totals.first_at).toISOString() : null,
    lastVisitAt: totals?.last_at ? new Date(totals.last_at).toISOString() : null,
    cadence: {
      averageIntervalDays: interval,
      daysSinceLastVisit: daysSince,
      expectedNextVisitOn: expected === null ? null : dateOf(expected),
      overdueDays: expected === null ? null : Math.max(0, today - expected),
    },
    churnRisk,
    favourites: favourites.map((f) => ({
      name: f.name,
      type: f.item_type === 'service' || f.item_type === 'product' || f.item_type === 'package' ? f.item_type : 'other',
      category: f.category,
      quantity: Number(f.quantity),
      amountFen: Number(f.amount_fen),
      lastAt: new Date(f.last_at).toISOString(),
    })),
    balances: {
      principalFen: wallet.principalFen,
      bonusFen: wallet.bonusFen,
      points: wallet.points,
      packageCards: wallet.packageCards
        .filter((c) => !c.expired && c.sessionsLeft > 0)
        .map((c) => ({ id: c.id, name: c.name, sessionsLeft: c.sessionsLeft, expiresOn: c.expiresOn })),
    },
    credit: await creditBehaviour(db, tenantId, customerId, now),
    rfm: await customerRfm(db, tenantId, customerId, now),
    tier: await customerTier(db, tenantId, customerId),
    recommendations,
  };
}
