import { ErrorBodySchema, StaffProfileSchema } from '@lumi/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getStaffProfile } from './service.ts';

export const staffRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/staff/me',
    {
      preHandler: app.requireStaff,
      schema: {
        tags: ['staff'],
        summary: 'The signed-in staff member, their role and stores',
        security: [{ bearer: [] }],
        response: { 200: StaffProfileSchema, 401: ErrorBodySchema, 403: ErrorBodySchema },
      },
    },
    async (request) => getStaffProfile(app.db, request.staff.tenantId, request.staff.id),
  );
};
