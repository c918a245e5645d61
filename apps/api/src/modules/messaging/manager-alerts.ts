import type { FastifyBaseLogger } from 'fastify';
import { and, eq, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import type { MessagingDeps } from './outbound.ts';
import { staffMessages } from './tables.ts';
import { wechatTime, wechatValue } from './templates.ts';

export interface InboxArrival {
  tenantId: string;
  /** The store the item belongs to; null for what every manager of the salon decides (credit limits). */
  storeId: string | null;
  /** credit_limit, void_refund, dispute, after_sale — what arrived, and its id: one alert per item and manager, ever. */
  kind: string;
  itemId: string;
  /** What it is, as the manager reads it on the lock screen: 挂账额度申请 · 林小雅. */
  title: string;
  who: string;
  /** A bill number, when there is one (character_string4). */
  reference?: string;
  at: Date;
}

const INBOX_PAGE = 'manager/inbox/index';

/**
 * Something new waits in 审批: every manager of its store and the owner who bound their WeChat in the staff
 * mini-program gets a subscribe message. Each alert is recorded before WeChat is called (unique per manager and
 * item, so a retried request never alerts twice) and finished with WeChat's answer — a manager without a grant
 * left gets a failed row with WeChat's error, not a retry. Runs after the commit that filed the item; it never
 * fails the request (the inbox and its badge are the record; this is the nudge).
 */
export async function alertManagers(db: Database, deps: MessagingDeps, arrival: InboxArrival): Promise<number> {
  const managers = await queryRows<{ id: string; openid: string }>(
    db,
    sql`select s.id, s.wechat_openid as openid from staff s
        where s.tenant_id = ${arrival.tenantId} and s.active and s.wechat_openid is not null
          and (s.role = 'owner' or (s.role = 'manager' and (${arrival.storeId}::uuid is null or exists (
                select 1 from staff_stores ss where ss.staff_id = s.id and ss.store_id = ${arrival.storeId}::uuid))))`,
  );
  let sent = 0;
  for (const manager of managers) {
    const message = {
      openid: manager.openid,
      templateId: deps.staff.approvalTemplate,
      page: INBOX_PAGE,
      data: {
        thing1: wechatValue('thing1', arrival.title),
        thing2: wechatValue('thing2', arrival.who),
        time3: wechatTime(arrival.at),
        ...(arrival.reference ? { character_string4: wechatValue('character_string4', arrival.reference) } : {}),
      },
    };
    const [row] = await db
      .insert(staffMessages)
      .values({
        tenantId: arrival.tenantId,
        staffId: manager.id,
        purpose: 'approval_waiting',
        dedupeKey: `${arrival.kind}:${arrival.itemId}`,
        status: 'sending',
        payload: { wechat: message },
        createdAt: deps.now(),
      })
      .onConflictDoNothing()
      .returning({ id: staffMessages.id });
    if (!row) continue;
    const result = await deps.staff.wechat.send(message).catch((error: unknown) => ({
      ok: false as const,
      errcode: -1,
      errmsg: (error as Error).message,
    }));
    await db
      .update(staffMessages)
      .set(
        result.ok
          ? { status: 'sent', providerMessageId: result.msgid, sentAt: deps.now() }
          : { status: 'failed', reason: `${result.errcode} ${result.errmsg}` },
      )
      .where(and(eq(staffMessages.tenantId, arrival.tenantId), eq(staffMessages.id, row.id)));
    if (result.ok) sent++;
  }
  return sent;
}

/** After the response: alert the managers, and only log if that fails (the request has succeeded). */
export function alertManagersLater(
  db: Database,
  deps: MessagingDeps,
  arrival: InboxArrival,
  log: Pick<FastifyBaseLogger, 'warn'>,
): void {
  alertManagers(db, deps, arrival).catch((error: unknown) =>
    log.warn({ kind: arrival.kind, itemId: arrival.itemId, reason: (error as Error).message }, '审批 alert failed'),
  );
}
