export { catalogPackagePlans } from './package-plans.ts';
export { catalogRoutes } from './routes.ts';
export { packagePlans, products, services } from './tables.ts';
