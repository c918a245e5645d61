import { type MessagingSettings, MessagingSettingsSchema, type UpdateMessagingSettingsRequest } from '@lumi/shared';
import type { Database } from '../../db/database.ts';
import { updateSettingsSection } from '../settings/index.ts';
import { readSettingsSection, settingsSection } from '../tenants/index.ts';

/** The tenant's message settings (tenants.settings.messaging): muted bill events, SMS fallback. */
export function messagingSettings(db: Database, tenantId: string): Promise<MessagingSettings> {
  return readSettingsSection(db, tenantId, 'messaging', MessagingSettingsSchema);
}

/** The message settings out of a tenant's settings document read along with other columns. */
export const messagingSettingsOf = (settings: unknown): MessagingSettings =>
  settingsSection(settings, 'messaging', MessagingSettingsSchema);

/** Merges a manager's changes into the message settings (audited). */
export function updateMessagingSettings(
  db: Database,
  tenantId: string,
  staffId: string,
  changes: UpdateMessagingSettingsRequest,
): Promise<MessagingSettings> {
  return updateSettingsSection(db, {
    tenantId,
    staffId,
    section: 'messaging',
    schema: MessagingSettingsSchema,
    changes,
  });
}
