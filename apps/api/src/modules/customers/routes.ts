import {
  CustomerListQuerySchema,
  CustomerListSchema,
  CustomerProfileSchema,
  ErrorBodySchema,
  IdParamsSchema,
} from '@lumi/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getCustomerProfile, listCustomers } from './service.ts';

const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema };

export const customerRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/me',
    {
      onRequest: app.requireCustomer,
      schema: {
        tags: ['customers'],
        summary: "The signed-in customer's profile",
        security: [{ bearer: [] }],
        response: { 200: CustomerProfileSchema, ...errors },
      },
    },
    async (request) => getCustomerProfile(app.db, request.customer.tenantId, request.customer.id),
  );

  app.get(
    '/staff/customers',
    {
      onRequest: app.requireStaff,
      schema: {
        tags: ['customers'],
        summary: "Search the tenant's customers (newest first, keyset-paginated)",
        security: [{ bearer: [] }],
        querystring: CustomerListQuerySchema,
        response: { 200: CustomerListSchema, ...errors },
      },
    },
    async (request) => listCustomers(app.db, request.staff.tenantId, request.query),
  );

  app.get(
    '/staff/customers/:id',
    {
      onRequest: app.requireStaff,
      schema: {
        tags: ['customers'],
        summary: 'One customer of the tenant',
        security: [{ bearer: [] }],
        params: IdParamsSchema,
        response: { 200: CustomerProfileSchema, ...errors },
      },
    },
    async (request) => getCustomerProfile(app.db, request.staff.tenantId, request.params.id),
  );
};
