import { errorResponses } from '../../plugins/openapi.ts';
import {
  ApprovalRequestListQuerySchema,
  ApprovalRequestSchema,
  ApproveApprovalRequestSchema,
  type ApprovalRequest,
  FileApprovalRequestSchema,
  FileDiscountApprovalSchema,
  FilePackageTransferApprovalSchema,
  IdempotencyHeadersSchema,
  IdParamsSchema,
  RejectApprovalRequestSchema,
} from '@lumi/shared';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idempotencyKeyOf } from '../../plugins/idempotency.ts';
import { afterCommit } from './after-commit.ts';
import {
  approveApprovalRequest,
  fileApprovalRequest,
  fileDiscountApproval,
  filePackageTransferApproval,
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

/** What the manager reads first on the lock screen. */
const APPROVAL_ALERT_TITLES: Record<ApprovalRequest['kind'], string> = {
  void: '撤销申请',
  refund: '退款申请',
  discount: '大额折扣申请',
  package_transfer: '转卡申请',
};

/**
 * 请店长审批: voids and refunds above the threshold, large discounts and package-card transfers, filed by staff and
 * decided by a manager of the store.
 */
export function approvalRoutes(deps: CheckoutDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { notify, sendWechatRefund } = afterCommit(app, deps);

    /** Every kind reaches the store's managers the same way, after the commit that filed it. */
    const alertManagers = (request: FastifyRequest, filed: ApprovalRequest) =>
      alertManagersLater(
        app.db,
        app.messaging,
        {
          tenantId: request.staff.tenantId,
          storeId: filed.storeId,
          kind: 'approval',
          itemId: filed.id,
          title: APPROVAL_ALERT_TITLES[filed.kind],
          ...(filed.bill ? { reference: filed.bill.number } : {}),
          who: filed.customer.name ?? '顾客',
          at: new Date(filed.createdAt),
        },
        request.log,
      );

    /** Filing is the same for every kind: a staff member files, the store's managers are told after the commit. */
    const fileRoute = <Body extends z.ZodTypeAny, Params extends z.ZodTypeAny>(
      url: string,
      doc: { summary: string; description: string; params?: Params; body: Body },
      file: (staff: FastifyRequest['staff'], params: z.infer<Params>, body: z.infer<Body>) => Promise<ApprovalRequest>,
    ) =>
      app.post(
        url,
        {
          onRequest: app.requireStaff,
          schema: { tags, ...secured, ...doc, response: { 201: ApprovalRequestSchema, ...errors } },
        },
        async (request, reply) => {
          const filed = await file(request.staff, request.params as z.infer<Params>, request.body as z.infer<Body>);
          alertManagers(request, filed);
          return reply.status(201).send(filed);
        },
      );

    fileRoute(
      '/staff/approval-requests/discounts',
      {
        summary: 'Ask a manager to approve a manual discount above the limit (请店长审批)',
        description:
          'The bill draft as it would be opened (customer, store, lines, discount and its reason). Only for a ' +
          'discount above discountApprovalBasisPoints of the subtotal; once approved, open the bill with ' +
          'approvalRequestId and the same draft (used once), on the business day it was asked: at midnight ' +
          '(Asia/Shanghai) it expires (409 APPROVAL_EXPIRED). GET /staff/approval-requests?usable=true lists ' +
          'the caller’s own approved discounts that can still open a bill (only the filer may use one).',
        body: FileDiscountApprovalSchema,
      },
      (staff, _params, body) => fileDiscountApproval(app.db, deps, staff, body),
    );
    fileRoute(
      '/staff/approval-requests/package-transfers',
      {
        summary: 'Ask a manager to move a package card to another customer (请店长审批)',
        description:
          'Records the sessions to move (default all left; 1..left) and the sessions left; approving moves that ' +
          'many through the ledger, the card keeping the rest (409 APPROVAL_STALE if the card changed). One ' +
          'pending request per card (409 APPROVAL_PENDING).',
        body: FilePackageTransferApprovalSchema,
      },
      (staff, _params, body) => filePackageTransferApproval(app.db, deps, staff, body),
    );
    fileRoute(
      '/staff/bills/:id/approval-requests',
      {
        summary: 'Ask a manager to void or refund a bill above the threshold (请店长审批)',
        description:
          'Only for amounts above voidApprovalThresholdFen (below it, void or refund directly); one pending ' +
          'request per bill (409 APPROVAL_PENDING).',
        params: IdParamsSchema,
        body: FileApprovalRequestSchema,
      },
      (staff, params, body) => fileApprovalRequest(app.db, deps, staff, params.id, body),
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
      async (request) => listApprovalRequests(app.db, deps, request.staff, request.query),
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
          summary:
            'Approve: performs the void, refund or transfer; a discount becomes usable (manager; never their own)',
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
        const { kind } = outcome.request;
        if (!outcome.replayed && outcome.request.bill && (kind === 'void' || kind === 'refund')) {
          const bill = await presentBill(app.db, tenantId, outcome.request.bill.id);
          if (kind === 'void') notify(tenantId, bill, 'bill_voided');
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
