import { randomUUID } from 'node:crypto';
import type { TenantCreditSettings } from '@lumi/shared';
import { and, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import {
  abandonInterrupted,
  type Contact,
  contactsOf,
  type DeliveryOutcome,
  deliver,
  type MessagingDeps,
  outboundMessages,
  recordMessage,
  wechatAmount,
  messageTextFor,
} from '../messaging/index.ts';
import { tenants } from '../tenants/index.ts';
import { addDays, daysBetween, shanghaiDay } from './dates.ts';
import { owedByCustomer } from './ledger-reads.ts';
import { creditSettings } from './settings.ts';
import { creditItems, creditLines, creditReminders } from './tables.ts';

/** Reminders of one group go out together with one template: before or on the due date, overdue, limit. */
type ReminderGroup = 'due' | 'overdue' | 'limit';

export interface ReminderRunResult {
  wechat: number;
  sms: number;
  skipped: number;
  failed: number;
}

/**
 * Which reminder an item is due for today, as the latest stage it has reached: `before_due_<n>` for the
 * smallest configured n ≥ days left, `due_today`, or `overdue_<n>` for the largest configured n ≤ days overdue.
 * A run that was missed therefore catches up with the current stage only, never with a flood of stale ones.
 */
export function reminderKindFor(daysUntilDue: number, settings: TenantCreditSettings): string | null {
  if (daysUntilDue > 0) {
    const n = settings.remindDaysBeforeDue.filter((d) => d >= daysUntilDue).sort((a, b) => a - b)[0];
    return n === undefined ? null : `before_due_${n}`;
  }
  if (daysUntilDue === 0) return settings.remindOnDueDate ? 'due_today' : null;
  const overdue = -daysUntilDue;
  const n = settings.remindOverdueDays.filter((d) => d <= overdue).sort((a, b) => b - a)[0];
  return n === undefined ? null : `overdue_${n}`;
}

interface Candidate {
  customerId: string;
  itemId: string | null;
  kind: string;
  dedupeKey: string;
  group: ReminderGroup;
  /** Outstanding on the item (item reminders). */
  amountFen: number;
  dueDate: string | null;
  overdueDays: number;
  /** Limit reminders. */
  owedFen?: number;
  limitFen?: number;
}

/**
 * The reminder job (pg-boss `credit.reminders`, daily): before-due, due-date and overdue reminders per item, and
 * near/over-limit reminders per customer. Each (item, kind) — or (customer, limit kind, line version, latest
 * sale) — is claimed in credit_reminders, in the transaction that records its message, before anything is sent,
 * so reruns and parallel runs never send it twice. A customer's reminders of one template go out as one message
 * (messaging's deliver): a WeChat subscribe message when the customer has an unused one-time consent for the
 * template (consumed by the send), otherwise an SMS; with neither an openid+consent nor a phone the message is
 * recorded as skipped.
 */
export async function runCreditReminders(
  db: Database,
  deps: MessagingDeps,
  options: { tenantId?: string } = {},
): Promise<ReminderRunResult> {
  const result: ReminderRunResult = { wechat: 0, sms: 0, skipped: 0, failed: 0 };
  // A message still sending after ten minutes belongs to a run that died mid-send: never sent again.
  await abandonInterrupted(db, { purpose: 'credit_reminder', olderThan: new Date(deps.now().getTime() - 10 * 60_000) });
  const tenantRows = options.tenantId
    ? [{ id: options.tenantId }]
    : await db.select({ id: tenants.id }).from(tenants).orderBy(tenants.id);
  for (const { id } of tenantRows) {
    const r = await remindTenant(db, deps, id);
    result.wechat += r.wechat;
    result.sms += r.sms;
    result.skipped += r.skipped;
    result.failed += r.failed;
  }
  return result;
}

async function remindTenant(db: Database, deps: MessagingDeps, tenantId: string): Promise<ReminderRunResult> {
  const now = deps.now();
  const today = shanghaiDay(now);
  const settings = await creditSettings(db, tenantId);
  const horizon = addDays(today, Math.max(0, ...settings.remindDaysBeforeDue));
  const candidates: Candidate[] = [];

  const items = await db
    .select({
      id: creditItems.id,
      customerId: creditItems.customerId,
      dueDate: creditItems.dueDate,
      amountFen: creditItems.amountFen,
      paidFen: creditItems.paidFen,
    })
    .from(creditItems)
    .where(and(eq(creditItems.tenantId, tenantId), eq(creditItems.status, 'open'), lte(creditItems.dueDate, horizon)));
  for (const item of items) {
    const daysUntil = daysBetween(today, item.dueDate);
    const kind = reminderKindFor(daysUntil, settings);
    if (!kind) continue;
    candidates.push({
      customerId: item.customerId,
      itemId: item.id,
      kind,
      dedupeKey: `item:${item.id}:${kind}`,
      group: kind.startsWith('overdue') ? 'overdue' : 'due',
      amountFen: item.amountFen - item.paidFen,
      dueDate: item.dueDate,
      overdueDays: Math.max(0, -daysUntil),
    });
  }

  const owed = await owedByCustomer(db, tenantId);
  if (owed.size > 0) {
    const owing = [...owed.keys()];
    const lines = new Map(
      (
        await db
          .select({ customerId: creditLines.customerId, limitFen: creditLines.limitFen, version: creditLines.version })
          .from(creditLines)
          .where(and(eq(creditLines.tenantId, tenantId), inArray(creditLines.customerId, owing)))
      ).map((l) => [l.customerId, l]),
    );
    const latestSales = new Map(
      (
        await queryRows<{ customer_id: string; id: string }>(
          db,
          sql`select distinct on (customer_id) customer_id, id from credit_sales
              where tenant_id = ${tenantId} and status <> 'cancelled'
              order by customer_id, created_at desc, id desc`,
        )
      ).map((r) => [r.customer_id, r.id]),
    );
    for (const [customerId, owedFen] of owed) {
      if (owedFen <= 0) continue;
      const line = lines.get(customerId) ?? { limitFen: 0, version: 0 };
      const exceeded = owedFen > line.limitFen;
      const near = owedFen * 100 >= line.limitFen * settings.nearLimitPercent;
      if (!exceeded && !near) continue;
      const kind = exceeded ? 'limit_exceeded' : 'limit_near';
      candidates.push({
        customerId,
        itemId: null,
        kind,
        dedupeKey: `limit:${customerId}:${kind}:v${line.version}:${latestSales.get(customerId) ?? 'none'}`,
        group: 'limit',
        amountFen: 0,
        dueDate: null,
        overdueDays: 0,
        owedFen,
        limitFen: line.limitFen,
      });
    }
  }
  if (candidates.length === 0) return { wechat: 0, sms: 0, skipped: 0, failed: 0 };

  const done = new Set(
    (
      await db
        .select({ key: creditReminders.dedupeKey })
        .from(creditReminders)
        .where(
          and(
            eq(creditReminders.tenantId, tenantId),
            inArray(
              creditReminders.dedupeKey,
              candidates.map((c) => c.dedupeKey),
            ),
          ),
        )
    ).map((r) => r.key),
  );
  const fresh = candidates.filter((c) => !done.has(c.dedupeKey));
  const groups = new Map<string, Candidate[]>();
  for (const c of fresh) {
    const key = `${c.customerId}|${c.group}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const result: ReminderRunResult = { wechat: 0, sms: 0, skipped: 0, failed: 0 };
  if (groups.size === 0) return result;

  const [tenant] = await db.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId));
  const contacts = await contactsOf(db, tenantId, [...new Set(fresh.map((c) => c.customerId))], deps.customerAppId);
  for (const group of groups.values()) {
    const outcome = await remind(db, deps, tenantId, tenant?.name ?? '', group, contacts, now);
    if (outcome) result[outcome]++;
  }
  return result;
}

interface Rendered {
  templateId: string;
  data: Record<string, string>;
  smsTemplate: string;
  smsText: string;
}

/** The batch's message: WeChat's fixed fields, and the salon's own words (设置 → 消息模板) for the SMS and inbox. */
async function render(
  db: Database,
  tenantId: string,
  tenantName: string,
  templates: MessagingDeps['templates'],
  group: Candidate[],
): Promise<Rendered> {
  const first = group[0] as Candidate;
  const shop = tenantName || '本店';
  if (first.group === 'limit') {
    const owedFen = first.owedFen ?? 0;
    const limitFen = first.limitFen ?? 0;
    const exceeded = first.kind === 'limit_exceeded';
    const percent = limitFen > 0 ? Math.floor((owedFen * 100) / limitFen) : 100;
    return {
      templateId: templates.credit_limit,
      data: {
        amount1: wechatAmount(owedFen),
        amount2: wechatAmount(limitFen),
        thing3: exceeded ? '挂账已超出信用额度' : `挂账额度已使用${percent}%`,
      },
      smsTemplate: `credit_${first.kind}`,
      smsText: exceeded
        ? `【${shop}】您的挂账欠款 ${wechatAmount(owedFen)} 已超出信用额度 ${wechatAmount(limitFen)}，请尽快还款。`
        : `【${shop}】您的挂账欠款 ${wechatAmount(owedFen)}，已使用信用额度 ${wechatAmount(limitFen)} 的 ${percent}%。`,
    };
  }
  const amountFen = group.reduce((sum, c) => sum + c.amountFen, 0);
  const dueDate = group.map((c) => c.dueDate as string).sort()[0] as string;
  const vars = { shop, amount: wechatAmount(amountFen), date: dueDate };
  if (first.group === 'overdue') {
    const days = Math.max(...group.map((c) => c.overdueDays));
    return {
      templateId: templates.credit_overdue,
      data: { amount1: vars.amount, date2: dueDate, number3: String(days), thing4: `${shop}欠款已逾期` },
      smsTemplate: 'credit_overdue',
      smsText: await messageTextFor(db, tenantId, 'credit_overdue', { ...vars, days: String(days) }),
    };
  }
  const dueToday = group.some((c) => c.kind === 'due_today');
  return {
    templateId: templates.credit_due,
    data: { amount1: vars.amount, date2: dueDate, thing3: `${shop}还款提醒` },
    smsTemplate: 'credit_due',
    smsText: await messageTextFor(db, tenantId, dueToday ? 'credit_due_today' : 'credit_due_soon', vars),
  };
}

/** The message of a batch of reminders; the batch id makes it unique. */
const batchMessageKey = (batchId: string) => `credit_reminder:${batchId}`;

/**
 * Claims a customer's reminders of one template and records their message in one transaction, then delivers
 * it. Reminders another run already claimed are left out; when none are left, nothing is sent.
 */
async function remind(
  db: Database,
  deps: MessagingDeps,
  tenantId: string,
  tenantName: string,
  group: Candidate[],
  contacts: Map<string, Contact>,
  now: Date,
): Promise<DeliveryOutcome | null> {
  const customerId = (group[0] as Candidate).customerId;
  const batchId = randomUUID();
  const recorded = await db.transaction(async (tx) => {
    const claimed = await tx
      .insert(creditReminders)
      .values(
        group.map((c) => ({
          tenantId,
          customerId,
          itemId: c.itemId,
          kind: c.kind,
          dedupeKey: c.dedupeKey,
          batchId,
          createdAt: now,
        })),
      )
      .onConflictDoNothing()
      .returning({ key: creditReminders.dedupeKey });
    if (claimed.length === 0) return null;
    const claimedKeys = new Set(claimed.map((c) => c.key));
    const message = await render(
      tx,
      tenantId,
      tenantName,
      deps.templates,
      group.filter((c) => claimedKeys.has(c.dedupeKey)),
    );
    return recordMessage(tx, {
      tenantId,
      customerId,
      purpose: 'credit_reminder',
      dedupeKey: batchMessageKey(batchId),
      to: contacts.get(customerId) ?? { openid: null, phone: null },
      wechat: { templateId: message.templateId, page: 'pages/credit/index', data: message.data },
      sms: { template: message.smsTemplate, text: message.smsText, params: message.data },
      now,
    });
  });
  return recorded ? deliver(db, deps, recorded) : null;
}

/** The customer's recent reminders (staff view), each with how its message went. */
export async function listReminders(db: Database, tenantId: string, customerId: string, limit = 50) {
  const rows = await db
    .select({
      id: creditReminders.id,
      kind: creditReminders.kind,
      itemId: creditReminders.itemId,
      createdAt: creditReminders.createdAt,
      channel: outboundMessages.channel,
      status: outboundMessages.status,
      reason: outboundMessages.reason,
      sentAt: outboundMessages.sentAt,
    })
    .from(creditReminders)
    .leftJoin(
      outboundMessages,
      and(
        eq(outboundMessages.tenantId, creditReminders.tenantId),
        eq(outboundMessages.dedupeKey, sql`'credit_reminder:' || ${creditReminders.batchId}`),
      ),
    )
    .where(and(eq(creditReminders.tenantId, tenantId), eq(creditReminders.customerId, customerId)))
    .orderBy(desc(creditReminders.id))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    itemId: r.itemId,
    channel: (r.channel ?? 'none') as 'wechat' | 'sms' | 'none',
    // A message still being sent is a pending reminder.
    status: r.status === 'sending' || r.status === null ? ('pending' as const) : r.status,
    error: r.reason,
    at: (r.sentAt ?? r.createdAt).toISOString(),
  }));
}
