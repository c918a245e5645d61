import { type MessagingSettings, MessagingSettingsSchema, type UpdateMessagingSettingsRequest } from '@lumi/shared';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { recordAudit } from '../audit/index.ts';
import { tenants } from '../tenants/index.ts';

/**
 * The tenant's message settings, from tenants.settings.messaging with defaults for what is missing. Settings
 * that no longer validate fall back to the defaults rather than silencing every message.
 */
export async function messagingSettings(db: Database, tenantId: string): Promise<MessagingSettings> {
  const [row] = await db.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId));
  const raw = (row?.settings as { messaging?: unknown } | undefined)?.messaging ?? {};
  const parsed = MessagingSettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : MessagingSettingsSchema.parse({});
}

/** Merges a manager's changes into tenants.settings.messaging (audited). */
export async function updateMessagingSettings(
  db: Database,
  tenantId: string,
  staffId: string,
  changes: UpdateMessagingSettingsRequest,
): Promise<MessagingSettings> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from tenants where id = ${tenantId} for update`);
    const before = await messagingSettings(tx, tenantId);
    const after = MessagingSettingsSchema.parse({ ...before, ...changes });
    await tx
      .update(tenants)
      .set({ settings: sql`jsonb_set(${tenants.settings}, '{messaging}', ${JSON.stringify(after)}::jsonb, true)` })
      .where(eq(tenants.id, tenantId));
    await recordAudit(tx, {
      tenantId,
      actor: { staffId },
      action: 'messaging.settings_changed',
      subject: { type: 'tenant', id: tenantId },
      before,
      after,
    });
    return after;
  });
}
