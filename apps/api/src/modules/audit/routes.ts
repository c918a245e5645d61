import { AuditPageSchema, AuditQuerySchema, ErrorBodySchema } from '@lumi/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listAudit } from './service.ts';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/staff/audit',
    {
      onRequest: app.requireManager,
      schema: {
        tags: ['audit'],
        summary:
          'Browse the audit log: voids, discounts, price changes, approvals, settings; by action, subject, who and when (manager)',
        security: [{ bearer: [] }],
        querystring: AuditQuerySchema,
        response: { 200: AuditPageSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema },
      },
    },
    async (request) => listAudit(app.db, request.staff.tenantId, request.query),
  );
};
