import { type CheckoutSettings, CheckoutSettingsSchema, type UpdateCheckoutSettingsRequest } from '@lumi/shared';
import type { Database } from '../../db/database.ts';
import { updateSettingsSection } from '../settings/index.ts';
import { readSettingsSection, settingsSection } from '../tenants/index.ts';

/** The tenant's checkout rules (tenants.settings.checkout): confirmation mode, holds, approval thresholds. */
export function checkoutSettings(db: Database, tenantId: string): Promise<CheckoutSettings> {
  return readSettingsSection(db, tenantId, 'checkout', CheckoutSettingsSchema);
}

/** The checkout rules out of a tenant's settings document read along with other rows. */
export const checkoutSettingsOf = (settings: unknown): CheckoutSettings =>
  settingsSection(settings, 'checkout', CheckoutSettingsSchema);

/** Merges a manager's changes into the checkout rules (audited). */
export function updateCheckoutSettings(
  db: Database,
  tenantId: string,
  staffId: string,
  changes: UpdateCheckoutSettingsRequest,
): Promise<CheckoutSettings> {
  return updateSettingsSection(db, { tenantId, staffId, section: 'checkout', schema: CheckoutSettingsSchema, changes });
}
