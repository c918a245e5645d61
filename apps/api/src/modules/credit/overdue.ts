import type {
  AgingBuckets,
  AgingReport,
  CollectionBoard,
  CollectionTask,
  CollectionTaskListQuery,
  RecordCollectionOutcomeRequest,
} from '@lumi/shared';
import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { type Database, queryRows, uuidArray } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { customers, getCustomer } from '../customers/index.ts';
import { staff } from '../staff/index.ts';
import { tenants } from '../tenants/index.ts';
import { addDays, daysBetween, shanghaiDay } from './dates.ts';
import { setLineStatus } from './lines.ts';
import { creditSettings } from './settings.ts';
import { collectionTasks, creditItems, creditLines } from './tables.ts';

const MANAGERS = new Set(['manager', 'owner']);

// ── aging ───────────────────────────────────────────────────────────────────────────────────────────────────

export const emptyBuckets = (): AgingBuckets => ({
  notDueFen: 0,
  days1to30Fen: 0,
  days31to60Fen: 0,
  days61to90Fen: 0,
  days90plusFen: 0,
  overdueFen: 0,
  owedFen: 0,
});

/** Adds an outstanding amount to its bucket by days overdue (Shanghai days past the due date). */
export function addToBuckets(b: AgingBuckets, overdueDays: number, amountFen: number): void {
  b.owedFen += amountFen;
  if (overdueDays <= 0) {
    b.notDueFen += amountFen;
    return;
  }
  b.overdueFen += amountFen;
  if (overdueDays <= 30) b.days1to30Fen += amountFen;
  else if (overdueDays <= 60) b.days31to60Fen += amountFen;
  else if (overdueDays <= 90) b.days61to90Fen += amountFen;
  else b.days90plusFen += amountFen;
}

/** 账龄: every customer who owes, with their outstanding items in buckets, and the tenant's totals. */
export async function agingReport(db: Database, tenantId: string, now: Date): Promise<AgingReport> {
  const today = shanghaiDay(now);
  const rows = await db
    .select({
      customerId: creditItems.customerId,
      dueDate: creditItems.dueDate,
      outstanding: sql<string>`${creditItems.amountFen} - ${creditItems.paidFen}`,
      name: customers.name,
      phone: customers.phone,
      limitFen: creditLines.limitFen,
      lineStatus: creditLines.status,
    })
    .from(creditItems)
    .innerJoin(customers, and(eq(customers.tenantId, creditItems.tenantId), eq(customers.id, creditItems.customerId)))
    .leftJoin(
      creditLines,
      and(eq(creditLines.tenantId, creditItems.tenantId), eq(creditLines.customerId, creditItems.customerId)),
    )
    .where(and(eq(creditItems.tenantId, tenantId), eq(creditItems.status, 'open')));
  const totals = emptyBuckets();
  const byCustomer = new Map<string, AgingReport['customers'][number]>();
  for (const r of rows) {
    const amount = Number(r.outstanding);
    if (amount <= 0) continue;
    const overdueDays = daysBetween(r.dueDate, today);
    let entry = byCustomer.get(r.customerId);
    if (!entry) {
      entry = {
        customer: { id: r.customerId, name: r.name, phone: r.phone },
        buckets: emptyBuckets(),
        oldestOverdueDays: 0,
        limitFen: r.limitFen ?? 0,
        lineStatus: r.lineStatus ?? 'active',
      };
      byCustomer.set(r.customerId, entry);
    }
    addToBuckets(entry.buckets, overdueDays, amount);
    addToBuckets(totals, overdueDays, amount);
    entry.oldestOverdueDays = Math.max(entry.oldestOverdueDays, overdueDays);
  }
  const list = [...byCustomer.values()].sort(
    (a, b) =>
      b.buckets.overdueFen - a.buckets.overdueFen ||
      b.oldestOverdueDays - a.oldestOverdueDays ||
      a.customer.id.localeCompare(b.customer.id),
  );
  return { asOf: today, totals, customers: list };
}

// ── the overdue job: automatic freeze and collection tasks ──────────────────────────────────────────────────

export interface OverdueRunResult {
  frozen: number;
  tasksOpened: number;
}

/**
 * The overdue job (pg-boss `credit.overdue`, daily): freezes the line of every customer with an item overdue
 * for the tenant's autoFreezeOverdueDays (audited as a system action; a manager's later unfreeze holds for the
 * items that were already past the threshold then), and opens a collection task for every customer overdue
 * collectionAfterOverdueDays or more who has no open task and none opened in the last collectionFollowUpDays.
 */
export async function runCreditOverdue(
  db: Database,
  deps: { now(): Date },
  options: { tenantId?: string } = {},
): Promise<OverdueRunResult> {
  const result: OverdueRunResult = { frozen: 0, tasksOpened: 0 };
  const tenantRows = options.tenantId
    ? [{ id: options.tenantId }]
    : await db.select({ id: tenants.id }).from(tenants).orderBy(tenants.id);
  for (const { id } of tenantRows) {
    const r = await overdueTenant(db, deps.now(), id);
    result.frozen += r.frozen;
    result.tasksOpened += r.tasksOpened;
  }
  return result;
}

async function overdueTenant(db: Database, now: Date, tenantId: string): Promise<OverdueRunResult> {
  const today = shanghaiDay(now);
  const settings = await creditSettings(db, tenantId);
  const overdue = await db
    .select({ customerId: creditItems.customerId, dueDate: creditItems.dueDate })
    .from(creditItems)
    .where(
      and(
        eq(creditItems.tenantId, tenantId),
        eq(creditItems.status, 'open'),
        sql`${creditItems.dueDate} < ${today}::date`,
      ),
    )
    .orderBy(asc(creditItems.dueDate));
  const dueDates = new Map<string, string[]>();
  for (const o of overdue) dueDates.set(o.customerId, [...(dueDates.get(o.customerId) ?? []), o.dueDate]);
  const result: OverdueRunResult = { frozen: 0, tasksOpened: 0 };
  if (dueDates.size === 0) return result;

  const freezeAfter = settings.autoFreezeOverdueDays;
  if (freezeAfter !== null) {
    const lines = new Map(
      (
        await db
          .select()
          .from(creditLines)
          .where(and(eq(creditLines.tenantId, tenantId), inArray(creditLines.customerId, [...dueDates.keys()])))
      ).map((l) => [l.customerId, l]),
    );
    for (const [customerId, dates] of dueDates) {
      const line = lines.get(customerId);
      if (line?.status === 'frozen') continue;
      const unfrozenDay = line?.unfrozenAt ? shanghaiDay(line.unfrozenAt) : null;
      // Each item crosses the threshold on due + N days; only crossings after a manager's unfreeze count.
      const crossed = dates.filter((d) => {
        const trigger = addDays(d, freezeAfter);
        return trigger <= today && (unfrozenDay === null || trigger > unfrozenDay);
      });
      if (crossed.length === 0) continue;
      const days = daysBetween(crossed[0] as string, today);
      const changed = await db.transaction(async (tx) =>
        setLineStatus(tx, {
          tenantId,
          customerId,
          status: 'frozen',
          actor: { system: true },
          action: 'credit.line_auto_frozen',
          reason: `逾期 ${days} 天，系统自动冻结（阈值 ${freezeAfter} 天）`,
          at: now,
        }),
      );
      if (changed.changed) result.frozen++;
    }
  }

  const planFrom = settings.collectionAfterOverdueDays;
  const due = [...dueDates].filter(([, dates]) => daysBetween(dates[0] as string, today) >= planFrom);
  if (due.length > 0) {
    result.tasksOpened = await db.transaction(async (tx) => {
      // One planner per tenant at a time, so two overlapping runs cannot both open a task for one customer.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`credit.collections:${tenantId}`}))`);
      const ids = due.map(([id]) => id);
      const recent = await queryRows<{ customer_id: string; open: boolean; last_day: string }>(
        tx,
        sql`select customer_id, bool_or(status = 'open') as open,
                   to_char(max(created_at at time zone 'Asia/Shanghai'), 'YYYY-MM-DD') as last_day
            from collection_tasks where tenant_id = ${tenantId} and customer_id = any(${uuidArray(ids)})
            group by customer_id`,
      );
      const state = new Map(recent.map((r) => [r.customer_id, r]));
      const sellers = new Map(
        (
          await queryRows<{ customer_id: string; staff_id: string | null }>(
            tx,
            sql`select distinct on (s.customer_id) s.customer_id, s.staff_id
                from credit_sales s join staff st on st.id = s.staff_id and st.tenant_id = s.tenant_id and st.active
                where s.tenant_id = ${tenantId} and s.customer_id = any(${uuidArray(ids)})
                order by s.customer_id, s.created_at desc`,
          )
        ).map((r) => [r.customer_id, r.staff_id]),
      );
      let opened = 0;
      for (const [customerId, dates] of due) {
        const s = state.get(customerId);
        if (s?.open) continue;
        if (s && daysBetween(s.last_day, today) < settings.collectionFollowUpDays) continue;
        const days = daysBetween(dates[0] as string, today);
        await tx.insert(collectionTasks).values({
          tenantId,
          customerId,
          assigneeId: sellers.get(customerId) ?? null,
          createdBy: null,
          dueDate: today,
          note: `已逾期 ${days} 天（${dates.length} 笔），请联系客户还款并记录结果`,
          createdAt: now,
        });
        opened++;
      }
      return opened;
    });
  }
  return result;
}

// ── collection tasks ────────────────────────────────────────────────────────────────────────────────────────

type TaskRow = typeof collectionTasks.$inferSelect;

async function taskViews(db: Database, tenantId: string, rows: TaskRow[]): Promise<CollectionTask[]> {
  if (rows.length === 0) return [];
  const staffIds = [
    ...new Set(rows.flatMap((r) => [r.assigneeId, r.createdBy, r.completedBy].filter((x): x is string => !!x))),
  ];
  const names = new Map(
    staffIds.length === 0
      ? []
      : (
          await db
            .select({ id: staff.id, name: staff.name })
            .from(staff)
            .where(and(eq(staff.tenantId, tenantId), inArray(staff.id, staffIds)))
        ).map((s) => [s.id, s.name]),
  );
  const customerNames = new Map(
    (
      await db
        .select({ id: customers.id, name: customers.name })
        .from(customers)
        .where(
          and(eq(customers.tenantId, tenantId), inArray(customers.id, [...new Set(rows.map((r) => r.customerId))])),
        )
    ).map((c) => [c.id, c.name]),
  );
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? null } : null);
  return rows.map((r) => ({
    id: r.id,
    customer: { id: r.customerId, name: customerNames.get(r.customerId) ?? null },
    assignee: person(r.assigneeId),
    dueDate: r.dueDate,
    note: r.note,
    status: r.status,
    outcome: r.outcome,
    promisedDate: r.promisedDate,
    outcomeNote: r.outcomeNote,
    completedBy: person(r.completedBy),
    completedAt: r.completedAt ? r.completedAt.toISOString() : null,
    createdBy: person(r.createdBy),
    createdAt: r.createdAt.toISOString(),
  }));
}

async function assertStaffOfTenant(db: Database, tenantId: string, staffId: string) {
  const [row] = await db
    .select({ id: staff.id })
    .from(staff)
    .where(and(eq(staff.tenantId, tenantId), eq(staff.id, staffId), eq(staff.active, true)));
  if (!row) {
    throw new AppError('NOT_FOUND', 'Staff member not found', [{ field: 'body.assigneeId', message: 'not found' }]);
  }
}

/** A manager plans a collection step for a customer. */
export async function createCollectionTask(
  db: Database,
  who: StaffPrincipal,
  customerId: string,
  body: { assigneeId?: string | undefined; dueDate: string; note: string },
  now: Date,
): Promise<CollectionTask> {
  await getCustomer(db, who.tenantId, customerId);
  if (body.assigneeId) await assertStaffOfTenant(db, who.tenantId, body.assigneeId);
  const [row] = await db
    .insert(collectionTasks)
    .values({
      tenantId: who.tenantId,
      customerId,
      assigneeId: body.assigneeId ?? null,
      createdBy: who.id,
      dueDate: body.dueDate,
      note: body.note,
      createdAt: now,
    })
    .returning();
  return (await taskViews(db, who.tenantId, [row as TaskRow]))[0] as CollectionTask;
}

/** Managers see every task; a beautician sees the tasks assigned to them. Open tasks by due date first. */
export async function listCollectionTasks(
  db: Database,
  who: StaffPrincipal,
  query: CollectionTaskListQuery,
): Promise<CollectionTask[]> {
  const conditions: SQL[] = [eq(collectionTasks.tenantId, who.tenantId)];
  if (!MANAGERS.has(who.role)) conditions.push(eq(collectionTasks.assigneeId, who.id));
  else if (query.assigneeId) conditions.push(eq(collectionTasks.assigneeId, query.assigneeId));
  if (query.status) conditions.push(eq(collectionTasks.status, query.status));
  if (query.customerId) conditions.push(eq(collectionTasks.customerId, query.customerId));
  const rows = await db
    .select()
    .from(collectionTasks)
    .where(and(...conditions))
    .orderBy(
      desc(sql`${collectionTasks.status} = 'open'`),
      asc(collectionTasks.dueDate),
      desc(collectionTasks.createdAt),
    )
    .limit(query.limit);
  return taskViews(db, who.tenantId, rows);
}

/**
 * The assignee (or a manager) records what happened: called, promised to pay on a date (a follow-up task falls
 * due the day after), paid, or disputed. The task is then done.
 */
export async function recordCollectionOutcome(
  db: Database,
  who: StaffPrincipal,
  taskId: string,
  body: RecordCollectionOutcomeRequest,
  now: Date,
): Promise<CollectionTask> {
  const rows = await db.transaction(async (tx) => {
    const [task] = await tx
      .select()
      .from(collectionTasks)
      .where(and(eq(collectionTasks.tenantId, who.tenantId), eq(collectionTasks.id, taskId)))
      .for('update');
    if (!task || (!MANAGERS.has(who.role) && task.assigneeId !== who.id)) {
      throw new AppError('NOT_FOUND', 'Collection task not found');
    }
    if (task.status !== 'open') throw new AppError('CONFLICT', 'This task already has an outcome');
    if (body.outcome === 'promised' && body.promisedDate && body.promisedDate < shanghaiDay(now)) {
      throw new AppError('VALIDATION_FAILED', 'The promised date is in the past', [
        { field: 'body.promisedDate', message: 'in the past' },
      ]);
    }
    const [done] = await tx
      .update(collectionTasks)
      .set({
        status: 'done',
        outcome: body.outcome,
        promisedDate: body.outcome === 'promised' ? (body.promisedDate ?? null) : null,
        outcomeNote: body.note?.trim() || null,
        completedBy: who.id,
        completedAt: now,
      })
      .where(and(eq(collectionTasks.tenantId, who.tenantId), eq(collectionTasks.id, taskId)))
      .returning();
    const out = [done as TaskRow];
    if (body.outcome === 'promised' && body.promisedDate) {
      const [followUp] = await tx
        .insert(collectionTasks)
        .values({
          tenantId: who.tenantId,
          customerId: task.customerId,
          assigneeId: task.assigneeId ?? who.id,
          createdBy: who.id,
          dueDate: addDays(body.promisedDate, 1),
          note: `客户承诺 ${body.promisedDate} 还款，请核实是否已还`,
          followUpOf: task.id,
          createdAt: now,
        })
        .returning();
      out.push(followUp as TaskRow);
    }
    return out;
  });
  return (await taskViews(db, who.tenantId, rows.slice(0, 1)))[0] as CollectionTask;
}

/** 催收看板: overdue customers with buckets, what they owe, the last contact and the open tasks. */
export async function collectionBoard(db: Database, tenantId: string, now: Date): Promise<CollectionBoard> {
  const aging = await agingReport(db, tenantId, now);
  const overdue = aging.customers.filter((c) => c.buckets.overdueFen > 0);
  const totals = emptyBuckets();
  for (const c of overdue) {
    for (const key of Object.keys(totals) as (keyof AgingBuckets)[]) totals[key] += c.buckets[key];
  }
  if (overdue.length === 0) return { asOf: aging.asOf, totals, customers: [] };
  const ids = overdue.map((c) => c.customer.id);
  const openRows = await db
    .select()
    .from(collectionTasks)
    .where(
      and(
        eq(collectionTasks.tenantId, tenantId),
        eq(collectionTasks.status, 'open'),
        inArray(collectionTasks.customerId, ids),
      ),
    )
    .orderBy(asc(collectionTasks.dueDate));
  const lastRows = await queryRows<{ id: string }>(
    db,
    sql`select distinct on (customer_id) id from collection_tasks
        where tenant_id = ${tenantId} and status = 'done' and customer_id = any(${uuidArray(ids)})
        order by customer_id, completed_at desc, id desc`,
  );
  const lastTasks =
    lastRows.length === 0
      ? []
      : await db
          .select()
          .from(collectionTasks)
          .where(
            and(
              eq(collectionTasks.tenantId, tenantId),
              inArray(
                collectionTasks.id,
                lastRows.map((r) => r.id),
              ),
            ),
          );
  const [openViews, lastViews] = [await taskViews(db, tenantId, openRows), await taskViews(db, tenantId, lastTasks)];
  const lastByCustomer = new Map(lastViews.map((t) => [t.customer.id, t]));
  return {
    asOf: aging.asOf,
    totals,
    customers: overdue.map((c) => {
      const last = lastByCustomer.get(c.customer.id);
      return {
        ...c,
        lastContact:
          last?.outcome && last.completedAt
            ? {
                at: last.completedAt,
                outcome: last.outcome,
                promisedDate: last.promisedDate,
                note: last.outcomeNote,
                staff: last.completedBy,
              }
            : null,
        openTasks: openViews.filter((t) => t.customer.id === c.customer.id),
      };
    }),
  };
}
