import { errorResponses } from '../../plugins/openapi.ts';
import {
  AgingReportSchema,
  ApproveCreditLimitRequestSchema,
  CollectionBoardSchema,
  CollectionTaskListQuerySchema,
  CollectionTaskSchema,
  CreateCollectionTaskRequestSchema,
  CreateCreditLimitRequestSchema,
  CreditLimitRequestListQuerySchema,
  CreditLimitRequestSchema,
  CreditLineActionRequestSchema,
  CreditReminderSchema,
  CreditRepaymentRequestSchema,
  CreditRepaymentResultSchema,
  CreditSaleRequestSchema,
  CreditSaleResultSchema,
  CreditSuggestionSchema,
  CreditSummarySchema,
  CustomerCreditSchema,
  IdempotencyHeadersSchema,
  IdSchema,
  RecordCollectionOutcomeRequestSchema,
  RejectCreditLimitRequestSchema,
  SetCreditLimitRequestSchema,
  TenantCreditSettingsSchema,
  UpdateCreditSettingsRequestSchema,
  CustomerWaitingCreditRequestSchema,
} from '@lumi/shared';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { assertStoreAccess, idempotencyKeyOf } from '../../plugins/idempotency.ts';
import { getCustomer } from '../customers/index.ts';
import { type LedgerDeps, requestHash } from '../ledger/index.ts';
import { transferDetails, transferUnderKey } from './ledger-reads.ts';
import { creditSummary, setLimit, setLineStatus } from './lines.ts';
import {
  agingReport,
  collectionBoard,
  createCollectionTask,
  listCollectionTasks,
  recordCollectionOutcome,
} from './overdue.ts';
import { listReminders } from './reminders.ts';
import { allocationsOf, repayCredit } from './repayments.ts';
import {
  approveLimitRequest,
  fileLimitRequest,
  getLimitRequest,
  listLimitRequests,
  rejectLimitRequest,
  waitingLimitRequest,
} from './requests.ts';
import { createCreditSale, openSales, saleByTransfer } from './sales.ts';
import { creditSettings, updateCreditSettings } from './settings.ts';
import { suggestCreditLimit } from './suggestion.ts';
import { alertManagersLater } from '../messaging/index.ts';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const secured = { security: [{ bearer: [] }] };
const tags = ['credit'];
const CustomerParamsSchema = z.object({ customerId: IdSchema });

async function customerCredit(db: Database, tenantId: string, customerId: string, now: Date) {
  return {
    ...(await creditSummary(db, tenantId, customerId, now)),
    openSales: await openSales(db, tenantId, customerId, now),
  };
}

/** The Idempotency-Key and the hash of what was asked, as the ledger's money routes compute them. */
function idempotency(request: FastifyRequest, customerId: string) {
  return {
    idempotencyKey: idempotencyKeyOf(request),
    requestHash: requestHash({
      route: request.routeOptions.url,
      params: request.params,
      body: request.body,
      customerId,
    }),
  };
}

export function creditRoutes(deps: LedgerDeps): FastifyPluginAsyncZod {
  return async (app) => {
    // ── the customer ──────────────────────────────────────────────────────────────────────────────────────
    app.get(
      '/me/credit',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'My credit line: limit, owed, available, and what falls due when (instalments included)',
          ...secured,
          response: { 200: CustomerCreditSchema, ...errors },
        },
      },
      async (request) => customerCredit(app.db, request.customer.tenantId, request.customer.id, deps.now()),
    );
    // ── staff: a customer's credit ────────────────────────────────────────────────────────────────────────
    /** A read about one customer of the caller's tenant: 404 before anything is read if she is not one. */
    const customerRead = <Response extends z.ZodTypeAny>(
      url: string,
      summary: string,
      response: Response,
      read: (tenantId: string, customerId: string) => Promise<z.infer<Response>>,
    ) =>
      app.get(
        url,
        {
          onRequest: app.requireStaff,
          // Widened here only: `read` is what checks the answer against `response` for each route.
          schema: {
            tags,
            summary,
            ...secured,
            params: CustomerParamsSchema,
            response: { 200: response as z.ZodTypeAny, ...errors },
          },
        },
        async (request) => {
          const { customerId } = request.params;
          await getCustomer(app.db, request.staff.tenantId, customerId);
          return read(request.staff.tenantId, customerId);
        },
      );
    customerRead(
      '/staff/customers/:customerId/credit',
      "A customer's credit line, owed, and open credit sales with their items",
      CustomerCreditSchema,
      (tenantId, customerId) => customerCredit(app.db, tenantId, customerId, deps.now()),
    );
    customerRead(
      '/staff/customers/:customerId/credit/suggestion',
      'The limit Lumi suggests from the customer history, with its reasoning',
      CreditSuggestionSchema,
      (tenantId, customerId) => suggestCreditLimit(app.db, tenantId, customerId, deps.now()),
    );
    customerRead(
      '/staff/customers/:customerId/credit/reminders',
      'Credit reminders sent to a customer (channel and outcome), newest first',
      z.array(CreditReminderSchema),
      (tenantId, customerId) => listReminders(app.db, tenantId, customerId),
    );
    customerRead(
      '/staff/customers/:customerId/credit-requests/waiting',
      'The limit request waiting for a manager for this customer, whoever filed it (null when none)',
      CustomerWaitingCreditRequestSchema,
      async (tenantId, customerId) => ({ waiting: await waitingLimitRequest(app.db, tenantId, customerId) }),
    );

    app.post(
      '/staff/customers/:customerId/credit-sales',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'Credit sale (赊销) without a bill: within the limit, due on a date or in instalments',
          ...secured,
          headers: IdempotencyHeadersSchema,
          params: CustomerParamsSchema,
          body: CreditSaleRequestSchema,
          response: { 200: CreditSaleResultSchema, 201: CreditSaleResultSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { tenantId, id: staffId, storeIds } = request.staff;
        const { customerId } = request.params;
        const body = request.body;
        await getCustomer(app.db, tenantId, customerId);
        assertStoreAccess(storeIds, body.storeId);
        const keyed = idempotency(request, customerId);
        const earlier = await transferUnderKey(app.db, tenantId, keyed.idempotencyKey, keyed.requestHash);
        const { transferId, replayed } = earlier
          ? { transferId: earlier.id, replayed: true }
          : await createCreditSale(
              app.db,
              deps,
              { tenantId, customerId, storeId: body.storeId, staffId, ...keyed },
              body,
            );
        const sale = await saleByTransfer(app.db, tenantId, transferId, deps.now());
        if (!sale) throw new AppError('NOT_FOUND', 'Credit sale not found');
        reply.header('idempotent-replayed', replayed ? 'true' : 'false');
        return reply.status(replayed ? 200 : 201).send({
          transferId,
          sale,
          credit: await creditSummary(app.db, tenantId, customerId, deps.now()),
        });
      },
    );

    app.post(
      '/staff/customers/:customerId/credit-repayments',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'Repay what a customer owes (cash, card, stored value): oldest due items first, partial allowed',
          ...secured,
          headers: IdempotencyHeadersSchema,
          params: CustomerParamsSchema,
          body: CreditRepaymentRequestSchema,
          response: { 200: CreditRepaymentResultSchema, 201: CreditRepaymentResultSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { tenantId, id: staffId, storeIds } = request.staff;
        const { customerId } = request.params;
        const body = request.body;
        await getCustomer(app.db, tenantId, customerId);
        assertStoreAccess(storeIds, body.storeId);
        const keyed = idempotency(request, customerId);
        const earlier = await transferUnderKey(app.db, tenantId, keyed.idempotencyKey, keyed.requestHash);
        const applied = earlier
          ? { transferId: earlier.id, replayed: true, allocations: await allocationsOf(app.db, tenantId, earlier.id) }
          : await repayCredit(app.db, deps, { tenantId, customerId, staffId, ...keyed }, body);
        const transfer = await transferDetails(app.db, tenantId, applied.transferId);
        const method = (transfer?.details.method as typeof body.method | undefined) ?? body.method;
        reply.header('idempotent-replayed', applied.replayed ? 'true' : 'false');
        return reply.status(applied.replayed ? 200 : 201).send({
          transferId: applied.transferId,
          amountFen: applied.allocations.reduce((sum, a) => sum + a.amountFen, 0),
          method,
          allocations: applied.allocations,
          credit: await creditSummary(app.db, tenantId, customerId, deps.now()),
        });
      },
    );

    // ── limit requests ────────────────────────────────────────────────────────────────────────────────────
    app.post(
      '/staff/customers/:customerId/credit-requests',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'File a credit-limit request; the answer carries Lumi’s suggested limit and its reasoning',
          ...secured,
          params: CustomerParamsSchema,
          body: CreateCreditLimitRequestSchema,
          response: { 201: CreditLimitRequestSchema, ...errors },
        },
      },
      async (request, reply) => {
        const filed = await fileLimitRequest(
          app.db,
          request.staff,
          request.params.customerId,
          request.body,
          deps.now(),
        );
        alertManagersLater(
          app.db,
          app.messaging,
          {
            tenantId: request.staff.tenantId,
            storeId: null,
            kind: 'credit_limit',
            itemId: filed.id,
            title: '挂账额度申请',
            who: filed.customer.name ?? '顾客',
            at: new Date(filed.createdAt),
          },
          request.log,
        );
        return reply.status(201).send(filed);
      },
    );
    app.get(
      '/staff/credit-requests',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'Credit-limit requests (managers: all; beauticians: their own), newest first',
          ...secured,
          querystring: CreditLimitRequestListQuerySchema,
          response: { 200: z.array(CreditLimitRequestSchema), ...errors },
        },
      },
      async (request) => listLimitRequests(app.db, request.staff, request.query),
    );
    app.get(
      '/staff/credit-requests/:id',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'One credit-limit request',
          ...secured,
          params: z.object({ id: IdSchema }),
          response: { 200: CreditLimitRequestSchema, ...errors },
        },
      },
      async (request) => getLimitRequest(app.db, request.staff, request.params.id),
    );
    app.post(
      '/staff/credit-requests/:id/approve',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Approve a credit-limit request, optionally lowering it (manager; never the filer)',
          ...secured,
          params: z.object({ id: IdSchema }),
          body: ApproveCreditLimitRequestSchema,
          response: { 200: CreditLimitRequestSchema, ...errors },
        },
      },
      async (request) => approveLimitRequest(app.db, request.staff, request.params.id, request.body, deps.now()),
    );
    app.post(
      '/staff/credit-requests/:id/reject',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Reject a credit-limit request with a note (manager; never the filer)',
          ...secured,
          params: z.object({ id: IdSchema }),
          body: RejectCreditLimitRequestSchema,
          response: { 200: CreditLimitRequestSchema, ...errors },
        },
      },
      async (request) => rejectLimitRequest(app.db, request.staff, request.params.id, request.body.note, deps.now()),
    );

    // ── managers: the line itself ─────────────────────────────────────────────────────────────────────────
    app.put(
      '/staff/customers/:customerId/credit-line/limit',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: "Set a customer's credit limit directly, with a reason (manager, audited)",
          ...secured,
          params: CustomerParamsSchema,
          body: SetCreditLimitRequestSchema,
          response: { 200: CreditSummarySchema, ...errors },
        },
      },
      async (request) => {
        const { tenantId, id: staffId } = request.staff;
        const { customerId } = request.params;
        await getCustomer(app.db, tenantId, customerId);
        await app.db.transaction((tx) =>
          setLimit(tx, {
            tenantId,
            customerId,
            limitFen: request.body.limitFen,
            actor: { staffId },
            action: 'credit.limit_changed',
            reason: request.body.reason,
          }),
        );
        return creditSummary(app.db, tenantId, customerId, deps.now());
      },
    );
    for (const [action, status] of [
      ['freeze', 'frozen'],
      ['unfreeze', 'active'],
    ] as const) {
      app.post(
        `/staff/customers/:customerId/credit-line/${action}`,
        {
          onRequest: app.requireManager,
          schema: {
            tags,
            summary:
              action === 'freeze'
                ? 'Freeze a credit line: no new charges (manager, audited)'
                : 'Unfreeze a credit line (manager, audited)',
            ...secured,
            params: CustomerParamsSchema,
            body: CreditLineActionRequestSchema,
            response: { 200: CreditSummarySchema, ...errors },
          },
        },
        async (request) => {
          const { tenantId, id: staffId } = request.staff;
          const { customerId } = request.params;
          await getCustomer(app.db, tenantId, customerId);
          await app.db.transaction((tx) =>
            setLineStatus(tx, {
              tenantId,
              customerId,
              status,
              actor: { staffId },
              action: status === 'frozen' ? 'credit.line_frozen' : 'credit.line_unfrozen',
              reason: request.body.reason,
              at: deps.now(),
            }),
          );
          return creditSummary(app.db, tenantId, customerId, deps.now());
        },
      );
    }

    // ── overdue: aging, collection ────────────────────────────────────────────────────────────────────────
    app.get(
      '/staff/credit/aging',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Aging of what customers owe (1–30, 31–60, 61–90, 90+ days), per customer and in total',
          ...secured,
          response: { 200: AgingReportSchema, ...errors },
        },
      },
      async (request) => agingReport(app.db, request.staff.tenantId, deps.now()),
    );
    app.get(
      '/staff/credit/collections',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Collection board: overdue customers with buckets, owed, last contact and open tasks',
          ...secured,
          response: { 200: CollectionBoardSchema, ...errors },
        },
      },
      async (request) => collectionBoard(app.db, request.staff.tenantId, deps.now()),
    );
    app.post(
      '/staff/customers/:customerId/collection-tasks',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Plan a collection task for a customer (manager)',
          ...secured,
          params: CustomerParamsSchema,
          body: CreateCollectionTaskRequestSchema,
          response: { 201: CollectionTaskSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await createCollectionTask(app.db, request.staff, request.params.customerId, request.body, deps.now())),
    );
    app.get(
      '/staff/collection-tasks',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'Collection tasks (managers: all; beauticians: assigned to them), open first by due date',
          ...secured,
          querystring: CollectionTaskListQuerySchema,
          response: { 200: z.array(CollectionTaskSchema), ...errors },
        },
      },
      async (request) => listCollectionTasks(app.db, request.staff, request.query),
    );
    app.post(
      '/staff/collection-tasks/:id/outcome',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'Record the outcome of a collection task: called, promised (with a date), paid, disputed',
          ...secured,
          params: z.object({ id: IdSchema }),
          body: RecordCollectionOutcomeRequestSchema,
          response: { 200: CollectionTaskSchema, ...errors },
        },
      },
      async (request) => recordCollectionOutcome(app.db, request.staff, request.params.id, request.body, deps.now()),
    );

    // ── settings ──────────────────────────────────────────────────────────────────────────────────────────
    app.get(
      '/staff/credit/settings',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: "The tenant's credit rules: due days, reminder schedule, near-limit, auto-freeze, collection",
          ...secured,
          response: { 200: TenantCreditSettingsSchema, ...errors },
        },
      },
      async (request) => creditSettings(app.db, request.staff.tenantId),
    );
    app.put(
      '/staff/credit/settings',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: "Change the tenant's credit rules (manager, audited)",
          ...secured,
          body: UpdateCreditSettingsRequestSchema,
          response: { 200: TenantCreditSettingsSchema, ...errors },
        },
      },
      async (request) => updateCreditSettings(app.db, request.staff.tenantId, request.staff.id, request.body),
    );
  };
}
