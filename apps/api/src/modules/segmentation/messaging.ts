import { sql } from 'drizzle-orm';
import type { AppConfig } from '../../config/index.ts';
import { type Database, queryRows } from '../../db/database.ts';
import {
  createRecordingSmsSender,
  createSubscribeMessageClient,
  type SmsSender,
  type SubscribeMessageSender,
} from '../credit/index.ts';

/**
 * How segmentation reaches customers. It reuses the credit module's clients — the WeChat subscribe-message
 * client (stable access token, one retry on an invalid token) and the SMS provider interface with its local
 * recording sink — and the one-time consents customers record through POST /me/subscriptions
 * (subscribe_consents: one row allows one message and is consumed by it).
 *
 * Every message is a row in outbound_messages, unique per dedupe key, written *before* the provider is called
 * (status sending) and finished after (sent, or failed with the provider's error); a customer who cannot be
 * reached gets a skipped row with the reason. A crash between the two leaves a sending row, which the next
 * run marks failed (DELIVERY_UNKNOWN) instead of sending again: a customer never gets the same message twice.
 */
export interface SegmentationDeps {
  /** The business clock (tests move it). */
  now(): Date;
  wechat: SubscribeMessageSender;
  sms: SmsSender;
  /** The customer mini-program, whose openids subscribe messages go to. */
  customerAppId: string;
  /** Subscribe-message template for tier upgrades and downgrades. */
  tierTemplateId: string;
  /** Customers handled per batch by the campaign job. */
  campaignBatchSize: number;
}

export function segmentationDeps(
  config: AppConfig,
  db: Database,
  now: () => Date = () => new Date(),
): SegmentationDeps {
  return {
    now,
    wechat: createSubscribeMessageClient({
      baseUrl: config.WECHAT_API_BASE,
      appId: config.WECHAT_CUSTOMER_APPID,
      secret: config.WECHAT_CUSTOMER_SECRET,
      timeoutMs: config.WECHAT_TIMEOUT_MS,
    }),
    sms: createRecordingSmsSender(db),
    customerAppId: config.WECHAT_CUSTOMER_APPID,
    tierTemplateId: config.WECHAT_TEMPLATE_TIER_CHANGE,
    campaignBatchSize: config.SEGMENTATION_CAMPAIGN_BATCH_SIZE,
  };
}

export interface Contact {
  name: string | null;
  phone: string | null;
  openid: string | null;
  marketing: boolean;
  sms: boolean;
}

export async function contactOf(db: Database, tenantId: string, customerId: string, appId: string): Promise<Contact> {
  const [row] = await queryRows<{
    name: string | null;
    phone: string | null;
    openid: string | null;
    consents: unknown;
  }>(
    db,
    sql`select c.name, c.phone, c.consents,
               (select i.openid from customer_identities i
                where i.tenant_id = c.tenant_id and i.customer_id = c.id and i.app_id = ${appId}
                order by i.created_at limit 1) as openid
        from customers c where c.tenant_id = ${tenantId} and c.id = ${customerId}`,
  );
  const consents = (row?.consents ?? {}) as Record<string, unknown>;
  return {
    name: row?.name ?? null,
    phone: row?.phone ?? null,
    openid: row?.openid ?? null,
    marketing: consents.marketing === true,
    sms: consents.sms === true,
  };
}

/** Consumes one unused one-time consent for the template; false when the customer has none left. */
export async function claimConsent(
  tx: Database,
  input: { tenantId: string; customerId: string; templateId: string; by: string; now: Date },
): Promise<boolean> {
  const rows = await queryRows<{ id: number }>(
    tx,
    sql`update subscribe_consents set consumed_at = ${input.now.toISOString()}::timestamptz, consumed_by = ${input.by}
        where id = (select id from subscribe_consents
                    where tenant_id = ${input.tenantId} and customer_id = ${input.customerId}
                      and template_id = ${input.templateId} and consumed_at is null
                    order by id limit 1 for update skip locked)
        returning id`,
  );
  return rows.length > 0;
}

/** {name}, {coupon}, {category} … replaced by their values; unknown placeholders are left as they are. */
export function renderTemplate(text: string, vars: Record<string, string>): string {
  return text.replace(/\{([a-z]+)\}/g, (whole, key: string) => vars[key] ?? whole);
}

/** WeChat's value rules by key type: thing ≤ 20 characters, name ≤ 10, phrase ≤ 5, character_string ≤ 32. */
export function wechatValue(key: string, value: string): string {
  const limit = key.startsWith('thing')
    ? 20
    : key.startsWith('name')
      ? 10
      : key.startsWith('phrase')
        ? 5
        : key.startsWith('character_string') || key.startsWith('number')
          ? 32
          : 20;
  return [...value].slice(0, limit).join('');
}

export type Channel = 'wechat' | 'sms' | 'none';

export interface MessageRecord {
  tenantId: string;
  customerId: string;
  campaignId: string | null;
  purpose: 'campaign' | 'tier_change';
  dedupeKey: string;
  channel: Channel;
  status: 'sending' | 'skipped';
  reason?: string | null;
  payload?: unknown;
  now: Date;
}

/** Writes the message's record once; returns its id, or null when the key was already recorded. */
export async function recordMessage(tx: Database, m: MessageRecord): Promise<number | null> {
  const rows = await queryRows<{ id: number }>(
    tx,
    sql`insert into outbound_messages (tenant_id, customer_id, campaign_id, purpose, dedupe_key, channel, status, reason, payload, created_at)
        values (${m.tenantId}, ${m.customerId}, ${m.campaignId}, ${m.purpose}, ${m.dedupeKey}, ${m.channel}, ${m.status},
                ${m.reason ?? null}, ${m.payload === undefined ? null : JSON.stringify(m.payload)}::jsonb, ${m.now.toISOString()}::timestamptz)
        on conflict (tenant_id, dedupe_key) do nothing
        returning id`,
  );
  return rows[0] ? Number(rows[0].id) : null;
}

export interface Outgoing {
  wechat?: { openid: string; templateId: string; page?: string; data: Record<string, string> } | undefined;
  sms?: { phone: string; template: string; text: string; params: Record<string, string> } | undefined;
}

/**
 * Calls the provider for a recorded message and finishes its record: WeChat first when a consent was claimed
 * for it, SMS when WeChat is not possible or refuses; the provider's error is kept on failure.
 */
export async function deliver(
  db: Database,
  deps: SegmentationDeps,
  message: { id: number; tenantId: string; customerId: string },
  out: Outgoing,
): Promise<'sent' | 'failed'> {
  let wechatError: string | null = null;
  if (out.wechat) {
    const result = await deps.wechat.send(out.wechat);
    if (result.ok) {
      await finish(db, message.id, {
        status: 'sent',
        channel: 'wechat',
        providerMessageId: result.msgid,
        now: deps.now(),
      });
      return 'sent';
    }
    wechatError = `wechat ${result.errcode}: ${result.errmsg}`.slice(0, 300);
  }
  if (out.sms) {
    try {
      const sent = await deps.sms.send({
        tenantId: message.tenantId,
        customerId: message.customerId,
        phone: out.sms.phone,
        template: out.sms.template,
        params: out.sms.params,
        body: out.sms.text,
      });
      await finish(db, message.id, {
        status: 'sent',
        channel: 'sms',
        providerMessageId: sent.id,
        reason: wechatError,
        now: deps.now(),
      });
      return 'sent';
    } catch (error) {
      const smsError = `sms: ${(error as Error).message}`.slice(0, 300);
      await finish(db, message.id, {
        status: 'failed',
        channel: 'sms',
        reason: wechatError ? `${wechatError}; ${smsError}` : smsError,
        now: deps.now(),
      });
      return 'failed';
    }
  }
  await finish(db, message.id, { status: 'failed', channel: 'wechat', reason: wechatError, now: deps.now() });
  return 'failed';
}

async function finish(
  db: Database,
  id: number,
  f: { status: 'sent' | 'failed'; channel: Channel; providerMessageId?: string; reason?: string | null; now: Date },
) {
  await db.execute(
    sql`update outbound_messages set status = ${f.status}, channel = ${f.channel},
          provider_message_id = ${f.providerMessageId ?? null}, reason = ${f.reason ?? null},
          sent_at = ${f.status === 'sent' ? f.now.toISOString() : null}::timestamptz
        where id = ${id} and status = 'sending'`,
  );
}

/** Messages a crashed run left in `sending`: their delivery is unknown, and they are not sent again. */
export async function abandonInterrupted(
  db: Database,
  where: { campaignId?: string; purpose?: string; olderThan?: Date },
): Promise<number> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`update outbound_messages set status = 'failed',
          reason = 'DELIVERY_UNKNOWN: the run stopped while sending; not sent again'
        where status = 'sending'
          ${where.olderThan ? sql`and created_at < ${where.olderThan.toISOString()}::timestamptz` : sql``}
          ${where.campaignId ? sql`and campaign_id = ${where.campaignId}` : sql``}
          ${where.purpose ? sql`and purpose = ${where.purpose}` : sql``}
        returning id`,
  );
  return rows.length;
}
