import { ErrorBodySchema, ManagerReportQuerySchema, ManagerReportSchema } from '@lumi/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { managerReport } from './service.ts';

export const reportRoutes =
  (now: () => Date): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/staff/reports',
      {
        onRequest: app.requireManager,
        schema: {
          tags: ['reports'],
          summary: '报表: revenue by tender, store and day, top-ups, liabilities, commissions, WeChat Pay mismatches',
          description:
            'A Shanghai day or its month. Sales count on the day a bill settled, refunds and voids on the day they were made, so the net is what the period took in. A manager sees the stores they manage; an owner every store.',
          security: [{ bearer: [] }],
          querystring: ManagerReportQuerySchema,
          response: {
            200: ManagerReportSchema,
            400: ErrorBodySchema,
            401: ErrorBodySchema,
            403: ErrorBodySchema,
          },
        },
      },
      async (request) => managerReport(app.db, request.staff, request.query, now()),
    );
  };
