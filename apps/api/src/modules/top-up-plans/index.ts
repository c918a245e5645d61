export { topUpPlanRoutes } from './routes.ts';
