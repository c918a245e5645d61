import { randomUUID } from 'node:crypto';
import { fenToYuanString, type TenantCreditSettings } from '@lumi/shared';
import { and, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { customerIdentities, customers } from '../customers/index.ts';
import { tenants } from '../tenants/index.ts';
import { addDays, daysBetween, shanghaiDay } from './dates.ts';
import { owedByCustomer } from './ledger-reads.ts';
import type { SmsSender, SubscribeMessageSender } from './notify.ts';
import { creditSettings } from './settings.ts';
import { creditItems, creditLines, creditReminders, subscribeConsents } from './tables.ts';

export interface CreditTemplates {
  /** before due and on the due date */
  due: string;
  overdue: string;
  /** near or over the limit */
  limit: string;
}

export interface CreditReminderDeps {
  now(): Date;
  wechat: SubscribeMessageSender;
  sms: SmsSender;
  templates: CreditTemplates;
  /** The customer mini-program's appid: reminders go to the openid the customer has there. */
  customerAppId: string;
}

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

/** WeChat's `thing` values are at most 20 characters. */
const thing = (text: string) => [...text].slice(0, 20).join('');
const yuan = (fen: number) => `¥${fenToYuanString(fen)}`;

interface Candidate {
  customerId: string;
  itemId: string | null;
  kind: string;
  dedupeKey: string;
  group: keyof CreditTemplates;
  /** Outstanding on the item (item reminders). */
  amountFen: number;
  dueDate: string | null;
  overdueDays: number;
  /** Limit reminders. */
  owedFen?: number;
  limitFen?: number;
}

interface CustomerContact {
  name: string | null;
  phone: string | null;
  openid: string | null;
}

/**
 * The reminder job (pg-boss `credit.reminders`, daily): before-due, due-date and overdue reminders per item, and
 * near/over-limit reminders per customer. Each (item, kind) — or (customer, limit kind, line version, latest
 * sale) — is claimed in credit_reminders before anything is sent, so reruns and parallel runs never send it twice.
 * A customer's reminders of one template go out as one message: a WeChat subscribe message when the customer
 * has an unused one-time consent for the template (consumed by the send), otherwise an SMS; with neither an
 * openid+consent nor a phone the reminder is recorded as skipped.
 */
export async function runCreditReminders(
  db: Database,
  deps: CreditReminderDeps,
  options: { tenantId?: string } = {},
): Promise<ReminderRunResult> {
  const result: ReminderRunResult = { wechat: 0, sms: 0, skipped: 0, failed: 0 };
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

async function remindTenant(db: Database, deps: CreditReminderDeps, tenantId: string): Promise<ReminderRunResult> {
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
  const contacts = await contactsOf(db, deps.customerAppId, tenantId, [...new Set(fresh.map((c) => c.customerId))]);
  for (const group of groups.values()) {
    const outcome = await deliver(db, deps, tenantId, tenant?.name ?? '', group, contacts, now);
    if (outcome) result[outcome]++;
  }
  return result;
}

async function contactsOf(
  db: Database,
  appId: string,
  tenantId: string,
  customerIds: string[],
): Promise<Map<string, CustomerContact>> {
  const rows = await db
    .select({
      id: customers.id,
      name: customers.name,
      phone: customers.phone,
      openid: customerIdentities.openid,
    })
    .from(customers)
    .leftJoin(
      customerIdentities,
      and(
        eq(customerIdentities.tenantId, customers.tenantId),
        eq(customerIdentities.customerId, customers.id),
        eq(customerIdentities.appId, appId),
      ),
    )
    .where(and(eq(customers.tenantId, tenantId), inArray(customers.id, customerIds)));
  const map = new Map<string, CustomerContact>();
  for (const r of rows) {
    if (!map.has(r.id) || (r.openid && !map.get(r.id)?.openid)) {
      map.set(r.id, { name: r.name, phone: r.phone, openid: r.openid ?? null });
    }
  }
  return map;
}

interface Rendered {
  templateId: string;
  data: Record<string, string>;
  smsTemplate: string;
  smsText: string;
}

function render(tenantName: string, templates: CreditTemplates, group: Candidate[]): Rendered {
  const first = group[0] as Candidate;
  const shop = tenantName || '本店';
  if (first.group === 'limit') {
    const owedFen = first.owedFen ?? 0;
    const limitFen = first.limitFen ?? 0;
    const exceeded = first.kind === 'limit_exceeded';
    const percent = limitFen > 0 ? Math.floor((owedFen * 100) / limitFen) : 100;
    return {
      templateId: templates.limit,
      data: {
        amount1: yuan(owedFen),
        amount2: yuan(limitFen),
        thing3: thing(exceeded ? '挂账已超出信用额度' : `挂账额度已使用${percent}%`),
      },
      smsTemplate: `credit_${first.kind}`,
      smsText: exceeded
        ? `【${shop}】您的挂账欠款 ${yuan(owedFen)} 已超出信用额度 ${yuan(limitFen)}，请尽快还款。`
        : `【${shop}】您的挂账欠款 ${yuan(owedFen)}，已使用信用额度 ${yuan(limitFen)} 的 ${percent}%。`,
    };
  }
  const amountFen = group.reduce((sum, c) => sum + c.amountFen, 0);
  const dueDate = group.map((c) => c.dueDate as string).sort()[0] as string;
  if (first.group === 'overdue') {
    const days = Math.max(...group.map((c) => c.overdueDays));
    return {
      templateId: templates.overdue,
      data: { amount1: yuan(amountFen), date2: dueDate, number3: String(days), thing4: thing(`${shop}欠款已逾期`) },
      smsTemplate: 'credit_overdue',
      smsText: `【${shop}】您有 ${yuan(amountFen)} 欠款已逾期 ${days} 天（应还日期 ${dueDate}），请尽快还款。`,
    };
  }
  const dueToday = group.some((c) => c.kind === 'due_today');
  return {
    templateId: templates.due,
    data: { amount1: yuan(amountFen), date2: dueDate, thing3: thing(`${shop}还款提醒`) },
    smsTemplate: 'credit_due',
    smsText: dueToday
      ? `【${shop}】您有 ${yuan(amountFen)} 欠款今天（${dueDate}）到期，请按时还款。`
      : `【${shop}】您有 ${yuan(amountFen)} 欠款将于 ${dueDate} 到期，请按时还款。`,
  };
}

async function deliver(
  db: Database,
  deps: CreditReminderDeps,
  tenantId: string,
  tenantName: string,
  group: Candidate[],
  contacts: Map<string, CustomerContact>,
  now: Date,
): Promise<keyof ReminderRunResult | null> {
  const customerId = (group[0] as Candidate).customerId;
  const contact = contacts.get(customerId) ?? { name: null, phone: null, openid: null };
  const batchId = randomUUID();
  const templateId = render(tenantName, deps.templates, group).templateId;

  // Claim the reminders and, if the customer can get a WeChat message, one consent — before sending anything.
  const claim = await db.transaction(async (tx) => {
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
          templateId,
          createdAt: now,
        })),
      )
      .onConflictDoNothing()
      .returning({ key: creditReminders.dedupeKey });
    if (claimed.length === 0 || !contact.openid) return { keys: claimed.map((c) => c.key), consent: null };
    const [consent] = await queryRows<{ id: number }>(
      tx,
      sql`update subscribe_consents set consumed_at = ${now.toISOString()}::timestamptz, consumed_by = ${`reminder:${batchId}`}
          where id = (select id from subscribe_consents
                      where tenant_id = ${tenantId} and customer_id = ${customerId} and template_id = ${templateId}
                        and consumed_at is null
                      order by id limit 1 for update skip locked)
          returning id`,
    );
    return { keys: claimed.map((c) => c.key), consent: consent ? Number(consent.id) : null };
  });
  if (claim.keys.length === 0) return null;
  const claimedKeys = new Set(claim.keys);
  const mine = group.filter((c) => claimedKeys.has(c.dedupeKey));
  const message = render(tenantName, deps.templates, mine);

  const finish = (set: Partial<typeof creditReminders.$inferInsert>) =>
    db
      .update(creditReminders)
      .set({ payload: { data: message.data, sms: message.smsText }, ...set })
      .where(and(eq(creditReminders.tenantId, tenantId), eq(creditReminders.batchId, batchId)));

  let wechatError: string | null = null;
  if (claim.consent !== null && contact.openid) {
    const sent = await deps.wechat.send({
      openid: contact.openid,
      templateId: message.templateId,
      page: 'pages/credit/index',
      data: message.data,
    });
    if (sent.ok) {
      await finish({ channel: 'wechat', status: 'sent', wechatMsgId: sent.msgid, sentAt: now });
      return 'wechat';
    }
    wechatError = `wechat ${sent.errcode}: ${sent.errmsg}`.slice(0, 300);
  }
  if (contact.phone) {
    try {
      const sms = await deps.sms.send({
        tenantId,
        customerId,
        phone: contact.phone,
        template: message.smsTemplate,
        params: message.data,
        body: message.smsText,
      });
      await finish({
        channel: 'sms',
        status: 'sent',
        smsMessageId: Number(sms.id) || null,
        error: wechatError,
        sentAt: now,
      });
      return 'sms';
    } catch (error) {
      await finish({ channel: 'sms', status: 'failed', error: `sms: ${(error as Error).message}`.slice(0, 300) });
      return 'failed';
    }
  }
  await finish({
    channel: 'none',
    status: 'skipped',
    error: wechatError ?? 'no WeChat consent and no phone number',
  });
  return 'skipped';
}

/** The customer's recent reminders (staff view). */
export async function listReminders(db: Database, tenantId: string, customerId: string, limit = 50) {
  const rows = await db
    .select()
    .from(creditReminders)
    .where(and(eq(creditReminders.tenantId, tenantId), eq(creditReminders.customerId, customerId)))
    .orderBy(desc(creditReminders.id))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    itemId: r.itemId,
    channel: r.channel,
    status: r.status,
    error: r.error,
    at: (r.sentAt ?? r.createdAt).toISOString(),
  }));
}

// ── one-time consents ───────────────────────────────────────────────────────────────────────────────────────

/** Consents a customer may hold unused per template; WeChat accumulates them, but without bound they are noise. */
export const MAX_UNUSED_CONSENTS = 50;

/** Records one consent the customer gave in wx.requestSubscribeMessage; returns how many are unused now. */
export async function recordConsent(
  db: Database,
  tenantId: string,
  customerId: string,
  templateId: string,
  now: Date,
): Promise<{ templateId: string; available: number }> {
  return db.transaction(async (tx) => {
    const available = await unusedConsents(tx, tenantId, customerId, templateId);
    if (available < MAX_UNUSED_CONSENTS) {
      await tx.insert(subscribeConsents).values({ tenantId, customerId, templateId, grantedAt: now });
      return { templateId, available: available + 1 };
    }
    return { templateId, available };
  });
}

async function unusedConsents(db: Database, tenantId: string, customerId: string, templateId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(subscribeConsents)
    .where(
      and(
        eq(subscribeConsents.tenantId, tenantId),
        eq(subscribeConsents.customerId, customerId),
        eq(subscribeConsents.templateId, templateId),
        sql`${subscribeConsents.consumedAt} is null`,
      ),
    );
  return Number(row?.n ?? 0);
}

/** Unused consents per template for one customer. */
export async function listConsents(db: Database, tenantId: string, customerId: string) {
  const rows = await db
    .select({ templateId: subscribeConsents.templateId, available: sql<number>`count(*)::int` })
    .from(subscribeConsents)
    .where(
      and(
        eq(subscribeConsents.tenantId, tenantId),
        eq(subscribeConsents.customerId, customerId),
        sql`${subscribeConsents.consumedAt} is null`,
      ),
    )
    .groupBy(subscribeConsents.templateId)
    .orderBy(subscribeConsents.templateId);
  return rows.map((r) => ({ templateId: r.templateId, available: Number(r.available) }));
}
