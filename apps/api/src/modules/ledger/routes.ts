import { errorResponses } from '../../plugins/openapi.ts';
import {
  ConsumeSessionsRequestSchema,
  EntriesPageSchema,
  EntriesQuerySchema,
  IdempotencyHeadersSchema,
  IdSchema,
  MyPointsSchema,
  PointsAdjustmentRequestSchema,
  RedeemPointsRequestSchema,
  ReversalRequestSchema,
  SellPackageCardRequestSchema,
  SpendRequestSchema,
  StatementQuerySchema,
  StoredValueAdjustmentRequestSchema,
  TopUpPlanSchema,
  TopUpRefundRequestSchema,
  TopUpRequestSchema,
  TransferPackageCardRequestSchema,
  TransferResultSchema,
  VerifyReportSchema,
  WalletSchema,
} from '@lumi/shared';
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { assertStoreAccess, idempotencyKeyOf } from '../../plugins/idempotency.ts';
import { getCustomer, getCustomerProfile } from '../customers/index.ts';
import type { LedgerDeps, Posting } from './context.ts';
import { adjustStoredValue, reverseTransfer } from './operations/corrections.ts';
import { consumeSessions, sellPackageCard, transferPackageCard } from './operations/package-cards.ts';
import { adjustPoints, redeemPoints } from './operations/points.ts';
import { postedUnderKey } from './operations/replay.ts';
import { refundTopUp } from './operations/refund.ts';
import { spendStoredValue } from './operations/spend.ts';
import { topUp } from './operations/top-up.ts';
import { type Posted, requestHash } from './post.ts';
import { listEntries } from './reads/entries.ts';
import { myPoints } from './reads/points.ts';
import { statementCsv, statementHtml } from './reads/statement.ts';
import { getWallet } from './reads/wallet.ts';
import { transferResult } from './results.ts';
import { packageCards, topUpPlans } from './tables.ts';
import { verifyLedger } from './verify.ts';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const secured = { security: [{ bearer: [] }] };
const CustomerParamsSchema = z.object({ customerId: IdSchema });
const CardParamsSchema = z.object({ customerId: IdSchema, cardId: IdSchema });

export function ledgerRoutes(deps: LedgerDeps): FastifyPluginAsyncZod {
  return async (app) => {
    /**
     * Runs a money-moving operation once per Idempotency-Key and answers 201 with its result, or 200 with the
     * original result when the key had already posted. A key seen committed is answered without running the
     * operation again, whose preconditions (an offer still in force) may no longer hold; duplicates that arrive
     * together all get past that read, and the operation itself says which of them claimed the key
     * (ledger_post's claim, or the transfer found under the operation's lock) and which replayed.
     */
    async function moneyMove(
      request: FastifyRequest,
      reply: FastifyReply,
      base: Omit<Posting, 'idempotencyKey' | 'requestHash'>,
      run: (posting: Posting) => Promise<Posted>,
    ) {
      const idempotencyKey = idempotencyKeyOf(request);
      const hash = requestHash({
        route: request.routeOptions.url,
        params: request.params,
        body: request.body,
        customerId: base.customerId,
      });
      const existing = await postedUnderKey(app.db, { tenantId: base.tenantId, idempotencyKey, requestHash: hash });
      const posted = existing ?? (await run({ ...base, idempotencyKey, requestHash: hash }));
      reply.header('idempotent-replayed', posted.replayed ? 'true' : 'false');
      return reply
        .status(posted.replayed ? 200 : 201)
        .send(await transferResult(app.db, base.tenantId, posted.transferId, deps.creditLimit));
    }

    const staffPosting = async (request: FastifyRequest, customerId: string, storeId: string | null) => {
      await getCustomer(app.db, request.staff.tenantId, customerId);
      if (storeId) assertStoreAccess(request.staff.storeIds, storeId);
      return { tenantId: request.staff.tenantId, customerId, storeId, staffId: request.staff.id };
    };

    const moneyRoute = <B extends z.ZodType, P extends z.ZodType = typeof CustomerParamsSchema>(
      summary: string,
      body: B,
      managerOnly = false,
      params: P = CustomerParamsSchema as unknown as P,
    ) => ({
      onRequest: managerOnly ? app.requireManager : app.requireStaff,
      schema: {
        tags: ['ledger'],
        summary,
        ...secured,
        headers: IdempotencyHeadersSchema,
        params,
        body,
        response: { 200: TransferResultSchema, 201: TransferResultSchema, ...errors },
      },
    });

    // ── customers reading their own ledger ──────────────────────────────────────────────────────────
    app.get(
      '/me/wallet',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags: ['ledger'],
          summary: 'My balances, points, package cards and what I owe',
          ...secured,
          response: { 200: WalletSchema, ...errors },
        },
      },
      async (request) =>
        getWallet(app.db, request.customer.tenantId, request.customer.id, deps.now(), {
          creditLimit: deps.creditLimit,
        }),
    );
    app.get(
      '/me/entries',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags: ['ledger'],
          summary: 'My ledger entries, newest first',
          ...secured,
          querystring: EntriesQuerySchema,
          response: { 200: EntriesPageSchema, ...errors },
        },
      },
      async (request) => listEntries(app.db, request.customer.tenantId, request.customer.id, request.query),
    );
    app.get(
      '/me/statement',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags: ['ledger'],
          summary: 'My statement for a date range (CSV or printable HTML)',
          ...secured,
          querystring: StatementQuerySchema,
        },
      },
      async (request, reply) =>
        sendStatement(app.db, reply, request.customer.tenantId, request.customer.id, request.query),
    );
    app.get(
      '/me/points',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags: ['ledger'],
          summary: 'My points: balance, worth at the tenant’s rate, and what expires when (earliest first)',
          ...secured,
          response: { 200: MyPointsSchema, ...errors },
        },
      },
      async (request) => myPoints(app.db, request.customer.tenantId, request.customer.id, deps.now()),
    );
    app.get(
      '/me/top-up-plans',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags: ['ledger'],
          summary: 'Top-up offers in force',
          ...secured,
          response: { 200: z.array(TopUpPlanSchema), ...errors },
        },
      },
      async (request) => listTopUpPlans(app.db, request.customer.tenantId),
    );

    // ── staff reading a customer's ledger ───────────────────────────────────────────────────────────
    app.get(
      '/staff/customers/:customerId/wallet',
      {
        onRequest: app.requireStaff,
        schema: {
          tags: ['ledger'],
          summary: "A customer's wallet",
          ...secured,
          params: CustomerParamsSchema,
          response: { 200: WalletSchema, ...errors },
        },
      },
      async (request) => {
        await getCustomer(app.db, request.staff.tenantId, request.params.customerId);
        return getWallet(app.db, request.staff.tenantId, request.params.customerId, deps.now(), {
          creditLimit: deps.creditLimit,
        });
      },
    );
    app.get(
      '/staff/customers/:customerId/entries',
      {
        onRequest: app.requireStaff,
        schema: {
          tags: ['ledger'],
          summary: "A customer's ledger entries",
          ...secured,
          params: CustomerParamsSchema,
          querystring: EntriesQuerySchema,
          response: { 200: EntriesPageSchema, ...errors },
        },
      },
      async (request) => {
        await getCustomer(app.db, request.staff.tenantId, request.params.customerId);
        return listEntries(app.db, request.staff.tenantId, request.params.customerId, request.query);
      },
    );
    app.get(
      '/staff/customers/:customerId/statement',
      {
        onRequest: app.requireStaff,
        schema: {
          tags: ['ledger'],
          summary: "A customer's statement",
          ...secured,
          params: CustomerParamsSchema,
          querystring: StatementQuerySchema,
        },
      },
      async (request, reply) => {
        await getCustomer(app.db, request.staff.tenantId, request.params.customerId);
        return sendStatement(app.db, reply, request.staff.tenantId, request.params.customerId, request.query);
      },
    );
    app.get(
      '/staff/top-up-plans',
      {
        onRequest: app.requireStaff,
        schema: {
          tags: ['ledger'],
          summary: 'Top-up offers in force',
          ...secured,
          response: { 200: z.array(TopUpPlanSchema), ...errors },
        },
      },
      async (request) => listTopUpPlans(app.db, request.staff.tenantId),
    );

    // ── staff moving money ──────────────────────────────────────────────────────────────────────────
    app.post(
      '/staff/customers/:customerId/top-ups',
      moneyRoute('Top up stored value (cash or card at the store)', TopUpRequestSchema),
      async (request, reply) => {
        const { body } = request;
        const base = await staffPosting(request, request.params.customerId, body.storeId);
        return moneyMove(request, reply, base, (p) => topUp(app.db, deps, p, body));
      },
    );
    app.post(
      '/staff/customers/:customerId/spends',
      moneyRoute('Deduct from stored value for a service or product', SpendRequestSchema),
      async (request, reply) => {
        const { body } = request;
        const base = await staffPosting(request, request.params.customerId, body.storeId);
        return moneyMove(request, reply, base, (p) => spendStoredValue(app.db, deps, p, body));
      },
    );
    app.post(
      '/staff/customers/:customerId/package-cards',
      moneyRoute('Sell a package card', SellPackageCardRequestSchema),
      async (request, reply) => {
        const { body } = request;
        const base = await staffPosting(request, request.params.customerId, body.storeId);
        return moneyMove(request, reply, base, (p) => sellPackageCard(app.db, deps, p, body));
      },
    );
    app.post(
      '/staff/customers/:customerId/package-cards/:cardId/consumptions',
      moneyRoute('Use sessions of a package card', ConsumeSessionsRequestSchema, false, CardParamsSchema),
      async (request, reply) => {
        const { body } = request;
        const { customerId, cardId } = request.params;
        const base = await staffPosting(request, customerId, body.storeId);
        return moneyMove(request, reply, base, (p) => consumeSessions(app.db, deps, p, cardId, body, customerId));
      },
    );
    app.post(
      '/staff/customers/:customerId/package-cards/:cardId/transfers',
      moneyRoute(
        'Move a package card to another customer (manager)',
        TransferPackageCardRequestSchema,
        true,
        CardParamsSchema,
      ),
      async (request, reply) => {
        const { body } = request;
        const { customerId, cardId } = request.params;
        const base = await staffPosting(request, customerId, null);
        await getCustomer(app.db, request.staff.tenantId, body.toCustomerId);
        const [card] = await app.db
          .select({ id: packageCards.id })
          .from(packageCards)
          .where(
            and(
              eq(packageCards.tenantId, base.tenantId),
              eq(packageCards.id, cardId),
              eq(packageCards.customerId, customerId),
            ),
          );
        if (!card) return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'Package card not found' } });
        return moneyMove(request, reply, base, (p) =>
          transferPackageCard(app.db, p, cardId, body.toCustomerId, body.reason, body.sessions),
        );
      },
    );
    app.post(
      '/staff/customers/:customerId/points-redemptions',
      moneyRoute('Pay with points', RedeemPointsRequestSchema),
      async (request, reply) => {
        const { body } = request;
        const base = await staffPosting(request, request.params.customerId, body.storeId);
        return moneyMove(request, reply, base, (p) => redeemPoints(app.db, deps, p, body));
      },
    );

    // ── manager corrections ─────────────────────────────────────────────────────────────────────────
    app.post(
      '/staff/customers/:customerId/points-adjustments',
      moneyRoute('Adjust points with a reason (manager)', PointsAdjustmentRequestSchema, true),
      async (request, reply) => {
        const { body } = request;
        const base = await staffPosting(request, request.params.customerId, null);
        return moneyMove(request, reply, base, (p) => adjustPoints(app.db, deps, p, body.points, body.reason));
      },
    );
    app.post(
      '/staff/customers/:customerId/stored-value-adjustments',
      moneyRoute('Adjust principal or bonus with a reason (manager)', StoredValueAdjustmentRequestSchema, true),
      async (request, reply) => {
        const { body } = request;
        const base = await staffPosting(request, request.params.customerId, null);
        return moneyMove(request, reply, base, (p) =>
          adjustStoredValue(app.db, deps, { ...p, staffId: request.staff.id }, body),
        );
      },
    );
    app.post(
      '/staff/customers/:customerId/top-up-refunds',
      moneyRoute('Refund stored value (manager)', TopUpRefundRequestSchema, true),
      async (request, reply) => {
        const { body } = request;
        const base = await staffPosting(request, request.params.customerId, body.storeId);
        return moneyMove(request, reply, base, (p) => refundTopUp(app.db, deps, p, body));
      },
    );
    app.post(
      '/staff/transfers/:id/reversal',
      {
        onRequest: app.requireManager,
        schema: {
          tags: ['ledger'],
          summary: 'Reverse a transfer with a reason (manager)',
          ...secured,
          headers: IdempotencyHeadersSchema,
          params: z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
          body: ReversalRequestSchema,
          response: { 200: TransferResultSchema, 201: TransferResultSchema, ...errors },
        },
      },
      async (request, reply) => {
        const base = { tenantId: request.staff.tenantId, customerId: '', storeId: null, staffId: request.staff.id };
        return moneyMove(request, reply, base, (p) =>
          reverseTransfer(app.db, deps, { ...p, staffId: request.staff.id }, request.params.id, request.body.reason),
        );
      },
    );
    app.get(
      '/staff/ledger/verify',
      {
        onRequest: app.requireManager,
        schema: {
          tags: ['ledger'],
          summary: "Check every ledger invariant for the manager's tenant",
          ...secured,
          response: { 200: VerifyReportSchema, ...errors },
        },
      },
      async (request) => verifyLedger(app.db, request.staff.tenantId),
    );
  };
}

async function listTopUpPlans(db: Database, tenantId: string) {
  const now = new Date();
  const rows = await db
    .select()
    .from(topUpPlans)
    .where(and(eq(topUpPlans.tenantId, tenantId), eq(topUpPlans.active, true)))
    .orderBy(asc(topUpPlans.payFen));
  return rows
    .filter((p) => (!p.validFrom || p.validFrom <= now) && (!p.validTo || p.validTo >= now))
    .map((p) => ({
      id: p.id,
      name: p.name,
      payFen: p.payFen,
      bonusFen: p.bonusFen,
      bonusPoints: p.bonusPoints,
      giftPackagePlanId: p.giftPackagePlanId,
    }));
}

async function sendStatement(
  db: Database,
  reply: FastifyReply,
  tenantId: string,
  customerId: string,
  query: { from: string; to: string; format: 'csv' | 'html' },
) {
  if (query.from > query.to) {
    return reply.status(400).send({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'from must not be after to',
        details: [{ field: 'query.from', message: 'after to' }],
      },
    });
  }
  if (query.format === 'html') {
    const profile = await getCustomerProfile(db, tenantId, customerId);
    const title = `${profile.tenantName} · ${profile.name ?? '会员'} 对账单`;
    return reply
      .type('text/html; charset=utf-8')
      .send(await statementHtml(db, tenantId, customerId, title, query.from, query.to));
  }
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="statement-${query.from}-${query.to}.csv"`)
    .send(await statementCsv(db, tenantId, customerId, query.from, query.to));
}
