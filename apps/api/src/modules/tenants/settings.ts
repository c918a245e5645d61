import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { forgetInTransaction, inTransactionOnce, knownInTransaction } from '../../db/transaction-memo.ts';
import { tenants } from './tables.ts';

/**
 * One section of tenants.settings (checkout, credit, messaging …), validated by the module's zod schema with
 * defaults for what is missing. A section that no longer validates (written by hand, or by an older version)
 * falls back to the defaults rather than breaking every route that reads it.
 */
export async function readSettingsSection<S extends z.ZodType>(
  db: Database,
  tenantId: string,
  section: string,
  schema: S,
): Promise<z.output<S>> {
  return settingsSection(await tenantSettings(db, tenantId), section, schema);
}

/** One section of a settings document already read (validated, with defaults, as readSettingsSection). */
export function settingsSection<S extends z.ZodType>(settings: unknown, section: string, schema: S): z.output<S> {
  const raw = (settings as Record<string, unknown> | null | undefined)?.[section] ?? {};
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : schema.parse({});
}

const settingsKey = (tenantId: string) => `tenant-settings:${tenantId}`;

/**
 * The tenant's whole settings document (every module's section), read once per transaction: a checkout's
 * settlement asks for the checkout and ledger sections five times. Outside a transaction each call reads it.
 */
export function tenantSettings(db: Database, tenantId: string): Promise<Record<string, unknown>> {
  return inTransactionOnce(db, settingsKey(tenantId), async () => {
    const [row] = await db.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId));
    return (row?.settings as Record<string, unknown> | undefined) ?? {};
  });
}

/** The settings document as a statement of this transaction read it along with other rows (no second read). */
export function settingsReadInTransaction(db: Database, tenantId: string, settings: unknown): void {
  knownInTransaction(db, settingsKey(tenantId), (settings as Record<string, unknown> | null) ?? {});
}

/** A settings change in this transaction: the next read in it reads the document again. */
export function forgetTenantSettings(tx: Database, tenantId: string): void {
  forgetInTransaction(tx, settingsKey(tenantId));
}
