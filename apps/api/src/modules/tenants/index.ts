export { getStore, getTenantById, getTenantBySlug } from './service.ts';
export { stores, tenants } from './tables.ts';
export { readSettingsSection } from './settings.ts';
