export { auditRoutes } from './routes.ts';
export { type AuditRecord, listAudit, recordAudit } from './service.ts';
export { auditLog } from './tables.ts';
