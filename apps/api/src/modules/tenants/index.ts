export { getStore, getTenantById, getTenantBySlug } from './service.ts';
export { stores, tenants } from './tables.ts';
export {
  readSettingsSection,
  settingsReadInTransaction,
  settingsSection,
  tenantSettings,
  updateSettingsSection,
} from './settings.ts';
