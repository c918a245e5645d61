import { errorResponses } from '../../plugins/openapi.ts';
import {
  ErrorBodySchema,
  IdempotencyHeadersSchema,
  OutTradeNoParamsSchema,
  PaymentListQuerySchema,
  PaymentListSchema,
  PaymentOrderSchema,
  PaymentRefundRequestSchema,
  PaymentRefundSchema,
  ReconciliationQuerySchema,
  ReconciliationReportSchema,
  RunReconciliationRequestSchema,
  CreditRepaymentPaymentRequestSchema,
  TopUpPaymentRequestSchema,
} from '@lumi/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idempotencyKeyOf } from '../../plugins/idempotency.ts';
import { requestHash } from '../ledger/index.ts';
import type { Payments } from './context.ts';
import { handleWechatNotification } from './notify.ts';
import { getReconciliationReport, reconcileDayNow } from './daily-reconciliation.ts';
import { requestRefund } from './refunds.ts';
import { createPaymentOrder, getCustomerOrder, orderView, refundView } from './service.ts';
import { listPayments } from './staff-reads.ts';

const errors = errorResponses(400, 401, 403, 404, 409, 422, 502, 503);
const secured = { security: [{ bearer: [] }] };
/** Notification bodies are a few hundred bytes; anything near this is not WeChat. */
const NOTIFY_BODY_LIMIT = 64 * 1024;

export function paymentRoutes(payments: Payments): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/me/payments/top-ups',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags: ['payments'],
          summary: 'Top up stored value online: creates a WeChat Pay order and returns wx.requestPayment parameters',
          description:
            'Requires an Idempotency-Key: a retry answers with the same order (200), placing it at WeChat first if ' +
            'the earlier attempt could not. The wallet changes only when WeChat confirms the payment; poll ' +
            'GET /me/payments/{outTradeNo} after wx.requestPayment succeeds.',
          ...secured,
          headers: IdempotencyHeadersSchema,
          body: TopUpPaymentRequestSchema,
          response: { 200: PaymentOrderSchema, 201: PaymentOrderSchema, ...errors },
        },
      },
      async (request, reply) => {
        const key = idempotencyKeyOf(request);
        const who = { tenantId: request.customer.tenantId, customerId: request.customer.id };
        const hash = requestHash({ route: request.routeOptions.url, body: request.body, customerId: who.customerId });
        const { order, replayed } = await createPaymentOrder(payments, 'top_up', who, request.body, key, hash);
        reply.header('idempotent-replayed', replayed ? 'true' : 'false');
        return reply.status(replayed ? 200 : 201).send(await orderView(payments, order));
      },
    );

    app.post(
      '/me/payments/credit-repayments',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags: ['payments'],
          summary: 'Repay what I owe on credit with WeChat Pay: returns wx.requestPayment parameters',
          description: 'Requires an Idempotency-Key; the debt is reduced when WeChat confirms the payment.',
          ...secured,
          headers: IdempotencyHeadersSchema,
          body: CreditRepaymentPaymentRequestSchema,
          response: { 200: PaymentOrderSchema, 201: PaymentOrderSchema, ...errors },
        },
      },
      async (request, reply) => {
        const key = idempotencyKeyOf(request);
        const who = { tenantId: request.customer.tenantId, customerId: request.customer.id };
        const hash = requestHash({ route: request.routeOptions.url, body: request.body, customerId: who.customerId });
        const { order, replayed } = await createPaymentOrder(
          payments,
          'credit_repayment',
          who,
          request.body,
          key,
          hash,
        );
        reply.header('idempotent-replayed', replayed ? 'true' : 'false');
        return reply.status(replayed ? 200 : 201).send(await orderView(payments, order));
      },
    );

    app.get(
      '/me/payments/:outTradeNo',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags: ['payments'],
          summary: 'One of my WeChat payments: its state, refunds, and payment parameters while it can be paid',
          ...secured,
          params: OutTradeNoParamsSchema,
          response: { 200: PaymentOrderSchema, ...errors },
        },
      },
      async (request) => {
        const who = { tenantId: request.customer.tenantId, customerId: request.customer.id };
        return orderView(payments, await getCustomerOrder(payments, who, request.params.outTradeNo));
      },
    );

    app.post(
      '/staff/payments/:outTradeNo/refunds',
      {
        onRequest: app.requireManager,
        schema: {
          tags: ['payments'],
          summary: 'Refund all or part of a WeChat payment (manager)',
          description:
            'The refunded value leaves the customer’s wallet at once (refused if it was already spent) and goes ' +
            'back through WeChat; a retry with the same Idempotency-Key is the same refund (same out_refund_no).',
          ...secured,
          headers: IdempotencyHeadersSchema,
          params: OutTradeNoParamsSchema,
          body: PaymentRefundRequestSchema,
          response: { 200: PaymentRefundSchema, 201: PaymentRefundSchema, ...errors },
        },
      },
      async (request, reply) => {
        const key = idempotencyKeyOf(request);
        const staff = { tenantId: request.staff.tenantId, staffId: request.staff.id };
        const hash = requestHash({
          route: request.routeOptions.url,
          params: request.params,
          body: request.body,
          staffTenant: staff.tenantId,
        });
        const { refund, order, replayed } = await requestRefund(
          payments,
          staff,
          request.params.outTradeNo,
          request.body,
          key,
          hash,
        );
        reply.header('idempotent-replayed', replayed ? 'true' : 'false');
        return reply.status(replayed ? 200 : 201).send(refundView(refund, order.outTradeNo));
      },
    );

    app.get(
      '/staff/payments',
      {
        onRequest: app.requireManager,
        schema: {
          tags: ['payments'],
          summary: 'WeChat payments of the salon with their refunds, newest first (manager)',
          ...secured,
          querystring: PaymentListQuerySchema,
          response: { 200: PaymentListSchema, ...errors },
        },
      },
      async (request) => listPayments(payments, request.staff.tenantId, request.query),
    );
    app.get(
      '/staff/payments/reconciliation',
      {
        onRequest: app.requireManager,
        schema: {
          tags: ['payments'],
          summary: "The day's WeChat Pay reconciliation: orders and refunds whose state or amount differ (manager)",
          ...secured,
          querystring: ReconciliationQuerySchema,
          response: { 200: ReconciliationReportSchema, ...errors },
        },
      },
      async (request) => getReconciliationReport(payments, request.staff.tenantId, request.query.date),
    );
    app.post(
      '/staff/payments/reconciliation',
      {
        onRequest: app.requireManager,
        schema: {
          tags: ['payments'],
          summary:
            "Reconcile a day with WeChat Pay now — today so far or a past day (manager); running it again replaces that day's report",
          ...secured,
          body: RunReconciliationRequestSchema,
          response: { 200: ReconciliationReportSchema, ...errors },
        },
      },
      async (request) => reconcileDayNow(payments, request.staff.tenantId, request.body.date),
    );

    // WeChat signs the exact bytes it sends, so this route — and only this one, hence its own encapsulated
    // context — keeps the JSON body as text.
    await app.register(async (scope) => {
      scope.addContentTypeParser(
        'application/json',
        { parseAs: 'string', bodyLimit: NOTIFY_BODY_LIMIT },
        (_request, body, done) => done(null, body),
      );
      scope.post(
        '/payments/wechat/notify',
        {
          bodyLimit: NOTIFY_BODY_LIMIT,
          schema: {
            tags: ['payments'],
            summary: 'WeChat Pay notifications (payments and refunds); called by WeChat, signed, not by clients',
            description:
              '204 acknowledges (also for duplicates); 401 for anything whose Wechatpay-Signature does not ' +
              'verify (probes included) and 400 for a verified notification that does not match the order — ' +
              'WeChat then delivers again.',
            response: { 204: z.null(), 400: ErrorBodySchema, 401: ErrorBodySchema, 415: ErrorBodySchema },
          },
        },
        async (request, reply) => {
          const raw = typeof request.body === 'string' ? request.body : '';
          await handleWechatNotification(payments, request.headers, raw);
          return reply.status(204).send(null);
        },
      );
    });
  };
}
