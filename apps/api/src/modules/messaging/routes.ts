import {
  ErrorBodySchema,
  SubscribeConsentRequestSchema,
  SubscribeConsentSchema,
  SubscribeTemplateSchema,
  type TemplatePurpose,
} from '@lumi/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listConsents, recordConsent } from './consents.ts';
import type { MessagingDeps } from './outbound.ts';

const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema };
const secured = { security: [{ bearer: [] }] };
const tags = ['messaging'];

export function messagingRoutes(deps: Pick<MessagingDeps, 'now' | 'templates'>): FastifyPluginAsyncZod {
  return async (app) => {
    // ── the customer's one-time consents ──────────────────────────────────────────────────────────────────
    app.get(
      '/me/subscriptions/templates',
      {
        preHandler: app.requireCustomer,
        schema: {
          tags,
          summary: 'Subscribe-message templates by purpose: the ids to pass to wx.requestSubscribeMessage',
          ...secured,
          response: { 200: z.array(SubscribeTemplateSchema), ...errors },
        },
      },
      async () =>
        Object.entries(deps.templates).map(([purpose, templateId]) => ({
          purpose: purpose as TemplatePurpose,
          templateId,
        })),
    );
    app.post(
      '/me/subscriptions',
      {
        preHandler: app.requireCustomer,
        schema: {
          tags,
          summary: 'Record a one-time subscribe-message consent (call after wx.requestSubscribeMessage accepted it)',
          ...secured,
          body: SubscribeConsentRequestSchema,
          response: { 201: SubscribeConsentSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await recordConsent(
              app.db,
              request.customer.tenantId,
              request.customer.id,
              request.body.templateId,
              deps.now(),
            ),
          ),
    );
    app.get(
      '/me/subscriptions',
      {
        preHandler: app.requireCustomer,
        schema: {
          tags,
          summary: 'My unused one-time subscribe-message consents per template',
          ...secured,
          response: { 200: z.array(SubscribeConsentSchema), ...errors },
        },
      },
      async (request) => listConsents(app.db, request.customer.tenantId, request.customer.id),
    );
  };
}
