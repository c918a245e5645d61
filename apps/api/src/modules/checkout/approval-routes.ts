import { errorResponses } from '../../plugins/openapi.ts';
import {
  ApprovalRequestListQuerySchema,
  ApprovalRequestSchema,
  ApproveApprovalRequestSchema,
  FileApprovalRequestSchema,
  IdempotencyHeadersSchema,
  IdParamsSchema,
  RejectApprovalRequestSchema,
} from '@lumi/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idempotencyKeyOf } from '../../plugins/idempotency.ts';
import { afterCommit } from './after-commit.ts';
import {
  approveApprovalRequest,
  fileApprovalRequest,
  getApprovalRequest,
  listApprovalRequests,
  rejectApprovalRequest,
} from './approvals.ts';
import type { CheckoutDeps } from './open-bill.ts';
import { presentBill } from './read-bill.ts';
import { alertManagersLater } from '../messaging/index.ts';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const secured = { security: [{ bearer: [] }] };
const tags = ['checkout'];

/** 请店长审批: voids and refunds above the threshold, filed by staff and decided by a manager of the store. */
export function approvalRoutes(deps: CheckoutDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { notify, sendWechatRefund } = afterCommit(app, deps);

    app.post(
      '/staff/bills/:id/approval-requests',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'Ask a manager to void or refund a bill above the threshold (请店长审批)',
          description:
            'Only for amounts above voidApprovalThresholdFen (below it, void or refund directly); one pending ' +
            'request per bill (409 APPROVAL_PENDING).',
          ...secured,
          params: IdParamsSchema,
          body: FileApprovalRequestSchema,
          response: { 201: ApprovalRequestSchema, ...errors },
        },
      },
      async (request, reply) => {
        const filed = await fileApprovalRequest(app.db, deps, request.staff, request.params.id, request.body);
        alertManagersLater(
          app.db,
          app.messaging,
          {
            tenantId: request.staff.tenantId,
            storeId: filed.bill.storeId,
            kind: 'approval',
            itemId: filed.id,
            title: filed.kind === 'void' ? '作废申请' : '退款申请',
            reference: filed.bill.number,
            who: filed.bill.customerName ?? '顾客',
            at: new Date(filed.createdAt),
          },
          request.log,
        );
        return reply.status(201).send(filed);
      },
    );
    app.get(
      '/staff/approval-requests',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: "Approval requests, newest first: a manager's stores', or the ones the caller filed",
          ...secured,
          querystring: ApprovalRequestListQuerySchema,
          response: { 200: z.array(ApprovalRequestSchema), ...errors },
        },
      },
      async (request) => listApprovalRequests(app.db, request.staff, request.query),
    );
    app.get(
      '/staff/approval-requests/:id',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'One approval request (its filer, or a manager of its store)',
          ...secured,
          params: IdParamsSchema,
          response: { 200: ApprovalRequestSchema, ...errors },
        },
      },
      async (request) => getApprovalRequest(app.db, request.staff, request.params.id),
    );
    app.post(
      '/staff/approval-requests/:id/approve',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Approve: performs the void or refund (manager; never their own request)',
          description: 'A replay with the same Idempotency-Key answers 200 with the approved request.',
          ...secured,
          headers: IdempotencyHeadersSchema,
          params: IdParamsSchema,
          body: ApproveApprovalRequestSchema,
          response: { 200: ApprovalRequestSchema, 201: ApprovalRequestSchema, ...errors },
        },
      },
      async (request, reply) => {
        const key = idempotencyKeyOf(request);
        const { tenantId } = request.staff;
        const outcome = await approveApprovalRequest(app.db, deps, request.staff, request.params.id, request.body, key);
        await sendWechatRefund(tenantId, outcome.wechatOutRefundNo);
        if (!outcome.replayed) {
          const bill = await presentBill(app.db, tenantId, outcome.request.bill.id);
          if (outcome.request.kind === 'void') notify(tenantId, bill, 'bill_voided');
          else {
            const refunded = bill.refunds.find((r) => r.id === outcome.request.refundId);
            notify(tenantId, bill, 'bill_refunded', {
              id: outcome.request.refundId as string,
              amountFen: refunded?.amountFen ?? 0,
            });
          }
        }
        return reply.status(outcome.replayed ? 200 : 201).send(outcome.request);
      },
    );
    app.post(
      '/staff/approval-requests/:id/reject',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Refuse with a note the filer reads (manager; never their own request)',
          ...secured,
          params: IdParamsSchema,
          body: RejectApprovalRequestSchema,
          response: { 200: ApprovalRequestSchema, ...errors },
        },
      },
      async (request) => rejectApprovalRequest(app.db, deps, request.staff, request.params.id, request.body.note),
    );
  };
}
