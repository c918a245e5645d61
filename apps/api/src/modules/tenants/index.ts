export { getStore, getTenantById, getTenantBySlug } from './service.ts';
export { nextStoreDayNumber, type StoreDayCounters, storeDayCounters } from './store-day-numbers.ts';
export { stores, tenants } from './tables.ts';
export {
  forgetTenantSettings,
  readSettingsSection,
  settingsReadInTransaction,
  settingsSection,
  tenantSettings,
} from './settings.ts';
