import type { FrequencyCap } from '@lumi/shared';
import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';

/**
 * Whether a customer has reached a campaign frequency cap at `now`: `maxMessages` campaign messages that may
 * have reached her in the last `perDays` days — sent, still being sent (recorded, the provider call not made
 * yet), or interrupted mid-call (DELIVERY_UNKNOWN: she may have it). Skipped and refused ones reached nobody.
 * The send job asks it per recipient when it decides, the audience preview for every matching customer, so
 * both count the same messages.
 */
export function atFrequencyCap(tenantId: string, customerId: SQL, cap: FrequencyCap, now: Date): SQL {
  const since = new Date(now.getTime() - cap.perDays * 86_400_000).toISOString();
  return sql`((select count(*) from outbound_messages o
     where o.tenant_id = ${tenantId} and o.customer_id = ${customerId} and o.purpose = 'campaign'
       and (o.status in ('sent', 'sending') or (o.status = 'failed' and o.reason like 'DELIVERY_UNKNOWN%'))
       and o.created_at > ${since}::timestamptz) >= ${cap.maxMessages})`;
}

/**
 * Serialises campaign decisions about one customer until the caller's transaction ends: two campaigns sending
 * at once would otherwise both count her messages before either has recorded its own, and both send. Every
 * campaign takes it, capped or not — an uncapped campaign's message counts against another's cap.
 */
export async function lockCampaignCustomer(tx: Database, tenantId: string, customerId: string): Promise<void> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtext('segmentation.campaign_customer'), hashtext(${`${tenantId}:${customerId}`}))`,
  );
}
