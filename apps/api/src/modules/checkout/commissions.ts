import { allocateProportionally, runningShare } from '@lumi/shared';
import { and, eq, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { inTransactionOnce, knownInTransaction } from '../../db/transaction-memo.ts';
import { historyNow } from '../ledger/index.ts';
import type { BillRow } from './read-bill.ts';
import { commissionRules, commissions } from './tables.ts';

export type CommissionRule = typeof commissionRules.$inferSelect;
type Rule = CommissionRule;
const rulesKey = (tenantId: string) => `commission-rules:${tenantId}`;

/** Hands this transaction the tenant's commission rules, read with another statement (the locked bill). */
export function commissionRulesRead(tx: Database, tenantId: string, rules: CommissionRule[]): void {
  knownInTransaction(tx, rulesKey(tenantId), rules);
}
interface LineForCommission {
  id: string;
  type: 'service' | 'product' | 'package_session';
  serviceId: string | null;
  productId: string | null;
  quantity: number;
  amountFen: number;
  performerIds: string[];
}

/** The most specific rule wins: item and role, then item, then line type and role, then line type. */
function ruleFor(rules: Rule[], line: LineForCommission, role: string): Rule | undefined {
  const item = line.serviceId ?? line.productId;
  const candidates = rules.filter(
    (r) => r.lineType === line.type && (r.itemId === null || r.itemId === item) && (r.role === null || r.role === role),
  );
  return candidates.sort(
    (a, b) =>
      Number(b.itemId !== null) * 2 +
      Number(b.role !== null) -
      (Number(a.itemId !== null) * 2 + Number(a.role !== null)),
  )[0];
}

/**
 * 提成 on a settled bill: per line, by the tenant's rule — basis points of the line's amount after discounts,
 * or a fixed fen per unit (per session). Several performers share a line evenly, to the fen.
 */
export async function recordCommissions(tx: Database, bill: BillRow, lines: LineForCommission[]): Promise<void> {
  const rules = await inTransactionOnce(tx, rulesKey(bill.tenantId), () =>
    tx.select().from(commissionRules).where(eq(commissionRules.tenantId, bill.tenantId)),
  );
  if (rules.length === 0) return;
  const performers = [...new Set(lines.flatMap((l) => l.performerIds))];
  const roles = performers.length
    ? await queryRows<{ id: string; role: string }>(
        tx,
        sql`select id, role from staff where tenant_id = ${bill.tenantId} and id in ${performers}`,
      )
    : [];
  const rows: (typeof commissions.$inferInsert)[] = [];
  for (const line of lines) {
    if (line.performerIds.length === 0) continue;
    // Performers share a line equally; each earns by the rule for their own role on their share.
    const ones = line.performerIds.map(() => 1);
    const amountShares = allocateProportionally(line.amountFen, ones);
    line.performerIds.forEach((staffId, i) => {
      const role = roles.find((r) => r.id === staffId)?.role ?? 'beautician';
      const rule = ruleFor(rules, line, role);
      if (!rule) return;
      const amount =
        rule.kind === 'percent'
          ? Math.floor(((amountShares[i] ?? 0) * rule.value) / 10_000)
          : (allocateProportionally(rule.value * line.quantity, ones)[i] ?? 0);
      if (amount > 0)
        rows.push({
          tenantId: bill.tenantId,
          billId: bill.id,
          lineId: line.id,
          staffId,
          amountFen: amount,
          createdAt: historyNow(),
        });
    });
  }
  if (rows.length > 0) await tx.insert(commissions).values(rows);
}

/**
 * Takes back the share of a line's commission that a refund of it undoes, as negative rows (so every total stays
 * a plain sum): `now` more of `base` (money or units) refunded after `before`. Refunding the whole line in any
 * number of steps takes back exactly what was earned.
 */
export async function reverseLineCommissions(
  tx: Database,
  line: { tenantId: string; billId: string; lineId: string },
  share: { base: number; before: number; now: number },
): Promise<void> {
  if (share.now === 0 || share.base === 0) return;
  const earned = await tx
    .select({ staffId: commissions.staffId, amountFen: sql<string>`sum(${commissions.amountFen})` })
    .from(commissions)
    .where(
      and(
        eq(commissions.tenantId, line.tenantId),
        eq(commissions.billId, line.billId),
        eq(commissions.lineId, line.lineId),
        eq(commissions.reversal, false),
      ),
    )
    .groupBy(commissions.staffId);
  const rows = earned
    .map((e) => ({
      ...line,
      staffId: e.staffId,
      amountFen: -runningShare(Number(e.amountFen), share.base, share.before, share.now),
      reversal: true,
      createdAt: historyNow(),
    }))
    .filter((r) => r.amountFen !== 0);
  if (rows.length > 0) await tx.insert(commissions).values(rows);
}

/** Commission totals per staff member over Shanghai business days; `staffId` narrows to one person. */
export async function commissionSummary(db: Database, tenantId: string, from: string, to: string, staffId?: string) {
  const rows = await queryRows<{ staff_id: string; name: string; amount: number; lines: number }>(
    db,
    sql`select c.staff_id, s.name, sum(c.amount_fen) as amount, count(*) filter (where not c.reversal) - count(*) filter (where c.reversal) as lines
        from commissions c join staff s on s.id = c.staff_id
        where c.tenant_id = ${tenantId}
          and c.created_at >= (${from}::date::timestamp at time zone 'Asia/Shanghai')
          and c.created_at < ((${to}::date + 1)::timestamp at time zone 'Asia/Shanghai')
          ${staffId ? sql`and c.staff_id = ${staffId}` : sql``}
        group by c.staff_id, s.name order by amount desc`,
  );
  return {
    from,
    to,
    staff: rows.map((r) => ({
      staffId: r.staff_id,
      name: r.name,
      amountFen: Number(r.amount),
      lines: Number(r.lines),
    })),
  };
}
