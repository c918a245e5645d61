import { type TenantCreditSettings, TenantCreditSettingsSchema, type UpdateCreditSettingsRequest } from '@lumi/shared';
import type { Database } from '../../db/database.ts';
import { updateSettingsSection } from '../settings/index.ts';
import { readSettingsSection } from '../tenants/index.ts';

/** The tenant's credit rules (tenants.settings.credit). */
export function creditSettings(db: Database, tenantId: string): Promise<TenantCreditSettings> {
  return readSettingsSection(db, tenantId, 'credit', TenantCreditSettingsSchema);
}

/** Merges a manager's changes into the credit rules (audited). */
export function updateCreditSettings(
  db: Database,
  tenantId: string,
  staffId: string,
  changes: UpdateCreditSettingsRequest,
): Promise<TenantCreditSettings> {
  return updateSettingsSection(db, {
    tenantId,
    staffId,
    section: 'credit',
    schema: TenantCreditSettingsSchema,
    changes,
  });
}
