import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { buildAudience, type CampaignConfig, type CampaignRow, offerFor, parseCampaign } from './campaigns.ts';
import { issueCoupon } from './coupons.ts';
import { atFrequencyCap, lockCampaignCustomer } from './frequency-cap.ts';
import {
  abandonInterrupted,
  contactOf,
  deliver,
  type MessageDraft,
  recordMessage,
  renderTemplate,
} from '../messaging/index.ts';
import type { SegmentationDeps } from './deps.ts';

/**
 * The campaign send job. A run takes the campaign's lease (so one worker sends it at a time; a crashed
 * worker's lease simply expires), fixes the audience once, then handles pending recipients in batches:
 *
 * - per customer, one transaction decides and records everything — holdout (nothing sent), the coupon, the
 *   frequency cap, the channel and the consent it uses — writes the message row (sending or skipped) and
 *   marks the recipient done; only then is the provider called, and the row finished (sent / failed).
 * - so a rerun after a crash continues with the customers still pending; nobody is recorded twice, and a
 *   message whose provider call was interrupted is marked failed (DELIVERY_UNKNOWN), never sent again.
 * - during quiet hours (Asia/Shanghai) nothing is sent; the run stops and says when to resume.
 */

export interface SendOptions {
  /** Stop after this long and leave the rest to the next run (the job runs every minute). */
  budgetMs?: number;
  leaseMs?: number;
  /** Test hooks: called after a customer's record is committed, and after the provider call. */
  hooks?: {
    afterRecord?(customerId: string): void | Promise<void>;
    afterDeliver?(customerId: string): void | Promise<void>;
  };
}

export interface SendOutcome {
  campaignId: string;
  state: 'completed' | 'quiet' | 'paused' | 'busy' | 'not_due' | 'cancelled';
  processed: number;
  resumeAt?: string;
}

const SHANGHAI_CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Shanghai',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `now` falls in quiet hours (Shanghai time; start 21:00 end 09:00 wraps midnight), and when they end. */
export function quietUntil(quiet: { start: string; end: string } | null, now: Date): Date | null {
  if (!quiet) return null;
  const [h = '0', m = '0'] = SHANGHAI_CLOCK.format(now).split(':');
  const minute = Number(h) * 60 + Number(m);
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return null;
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return null;
  const wait = (end - minute + 1440) % 1440;
  const at = new Date(now.getTime() + wait * 60_000);
  at.setUTCSeconds(0, 0);
  return at;
}

async function claimLease(
  db: Database,
  tenantId: string,
  campaignId: string,
  token: string,
  now: Date,
  leaseMs: number,
) {
  const [row] = await queryRows<CampaignRow>(
    db,
    sql`update campaigns
        set lease_token = ${token}, lease_until = ${new Date(now.getTime() + leaseMs).toISOString()}::timestamptz,
            status = case when status = 'scheduled' then 'sending'::campaign_status else status end,
            started_at = coalesce(started_at, ${now.toISOString()}::timestamptz)
        where tenant_id = ${tenantId} and id = ${campaignId} and status in ('scheduled', 'sending')
          and scheduled_at <= ${now.toISOString()}::timestamptz
          and (lease_until is null or lease_until < ${now.toISOString()}::timestamptz)
        returning *`,
  );
  return row ? parseCampaign(row) : null;
}

async function renewLease(db: Database, campaignId: string, token: string, until: Date): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update campaigns set lease_until = ${until.toISOString()}::timestamptz
        where id = ${campaignId} and lease_token = ${token} and status = 'sending' returning id`,
  );
  return rows.length > 0;
}

async function releaseLease(db: Database, campaignId: string, token: string) {
  await db.execute(
    sql`update campaigns set lease_token = null, lease_until = null where id = ${campaignId} and lease_token = ${token}`,
  );
}

interface Recipient {
  customer_id: string;
  holdout: boolean;
  preferred_category: string | null;
}

/** Handles one recipient; returns whether anything was recorded (false: someone else already did). */
async function processRecipient(
  db: Database,
  deps: SegmentationDeps,
  c: CampaignConfig,
  r: Recipient,
  options: SendOptions,
): Promise<boolean> {
  const now = deps.now();
  const contact = await contactOf(db, c.tenantId, r.customer_id, deps.customerAppId);
  const base = {
    tenantId: c.tenantId,
    customerId: r.customer_id,
    campaignId: c.id,
    purpose: 'campaign',
    dedupeKey: `campaign:${c.id}:${r.customer_id}`,
    to: contact,
    now,
  };

  const recorded = await db.transaction(async (tx) => {
    const [locked] = await queryRows<{ status: string }>(
      tx,
      sql`select status from campaign_recipients where campaign_id = ${c.id} and customer_id = ${r.customer_id} for update`,
    );
    if (locked?.status !== 'pending') return null;
    // Held to the commit, by then this campaign's message is recorded (`sending`) and counts for the next one.
    await lockCampaignCustomer(tx, c.tenantId, r.customer_id);
    const done = (couponId: string | null) =>
      tx.execute(
        sql`update campaign_recipients set status = 'done', coupon_id = ${couponId}, processed_at = ${now.toISOString()}::timestamptz
            where campaign_id = ${c.id} and customer_id = ${r.customer_id}`,
      );
    if (r.holdout) {
      const message = await recordMessage(tx, { ...base, skipReason: 'holdout' });
      await done(null);
      return message;
    }

    const offer = offerFor(c.offer, r.preferred_category);
    const coupon = offer
      ? await issueCoupon(tx, { tenantId: c.tenantId, customerId: r.customer_id, offer, now, campaignId: c.id })
      : null;
    const vars = {
      name: contact.name ?? '顾客',
      coupon: coupon ? `${coupon.title}（${coupon.description}）` : '',
      category: r.preferred_category ?? '',
    };

    let capped = false;
    if (c.frequencyCap) {
      const [row] = await queryRows<{ capped: boolean }>(
        tx,
        sql`select ${atFrequencyCap(c.tenantId, sql`${r.customer_id}::uuid`, c.frequencyCap, now)} as capped`,
      );
      capped = row?.capped === true;
    }

    const draft: MessageDraft = {
      ...base,
      skipReason: capped
        ? 'frequency_cap'
        : c.channels.includes('wechat') || c.channels.includes('sms')
          ? c.channels.includes('in_app')
            ? 'no_consent: in-app banner only'
            : 'no_consent'
          : 'in_app_only',
      context: { couponId: coupon?.id ?? null },
    };
    const wechat = c.message.wechat;
    if (!capped && c.channels.includes('wechat') && wechat) {
      draft.wechat = {
        templateId: wechat.templateId ?? deps.templates.campaign,
        ...(wechat.page ? { page: wechat.page } : {}),
        data: Object.fromEntries(Object.entries(wechat.data).map(([key, text]) => [key, renderTemplate(text, vars)])),
      };
    }
    // Campaigns are marketing: SMS only to customers who agreed to both.
    const sms = c.message.sms;
    if (!capped && c.channels.includes('sms') && sms && contact.sms && contact.marketing) {
      draft.sms = { template: sms.template, text: renderTemplate(sms.text, vars), params: vars };
    }
    const message = await recordMessage(tx, draft);
    await done(coupon?.id ?? null);
    return message;
  });
  if (!recorded) return false;
  await options.hooks?.afterRecord?.(r.customer_id);
  await deliver(db, deps, recorded);
  await options.hooks?.afterDeliver?.(r.customer_id);
  return true;
}

/** Sends (or continues sending) one campaign, if it is due and no other worker holds it. */
export async function runCampaignSend(
  db: Database,
  deps: SegmentationDeps,
  tenantId: string,
  campaignId: string,
  options: SendOptions = {},
): Promise<SendOutcome> {
  const leaseMs = options.leaseMs ?? 120_000;
  const budgetMs = options.budgetMs ?? 50_000;
  const started = Date.now();
  const token = randomUUID();
  const c = await claimLease(db, tenantId, campaignId, token, deps.now(), leaseMs);
  if (!c) {
    const [row] = await queryRows<{ status: string; lease_until: Date | string | null }>(
      db,
      sql`select status, lease_until from campaigns where tenant_id = ${tenantId} and id = ${campaignId}`,
    );
    return { campaignId, state: row?.lease_until && row.status === 'sending' ? 'busy' : 'not_due', processed: 0 };
  }
  if (!c.audienceBuiltAt) {
    await db.transaction(async (tx) => {
      await buildAudience(tx, c, deps.now(), deps.holdoutSalt);
      await tx.execute(
        sql`update campaigns set audience_built_at = ${deps.now().toISOString()}::timestamptz where id = ${c.id}`,
      );
    });
  }
  // Holding the lease, any message of this campaign still `sending` was left by a run that died mid-call.
  await abandonInterrupted(db, { campaignId: c.id });

  let processed = 0;
  for (;;) {
    const now = deps.now();
    const [state] = await queryRows<{ status: string }>(db, sql`select status from campaigns where id = ${c.id}`);
    if (state?.status !== 'sending') {
      await releaseLease(db, c.id, token);
      return { campaignId, state: 'cancelled', processed };
    }
    const resume = quietUntil(c.quietHours, now);
    if (resume) {
      await releaseLease(db, c.id, token);
      return { campaignId, state: 'quiet', processed, resumeAt: resume.toISOString() };
    }
    const batch = await queryRows<Recipient>(
      db,
      sql`select customer_id, holdout, preferred_category from campaign_recipients
          where campaign_id = ${c.id} and status = 'pending' order by customer_id limit ${deps.campaignBatchSize}`,
    );
    if (batch.length === 0) {
      await db.execute(
        sql`update campaigns set status = 'completed', completed_at = ${now.toISOString()}::timestamptz,
              lease_token = null, lease_until = null
            where id = ${c.id} and lease_token = ${token}`,
      );
      return { campaignId, state: 'completed', processed };
    }
    for (const recipient of batch) {
      if (await processRecipient(db, deps, c, recipient, options)) processed++;
    }
    if (!(await renewLease(db, c.id, token, new Date(deps.now().getTime() + leaseMs)))) {
      return { campaignId, state: 'busy', processed };
    }
    if (Date.now() - started > budgetMs) {
      await releaseLease(db, c.id, token);
      return { campaignId, state: 'paused', processed };
    }
  }
}

/** Every campaign of every tenant that is due and not being sent by another worker. */
export async function runDueCampaigns(
  db: Database,
  deps: SegmentationDeps,
  options: SendOptions = {},
): Promise<SendOutcome[]> {
  const now = deps.now().toISOString();
  const due = await queryRows<{ tenant_id: string; id: string }>(
    db,
    sql`select tenant_id, id from campaigns
        where status in ('scheduled', 'sending') and scheduled_at <= ${now}::timestamptz
          and (lease_until is null or lease_until < ${now}::timestamptz)
        order by scheduled_at, id limit 50`,
  );
  const outcomes: SendOutcome[] = [];
  for (const c of due) outcomes.push(await runCampaignSend(db, deps, c.tenant_id, c.id, options));
  return outcomes;
}

// ── tier change notifications ───────────────────────────────────────────────────────────────────────────────

/**
 * Tells customers about upgrades and downgrades: a subscribe message when they hold an unused consent for the
 * tier template, else an SMS when they agreed to SMS, else a skipped record. Each change is notified once.
 */
export async function sendTierNotifications(
  db: Database,
  deps: SegmentationDeps,
): Promise<{ sent: number; skipped: number; failed: number }> {
  const result = { sent: 0, skipped: 0, failed: 0 };
  await abandonInterrupted(db, { purpose: 'tier_change', olderThan: new Date(deps.now().getTime() - 10 * 60_000) });
  for (;;) {
    const changes = await queryRows<{
      id: number;
      tenant_id: string;
      customer_id: string;
      direction: 'up' | 'down';
      tier_name: string | null;
    }>(
      db,
      sql`select tc.id, tc.tenant_id, tc.customer_id, tc.direction, l.name as tier_name
          from tier_changes tc left join tier_levels l on l.tenant_id = tc.tenant_id and l.id = tc.to_tier_id
          where tc.notify_pending order by tc.id limit 200`,
    );
    if (changes.length === 0) return result;
    for (const change of changes) {
      const now = deps.now();
      const contact = await contactOf(db, change.tenant_id, change.customer_id, deps.customerAppId);
      const tierName = change.tier_name ?? '普通会员';
      const text = change.direction === 'up' ? `恭喜您升级为${tierName}` : `您的会员等级已调整为${tierName}`;
      const recorded = await db.transaction(async (tx) => {
        const claimed = await queryRows<{ id: number }>(
          tx,
          sql`update tier_changes set notify_pending = false where id = ${change.id} and notify_pending returning id`,
        );
        if (claimed.length === 0) return null;
        return recordMessage(tx, {
          tenantId: change.tenant_id,
          customerId: change.customer_id,
          purpose: 'tier_change',
          dedupeKey: `tier:${change.id}`,
          to: contact,
          wechat: {
            templateId: deps.templates.tier_change,
            page: 'pages/member/index',
            data: { thing1: tierName, thing2: text },
          },
          ...(contact.sms ? { sms: { template: 'tier_change', text: `${text}。`, params: { tier: tierName } } } : {}),
          context: { direction: change.direction, tier: tierName },
          now,
        });
      });
      if (!recorded) continue;
      const outcome = await deliver(db, deps, recorded);
      result[outcome === 'wechat' || outcome === 'sms' ? 'sent' : outcome]++;
    }
  }
}
