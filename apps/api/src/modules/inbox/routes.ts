import {
  DecidedInboxPageSchema,
  DecidedInboxQuerySchema,
  ErrorBodySchema,
  ManagerInboxQuerySchema,
  ManagerInboxSchema,
} from '@lumi/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decidedInbox, managerInbox } from './service.ts';

export const inboxRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/staff/inbox',
    {
      onRequest: app.requireManager,
      schema: {
        tags: ['inbox'],
        summary:
          'What waits for a manager (审批): credit-limit and void/refund requests, open disputes, shop after-sales, with counts',
        description: '`order=oldest` puts the longest waiting first; `kind` narrows the list (counts stay whole).',
        security: [{ bearer: [] }],
        querystring: ManagerInboxQuerySchema,
        response: { 200: ManagerInboxSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema },
      },
    },
    async (request) => managerInbox(app.db, request.staff, request.query),
  );
  app.get(
    '/staff/inbox/decided',
    {
      onRequest: app.requireManager,
      schema: {
        tags: ['inbox'],
        summary: 'What left the inbox (审批 已处理): every kind it lists, decided, latest decision first, paged',
        description: 'Each item with its decision, who decided, the note (a dispute: the answer) and when.',
        security: [{ bearer: [] }],
        querystring: DecidedInboxQuerySchema,
        response: { 200: DecidedInboxPageSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema },
      },
    },
    async (request) => decidedInbox(app.db, request.staff, request.query),
  );
};
