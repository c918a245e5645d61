import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { customers } from '../customers/index.ts';

/** How a customer can be reached, and what they agreed to (customers.consents). */
export interface Contact {
  name: string | null;
  phone: string | null;
  /** Their openid in the customer mini-program, where subscribe messages go. */
  openid: string | null;
  marketing: boolean;
  sms: boolean;
}

/** Contacts of several customers of one tenant; customers that do not exist are absent from the map. */
export async function contactsOf(
  db: Database,
  tenantId: string,
  customerIds: string[],
  appId: string,
): Promise<Map<string, Contact>> {
  if (customerIds.length === 0) return new Map();
  const rows = await db
    .select({
      id: customers.id,
      name: customers.name,
      phone: customers.phone,
      consents: customers.consents,
      // The identity the customer first logged in with, should they have several in the app. Spelled out:
      // drizzle leaves columns of a single-table select unqualified, which would bind them to the subquery.
      openid: sql<string | null>`(select i.openid from customer_identities i
        where i.tenant_id = customers.tenant_id and i.customer_id = customers.id and i.app_id = ${appId}
        order by i.created_at limit 1)`,
    })
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), inArray(customers.id, customerIds)));
  return new Map(rows.map((row) => [row.id, contactOfRow(row)]));
}

interface ContactRow {
  name: string | null;
  phone: string | null;
  openid: string | null;
  consents: { marketing?: unknown; sms?: unknown };
}

const contactOfRow = (row: ContactRow): Contact => ({
  name: row.name,
  phone: row.phone,
  openid: row.openid,
  marketing: row.consents.marketing === true,
  sms: row.consents.sms === true,
});

const NOBODY: Contact = { name: null, phone: null, openid: null, marketing: false, sms: false };

/**
 * One customer's contact as a JSON value for another statement to carry (the bill notice reads it with the
 * tenant: one round trip); contactOfJson reads it back. Null when the customer does not exist.
 */
export const contactJsonSql = (tenantId: string, customerId: string, appId: string) =>
  sql`(select json_build_object('name', c.name, 'phone', c.phone, 'consents', c.consents,
         'openid', (select i.openid from customer_identities i
                    where i.tenant_id = c.tenant_id and i.customer_id = c.id and i.app_id = ${appId}
                    order by i.created_at limit 1))
       from customers c where c.tenant_id = ${tenantId} and c.id = ${customerId})`;

export const contactOfJson = (value: unknown): Contact => (value ? contactOfRow(value as ContactRow) : NOBODY);

export async function contactOf(db: Database, tenantId: string, customerId: string, appId: string): Promise<Contact> {
  return (await contactsOf(db, tenantId, [customerId], appId)).get(customerId) ?? NOBODY;
}
