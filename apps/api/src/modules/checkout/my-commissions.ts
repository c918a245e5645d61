import type { MyCommissions } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';

/** A month of a busy beautician is a few hundred lines; the day totals are always complete. */
const LINES_LIMIT = 500;

const range = (from: string, to: string) =>
  sql`c.created_at >= (${from}::date::timestamp at time zone 'Asia/Shanghai')
      and c.created_at < ((${to}::date + 1)::timestamp at time zone 'Asia/Shanghai')`;

/** 我的业绩: one staff member's own commissions per Shanghai day, and the bill lines they came from. */
export async function myCommissions(
  db: Database,
  tenantId: string,
  staffId: string,
  from: string,
  to: string,
): Promise<MyCommissions> {
  const days = await queryRows<{ day: string; amount: string; lines: string }>(
    db,
    sql`select to_char(c.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day,
               sum(c.amount_fen) as amount,
               count(*) filter (where not c.reversal) - count(*) filter (where c.reversal) as lines
        from commissions c
        where c.tenant_id = ${tenantId} and c.staff_id = ${staffId} and ${range(from, to)}
        group by day order by day desc`,
  );
  const lines = await queryRows<{
    day: string;
    at: Date | string;
    bill_id: string;
    number: string;
    customer_name: string | null;
    item: string;
    amount_fen: string;
    reversal: boolean;
  }>(
    db,
    sql`select to_char(c.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day, c.created_at as at,
               c.bill_id, b.number, cu.name as customer_name, l.name as item, c.amount_fen, c.reversal
        from commissions c
        join bills b on b.id = c.bill_id
        join bill_lines l on l.id = c.line_id
        left join customers cu on cu.id = b.customer_id
        where c.tenant_id = ${tenantId} and c.staff_id = ${staffId} and ${range(from, to)}
        order by c.created_at desc, c.id desc
        limit ${LINES_LIMIT + 1}`,
  );
  return {
    from,
    to,
    totalFen: days.reduce((sum, d) => sum + Number(d.amount), 0),
    days: days.map((d) => ({ date: d.day, amountFen: Number(d.amount), lines: Number(d.lines) })),
    lines: lines.slice(0, LINES_LIMIT).map((l) => ({
      date: l.day,
      at: new Date(l.at).toISOString(),
      billId: l.bill_id,
      billNumber: l.number,
      customerName: l.customer_name,
      item: l.item,
      amountFen: Number(l.amount_fen),
      reversal: l.reversal,
    })),
    linesTruncated: lines.length > LINES_LIMIT,
  };
}
