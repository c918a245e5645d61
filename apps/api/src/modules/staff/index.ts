export { staffRoutes } from './routes.ts';
export {
  clearFailedLogins,
  findStaffByPhone,
  getActiveStaff,
  getStaffProfile,
  recordFailedLogin,
  type StaffRow,
  storesOfStaff,
} from './service.ts';
export { staff, staffStores } from './tables.ts';
