import { createHash } from 'node:crypto';
import {
  type Campaign,
  type CampaignAudience,
  CampaignAudienceSchema,
  type CampaignFeedbackRequest,
  type CampaignMessage,
  CampaignMessageSchema,
  type CampaignMessagesQuery,
  type CampaignResults,
  type CouponOffer,
  CouponOfferSchema,
  type CreateCampaignRequest,
  type Survey,
  SurveySchema,
} from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Database, queryRows, uuidArray } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import { getGroup, groupCondition, groupFrom } from './groups.ts';
import { renderTemplate } from '../messaging/index.ts';
import { mergedInto, paidTransfers, spendRows } from './spend.ts';
import { armResult, type ArmCounts, computeUplift } from './uplift.ts';

/**
 * Wake-up campaigns (唤醒): a manager picks an audience (RFM segments or a custom group), an offer (a coupon,
 * optionally a different one per favourite category), the messages and channels, when to start, quiet hours, a
 * frequency cap and a holdout share. When the campaign starts, its audience is fixed in campaign_recipients,
 * each customer deterministically in the holdout or not; the send job (send.ts) then works through them.
 */

const OfferSchema = z.object({
  default: CouponOfferSchema.nullable(),
  byCategory: z.array(z.object({ category: z.string(), offer: CouponOfferSchema })).default([]),
});
export type CampaignOffer = z.infer<typeof OfferSchema>;

const QuietHoursSchema = z.object({ start: z.string(), end: z.string() }).nullable();
const FrequencyCapSchema = z.object({ maxMessages: z.number().int(), perDays: z.number().int() }).nullable();

export interface CampaignRow {
  id: string;
  tenant_id: string;
  name: string;
  status: Campaign['status'];
  audience: unknown;
  offer: unknown;
  message: unknown;
  channels: string[];
  scheduled_at: Date | string | null;
  quiet_hours: unknown;
  frequency_cap: unknown;
  holdout_basis_points: number;
  return_window_days: number;
  survey: unknown;
  created_at: Date | string;
  started_at: Date | string | null;
  audience_built_at: Date | string | null;
  completed_at: Date | string | null;
}

/** A campaign row with its JSON columns parsed (they were validated on the way in). */
export interface CampaignConfig {
  id: string;
  tenantId: string;
  name: string;
  status: Campaign['status'];
  audience: CampaignAudience;
  offer: CampaignOffer;
  message: CampaignMessage;
  channels: ('wechat' | 'sms' | 'in_app')[];
  scheduledAt: Date | null;
  quietHours: { start: string; end: string } | null;
  frequencyCap: { maxMessages: number; perDays: number } | null;
  holdoutBasisPoints: number;
  returnWindowDays: number;
  survey: Survey | null;
  createdAt: Date;
  startedAt: Date | null;
  audienceBuiltAt: Date | null;
  completedAt: Date | null;
}

const date = (v: Date | string | null) => (v === null ? null : new Date(v));

export function parseCampaign(row: CampaignRow): CampaignConfig {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    status: row.status,
    audience: CampaignAudienceSchema.parse(row.audience),
    offer: OfferSchema.parse(row.offer),
    message: CampaignMessageSchema.parse(row.message),
    channels: row.channels as CampaignConfig['channels'],
    scheduledAt: date(row.scheduled_at),
    quietHours: QuietHoursSchema.parse(row.quiet_hours ?? null),
    frequencyCap: FrequencyCapSchema.parse(row.frequency_cap ?? null),
    holdoutBasisPoints: Number(row.holdout_basis_points),
    returnWindowDays: Number(row.return_window_days),
    survey: row.survey ? SurveySchema.parse(row.survey) : null,
    createdAt: new Date(row.created_at),
    startedAt: date(row.started_at),
    audienceBuiltAt: date(row.audience_built_at),
    completedAt: date(row.completed_at),
  };
}

/**
 * Whether a customer is in a campaign's holdout: the first 32 bits of md5("<campaign>:<customer>") modulo
 * 10,000, below the holdout share in basis points. Deterministic, so a rerun puts everyone where they were;
 * the SQL in `buildAudience` computes exactly this. `campaignId` is the draw's salt: the campaign's own id
 * (a random uuid, so each campaign draws afresh), or SegmentationDeps.holdoutSalt where one is set.
 */
export function isHoldout(campaignId: string, customerId: string, holdoutBasisPoints: number): boolean {
  const head = createHash('md5').update(`${campaignId}:${customerId}`).digest().readUInt32BE(0);
  return head % 10_000 < holdoutBasisPoints;
}

export async function loadCampaign(
  db: Database,
  tenantId: string,
  campaignId: string,
  lock = false,
): Promise<CampaignConfig> {
  const [row] = await queryRows<CampaignRow>(
    db,
    sql`select * from campaigns where tenant_id = ${tenantId} and id = ${campaignId}::uuid ${lock ? sql`for update` : sql``}`,
  );
  if (!row) throw new AppError('CAMPAIGN_NOT_FOUND', 'Campaign not found');
  return parseCampaign(row);
}

interface Progress {
  recipients: number;
  holdout: number;
  pending: number;
  sent: number;
  failed: number;
  /** Meant to get the offer but not sent (consent, frequency cap, …); the holdout is left out on purpose, not skipped. */
  skipped: number;
}

async function progressOf(db: Database, campaignIds: string[]): Promise<Map<string, Progress>> {
  const out = new Map<string, Progress>();
  if (campaignIds.length === 0) return out;
  const ids = uuidArray(campaignIds);
  const recipients = await queryRows<{ campaign_id: string; recipients: number; holdout: number; pending: number }>(
    db,
    sql`select campaign_id, count(*)::int as recipients, count(*) filter (where holdout)::int as holdout,
               count(*) filter (where status = 'pending')::int as pending
        from campaign_recipients where campaign_id = any(${ids}) group by campaign_id`,
  );
  const messages = await queryRows<{ campaign_id: string; sent: number; failed: number; skipped: number }>(
    db,
    sql`select campaign_id, count(*) filter (where status = 'sent')::int as sent,
               count(*) filter (where status = 'failed')::int as failed,
               count(*) filter (where status = 'skipped' and reason is distinct from 'holdout')::int as skipped
        from outbound_messages where campaign_id = any(${ids}) group by campaign_id`,
  );
  for (const id of campaignIds) out.set(id, { recipients: 0, holdout: 0, pending: 0, sent: 0, failed: 0, skipped: 0 });
  for (const r of recipients)
    Object.assign(out.get(r.campaign_id) as Progress, {
      recipients: r.recipients,
      holdout: r.holdout,
      pending: r.pending,
    });
  for (const m of messages)
    Object.assign(out.get(m.campaign_id) as Progress, { sent: m.sent, failed: m.failed, skipped: m.skipped });
  return out;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toCampaign(c: CampaignConfig, progress: Progress): Campaign {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    audience: c.audience,
    offer: c.offer,
    message: c.message,
    channels: c.channels,
    scheduledAt: iso(c.scheduledAt),
    startedAt: iso(c.startedAt),
    completedAt: iso(c.completedAt),
    quietHours: c.quietHours,
    frequencyCap: c.frequencyCap,
    holdoutBasisPoints: c.holdoutBasisPoints,
    returnWindowDays: c.returnWindowDays,
    survey: c.survey,
    progress,
    createdAt: c.createdAt.toISOString(),
  };
}

export async function getCampaign(db: Database, tenantId: string, campaignId: string): Promise<Campaign> {
  const c = await loadCampaign(db, tenantId, campaignId);
  const progress = await progressOf(db, [c.id]);
  return toCampaign(c, progress.get(c.id) as Progress);
}

export async function listCampaigns(
  db: Database,
  tenantId: string,
): Promise<Omit<Campaign, 'offer' | 'message' | 'survey'>[]> {
  const rows = await queryRows<CampaignRow>(
    db,
    sql`select * from campaigns where tenant_id = ${tenantId} order by created_at desc, id limit 200`,
  );
  const configs = rows.map(parseCampaign);
  const progress = await progressOf(
    db,
    configs.map((c) => c.id),
  );
  return configs.map((c) => {
    const {
      offer: _offer,
      message: _message,
      survey: _survey,
      ...rest
    } = toCampaign(c, progress.get(c.id) as Progress);
    return rest;
  });
}

/** A send time a minute or more in the past (or more than a year ahead) is a mistake, not "now". */
function assertSendTime(at: Date, now: Date, field: string) {
  const late = at.getTime() < now.getTime() - 60_000;
  if (late || at.getTime() > now.getTime() + 365 * 86_400_000) {
    throw new AppError('VALIDATION_FAILED', 'The send time must be from now to a year ahead', [
      { field, message: late ? 'in the past' : 'more than a year ahead' },
    ]);
  }
}

export async function createCampaign(
  db: Database,
  tenantId: string,
  staffId: string,
  body: CreateCampaignRequest,
  now: Date,
): Promise<Campaign> {
  // Whose group first: another salon's group is 404 whatever else the request gets wrong.
  if (body.audience.type === 'group') await getGroup(db, tenantId, body.audience.groupId);
  if (body.scheduledAt) assertSendTime(new Date(body.scheduledAt), now, 'body.scheduledAt');
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`insert into campaigns (tenant_id, name, status, audience, offer, message, channels, scheduled_at, quiet_hours,
                               frequency_cap, holdout_basis_points, return_window_days, survey, created_by)
        values (${tenantId}, ${body.name}, ${body.scheduledAt ? 'scheduled' : 'draft'}, ${JSON.stringify(body.audience)}::jsonb,
                ${JSON.stringify(body.offer)}::jsonb, ${JSON.stringify(body.message)}::jsonb,
                ${`{${body.channels.join(',')}}`}::text[], ${body.scheduledAt}::timestamptz,
                ${body.quietHours ? JSON.stringify(body.quietHours) : null}::jsonb,
                ${body.frequencyCap ? JSON.stringify(body.frequencyCap) : null}::jsonb, ${body.holdoutBasisPoints},
                ${body.returnWindowDays}, ${body.survey ? JSON.stringify(body.survey) : null}::jsonb, ${staffId})
        returning id`,
  );
  if (!row) throw new Error('campaign insert returned nothing');
  await recordAudit(db, {
    tenantId,
    actor: { staffId },
    action: 'segmentation.campaign_created',
    subject: { type: 'campaign', id: row.id },
    after: body,
  });
  return getCampaign(db, tenantId, row.id);
}

/** Schedules a draft (or reschedules a scheduled campaign that has not started). */
export async function scheduleCampaign(
  db: Database,
  tenantId: string,
  staffId: string,
  campaignId: string,
  at: Date,
  now: Date,
): Promise<Campaign> {
  assertSendTime(at, now, 'body.at');
  await db.transaction(async (tx) => {
    const c = await loadCampaign(tx, tenantId, campaignId, true);
    if (c.status !== 'draft' && c.status !== 'scheduled') {
      throw new AppError('CAMPAIGN_NOT_EDITABLE', `The campaign is ${c.status}`, { status: c.status });
    }
    await tx.execute(
      sql`update campaigns set status = 'scheduled', scheduled_at = ${at.toISOString()}::timestamptz, updated_at = now()
          where id = ${c.id}`,
    );
    await recordAudit(tx, {
      tenantId,
      actor: { staffId },
      action: 'segmentation.campaign_scheduled',
      subject: { type: 'campaign', id: c.id },
      before: { status: c.status, scheduledAt: iso(c.scheduledAt) },
      after: { status: 'scheduled', scheduledAt: at.toISOString() },
    });
  });
  return getCampaign(db, tenantId, campaignId);
}

/** Stops a campaign: customers not reached yet are left alone; what was sent stays recorded. */
export async function cancelCampaign(
  db: Database,
  tenantId: string,
  staffId: string,
  campaignId: string,
): Promise<Campaign> {
  await db.transaction(async (tx) => {
    const c = await loadCampaign(tx, tenantId, campaignId, true);
    if (c.status === 'completed' || c.status === 'cancelled') {
      throw new AppError('CAMPAIGN_NOT_EDITABLE', `The campaign is ${c.status}`, { status: c.status });
    }
    await tx.execute(sql`update campaigns set status = 'cancelled', updated_at = now() where id = ${c.id}`);
    await recordAudit(tx, {
      tenantId,
      actor: { staffId },
      action: 'segmentation.campaign_cancelled',
      subject: { type: 'campaign', id: c.id },
      before: { status: c.status },
    });
  });
  return getCampaign(db, tenantId, campaignId);
}

/**
 * Fixes the audience: one INSERT … SELECT of the matching customers with their holdout flag (drawn with
 * `salt`, see isHoldout) and favourite category. Idempotent (a rerun after a crash inserts nothing twice).
 */
export async function buildAudience(tx: Database, c: CampaignConfig, now: Date, salt: string = c.id): Promise<number> {
  const rules =
    c.audience.type === 'segments'
      ? { segments: c.audience.segments }
      : (await getGroup(tx, c.tenantId, c.audience.groupId).catch(() => null))?.rules;
  if (!rules) return 0;
  const rows = await queryRows<{ n: number }>(
    tx,
    sql`with ins as (
          insert into campaign_recipients (tenant_id, campaign_id, customer_id, holdout, preferred_category, status)
          select ${c.tenantId}, ${c.id}, c.id,
                 (('x' || substr(md5(${salt} || ':' || c.id::text), 1, 8))::bit(32)::bigint % 10000) < ${c.holdoutBasisPoints},
                 (select p.preferred_category from customer_preferences p where p.tenant_id = c.tenant_id and p.customer_id = c.id),
                 'pending'
          from ${groupFrom(c.tenantId)} and ${groupCondition(rules, now)}
          on conflict (campaign_id, customer_id) do nothing
          returning 1)
        select count(*)::int as n from ins`,
  );
  return Number(rows[0]?.n ?? 0);
}

/** The offer for a customer: the one for their favourite category if the campaign has one, else the default. */
export function offerFor(offer: CampaignOffer, category: string | null): CouponOffer | null {
  const specific = category ? offer.byCategory.find((o) => o.category === category) : undefined;
  return specific?.offer ?? offer.default;
}

// ── results ─────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Per arm (treated, holdout): customers, messages delivered, opened (in-app visits from the message), coupons
 * redeemed, customers with a paid visit within the return window after the start, and their net spend in it.
 *
 * Counted per person as she is now: a recipient merged into another customer after the start (a WeChat sign-up
 * absorbed at the desk, possibly along a chain A → B → C) is the live customer at the end of her chain, whose
 * visits and spend — hers before the merge and the survivor's — count for her, as do the message and coupon the
 * merge moved to the survivor. Recipients who became one person count once, in the arm of the survivor's own
 * recipient row if she has one, else of the first recipient by id (opened when any of them opened).
 */
export async function campaignResults(
  db: Database,
  tenantId: string,
  campaignId: string,
  now: Date,
  returnWindowDays?: number,
): Promise<CampaignResults> {
  const c = await loadCampaign(db, tenantId, campaignId);
  const days = returnWindowDays ?? c.returnWindowDays;
  const empty: ArmCounts = { customers: 0, delivered: 0, opened: 0, couponsRedeemed: 0, returned: 0, revenueFen: 0 };
  const arms = { treated: { ...empty }, holdout: { ...empty } };
  if (c.startedAt) {
    const since = c.startedAt.toISOString();
    const windowEnd = new Date(Math.min(c.startedAt.getTime() + days * 86_400_000, now.getTime())).toISOString();
    /** The live customer a row's `customer_id` (alias `alias`) is now, given `merged` joined as `${alias}_m`. */
    const person = (alias: string) =>
      sql`coalesce(${sql.identifier(`${alias}_m`)}.into_id, ${sql.identifier(alias)}.customer_id)`;
    const followMerges = (alias: string) =>
      sql`left join merged ${sql.identifier(`${alias}_m`)} on ${sql.identifier(`${alias}_m`)}.from_id = ${sql.identifier(alias)}.customer_id`;
    const rows = await queryRows<{
      holdout: boolean;
      customers: number;
      delivered: number;
      opened: number;
      redeemed: number;
      returned: number;
      revenue: string | number;
    }>(
      db,
      sql`with merged as ${mergedInto(tenantId)},
          people as (
            select ${person('r')} as person,
                   (array_agg(r.holdout order by (r.customer_id = ${person('r')}) desc, r.customer_id))[1] as holdout,
                   bool_or(r.opened_at is not null) as opened
            from campaign_recipients r ${followMerges('r')}
            where r.tenant_id = ${tenantId} and r.campaign_id = ${c.id}
            group by 1
          ),
          visits as (
            select distinct p.customer_id from ${paidTransfers(tenantId, windowEnd)} p
            where p.created_at >= ${since}::timestamptz and p.customer_id in (select person from people)
          ),
          spend as (
            select s.customer_id, sum(s.amount_fen) as fen from ${spendRows(tenantId, null, windowEnd)} s
            where s.created_at >= ${since}::timestamptz and s.customer_id in (select person from people)
            group by s.customer_id
          ),
          sent as (
            select ${person('o')} as person from outbound_messages o ${followMerges('o')}
            where o.tenant_id = ${tenantId} and o.campaign_id = ${c.id} and o.status = 'sent'
          ),
          redeemed as (
            select ${person('k')} as person from coupons k ${followMerges('k')}
            where k.tenant_id = ${tenantId} and k.campaign_id = ${c.id} and k.status = 'redeemed'
          )
          select people.holdout, count(*)::int as customers,
                 count(*) filter (where people.person in (select person from sent))::int as delivered,
                 count(*) filter (where people.opened)::int as opened,
                 count(*) filter (where people.person in (select person from redeemed))::int as redeemed,
                 count(*) filter (where people.person in (select customer_id from visits))::int as returned,
                 coalesce(sum(spend.fen), 0) as revenue
          from people left join spend on spend.customer_id = people.person
          group by people.holdout`,
    );
    for (const row of rows) {
      arms[row.holdout ? 'holdout' : 'treated'] = {
        customers: Number(row.customers),
        delivered: Number(row.delivered),
        opened: Number(row.opened),
        couponsRedeemed: Number(row.redeemed),
        returned: Number(row.returned),
        revenueFen: Number(row.revenue),
      };
    }
  }
  const [feedback] = await queryRows<{ surveys: number; consultations: number }>(
    db,
    sql`select count(*) filter (where type = 'survey')::int as surveys,
               count(*) filter (where type = 'consultation')::int as consultations
        from campaign_feedback where tenant_id = ${tenantId} and campaign_id = ${c.id}`,
  );
  return {
    campaignId: c.id,
    since: iso(c.startedAt),
    returnWindowDays: days,
    treated: armResult(arms.treated),
    holdout: armResult(arms.holdout),
    uplift: computeUplift(arms.treated, arms.holdout),
    feedback: { surveys: Number(feedback?.surveys ?? 0), consultations: Number(feedback?.consultations ?? 0) },
  };
}

export async function listCampaignMessages(
  db: Database,
  tenantId: string,
  campaignId: string,
  query: CampaignMessagesQuery,
) {
  await loadCampaign(db, tenantId, campaignId);
  const rows = await queryRows<{
    id: number;
    customer_id: string;
    channel: 'wechat' | 'sms' | 'none';
    status: 'sending' | 'sent' | 'failed' | 'skipped';
    reason: string | null;
    provider_message_id: string | null;
    created_at: Date | string;
    sent_at: Date | string | null;
  }>(
    db,
    sql`select id, customer_id, channel, status, reason, provider_message_id, created_at, sent_at
        from outbound_messages
        where tenant_id = ${tenantId} and campaign_id = ${campaignId}::uuid
          ${query.status ? sql`and status = ${query.status}` : sql``}
          ${query.cursor ? sql`and id > ${query.cursor}` : sql``}
        order by id limit ${query.limit + 1}`,
  );
  const items = rows.slice(0, query.limit).map((r) => ({
    id: Number(r.id),
    customerId: r.customer_id,
    channel: r.channel,
    status: r.status,
    reason: r.reason,
    providerMessageId: r.provider_message_id,
    createdAt: new Date(r.created_at).toISOString(),
    sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
  }));
  return { items, nextCursor: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null };
}

// ── the customer's side ─────────────────────────────────────────────────────────────────────────────────────

/** Campaigns that reached this customer in the app (treated, in_app channel, handled), newest first. */
export async function myCampaigns(db: Database, tenantId: string, customerId: string, now: Date) {
  const rows = await queryRows<
    CampaignRow & {
      coupon_id: string | null;
      opened_at: Date | string | null;
      customer_name: string | null;
      preferred_category: string | null;
      coupon_title: string | null;
    }
  >(
    db,
    sql`select c.*, r.coupon_id, r.opened_at, r.preferred_category, cu.name as customer_name, co.title as coupon_title
        from campaign_recipients r
        join campaigns c on c.tenant_id = r.tenant_id and c.id = r.campaign_id
        join customers cu on cu.tenant_id = r.tenant_id and cu.id = r.customer_id
        left join coupons co on co.tenant_id = r.tenant_id and co.id = r.coupon_id
        where r.tenant_id = ${tenantId} and r.customer_id = ${customerId} and not r.holdout and r.status = 'done'
          and 'in_app' = any(c.channels) and c.status in ('sending', 'completed')
          and c.started_at > ${now.toISOString()}::timestamptz - interval '90 days'
        order by c.started_at desc limit 20`,
  );
  return rows.map((row) => {
    const c = parseCampaign(row);
    const vars = {
      name: row.customer_name ?? '顾客',
      coupon: row.coupon_title ?? '',
      category: row.preferred_category ?? '',
    };
    return {
      id: c.id,
      title: renderTemplate(c.message.banner?.title ?? c.name, vars),
      body: renderTemplate(c.message.banner?.body ?? '', vars),
      couponId: row.coupon_id,
      survey: c.survey,
      openedAt: row.opened_at ? new Date(row.opened_at).toISOString() : null,
    };
  });
}

async function assertTreatedRecipient(db: Database, tenantId: string, campaignId: string, customerId: string) {
  const [row] = await queryRows<{ holdout: boolean }>(
    db,
    sql`select holdout from campaign_recipients
        where tenant_id = ${tenantId} and campaign_id = ${campaignId}::uuid and customer_id = ${customerId} and status = 'done'`,
  );
  if (!row || row.holdout) throw new AppError('CAMPAIGN_NOT_FOUND', 'Campaign not found');
}

/** The customer came into the app from the campaign's message (the first visit counts). */
export async function markOpened(db: Database, tenantId: string, customerId: string, campaignId: string, now: Date) {
  await assertTreatedRecipient(db, tenantId, campaignId, customerId);
  await db.execute(
    sql`update campaign_recipients set opened_at = coalesce(opened_at, ${now.toISOString()}::timestamptz)
        where tenant_id = ${tenantId} and campaign_id = ${campaignId}::uuid and customer_id = ${customerId}`,
  );
  return { ok: true as const };
}

export async function submitFeedback(
  db: Database,
  tenantId: string,
  customerId: string,
  campaignId: string,
  body: CampaignFeedbackRequest,
  now: Date,
) {
  await assertTreatedRecipient(db, tenantId, campaignId, customerId);
  const c = await loadCampaign(db, tenantId, campaignId);
  if (body.type === 'survey') {
    if (!c.survey) {
      throw new AppError('VALIDATION_FAILED', 'This campaign has no survey', [
        { field: 'body.type', message: 'no survey' },
      ]);
    }
    for (const [id, answer] of Object.entries(body.answers)) {
      const question = c.survey.questions.find((q) => q.id === id);
      if (!question)
        throw new AppError('VALIDATION_FAILED', 'Unknown question', [
          { field: `body.answers.${id}`, message: 'unknown question' },
        ]);
      if (question.options && !question.options.includes(answer))
        throw new AppError('VALIDATION_FAILED', 'Not one of the options', [
          { field: `body.answers.${id}`, message: 'not one of the options' },
        ]);
    }
  }
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`insert into campaign_feedback (tenant_id, campaign_id, customer_id, type, answers, message, preferred_contact, created_at)
        values (${tenantId}, ${campaignId}::uuid, ${customerId}, ${body.type},
                ${body.type === 'survey' ? JSON.stringify(body.answers) : null}::jsonb,
                ${body.type === 'consultation' ? body.message : null},
                ${body.type === 'consultation' ? body.preferredContact : null}, ${now.toISOString()}::timestamptz)
        returning id`,
  );
  return { id: Number(row?.id ?? 0) };
}

export async function listFeedback(db: Database, tenantId: string, campaignId: string) {
  await loadCampaign(db, tenantId, campaignId);
  const rows = await queryRows<{
    id: number;
    campaign_id: string;
    customer_id: string;
    customer_name: string | null;
    type: 'survey' | 'consultation';
    answers: Record<string, string> | null;
    message: string | null;
    preferred_contact: string | null;
    created_at: Date | string;
  }>(
    db,
    sql`select f.id, f.campaign_id, f.customer_id, c.name as customer_name, f.type, f.answers, f.message,
               f.preferred_contact, f.created_at
        from campaign_feedback f join customers c on c.tenant_id = f.tenant_id and c.id = f.customer_id
        where f.tenant_id = ${tenantId} and f.campaign_id = ${campaignId}::uuid
        order by f.id desc limit 500`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    campaignId: r.campaign_id,
    customerId: r.customer_id,
    customerName: r.customer_name,
    type: r.type,
    answers: r.answers,
    message: r.message,
    preferredContact: r.preferred_contact,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}
