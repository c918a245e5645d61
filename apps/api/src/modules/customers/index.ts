export { brandRoutes, brandSettings } from './brand.ts';
export { type MemberCodeKeys, memberCodeKey } from './member-code.ts';
export { type AbsorbSignUp, bindPhone } from './phone-binding.ts';
export { customerRoutes } from './routes.ts';
export {
  findOrCreateCustomerByIdentity,
  getCustomer,
  getCustomerProfile,
  listCustomers,
  liveCustomerSql,
  maskPhone,
} from './service.ts';
export { customerIdentities, customerNotes, customers } from './tables.ts';
