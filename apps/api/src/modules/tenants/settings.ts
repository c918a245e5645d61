import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Database } from '../../db/database.ts';
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
  const [row] = await db.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId));
  const raw = (row?.settings as Record<string, unknown> | undefined)?.[section] ?? {};
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : schema.parse({});
}
