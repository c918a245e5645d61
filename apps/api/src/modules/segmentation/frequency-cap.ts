import type { FrequencyCap } from '@lumi/shared';
import { type SQL, sql } from 'drizzle-orm';

/**
 * Whether a customer has reached a campaign frequency cap at `now`: `maxMessages` campaign messages *sent* to
 * her in the last `perDays` days (skipped and failed ones reached nobody). The send job asks it per recipient
 * when it decides, the audience preview for every matching customer, so both count the same messages.
 */
export function atFrequencyCap(tenantId: string, customerId: SQL, cap: FrequencyCap, now: Date): SQL {
  const since = new Date(now.getTime() - cap.perDays * 86_400_000).toISOString();
  return sql`((select count(*) from outbound_messages o
     where o.tenant_id = ${tenantId} and o.customer_id = ${customerId} and o.purpose = 'campaign' and o.status = 'sent'
       and o.created_at > ${since}::timestamptz) >= ${cap.maxMessages})`;
}
