import {
  CreateTopUpPlanRequestSchema,
  ManagedTopUpPlanSchema,
  TopUpPlanIdParamsSchema,
  UpdateTopUpPlanRequestSchema,
  WithdrawTopUpPlanRequestSchema,
} from '@lumi/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../plugins/openapi.ts';
import { createTopUpPlan, listManagedTopUpPlans, updateTopUpPlan, withdrawTopUpPlan } from './service.ts';

const errors = errorResponses(400, 401, 403, 404, 409);
const secured = { security: [{ bearer: [] }] };
const tags = ['settings'];

/**
 * 设置 → 充值方案 (manager). Not money-moving — an offer changes what later top-ups give, each top-up keeps its
 * own copy — so no Idempotency-Key; every change is audited instead.
 */
export function topUpPlanRoutes(now: () => Date): FastifyPluginAsyncZod {
  return async (app) => {
    const ctx = (staff: { tenantId: string; id: string }) => ({
      tenantId: staff.tenantId,
      staffId: staff.id,
      now: now(),
    });
    app.get(
      '/staff/settings/top-up-plans',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Every top-up offer with its status and use, withdrawn ones too (manager)',
          ...secured,
          response: { 200: z.array(ManagedTopUpPlanSchema), ...errors },
        },
      },
      async (request) => listManagedTopUpPlans(app.db, request.staff.tenantId, now()),
    );
    app.post(
      '/staff/settings/top-up-plans',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Create a top-up offer: pay X, get bonus Y, points, a gift package card (manager, audited)',
          ...secured,
          body: CreateTopUpPlanRequestSchema,
          response: { 201: ManagedTopUpPlanSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await createTopUpPlan(app.db, ctx(request.staff), request.body)),
    );
    app.put(
      '/staff/settings/top-up-plans/:id',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Change a top-up offer: name and dates always, its terms only before first use (manager, audited)',
          ...secured,
          params: TopUpPlanIdParamsSchema,
          body: UpdateTopUpPlanRequestSchema,
          response: { 200: ManagedTopUpPlanSchema, ...errors },
        },
      },
      async (request) => updateTopUpPlan(app.db, ctx(request.staff), request.params.id, request.body),
    );
    app.post(
      '/staff/settings/top-up-plans/:id/withdraw',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Withdraw a top-up offer from the till and the customer app; it is never deleted (manager, audited)',
          ...secured,
          params: TopUpPlanIdParamsSchema,
          body: WithdrawTopUpPlanRequestSchema,
          response: { 200: ManagedTopUpPlanSchema, ...errors },
        },
      },
      async (request) => withdrawTopUpPlan(app.db, ctx(request.staff), request.params.id, request.body),
    );
  };
}
