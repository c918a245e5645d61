import { errorResponses } from '../../plugins/openapi.ts';
import {
  MyCommissionsQuerySchema,
  MyCommissionsSchema,
  TakingsQuerySchema,
  TakingsSchema,
  BillSchema,
  CancelBillRequestSchema,
  CheckoutSettingsSchema,
  CommissionQuerySchema,
  CommissionSummarySchema,
  DisputeRequestSchema,
  DisputeSchema,
  IdempotencyHeadersSchema,
  IdParamsSchema,
  MyBillsQuerySchema,
  OpenBillRequestSchema,
  PaymentOrderSchema,
  RefundBillRequestSchema,
  ResolveDisputeRequestSchema,
  SettleBillRequestSchema,
  UpdateCheckoutSettingsRequestSchema,
  VoidBillRequestSchema,
} from '@lumi/shared';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { assertStoreAccess, idempotencyKeyOf } from '../../plugins/idempotency.ts';
import { requestHash, shanghaiDate } from '../ledger/index.ts';
import { myCommissions } from './my-commissions.ts';
import { storeTakings } from './takings.ts';
import { afterCommit } from './after-commit.ts';
import { commissionSummary } from './commissions.ts';
import { cancelBill } from './cancel-bill.ts';
import { confirmBill, customerBillIds, declineBill } from './customer-actions.ts';
import { listDisputes, managedStores, openDispute, resolveDispute } from './disputes.ts';
import { type CheckoutDeps, openBill } from './open-bill.ts';
import { presentBill, staffBillRow } from './read-bill.ts';
import { settleBill } from './settle.ts';
import { bills } from './tables.ts';
import { receiptHtml } from './receipt.ts';
import { checkoutSettings, updateCheckoutSettings } from './settings.ts';
import { refundBill } from './refund-bill.ts';
import { voidBill } from './void-bill.ts';
import { alertManagersLater } from '../messaging/index.ts';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const secured = { security: [{ bearer: [] }] };
const tags = ['checkout'];

export function checkoutRoutes(deps: CheckoutDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const { notify, sendWechatRefund } = afterCommit(app, deps);

    /** Staff see bills of their own stores only; others are not found, as in another tenant. */
    const staffBill = async (staff: { tenantId: string; storeIds: string[] }, billId: string) => {
      await staffBillRow(app.db, staff, billId);
      return presentBill(app.db, staff.tenantId, billId);
    };
    const customerBill = async (customer: { tenantId: string; id: string }, billId: string) => {
      const bill = await presentBill(app.db, customer.tenantId, billId);
      if (bill.customerId !== customer.id) throw new AppError('NOT_FOUND', 'Bill not found');
      return bill;
    };

    // ── staff ───────────────────────────────────────────────────────────────────────────────────────
    app.post(
      '/staff/bills',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'Open a bill (totals computed on the server)',
          ...secured,
          body: OpenBillRequestSchema,
          response: { 201: BillSchema, ...errors },
        },
      },
      async (request, reply) => {
        return reply.status(201).send(await openBill(app.db, deps, request.staff, request.body));
      },
    );
    app.get(
      '/staff/bills',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: "Bills of the staff member's stores, newest first",
          ...secured,
          querystring: z
            .object({
              status: z.enum(['open', 'awaiting_customer', 'settled', 'voided', 'cancelled']).optional(),
              customerId: z.uuid().optional(),
            })
            .strict(),
          response: { 200: z.array(BillSchema), ...errors },
        },
      },
      async (request) => {
        const rows = await app.db
          .select({ id: bills.id, storeId: bills.storeId })
          .from(bills)
          .where(
            and(
              eq(bills.tenantId, request.staff.tenantId),
              inArray(
                bills.storeId,
                request.staff.storeIds.length ? request.staff.storeIds : ['00000000-0000-0000-0000-000000000000'],
              ),
              request.query.status ? eq(bills.status, request.query.status) : undefined,
              request.query.customerId ? eq(bills.customerId, request.query.customerId) : undefined,
            ),
          )
          .orderBy(desc(bills.createdAt))
          .limit(100);
        return Promise.all(rows.map((r) => presentBill(app.db, request.staff.tenantId, r.id)));
      },
    );
    app.get(
      '/staff/bills/:id',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'A bill / receipt',
          ...secured,
          params: IdParamsSchema,
          response: { 200: BillSchema, ...errors },
        },
      },
      async (request) => staffBill(request.staff, request.params.id),
    );
    app.get(
      '/staff/bills/:id/receipt',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'A printable receipt of a bill (小票), to reprint',
          ...secured,
          params: IdParamsSchema,
        },
      },
      async (request, reply) =>
        reply
          .type('text/html; charset=utf-8')
          .send(await receiptHtml(app.db, await staffBill(request.staff, request.params.id), request.staff.tenantId)),
    );
    app.post(
      '/staff/bills/:id/settlement',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'Settle a bill with split tenders (组合支付)',
          ...secured,
          headers: IdempotencyHeadersSchema,
          params: IdParamsSchema,
          body: SettleBillRequestSchema,
          response: { 200: BillSchema, ...errors },
        },
      },
      async (request) => {
        const key = idempotencyKeyOf(request);
        const hash = requestHash({ route: request.routeOptions.url, params: request.params, body: request.body });
        const result = await settleBill(app.db, deps, request.staff, request.params.id, request.body, { key, hash });
        const bill = result.bill ?? (await presentBill(app.db, request.staff.tenantId, request.params.id));
        if (result.notify) notify(request.staff.tenantId, bill, result.notify);
        return bill;
      },
    );
    app.post(
      '/staff/bills/:id/void',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'Void a settled bill: every tender back to its source (manager above the threshold)',
          ...secured,
          headers: IdempotencyHeadersSchema,
          params: IdParamsSchema,
          body: VoidBillRequestSchema,
          response: { 200: BillSchema, ...errors },
        },
      },
      async (request) => {
        const key = idempotencyKeyOf(request);
        // A repeated void of the same bill answers with the voided bill, as the first one did.
        const outcome = await voidBill(app.db, deps, request.staff, request.params.id, request.body.reason, key);
        await sendWechatRefund(request.staff.tenantId, outcome.wechatOutRefundNo);
        const voided = await presentBill(app.db, request.staff.tenantId, request.params.id);
        notify(request.staff.tenantId, voided, 'bill_voided');
        return voided;
      },
    );
    app.post(
      '/staff/bills/:id/cancel',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: '取消账单: close a bill that was never paid (nothing posted; holds, coupon and vouchers released)',
          description:
            'For an open bill, or one waiting for the customer whose WeChat part is not paid. Moves no money. A ' +
            'cancelled bill asked again answers as it is; a settled or voided one is 409 CONFLICT {status}. A ' +
            'discount approval the bill used is usable again (same expiry).',
          ...secured,
          params: IdParamsSchema,
          body: CancelBillRequestSchema,
          response: { 200: BillSchema, ...errors },
        },
      },
      async (request) => {
        await cancelBill(app.db, deps, request.staff, request.params.id, request.body.reason);
        return presentBill(app.db, request.staff.tenantId, request.params.id);
      },
    );
    app.post(
      '/staff/bills/:id/refunds',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'Refund part of a settled bill: lines, units or part of a line, back to the tenders that paid',
          description:
            "Without `tenders` the money goes back to the bill's tenders in proportion to what each can still " +
            'return. A WeChat part is refunded through WeChat Pay after the commit; its state is on the payment. ' +
            'Needs a manager above the void threshold. A replay with the same Idempotency-Key answers 200.',
          ...secured,
          headers: IdempotencyHeadersSchema,
          params: IdParamsSchema,
          body: RefundBillRequestSchema,
          response: { 200: BillSchema, 201: BillSchema, ...errors },
        },
      },
      async (request, reply) => {
        const key = idempotencyKeyOf(request);
        const hash = requestHash({ route: request.routeOptions.url, id: request.params.id, body: request.body });
        const outcome = await refundBill(app.db, deps, request.staff, request.params.id, request.body, { key, hash });
        await sendWechatRefund(request.staff.tenantId, outcome.wechatOutRefundNo);
        const bill = await presentBill(app.db, request.staff.tenantId, request.params.id);
        if (!outcome.replayed) {
          const refunded = bill.refunds.find((r) => r.id === outcome.refundId);
          notify(request.staff.tenantId, bill, 'bill_refunded', {
            id: outcome.refundId,
            amountFen: refunded?.amountFen ?? 0,
          });
        }
        return reply.status(outcome.replayed ? 200 : 201).send(bill);
      },
    );
    app.get(
      '/staff/checkout/settings',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: "The salon's checkout rules: confirmation mode, dispute window, holds, approval thresholds",
          ...secured,
          response: { 200: CheckoutSettingsSchema, ...errors },
        },
      },
      async (request) => checkoutSettings(app.db, request.staff.tenantId),
    );
    app.put(
      '/staff/checkout/settings',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: "Change the salon's checkout rules, e.g. confirm_first (manager, audited)",
          ...secured,
          body: UpdateCheckoutSettingsRequestSchema,
          response: { 200: CheckoutSettingsSchema, ...errors },
        },
      },
      async (request) => updateCheckoutSettings(app.db, request.staff.tenantId, request.staff.id, request.body),
    );
    app.get(
      '/staff/disputes',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: "Customer disputes of the manager's stores (an owner's: every store)",
          ...secured,
          querystring: z.object({ status: z.enum(['open', 'answered', 'reversed']).optional() }).strict(),
          response: { 200: z.array(DisputeSchema), ...errors },
        },
      },
      async (request) =>
        listDisputes(app.db, request.staff.tenantId, {
          storeIds: await managedStores(app.db, request.staff),
          ...(request.query.status ? { status: request.query.status } : {}),
        }),
    );
    app.post(
      '/staff/disputes/:id/resolution',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Answer a dispute or reverse its bill (manager)',
          ...secured,
          params: IdParamsSchema,
          body: ResolveDisputeRequestSchema,
          response: { 200: z.array(DisputeSchema), ...errors },
        },
      },
      async (request) => {
        const { tenantId } = request.staff;
        const resolved = await resolveDispute(app.db, deps, request.staff, request.params.id, request.body);
        await sendWechatRefund(tenantId, resolved.wechatOutRefundNo);
        notify(tenantId, await presentBill(app.db, tenantId, resolved.billId), 'dispute_answered', {
          id: request.params.id,
        });
        return listDisputes(app.db, tenantId, { billId: resolved.billId });
      },
    );
    app.get(
      '/staff/commissions',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'Commission totals: your own, or everyone for a manager',
          ...secured,
          querystring: CommissionQuerySchema,
          response: { 200: CommissionSummarySchema, ...errors },
        },
      },
      async (request) => {
        const manager = request.staff.role === 'manager' || request.staff.role === 'owner';
        return commissionSummary(
          app.db,
          request.staff.tenantId,
          request.query.from,
          request.query.to,
          manager ? undefined : request.staff.id,
        );
      },
    );

    app.get(
      '/staff/commissions/mine',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: '我的业绩: my own commissions per day, and the bill lines behind them',
          ...secured,
          querystring: MyCommissionsQuerySchema,
          response: { 200: MyCommissionsSchema, ...errors },
        },
      },
      async (request) =>
        myCommissions(app.db, request.staff.tenantId, request.staff.id, request.query.from, request.query.to),
    );
    app.get(
      '/staff/takings',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary:
            "交班/日结: a store's takings of a day per tender and per staff member, with the postings behind them",
          description:
            'Managers and the owner see the whole store; a beautician sees what she took herself (scope "own"). ' +
            'The day is a Shanghai business day, today when no date is given.',
          ...secured,
          querystring: TakingsQuerySchema,
          response: { 200: TakingsSchema, ...errors },
        },
      },
      async (request) => {
        const { staff, query } = request;
        assertStoreAccess(staff.storeIds, query.storeId, 'query.storeId');
        const date = query.date ?? shanghaiDate(deps.ledger.now());
        const own = staff.role === 'beautician' ? staff.id : undefined;
        return storeTakings(app.db, staff.tenantId, query.storeId, date, own);
      },
    );

    // ── customers ───────────────────────────────────────────────────────────────────────────────────
    app.get(
      '/me/bills',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'My bills, waiting ones (待确认) first; ?status= only the bills in that status',
          ...secured,
          querystring: MyBillsQuerySchema,
          response: { 200: z.array(BillSchema), ...errors },
        },
      },
      async (request) => {
        const { tenantId, id } = request.customer;
        const ids = await customerBillIds(app.db, tenantId, id, request.query.status);
        return Promise.all(ids.map((billId) => presentBill(app.db, tenantId, billId)));
      },
    );
    app.get(
      '/me/bills/:id',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'One of my bills (receipt)',
          ...secured,
          params: IdParamsSchema,
          response: { 200: BillSchema, ...errors },
        },
      },
      async (request) => customerBill(request.customer, request.params.id),
    );
    app.get(
      '/me/bills/:id/receipt',
      {
        onRequest: app.requireCustomer,
        schema: { tags, summary: 'A printable receipt of one of my bills (小票)', ...secured, params: IdParamsSchema },
      },
      async (request, reply) =>
        reply
          .type('text/html; charset=utf-8')
          .send(
            await receiptHtml(
              app.db,
              await customerBill(request.customer, request.params.id),
              request.customer.tenantId,
            ),
          ),
    );
    app.post(
      '/me/bills/:id/confirmation',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'Confirm the deductions of a bill (确认)',
          ...secured,
          params: IdParamsSchema,
          response: { 200: BillSchema, ...errors },
        },
      },
      async (request) => {
        const { tenantId, id } = request.customer;
        const settled = await confirmBill(app.db, deps, tenantId, id, request.params.id);
        const bill = await presentBill(app.db, tenantId, request.params.id);
        if (settled) notify(tenantId, bill, 'bill_settled');
        return bill;
      },
    );
    app.post(
      '/me/bills/:id/payments',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: "Pay a waiting bill's WeChat part: returns wx.requestPayment parameters (paying confirms the bill)",
          ...secured,
          headers: IdempotencyHeadersSchema,
          params: IdParamsSchema,
          response: { 200: PaymentOrderSchema, 201: PaymentOrderSchema, ...errors },
        },
      },
      async (request, reply) => {
        const key = idempotencyKeyOf(request);
        if (!deps.payBill) throw new AppError('BUSINESS_RULE_VIOLATED', 'WeChat Pay is not available for this salon');
        const who = { tenantId: request.customer.tenantId, customerId: request.customer.id };
        const hash = requestHash({
          route: request.routeOptions.url,
          billId: request.params.id,
          customerId: who.customerId,
        });
        const { order, replayed } = await deps.payBill(who, request.params.id, key, hash);
        return reply.status(replayed ? 200 : 201).send(order);
      },
    );
    app.post(
      '/me/bills/:id/decline',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'Decline the deductions of a waiting bill',
          ...secured,
          params: IdParamsSchema,
          body: DisputeRequestSchema,
          response: { 200: BillSchema, ...errors },
        },
      },
      async (request) => {
        const { tenantId, id } = request.customer;
        await declineBill(app.db, deps, tenantId, id, request.params.id, request.body.reason);
        return presentBill(app.db, tenantId, request.params.id);
      },
    );
    app.post(
      '/me/bills/:id/disputes',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'Question a settled bill (有疑问)',
          ...secured,
          params: IdParamsSchema,
          body: DisputeRequestSchema,
          response: { 201: z.array(DisputeSchema), ...errors },
        },
      },
      async (request, reply) => {
        const { tenantId, id } = request.customer;
        const dispute = await openDispute(app.db, deps, tenantId, id, request.params.id, request.body.reason);
        const listed = await listDisputes(app.db, tenantId, { customerId: id, billId: request.params.id });
        const opened = listed.find((d) => d.id === dispute.id);
        if (opened) {
          alertManagersLater(
            app.db,
            app.messaging,
            {
              tenantId,
              storeId: dispute.storeId,
              kind: 'dispute',
              itemId: dispute.id,
              title: '账单异议',
              reference: opened.billNumber,
              who: opened.customerName ?? '顾客',
              at: new Date(opened.createdAt),
            },
            request.log,
          );
        }
        return reply.status(201).send(listed);
      },
    );
    app.get(
      '/me/disputes',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'My questions and the answers',
          ...secured,
          response: { 200: z.array(DisputeSchema), ...errors },
        },
      },
      async (request) => listDisputes(app.db, request.customer.tenantId, { customerId: request.customer.id }),
    );
  };
}
