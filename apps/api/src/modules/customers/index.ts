export { customerRoutes } from './routes.ts';
export { findOrCreateCustomerByIdentity, getCustomer, getCustomerProfile, listCustomers } from './service.ts';
export { customerIdentities, customers } from './tables.ts';
