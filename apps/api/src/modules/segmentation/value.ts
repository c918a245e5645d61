import type { CustomerValue } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { creditSummary } from '../credit/index.ts';
import { getWallet, shanghaiDate } from '../ledger/index.ts';
import { catalogueItems, itemLines, keptItems } from './preferences.ts';
import { customerRfm } from './rfm.ts';
import { averageInterval, type ChurnRisk, churnRisk, shanghaiDay } from './cadence.ts';
import { paidTransfers, spendRows } from './spend.ts';
import { ratio } from './uplift.ts';
import { customerTier } from './tiers.ts';

/**
 * Customer value analysis (客户价值分析) for staff: lifetime spend and visits (the RFM definitions, all time),
 * visit cadence and the expected next visit, favourite items, balances and credit from the ledger's wallet,
 * churn risk and a few recommendations.
 *
 * Cadence and churn risk are cadence.ts's (the same SQL the RFM segments use): the next visit is expected one
 * average interval after the last, and she is overdue by the days past that.
 */

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
    // A customer merged into another is retired: her visits and spend are her survivor's (spend.ts).
    sql`select name from customers where tenant_id = ${tenantId} and id = ${customerId} and merged_into_id is null`,
  );
  if (!customer) throw new AppError('CUSTOMER_NOT_FOUND', 'Customer not found');
  const until = now.toISOString();

  const today = sql`${shanghaiDate(now)}::date`;
  const [totals] = await queryRows<{
    visits: number;
    first_at: Date | string | null;
    last_at: Date | string | null;
    spend: string | number | null;
    days_since: number | null;
    avg_interval: number | null;
    expected: string | null;
    overdue: number | null;
    churn_risk: ChurnRisk;
  }>(
    db,
    sql`with v as ${paidTransfers(tenantId, until, customerId)},
        days as (select count(distinct ${shanghaiDay(sql`v.created_at`)})::int as n,
                        min(${shanghaiDay(sql`v.created_at`)}) as first_day,
                        max(${shanghaiDay(sql`v.created_at`)}) as last_day from v),
        rhythm as (select days.*, ${averageInterval(sql`first_day`, sql`last_day`, sql`n`)} as avg_interval,
                          ${today} - last_day as days_since from days)
        select (select count(*) from v)::int as visits, (select min(created_at) from v) as first_at,
               (select max(created_at) from v) as last_at,
               (select sum(s.amount_fen) from ${spendRows(tenantId, null, until, customerId)} s) as spend,
               days_since, avg_interval, to_char(last_day + avg_interval, 'YYYY-MM-DD') as expected,
               ${today} - (last_day + avg_interval) as overdue,
               ${churnRisk(sql`days_since`, sql`avg_interval`)} as churn_risk
        from rhythm`,
  );
  const visits = Number(totals?.visits ?? 0);
  const lifetime = Number(totals?.spend ?? 0);
  const interval = totals?.avg_interval == null ? null : Number(totals.avg_interval);
  const daysSince = totals?.days_since == null ? null : Number(totals.days_since);
  const churn = totals?.churn_risk ?? 'unknown';

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
        group by l.name ${keptItems} order by sum(l.quantity) desc, sum(l.amount_fen) desc, l.name limit 5`,
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
      expectedNextVisitOn: totals?.expected ?? null,
      overdueDays: totals?.overdue == null ? null : Math.max(0, Number(totals.overdue)),
    },
    churnRisk: churn,
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
