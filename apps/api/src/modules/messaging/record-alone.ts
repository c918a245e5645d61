import { type SQL, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { UNIQUE_VIOLATION, sqlState } from '../../db/pg-errors.ts';
import { consentClaimSql } from './consents.ts';
import { type MessageDraft, prepare, type RecordedMessage, wantsConsent } from './outbound.ts';

/**
 * recordMessage for a sender with nothing else to write (a bill notice after its bill committed): the record
 * and the consent its WeChat part uses in one statement, without a transaction of its own (one round trip
 * instead of five: docs/performance.md). A dedupe key already recorded makes the insert fail, which undoes the
 * consent's claim with it, so a duplicate never uses one up; it answers null, like recordMessage.
 */
export async function recordMessageAlone(db: Database, draft: MessageDraft): Promise<RecordedMessage | null> {
  const claims = wantsConsent(draft);
  const consented = prepare(draft, true);
  const refused = prepare(draft, false);
  // With a consent to claim, each column is the consented value when the claim found one.
  const value = (pick: (p: typeof refused) => unknown, cast: SQL) =>
    claims && pick(consented) !== pick(refused)
      ? sql`case when exists (select from consent) then ${pick(consented)}${cast} else ${pick(refused)}${cast} end`
      : sql`${pick(refused)}${cast}`;
  const json = (p: typeof refused) => JSON.stringify(p.record.payload);
  try {
    const [row] = await queryRows<{ id: number; channel: string }>(
      db,
      sql`${claims ? sql`with consent as (${consentClaimSql({ tenantId: draft.tenantId, customerId: draft.customerId, templateId: draft.wechat.templateId, by: draft.dedupeKey, now: draft.now })}) ` : sql``}
          insert into outbound_messages
            (tenant_id, customer_id, campaign_id, purpose, dedupe_key, channel, status, reason, payload, created_at)
          select ${draft.tenantId}::uuid, ${draft.customerId}::uuid, ${draft.campaignId ?? null}::uuid,
                 ${draft.purpose}, ${draft.dedupeKey}, ${value((p) => p.record.channel, sql`::text`)},
                 ${value((p) => p.record.status, sql`::outbound_message_status`)},
                 ${value((p) => p.record.reason, sql`::text`)}, ${value(json, sql`::jsonb`)},
                 ${draft.now.toISOString()}::timestamptz
          returning id, channel`,
    );
    if (!row) return null;
    const chosen = claims && row.channel === 'wechat' ? consented : refused;
    return { id: Number(row.id), ...chosen.message };
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION) return null;
    throw error;
  }
}
