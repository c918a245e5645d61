import { errorResponses } from '../../plugins/openapi.ts';
import {
  AddCustomerNoteSchema,
  CustomerIdParamsSchema,
  CustomerListQuerySchema,
  CustomerListSchema,
  CustomerNoteListSchema,
  CustomerNoteSchema,
  CustomerProfileSchema,
  MyProfileSchema,
  ErrorBodySchema,
  IdParamsSchema,
  MemberCodeSchema,
  RegisterCustomerSchema,
  ResolveMemberCodeSchema,
} from '@lumi/shared';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { issueMemberCode, type MemberCodeKeys, readMemberCode } from './member-code.ts';
import { addNote, listNotes } from './notes.ts';
import {
  getCustomerProfile,
  getMyProfile,
  listCustomers,
  registerCustomer,
  type ShopOpen,
  type Viewer,
} from './service.ts';

const errors = errorResponses(400, 401, 403, 404);

/** Beauticians see phone numbers masked; managers and owners in full (personal-information rules). */
const viewerOf = (request: FastifyRequest): Viewer => ({ fullPhone: request.staff.role !== 'beautician' });

export function customerRoutes(memberCodes: MemberCodeKeys, shopOpen: ShopOpen): FastifyPluginAsyncZod {
  // Business time is the app's clock (the seed and the tests move it), as for every ledger posting.
  const now = memberCodes.now;
  return async (app) => {
    app.get(
      '/me',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags: ['customers'],
          summary: "The signed-in customer's profile, with the salon's brand colour and whether its shop is open",
          security: [{ bearer: [] }],
          response: { 200: MyProfileSchema, ...errors },
        },
      },
      async (request) => getMyProfile(app.db, request.customer.tenantId, request.customer.id, shopOpen),
    );

    app.post(
      '/me/member-code',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags: ['customers'],
          summary: 'A fresh member code to show at the till (a short-lived signed token; fetch again before expiresAt)',
          security: [{ bearer: [] }],
          response: { 200: MemberCodeSchema, ...errors },
        },
      },
      async (request) => {
        // A merged-away customer's old token gets 404, not a code for an account that no longer exists.
        const me = await getCustomerProfile(app.db, request.customer.tenantId, request.customer.id);
        return issueMemberCode(memberCodes, me.tenantId, me.id);
      },
    );

    app.get(
      '/staff/customers',
      {
        onRequest: app.requireStaff,
        schema: {
          tags: ['customers'],
          summary: "Search the tenant's customers by name, phone or member number (newest first, keyset-paginated)",
          security: [{ bearer: [] }],
          querystring: CustomerListQuerySchema,
          response: { 200: CustomerListSchema, ...errors },
        },
      },
      async (request) => listCustomers(app.db, request.staff.tenantId, request.query, viewerOf(request)),
    );

    app.post(
      '/staff/customers',
      {
        onRequest: app.requireStaff,
        schema: {
          tags: ['customers'],
          summary: 'Register a new or walk-in customer (a phone already in the tenant answers 409 with its customer)',
          security: [{ bearer: [] }],
          body: RegisterCustomerSchema,
          response: { 201: CustomerProfileSchema, ...errors, 409: ErrorBodySchema },
        },
      },
      async (request, reply) => {
        const profile = await registerCustomer(app.db, request.staff.tenantId, request.body, viewerOf(request), now());
        return reply.status(201).send(profile);
      },
    );

    app.post(
      '/staff/customers/member-code',
      {
        onRequest: app.requireStaff,
        schema: {
          tags: ['customers'],
          summary: 'The customer behind a scanned member code',
          security: [{ bearer: [] }],
          body: ResolveMemberCodeSchema,
          response: { 200: CustomerProfileSchema, ...errors, 422: ErrorBodySchema },
        },
      },
      async (request) => {
        const customerId = readMemberCode(memberCodes, request.staff.tenantId, request.body.code);
        return getCustomerProfile(app.db, request.staff.tenantId, customerId, viewerOf(request));
      },
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
      async (request) => getCustomerProfile(app.db, request.staff.tenantId, request.params.id, viewerOf(request)),
    );

    app.get(
      '/staff/customers/:customerId/notes',
      {
        onRequest: app.requireStaff,
        schema: {
          tags: ['customers'],
          summary: 'Staff notes on a customer, newest first',
          security: [{ bearer: [] }],
          params: CustomerIdParamsSchema,
          response: { 200: CustomerNoteListSchema, ...errors },
        },
      },
      async (request) => ({ items: await listNotes(app.db, request.staff.tenantId, request.params.customerId) }),
    );

    app.post(
      '/staff/customers/:customerId/notes',
      {
        onRequest: app.requireStaff,
        schema: {
          tags: ['customers'],
          summary: 'Add a note on a customer',
          security: [{ bearer: [] }],
          params: CustomerIdParamsSchema,
          body: AddCustomerNoteSchema,
          response: { 201: CustomerNoteSchema, ...errors },
        },
      },
      async (request, reply) => {
        const note = await addNote(app.db, {
          tenantId: request.staff.tenantId,
          customerId: request.params.customerId,
          authorId: request.staff.id,
          body: request.body.body,
        });
        return reply.status(201).send(note);
      },
    );
  };
}
