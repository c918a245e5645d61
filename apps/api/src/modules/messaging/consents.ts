import { and, eq, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { subscribeConsents } from './tables.ts';

/** Consents a customer may hold unused per template; WeChat accumulates them, but without bound they are noise. */
export const MAX_UNUSED_CONSENTS = 50;

/** Records one consent the customer gave in wx.requestSubscribeMessage; returns how many are unused now. */
export async function recordConsent(
  db: Database,
  tenantId: string,
  customerId: string,
  templateId: string,
  now: Date,
): Promise<{ templateId: string; available: number }> {
  return db.transaction(async (tx) => {
    const available = await unusedConsents(tx, tenantId, customerId, templateId);
    if (available < MAX_UNUSED_CONSENTS) {
      await tx.insert(subscribeConsents).values({ tenantId, customerId, templateId, grantedAt: now });
      return { templateId, available: available + 1 };
    }
    return { templateId, available };
  });
}

async function unusedConsents(db: Database, tenantId: string, customerId: string, templateId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(subscribeConsents)
    .where(
      and(
        eq(subscribeConsents.tenantId, tenantId),
        eq(subscribeConsents.customerId, customerId),
        eq(subscribeConsents.templateId, templateId),
        sql`${subscribeConsents.consumedAt} is null`,
      ),
    );
  return Number(row?.n ?? 0);
}

/** Unused consents per template for one customer. */
export async function listConsents(db: Database, tenantId: string, customerId: string) {
  const rows = await db
    .select({ templateId: subscribeConsents.templateId, available: sql<number>`count(*)::int` })
    .from(subscribeConsents)
    .where(
      and(
        eq(subscribeConsents.tenantId, tenantId),
        eq(subscribeConsents.customerId, customerId),
        sql`${subscribeConsents.consumedAt} is null`,
      ),
    )
    .groupBy(subscribeConsents.templateId)
    .orderBy(subscribeConsents.templateId);
  return rows.map((r) => ({ templateId: r.templateId, available: Number(r.available) }));
}

export interface ConsentClaim {
  tenantId: string;
  customerId: string;
  templateId: string;
  by: string;
  now: Date;
}

/**
 * Consumes one unused consent for the template; false when the customer has none left. SKIP LOCKED lets two
 * senders claim two different consents instead of one waiting for the other and then finding it used.
 */
export async function claimConsent(tx: Database, input: ConsentClaim): Promise<boolean> {
  const rows = await queryRows<{ id: number }>(tx, consentClaimSql(input));
  return rows.length > 0;
}

/** claimConsent's statement (returning the consent's id), for a statement that claims it along with more. */
export const consentClaimSql = (input: ConsentClaim) =>
  sql`update subscribe_consents set consumed_at = ${input.now.toISOString()}::timestamptz, consumed_by = ${input.by}
      where id = (select id from subscribe_consents
                  where tenant_id = ${input.tenantId} and customer_id = ${input.customerId}
                    and template_id = ${input.templateId} and consumed_at is null
                  order by id limit 1 for update skip locked)
      returning id`;
