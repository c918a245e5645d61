import type { ConsentKind, MyConsents, MyMessageList } from '@lumi/shared';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { customers } from '../customers/index.ts';
import { listConsents } from './consents.ts';
import { outboundMessages } from './tables.ts';

/** How many notices 消息 lists: the newest; older ones are in the bills and entries they were about. */
export const INBOX_SIZE = 50;

interface InboxRow {
  id: number;
  purpose: string;
  payload: {
    billId?: unknown;
    sms?: unknown;
    wechat?: { data?: Record<string, unknown> } | null;
  } | null;
  created_at: Date | string;
  read_at: Date | string | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();
const textOrNull = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

/**
 * The notices recorded for the customer, newest first, whether WeChat or SMS carried them or not (without a
 * consent she still sees them here). Campaign messages are left out: GET /me/campaigns shows the offers she
 * may see, never to a holdout customer.
 */
export async function listInbox(db: Database, tenantId: string, customerId: string): Promise<MyMessageList> {
  const rows = await queryRows<InboxRow>(
    db,
    sql`select id, purpose, payload, created_at, read_at from outbound_messages
        where tenant_id = ${tenantId} and customer_id = ${customerId} and campaign_id is null
          and purpose <> 'campaign'
        order by created_at desc, id desc limit ${INBOX_SIZE}`,
  );
  const items = rows.map((row) => ({
    id: Number(row.id),
    purpose: row.purpose,
    billId: textOrNull(row.payload?.billId),
    // Bill notices carry their note as thing5; other notices as their SMS text.
    note: textOrNull(row.payload?.wechat?.data?.thing5) ?? textOrNull(row.payload?.sms),
    createdAt: iso(row.created_at),
    readAt: row.read_at === null ? null : iso(row.read_at),
  }));
  return { items, unread: items.filter((m) => m.readAt === null).length };
}

/** Marks her notices read; ids that are not hers, or already read, are left as they are. */
export async function markRead(db: Database, tenantId: string, customerId: string, ids: number[], now: Date) {
  await db
    .update(outboundMessages)
    .set({ readAt: now })
    .where(
      and(
        eq(outboundMessages.tenantId, tenantId),
        eq(outboundMessages.customerId, customerId),
        inArray(outboundMessages.id, ids),
        isNull(outboundMessages.readAt),
      ),
    );
  return listInbox(db, tenantId, customerId);
}

export async function myConsents(db: Database, tenantId: string, customerId: string): Promise<MyConsents> {
  const [row] = await db
    .select({ consents: customers.consents })
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId)));
  return {
    marketing: row?.consents.marketing === true,
    sms: row?.consents.sms === true,
    subscriptions: await listConsents(db, tenantId, customerId),
  };
}

/**
 * Withdraws a consent. Marketing and SMS turn off in customers.consents; withdrawn subscribe consents are
 * marked used ("withdrawn") rather than deleted, so the record of what she once allowed stays, and the next
 * subscribe message finds none to claim.
 */
export async function withdrawConsent(
  db: Database,
  tenantId: string,
  customerId: string,
  consent: ConsentKind,
  now: Date,
): Promise<MyConsents> {
  if (consent === 'subscriptions') {
    await db.execute(
      sql`update subscribe_consents set consumed_at = ${now.toISOString()}::timestamptz, consumed_by = 'withdrawn'
          where tenant_id = ${tenantId} and customer_id = ${customerId} and consumed_at is null`,
    );
  } else {
    await db
      .update(customers)
      .set({ consents: sql`${customers.consents} || ${JSON.stringify({ [consent]: false })}::jsonb` })
      .where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId)));
  }
  return myConsents(db, tenantId, customerId);
}
