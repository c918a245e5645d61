import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  foreignKey,
  index,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { customers } from '../customers/index.ts';

/**
 * One-time subscribe-message consents (订阅消息): the customer's mini-program records each template the user
 * accepted in wx.requestSubscribeMessage; each row allows one message and is consumed when one is sent.
 */
export const subscribeConsents = pgTable(
  'subscribe_consents',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    templateId: text().notNull(),
    grantedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    consumedAt: timestamp({ withTimezone: true }),
    /** The dedupe key of the message that used it. */
    consumedBy: text(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    index('subscribe_consents_available_idx')
      .on(t.tenantId, t.customerId, t.templateId, t.id)
      .where(sql`${t.consumedAt} is null`),
  ],
);

/** The local SMS provider: a recording sink. Production swaps in a real provider behind the same interface. */
export const smsMessages = pgTable(
  'sms_messages',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid().notNull(),
    customerId: uuid(),
    phone: text().notNull(),
    template: text().notNull(),
    params: jsonb().notNull(),
    body: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sms_messages_tenant_idx').on(t.tenantId, t.id)],
);

export const messageStatus = pgEnum('outbound_message_status', ['sending', 'sent', 'failed', 'skipped']);

/**
 * What a sent message records, whoever it went to: why it was sent, the key that makes it once, and its outcome
 * (sent, failed with the provider's error, or skipped and why). A function so each table gets its own columns.
 */
const messageOutcome = () => ({
  purpose: text().notNull(),
  dedupeKey: text().notNull(),
  status: messageStatus().notNull(),
  reason: text(),
  providerMessageId: text(),
  /** What was prepared: {wechat: {templateId, page, data} | null, sms: text | null, …the sender's context}. */
  payload: jsonb(),
  createdAt: timestamp({ withTimezone: true }).notNull(),
  sentAt: timestamp({ withTimezone: true }),
});

/**
 * Every message sent to a customer (credit reminders, campaigns, tier changes, bill events), recorded exactly
 * once per dedupe key with its outcome: sent, failed with the provider's error, or skipped and why.
 */
export const outboundMessages = pgTable(
  'outbound_messages',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    /** Set for campaign messages, whose results are counted per campaign. */
    campaignId: uuid(),
    channel: text().notNull(),
    ...messageOutcome(),
    /** When the customer saw it in the mini-program's 消息 (null: unread). */
    readAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    unique('outbound_messages_dedupe_key').on(t.tenantId, t.dedupeKey),
    check('outbound_messages_channel', sql`${t.channel} in ('wechat', 'sms', 'none')`),
    index('outbound_messages_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
    index('outbound_messages_campaign_idx').on(t.campaignId, t.id),
  ],
);

/**
 * Alerts to staff (a manager told that something waits in 审批), one per staff member and dedupe key, with the
 * outcome of the subscribe message: sent, or failed with WeChat's error (no grant left, not bound …).
 */
export const staffMessages = pgTable(
  'staff_messages',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid().notNull(),
    staffId: uuid().notNull(),
    ...messageOutcome(),
  },
  (t) => [
    unique('staff_messages_dedupe_key').on(t.tenantId, t.staffId, t.dedupeKey),
    index('staff_messages_staff_idx').on(t.tenantId, t.staffId, t.createdAt),
  ],
);
