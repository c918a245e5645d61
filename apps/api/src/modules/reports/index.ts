export { reportRoutes } from './routes.ts';
export { managerReport } from './service.ts';
export { customerLiabilities } from './liabilities.ts';
