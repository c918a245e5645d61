export { packagePlans, products, services } from './tables.ts';
