import { errorResponses } from '../../plugins/openapi.ts';
import {
  BindPhoneSchema,
  CustomerSessionSchema,
  CustomerWechatLoginSchema,
  ErrorBodySchema,
  RefreshRequestSchema,
  PhoneBindingSchema,
  StaffPasswordLoginSchema,
  StaffSessionSchema,
  TokenPairSchema,
} from '@lumi/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type AuthDeps,
  bindCustomerPhone,
  loginCustomerWithWechat,
  loginStaffWithPassword,
  logout,
  refreshSession,
} from './service.ts';

const errors = errorResponses(400, 401, 404, 429);

export function authRoutes(deps: AuthDeps, loginsPerMinute: number): FastifyPluginAsyncZod {
  return async (app) => {
    const loginLimit = { rateLimit: { max: loginsPerMinute, timeWindow: '1 minute' } };

    app.post(
      '/auth/customer/wechat',
      {
        config: loginLimit,
        schema: {
          tags: ['auth'],
          summary: 'Customer login with a wx.login code',
          body: CustomerWechatLoginSchema,
          response: { 200: CustomerSessionSchema, ...errors, 502: ErrorBodySchema },
        },
      },
      async (request) => loginCustomerWithWechat(app.db, deps, request.body),
    );

    app.post(
      '/me/phone',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags: ['auth'],
          summary:
            'Bind the phone shared with getPhoneNumber; a front-desk customer with that phone becomes this account',
          security: [{ bearer: [] }],
          body: BindPhoneSchema,
          response: {
            200: PhoneBindingSchema,
            ...errors,
            403: ErrorBodySchema,
            409: ErrorBodySchema,
            422: ErrorBodySchema,
            502: ErrorBodySchema,
          },
        },
      },
      async (request) => bindCustomerPhone(app.db, deps, request.customer, request.body.code),
    );

    app.post(
      '/auth/staff/login',
      {
        config: loginLimit,
        schema: {
          tags: ['auth'],
          summary: 'Staff login with phone and password',
          body: StaffPasswordLoginSchema,
          response: { 200: StaffSessionSchema, ...errors },
        },
      },
      async (request) => loginStaffWithPassword(app.db, deps, request.body),
    );

    app.post(
      '/auth/refresh',
      {
        config: loginLimit,
        schema: {
          tags: ['auth'],
          summary: 'Trade a refresh token for a new token pair (the old refresh token is spent)',
          body: RefreshRequestSchema,
          response: { 200: TokenPairSchema, ...errors },
        },
      },
      async (request) => refreshSession(app.db, deps, request.body.refreshToken),
    );

    app.post(
      '/auth/logout',
      {
        schema: {
          tags: ['auth'],
          summary: 'Revoke a refresh token and every token rotated from it',
          body: RefreshRequestSchema,
          response: { 204: z.null(), 400: ErrorBodySchema },
        },
      },
      async (request, reply) => {
        await logout(app.db, request.body.refreshToken);
        return reply.status(204).send(null);
      },
    );
  };
}
