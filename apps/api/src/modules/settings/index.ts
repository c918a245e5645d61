export { updateSettingsSection } from './update.ts';
