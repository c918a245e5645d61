import type { PaymentOrder, PaymentPurposeName, PaymentRefund } from '@lumi/shared';
import { and, asc, eq, inArray, lt } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { customerIdentities, getCustomer } from '../customers/index.ts';
import { checkIdempotencyKey, claimIdempotencyKey, type KeyClaim } from '../ledger/index.ts';
import { beijingRfc3339, newOutTradeNo, type Payments } from './context.ts';
import type { PaymentPurpose, PurposeContext, PurposeOrder } from './purposes.ts';
import { paymentOrders, paymentRefunds } from './tables.ts';
import { type JsapiOrderBody, WechatPayError, type WechatTransaction } from './wechat-pay-client.ts';

export type OrderRow = typeof paymentOrders.$inferSelect;
export type RefundRow = typeof paymentRefunds.$inferSelect;

/** How long a customer's status poll waits before it asks WeChat itself, and how often. */
const STATUS_QUERY_AFTER_MS = 10_000;
/** A poll must answer quickly even when WeChat does not; it then answers from the local state. */
const STATUS_QUERY_TIMEOUT_MS = 3_000;

export function purposeOf(payments: Payments, name: string): PaymentPurpose<never> {
  const purpose = payments.purposes.get(name as PaymentPurposeName);
  if (!purpose) throw new Error(`no payment purpose "${name}" is registered`);
  return purpose;
}

export function purposeContext(payments: Payments, order: { tenantId: string; customerId: string }): PurposeContext {
  return { ledger: payments.ledger, tenantId: order.tenantId, customerId: order.customerId, now: payments.now() };
}

export function toPurposeOrder(row: OrderRow): PurposeOrder {
  return {
    id: row.id,
    tenantId: row.tenantId,
    customerId: row.customerId,
    storeId: row.storeId,
    outTradeNo: row.outTradeNo,
    amountFen: row.amountFen,
    purposeRef: row.purposeRef,
    purposeData: row.purposeData,
    transferId: row.transferId,
    createdAt: row.createdAt,
  };
}

export function unavailable(message: string, details: Record<string, unknown>): AppError {
  return new AppError('WECHAT_UNAVAILABLE', message, details);
}

async function orderByKey(db: Database, tenantId: string, customerId: string, key: string) {
  const [row] = await db
    .select()
    .from(paymentOrders)
    .where(
      and(
        eq(paymentOrders.tenantId, tenantId),
        eq(paymentOrders.customerId, customerId),
        eq(paymentOrders.idempotencyKey, key),
      ),
    );
  return row;
}

async function reload(db: Database, id: string): Promise<OrderRow> {
  const [row] = await db.select().from(paymentOrders).where(eq(paymentOrders.id, id));
  if (!row) throw new Error(`payment order ${id} vanished`);
  return row;
}

/**
 * Creates a payment for a purpose, once per Idempotency-Key: the order row (with the key and the request's
 * hash) is committed before WeChat is called, then the order is placed at WeChat outside any transaction. A
 * replay answers with the same order, placing it first if the earlier attempt did not get that far.
 */
export async function createPaymentOrder(
  payments: Payments,
  purposeName: PaymentPurposeName,
  /**
   * `storeId`/`staffId`: a payment staff asked for at the counter (a top-up the customer pays on her own phone)
   * belongs to that store and staff member; an online one to the customer's home store and nobody.
   */
  who: { tenantId: string; customerId: string; storeId?: string; staffId?: string },
  input: unknown,
  idempotencyKey: string,
  requestHash: string,
): Promise<{ order: OrderRow; replayed: boolean }> {
  const { db, gateway } = payments;
  const replay = async (row: OrderRow) => {
    if (row.requestHash !== requestHash) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request');
    }
    return { order: await placeOrder(payments, row), replayed: true };
  };
  const existing = await orderByKey(db, who.tenantId, who.customerId, idempotencyKey);
  if (existing) return replay(existing);
  const claim = { tenantId: who.tenantId, key: idempotencyKey, operation: 'payments.order', requestHash };
  // A key another operation owns is refused before anything is prepared or asked of WeChat.
  await checkIdempotencyKey(db, claim);

  const purpose = purposeOf(payments, purposeName);
  const ctx = purposeContext(payments, who);
  // Reads only: the purpose checks what is paid for belongs to the customer (404 otherwise) before anything else.
  const prepared = await purpose.prepare(db, ctx, input as never);
  gateway.assertConfigured();
  const customer = await getCustomer(db, who.tenantId, who.customerId);
  const [identity] = await db
    .select({ openid: customerIdentities.openid })
    .from(customerIdentities)
    .where(
      and(
        eq(customerIdentities.tenantId, who.tenantId),
        eq(customerIdentities.customerId, who.customerId),
        eq(customerIdentities.appId, gateway.appId),
      ),
    )
    .limit(1);
  if (!identity) {
    throw new AppError('BUSINESS_RULE_VIOLATED', 'Sign in to the mini-program with WeChat before paying with WeChat');
  }

  const outTradeNo = newOutTradeNo(ctx.now);
  // Whole seconds: WeChat's time_expire has no fractions, and the stored value must be the one sent.
  const timeExpire = new Date(Math.floor(ctx.now.getTime() / 1000) * 1000 + payments.orderTtlMinutes * 60_000);
  const body: JsapiOrderBody = {
    appid: gateway.appId,
    mchid: gateway.mchid,
    description: prepared.description.slice(0, 127),
    out_trade_no: outTradeNo,
    time_expire: beijingRfc3339(timeExpire),
    // Every salon shares the merchant number: the tenant rides along so that a payment found only in WeChat's
    // trade bill (商户数据包) still tells reconciliation whose it is.
    attach: who.tenantId,
    notify_url: gateway.notifyUrl,
    amount: { total: prepared.amountFen, currency: 'CNY' },
    payer: { openid: identity.openid },
  };
  // A purpose with one open order per reference answers with it, or closes it, before a new one; a request racing
  // this one for the same reference may still open its order first, and is then answered the same way.
  for (let attempt = 1; ; attempt++) {
    const open = purpose.oneOpenOrder
      ? await openOrderFor(payments, who.tenantId, purpose.name, prepared.reference)
      : undefined;
    const answered = open && (await reuseOrClose(payments, open, prepared.amountFen));
    if (answered) {
      // The key is spent on this request all the same: anything else under it is refused.
      await claimIdempotencyKey(db, claim);
      return { order: answered, replayed: true };
    }
    const inserted = await insertClaimed(db, claim, async (tx) => {
      await purpose.confirm?.(tx, ctx, input as never, prepared);
      return (
        tx
          .insert(paymentOrders)
          .values({
            tenantId: who.tenantId,
            customerId: who.customerId,
            storeId: who.storeId ?? customer.homeStoreId,
            purpose: purpose.name,
            purposeRef: prepared.reference,
            purposeData: who.staffId ? { ...prepared.data, staffId: who.staffId } : prepared.data,
            exclusive: purpose.oneOpenOrder === true,
            description: body.description,
            outTradeNo,
            amountFen: prepared.amountFen,
            appId: gateway.appId,
            mchid: gateway.mchid,
            payerOpenid: identity.openid,
            idempotencyKey,
            requestHash,
            wechatRequest: { ...body },
            timeExpire,
            createdAt: ctx.now,
            updatedAt: ctx.now,
          })
          // Either unique index: the Idempotency-Key's, or the one open order of an exclusive purpose's reference.
          .onConflictDoNothing()
          .returning()
      );
    });
    if (inserted) return { order: await placeOrder(payments, inserted), replayed: false };
    // A concurrent request with the same key won the insert: answer as its replay.
    const winner = await orderByKey(db, who.tenantId, who.customerId, idempotencyKey);
    if (winner) return replay(winner);
    if (attempt >= 3) {
      throw new AppError('CONFLICT', 'Other payments for this were being made at the same time; try again', {
        retry: true,
      });
    }
  }
}

/** Rolls back a claim whose order was not inserted: the key stays free for the retry. */
class NotInserted {}

/** Inserts the order row in the transaction that claims its Idempotency-Key; undefined when the insert conflicted. */
async function insertClaimed<T>(
  db: Database,
  claim: KeyClaim,
  insert: (tx: Database) => Promise<T[]>,
): Promise<T | undefined> {
  try {
    return await db.transaction(async (tx) => {
      await claimIdempotencyKey(tx, claim);
      const [row] = await insert(tx);
      if (!row) throw new NotInserted();
      return row;
    });
  } catch (error) {
    if (error instanceof NotInserted) return undefined;
    throw error;
  }
}

async function openOrderFor(
  payments: Payments,
  tenantId: string,
  purpose: string,
  reference: string | null,
): Promise<OrderRow | undefined> {
  if (reference === null) return undefined;
  const [row] = await payments.db
    .select()
    .from(paymentOrders)
    .where(
      and(
        eq(paymentOrders.tenantId, tenantId),
        eq(paymentOrders.purpose, purpose),
        eq(paymentOrders.purposeRef, reference),
        eq(paymentOrders.state, 'NOTPAY'),
        eq(paymentOrders.exclusive, true),
      ),
    );
  return row;
}

/**
 * The open order of a bill (or debt) when a new payment is asked for it. For the same amount, while it can still
 * be paid, it is the answer. Otherwise it is closed at WeChat before another is made, so the old one cannot be
 * paid as well; answers null once it is closed. An order WeChat says was paid in the meantime is credited, and
 * the request refused: there is nothing left to pay.
 */
async function reuseOrClose(payments: Payments, open: OrderRow, amountFen: number): Promise<OrderRow | null> {
  const payable = open.timeExpire.getTime() - payments.now().getTime() > 60_000;
  if (open.amountFen === amountFen && payable) {
    const placed = await placeOrder(payments, open);
    if (placed.state !== 'CLOSED') return placed;
    return null;
  }
  if (open.prepayId || open.placementUncertain) {
    try {
      await payments.gateway.closeOrder(open.outTradeNo);
    } catch (error) {
      if (!(error instanceof WechatPayError)) throw error;
      if (error.wechatCode === 'ORDERPAID') {
        const paid = await queryOrThrow(payments, open);
        if (paid) await applyRemoteState(payments, open, paid);
        throw new AppError('CONFLICT', 'This was paid in the meantime', { outTradeNo: open.outTradeNo });
      }
      if (error.wechatCode !== 'ORDER_NOT_EXIST') {
        throw unavailable('WeChat Pay could not close the earlier order; retry with the same Idempotency-Key', {
          outTradeNo: open.outTradeNo,
          wechatCode: error.wechatCode,
        });
      }
    }
  }
  const closed = await closeLocally(payments, open, `replaced by an order for ${amountFen} fen`);
  if (closed.state !== 'CLOSED') {
    throw new AppError('CONFLICT', 'This was paid in the meantime', { outTradeNo: open.outTradeNo });
  }
  return null;
}

/**
 * Makes sure WeChat has the order and Lumi has its prepay_id. A create whose answer could not be trusted (timeout,
 * 5xx, a 2xx that failed verification) may or may not have created the order, so WeChat is queried before the
 * order is sent again — and then the identical body is sent, which WeChat answers with the same prepay_id.
 */
export async function placeOrder(payments: Payments, row: OrderRow): Promise<OrderRow> {
  if (row.prepayId || row.state !== 'NOTPAY') return row;
  const { db, gateway } = payments;
  const now = payments.now();
  const sendable = () => row.timeExpire.getTime() - now.getTime() > 60_000;

  if (row.placementUncertain) {
    const remote = await queryOrThrow(payments, row);
    if (remote && remote.trade_state !== 'NOTPAY') return applyRemoteState(payments, row, remote);
  }
  if (!sendable()) return closeLocally(payments, row, 'expired before WeChat confirmed the order');

  await db.update(paymentOrders).set({ placementUncertain: true, updatedAt: now }).where(eq(paymentOrders.id, row.id));
  const body = row.wechatRequest as unknown as JsapiOrderBody;
  try {
    return await storePrepay(payments, row, (await gateway.createJsapiOrder(body)).prepay_id);
  } catch (error) {
    if (!(error instanceof WechatPayError)) throw error;
    payments.log.warn(
      { outTradeNo: row.outTradeNo, kind: error.kind, code: error.wechatCode },
      'WeChat Pay order creation failed',
    );
    if (error.kind === 'rejected' && !['ORDERPAID', 'ORDER_CLOSED'].includes(error.wechatCode)) {
      await closeLocally(payments, row, `${error.wechatCode}: ${error.message}`);
      throw new AppError('WECHAT_PAY_REJECTED', 'WeChat Pay refused the order', {
        wechatCode: error.wechatCode,
        outTradeNo: row.outTradeNo,
      });
    }
    // Unknown outcome (or WeChat says the order is already paid or closed): ask before sending again.
    const remote = await queryOrThrow(payments, row);
    if (remote && remote.trade_state !== 'NOTPAY') return applyRemoteState(payments, row, remote);
    try {
      return await storePrepay(payments, row, (await gateway.createJsapiOrder(body)).prepay_id);
    } catch (again) {
      if (!(again instanceof WechatPayError)) throw again;
      throw unavailable('WeChat Pay did not answer clearly; retry with the same Idempotency-Key', {
        outTradeNo: row.outTradeNo,
        wechatCode: again.wechatCode,
      });
    }
  }
}

async function queryOrThrow(payments: Payments, row: OrderRow): Promise<WechatTransaction | null> {
  try {
    return await payments.gateway.queryOrder(row.outTradeNo);
  } catch (error) {
    if (!(error instanceof WechatPayError)) throw error;
    throw unavailable('WeChat Pay could not be asked about this order; retry with the same Idempotency-Key', {
      outTradeNo: row.outTradeNo,
      wechatCode: error.wechatCode,
    });
  }
}

async function storePrepay(payments: Payments, row: OrderRow, prepayId: string): Promise<OrderRow> {
  const [updated] = await payments.db
    .update(paymentOrders)
    .set({ prepayId, placementUncertain: false, updatedAt: payments.now() })
    .where(eq(paymentOrders.id, row.id))
    .returning();
  return updated ?? row;
}

/** Closes an order that is still NOTPAY here (a concurrent completion wins: the state is re-checked in the update). */
export async function closeLocally(payments: Payments, row: OrderRow, reason: string): Promise<OrderRow> {
  await payments.db
    .update(paymentOrders)
    .set({ state: 'CLOSED', closedReason: reason, updatedAt: payments.now() })
    .where(and(eq(paymentOrders.id, row.id), eq(paymentOrders.state, 'NOTPAY')));
  return reload(payments.db, row.id);
}

/**
 * Closes a purpose's unpaid orders for one reference, at WeChat and here, once what they pay for is no longer on
 * offer (an expired or cancelled shop order). Answers 'paid' when one was paid after all — WeChat refuses to close
 * it (ORDERPAID) and the payment is credited now, or it already was — so the caller must not treat it as unpaid.
 */
export async function closeOpenOrders(
  payments: Payments,
  tenantId: string,
  purpose: PaymentPurposeName,
  reference: string,
  reason: string,
): Promise<'closed' | 'paid'> {
  const rows = await payments.db
    .select()
    .from(paymentOrders)
    .where(
      and(
        eq(paymentOrders.tenantId, tenantId),
        eq(paymentOrders.purpose, purpose),
        eq(paymentOrders.purposeRef, reference),
      ),
    );
  if (rows.some((r) => r.state === 'SUCCESS' || r.state === 'REFUND')) return 'paid';
  for (const row of rows.filter((r) => r.state === 'NOTPAY')) {
    if (row.prepayId || row.placementUncertain) {
      try {
        await payments.gateway.closeOrder(row.outTradeNo);
      } catch (error) {
        if (!(error instanceof WechatPayError)) throw error;
        if (error.wechatCode === 'ORDERPAID') {
          const paid = await queryOrThrow(payments, row);
          if (paid) await applyRemoteState(payments, row, paid);
          return 'paid';
        }
        if (error.wechatCode !== 'ORDER_NOT_EXIST') {
          throw unavailable('WeChat Pay could not close the order; try again later', {
            outTradeNo: row.outTradeNo,
            wechatCode: error.wechatCode,
          });
        }
      }
    }
    if ((await closeLocally(payments, row, reason)).state !== 'CLOSED') return 'paid';
  }
  return 'closed';
}

/** Brings a local order in line with what a verified WeChat query said about it. */
export async function applyRemoteState(
  payments: Payments,
  row: OrderRow,
  remote: WechatTransaction,
): Promise<OrderRow> {
  const now = payments.now();
  switch (remote.trade_state) {
    case 'SUCCESS':
    case 'REFUND':
      await completePayment(payments, remote, 'query');
      break;
    case 'NOTPAY':
      await payments.db
        .update(paymentOrders)
        .set({ lastQueriedAt: now, updatedAt: now })
        .where(eq(paymentOrders.id, row.id));
      break;
    default:
      // CLOSED (and REVOKED/PAYERROR, which JSAPI orders never reach): nothing was paid.
      await payments.db.update(paymentOrders).set({ lastQueriedAt: now }).where(eq(paymentOrders.id, row.id));
      return closeLocally(payments, row, `WeChat reports ${remote.trade_state}`);
  }
  return reload(payments.db, row.id);
}

export class PaymentMismatch extends Error {
  constructor(readonly details: Record<string, unknown>) {
    super('the payment does not match the stored order');
  }
}

export type CompletionOutcome = 'completed' | 'duplicate' | 'unknown_order';

/**
 * The one place a payment is credited: under a row lock on the order, after checking that WeChat's transaction
 * is this order (merchant, app, number, amount in fen), the purpose posts exactly once. Notifications, status
 * polls and reconciliation all come through here, so duplicates and races end as one posting.
 */
export async function completePayment(
  payments: Payments,
  transaction: WechatTransaction,
  source: 'notify' | 'query',
): Promise<{ outcome: CompletionOutcome; order: OrderRow | null }> {
  return payments.db.transaction(async (tx) => {
    const [order] = await tx
      .select()
      .from(paymentOrders)
      .where(eq(paymentOrders.outTradeNo, transaction.out_trade_no))
      .for('update');
    if (!order) return { outcome: 'unknown_order' as const, order: null };
    const problems: Record<string, unknown> = {};
    if (transaction.mchid !== order.mchid || transaction.mchid !== payments.gateway.mchid) {
      problems.mchid = transaction.mchid;
    }
    if (transaction.appid !== order.appId) problems.appid = transaction.appid;
    if (transaction.amount?.total !== order.amountFen) problems.amountTotal = transaction.amount?.total ?? null;
    if (!['SUCCESS', 'REFUND'].includes(transaction.trade_state)) problems.tradeState = transaction.trade_state;
    if (Object.keys(problems).length > 0) {
      throw new PaymentMismatch({ outTradeNo: order.outTradeNo, tenantId: order.tenantId, ...problems });
    }
    const now = payments.now();
    if (order.transferId !== null) {
      if (source === 'notify' && !order.notifiedAt) {
        await tx.update(paymentOrders).set({ notifiedAt: now }).where(eq(paymentOrders.id, order.id));
      }
      return { outcome: 'duplicate' as const, order };
    }
    if (order.state === 'CLOSED') {
      // We closed it, yet WeChat took the money (a payment racing the close): the money is real, so credit it.
      payments.log.warn({ outTradeNo: order.outTradeNo }, 'WeChat reports a payment for an order closed locally');
    }
    const purpose = purposeOf(payments, order.purpose);
    const transferId = await purpose.complete(tx, purposeContext(payments, order), toPurposeOrder(order));
    const [updated] = await tx
      .update(paymentOrders)
      .set({
        // REFUND: paid, then refunded outside Lumi (merchant portal) before we heard of the payment.
        state: transaction.trade_state === 'REFUND' ? 'REFUND' : 'SUCCESS',
        transactionId: transaction.transaction_id ?? null,
        paidAt: transaction.success_time ? new Date(transaction.success_time) : now,
        transferId,
        closedReason: null,
        placementUncertain: false,
        ...(source === 'notify' ? { notifiedAt: now } : { lastQueriedAt: now }),
        updatedAt: now,
      })
      .where(eq(paymentOrders.id, order.id))
      .returning();
    payments.log.info({ outTradeNo: order.outTradeNo, transferId, source }, 'WeChat payment credited');
    return { outcome: 'completed' as const, order: updated ?? order };
  });
}

/**
 * A customer's order. While it is unpaid and no notification came, a poll older than a few seconds asks WeChat
 * itself (at most every few seconds), so the app learns of a payment whose notification is late or lost.
 */
export async function getCustomerOrder(
  payments: Payments,
  who: { tenantId: string; customerId: string },
  outTradeNo: string,
): Promise<OrderRow> {
  const [row] = await payments.db
    .select()
    .from(paymentOrders)
    .where(
      and(
        eq(paymentOrders.tenantId, who.tenantId),
        eq(paymentOrders.customerId, who.customerId),
        eq(paymentOrders.outTradeNo, outTradeNo),
      ),
    );
  if (!row) throw new AppError('PAYMENT_NOT_FOUND', 'Payment not found');
  const now = payments.now().getTime();
  const due =
    row.state === 'NOTPAY' &&
    (row.prepayId !== null || row.placementUncertain) &&
    now - row.createdAt.getTime() >= STATUS_QUERY_AFTER_MS &&
    (!row.lastQueriedAt || now - row.lastQueriedAt.getTime() >= STATUS_QUERY_AFTER_MS);
  if (!due) return row;
  try {
    const remote = await payments.gateway.queryOrder(row.outTradeNo, { timeoutMs: STATUS_QUERY_TIMEOUT_MS });
    if (remote) return await applyRemoteState(payments, row, remote);
    await payments.db
      .update(paymentOrders)
      .set({ lastQueriedAt: new Date(now) })
      .where(eq(paymentOrders.id, row.id));
    return row;
  } catch (error) {
    // The local state is still a correct answer ("not paid yet"); WeChat's trouble must not fail the poll.
    payments.log.warn({ err: error, outTradeNo }, 'status query to WeChat Pay failed');
    return row;
  }
}

export function refundView(row: RefundRow, outTradeNo: string): PaymentRefund {
  return {
    outRefundNo: row.outRefundNo,
    outTradeNo,
    amountFen: row.amountFen,
    reason: row.reason,
    state: row.state,
    createdAt: row.createdAt.toISOString(),
    succeededAt: row.succeededAt?.toISOString() ?? null,
  };
}

/** The API's view of an order; wx.requestPayment parameters are signed afresh while it can still be paid. */
export async function orderView(payments: Payments, row: OrderRow): Promise<PaymentOrder> {
  const refunds = await payments.db
    .select()
    .from(paymentRefunds)
    .where(and(eq(paymentRefunds.tenantId, row.tenantId), eq(paymentRefunds.orderId, row.id)))
    .orderBy(asc(paymentRefunds.createdAt));
  const now = payments.now();
  const payable = row.state === 'NOTPAY' && row.prepayId !== null && row.timeExpire > now;
  return {
    outTradeNo: row.outTradeNo,
    purpose: row.purpose as PaymentPurposeName,
    customerId: row.customerId,
    description: row.description,
    amountFen: row.amountFen,
    state: row.state,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.timeExpire.toISOString(),
    paidAt: row.paidAt?.toISOString() ?? null,
    transferId: row.transferId,
    refundedFen: refunds.filter((r) => r.state === 'SUCCESS').reduce((sum, r) => sum + r.amountFen, 0),
    refunds: refunds.map((r) => refundView(r, row.outTradeNo)),
    requestPayment: payable && row.prepayId ? payments.gateway.requestPayment(row.prepayId, now) : null,
  };
}

/** Open orders for reconciliation: unpaid, older than the cut-off, oldest first. */
export async function openOrdersBefore(db: Database, cutoff: Date, limit: number): Promise<OrderRow[]> {
  return db
    .select()
    .from(paymentOrders)
    .where(and(eq(paymentOrders.state, 'NOTPAY'), lt(paymentOrders.createdAt, cutoff)))
    .orderBy(asc(paymentOrders.createdAt))
    .limit(limit);
}

export async function ordersByIds(db: Database, ids: string[]): Promise<Map<string, OrderRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(paymentOrders).where(inArray(paymentOrders.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}
