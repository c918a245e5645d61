import { ErrorBodySchema, StaffProfileSchema, StoreParamsSchema, StoreTeamSchema } from '@lumi/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { assertStoreResource } from '../../plugins/idempotency.ts';
import { getStaffProfile, storeTeam } from './service.ts';

const secured = { security: [{ bearer: [] }] };

export const staffRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/staff/me',
    {
      onRequest: app.requireStaff,
      schema: {
        tags: ['staff'],
        summary: 'The signed-in staff member, their role and stores',
        ...secured,
        response: { 200: StaffProfileSchema, 401: ErrorBodySchema, 403: ErrorBodySchema },
      },
    },
    async (request) => getStaffProfile(app.db, request.staff.tenantId, request.staff.id),
  );
  app.get(
    '/staff/stores/:storeId/team',
    {
      // The store check needs only the token, so it runs before validation: a stranger to the store gets 404, as
      // for any resource of a store they do not work at, whatever the id looks like. The raw parameter is only
      // compared, never used.
      onRequest: [
        app.requireStaff,
        async (request) => {
          const { storeId } = request.params as { storeId: string };
          assertStoreResource(request.staff.storeIds, storeId, 'Store');
        },
      ],
      schema: {
        tags: ['staff'],
        summary: 'The active staff of one of my stores: who can be named as a line’s performer',
        ...secured,
        params: StoreParamsSchema,
        response: { 200: StoreTeamSchema, 400: ErrorBodySchema, 401: ErrorBodySchema, 404: ErrorBodySchema },
      },
    },
    async (request) => storeTeam(app.db, request.staff.tenantId, request.params.storeId),
  );
};
