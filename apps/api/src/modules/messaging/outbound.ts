import type { TemplatePurpose } from '@lumi/shared';
import { and, eq, sql } from 'drizzle-orm';
import type { AppConfig } from '../../config/index.ts';
import { type Database, queryRows } from '../../db/database.ts';
import { createWechatAccessToken, type WechatAccessToken } from './access-token.ts';
import { claimConsent } from './consents.ts';
import type { Contact } from './contacts.ts';
import { createRecordingSmsSender, type SmsMessage, type SmsSender } from './sms.ts';
import {
  createSubscribeMessageClient,
  type SubscribeMessage,
  type SubscribeMessageSender,
} from './subscribe-client.ts';
import { outboundMessages } from './tables.ts';
import { subscribeTemplates, wechatValue } from './templates.ts';

/**
 * How Lumi reaches a customer. Every message is a row in outbound_messages, unique per dedupe key, written in
 * the sender's transaction *before* any provider is called — together with the one-time consent it uses and
 * whatever the sender claims (a reminder, a campaign recipient, a tier change) — and finished after the call:
 * sent, or failed with the provider's error; a customer who cannot be reached gets a skipped row with the
 * reason. A crash between the two leaves a `sending` row, which the sender's next run marks failed
 * (DELIVERY_UNKNOWN) instead of sending again: a customer never gets the same message twice.
 */
export interface MessagingDeps {
  /** The business clock (tests move it). */
  now(): Date;
  wechat: SubscribeMessageSender;
  /** The customer mini-program's access token (subscribe messages, its 小程序码 for the counter). */
  customerAccessToken: WechatAccessToken;
  sms: SmsSender;
  /** The customer mini-program, whose openids subscribe messages go to. */
  customerAppId: string;
  templates: Record<TemplatePurpose, string>;
  /** The staff mini-program: 审批 alerts to managers (manager-alerts.ts). */
  staff: { appId: string; wechat: SubscribeMessageSender; approvalTemplate: string };
}

export function messagingDeps(config: AppConfig, db: Database, now: () => Date = () => new Date()): MessagingDeps {
  const customerAccessToken = createWechatAccessToken({
    baseUrl: config.WECHAT_API_BASE,
    appId: config.WECHAT_CUSTOMER_APPID,
    secret: config.WECHAT_CUSTOMER_SECRET,
    timeoutMs: config.WECHAT_TIMEOUT_MS,
  });
  return {
    now,
    wechat: createSubscribeMessageClient({
      baseUrl: config.WECHAT_API_BASE,
      accessToken: customerAccessToken,
      timeoutMs: config.WECHAT_TIMEOUT_MS,
    }),
    customerAccessToken,
    sms: createRecordingSmsSender(db),
    customerAppId: config.WECHAT_CUSTOMER_APPID,
    templates: subscribeTemplates(config),
    staff: {
      appId: config.WECHAT_STAFF_APPID,
      wechat: createSubscribeMessageClient({
        baseUrl: config.WECHAT_API_BASE,
        accessToken: createWechatAccessToken({
          baseUrl: config.WECHAT_API_BASE,
          appId: config.WECHAT_STAFF_APPID,
          secret: config.WECHAT_STAFF_SECRET,
          timeoutMs: config.WECHAT_TIMEOUT_MS,
        }),
        timeoutMs: config.WECHAT_TIMEOUT_MS,
      }),
      approvalTemplate: config.WECHAT_TEMPLATE_APPROVAL_WAITING,
    },
  };
}

export type Channel = 'wechat' | 'sms' | 'none';

export interface MessageDraft {
  tenantId: string;
  customerId: string;
  /** credit_reminder, campaign, tier_change, bill_settled … */
  purpose: string;
  /** One message per key and tenant, ever. */
  dedupeKey: string;
  campaignId?: string | null;
  to: Pick<Contact, 'openid' | 'phone'>;
  /** Sent as a subscribe message when the customer has an openid and an unused consent for the template. */
  wechat?: { templateId: string; page?: string; data: Record<string, string> };
  /** Sent when WeChat is not possible or refuses, if the customer has a phone. */
  sms?: { template: string; text: string; params: Record<string, string> };
  /** Recorded when neither channel is possible; no_consent when not given. */
  skipReason?: string;
  /** Kept in the record's payload beside what was prepared. */
  context?: Record<string, unknown>;
  now: Date;
}

export interface RecordedMessage {
  id: number;
  tenantId: string;
  customerId: string;
  /** Null when the customer cannot get it by WeChat (no openid, no consent, no template). */
  wechat: SubscribeMessage | null;
  sms: Omit<SmsMessage, 'tenantId' | 'customerId'> | null;
}

/**
 * In the caller's transaction: records the message once and claims the consent its WeChat part uses. Returns
 * it for `deliver` after the commit, or null when the dedupe key was already recorded.
 */
export async function recordMessage(tx: Database, draft: MessageDraft): Promise<RecordedMessage | null> {
  const [row] = await tx
    .insert(outboundMessages)
    .values({
      tenantId: draft.tenantId,
      customerId: draft.customerId,
      campaignId: draft.campaignId ?? null,
      purpose: draft.purpose,
      dedupeKey: draft.dedupeKey,
      channel: 'none',
      status: 'sending',
      createdAt: draft.now,
    })
    .onConflictDoNothing()
    .returning({ id: outboundMessages.id });
  if (!row) return null;

  // The consent is claimed only once the record is ours, so a duplicate never uses one up.
  const consented =
    wantsConsent(draft) &&
    (await claimConsent(tx, {
      tenantId: draft.tenantId,
      customerId: draft.customerId,
      templateId: draft.wechat.templateId,
      by: draft.dedupeKey,
      now: draft.now,
    }));
  const prepared = prepare(draft, consented);
  await tx.update(outboundMessages).set(prepared.record).where(eq(outboundMessages.id, row.id));
  return { id: row.id, ...prepared.message };
}

/** Whether the draft's WeChat part can be sent, given a consent to claim for it. */
export const wantsConsent = (
  draft: MessageDraft,
): draft is MessageDraft & { wechat: NonNullable<MessageDraft['wechat']> } =>
  draft.wechat !== undefined && draft.to.openid !== null;

/** The record's channel, status and payload, and the message to deliver, once the consent is claimed or not. */
export function prepare(draft: MessageDraft, consented: boolean) {
  const openid = draft.to.openid;
  const wechat =
    consented && draft.wechat && openid
      ? {
          openid,
          templateId: draft.wechat.templateId,
          ...(draft.wechat.page ? { page: draft.wechat.page } : {}),
          data: Object.fromEntries(
            Object.entries(draft.wechat.data).map(([key, value]) => [key, wechatValue(key, value)]),
          ),
        }
      : null;
  const phone = draft.to.phone;
  const sms =
    draft.sms && phone ? { phone, template: draft.sms.template, params: draft.sms.params, body: draft.sms.text } : null;
  const sending = wechat !== null || sms !== null;
  return {
    record: {
      channel: (wechat ? 'wechat' : sms ? 'sms' : 'none') as Channel,
      status: sending ? ('sending' as const) : ('skipped' as const),
      reason: sending ? null : (draft.skipReason ?? 'no_consent'),
      payload: {
        wechat: wechat && { templateId: wechat.templateId, page: wechat.page ?? null, data: wechat.data },
        sms: sms?.body ?? null,
        ...draft.context,
      },
    },
    message: { tenantId: draft.tenantId, customerId: draft.customerId, wechat, sms },
  };
}

/** wechat / sms: sent by that channel; failed: every channel refused; skipped: nothing could be sent. */
export type DeliveryOutcome = 'wechat' | 'sms' | 'failed' | 'skipped';

/**
 * Calls the providers for a recorded message and finishes its record: WeChat first when a consent was claimed
 * for it, SMS when WeChat is not possible or refuses; the providers' errors are kept.
 */
export async function deliver(db: Database, deps: MessagingDeps, message: RecordedMessage): Promise<DeliveryOutcome> {
  if (!message.wechat && !message.sms) return 'skipped';
  let wechatError: string | null = null;
  if (message.wechat) {
    const result = await deps.wechat.send(message.wechat);
    if (result.ok) {
      await finish(db, message.id, {
        status: 'sent',
        channel: 'wechat',
        providerMessageId: result.msgid,
        now: deps.now(),
      });
      return 'wechat';
    }
    wechatError = `wechat ${result.errcode}: ${result.errmsg}`.slice(0, 300);
  }
  if (message.sms) {
    try {
      const sent = await deps.sms.send({ tenantId: message.tenantId, customerId: message.customerId, ...message.sms });
      await finish(db, message.id, {
        status: 'sent',
        channel: 'sms',
        providerMessageId: sent.id,
        reason: wechatError,
        now: deps.now(),
      });
      return 'sms';
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
  await db
    .update(outboundMessages)
    .set({
      status: f.status,
      channel: f.channel,
      providerMessageId: f.providerMessageId ?? null,
      reason: f.reason ?? null,
      sentAt: f.status === 'sent' ? f.now : null,
    })
    .where(and(eq(outboundMessages.id, id), eq(outboundMessages.status, 'sending')));
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
