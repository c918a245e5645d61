import type { PaymentPurposeName } from '@lumi/shared';
import { and, asc, eq, inArray, lt, ne } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import {
  checkIdempotencyKey,
  claimIdempotencyKey,
  requestHash,
  reverseTransfer,
  settleWechatRefund,
} from '../ledger/index.ts';
import { deriveOutRefundNo, type Payments } from './context.ts';
import { refundSettleKey, refundVoidKey } from './purposes.ts';
import { type OrderRow, purposeContext, purposeOf, type RefundRow, toPurposeOrder, unavailable } from './service.ts';
import { paymentOrders, paymentRefunds } from './tables.ts';
import { type RefundBody, type WechatRefund, WechatPayError } from './wechat-pay-client.ts';

/**
 * Refunds, in the order money must move so none is lost: (1) in one transaction, under the order's row lock,
 * check what is left to refund, record the refund and let the purpose take the value back out of the wallet
 * (a ledger hold — refused if the customer already spent it); (2) ask WeChat, outside any transaction, with an
 * out_refund_no derived from the Idempotency-Key so every retry is the same refund; (3) when WeChat reports
 * SUCCESS (answer, notification or query) settle the hold into wechat_clearing, and when it reports CLOSED put
 * the value back with a reversal of the hold.
 */

async function refundByKey(payments: Payments, tenantId: string, key: string) {
  const [row] = await payments.db
    .select()
    .from(paymentRefunds)
    .where(and(eq(paymentRefunds.tenantId, tenantId), eq(paymentRefunds.idempotencyKey, key)));
  return row;
}

export async function requestRefund(
  payments: Payments,
  staff: { tenantId: string; staffId: string },
  outTradeNo: string,
  body: { amountFen: number; reason: string },
  idempotencyKey: string,
  hash: string,
): Promise<{ refund: RefundRow; order: OrderRow; replayed: boolean }> {
  const claim = { tenantId: staff.tenantId, key: idempotencyKey, operation: 'payments.refund', requestHash: hash };
  const replay = async () => {
    const existing = await refundByKey(payments, staff.tenantId, idempotencyKey);
    if (!existing) return null;
    const [order] = await payments.db.select().from(paymentOrders).where(eq(paymentOrders.id, existing.orderId));
    if (!order) throw new Error('refund without its order');
    return { refund: await sendRefund(payments, existing), order, replayed: true };
  };
  if ((await checkIdempotencyKey(payments.db, claim)) === 'replayed') {
    const replayed = await replay();
    if (replayed) return replayed;
  }

  const created = await payments.db.transaction(async (tx) => {
    // The same request, sent twice at once, claimed the key first and has committed its refund by now.
    if ((await claimIdempotencyKey(tx, claim)) === 'replayed') return null;
    const [order] = await tx
      .select()
      .from(paymentOrders)
      .where(and(eq(paymentOrders.tenantId, staff.tenantId), eq(paymentOrders.outTradeNo, outTradeNo)))
      .for('update');
    if (!order) throw new AppError('PAYMENT_NOT_FOUND', 'Payment not found');
    const refund = await recordRefund(
      tx,
      payments,
      order,
      { ...body, staffId: staff.staffId, idempotencyKey, requestHash: hash },
      (committed, outRefundNo) =>
        purposeOf(payments, order.purpose).refund(tx, purposeContext(payments, order), toPurposeOrder(order), {
          outRefundNo,
          amountFen: body.amountFen,
          reason: body.reason,
          staffId: staff.staffId,
          previouslyRefundedFen: committed,
        }),
    );
    await recordAudit(tx, {
      tenantId: order.tenantId,
      actor: { staffId: staff.staffId },
      action: 'payment.refund_requested',
      subject: { type: 'payment', id: order.outTradeNo },
      storeId: order.storeId,
      after: { outRefundNo: refund.outRefundNo, amountFen: refund.amountFen, purpose: order.purpose },
      reason: body.reason,
    });
    return { refund, order };
  });
  if (!created) {
    const replayed = await replay();
    if (!replayed) throw new Error('refund claimed without its row');
    return replayed;
  }
  return { ...created, refund: await sendRefund(payments, created.refund), replayed: false };
}

/**
 * For purposes that refund from their own module (a bill's refund posts every tender in one transfer): records
 * the refund of `amountFen` of the purpose's paid order in the caller's transaction, against the ledger transfer
 * that already moved the value into refunds_pending. Send it with sendRecordedRefund after the commit.
 */
export async function recordPurposeRefund(
  tx: Database,
  payments: Payments,
  input: {
    tenantId: string;
    purpose: PaymentPurposeName;
    purposeRef: string;
    amountFen: number;
    reason: string;
    staffId: string | null;
    idempotencyKey: string;
    holdTransferId: number;
  },
): Promise<RefundRow> {
  const [order] = await tx
    .select()
    .from(paymentOrders)
    .where(
      and(
        eq(paymentOrders.tenantId, input.tenantId),
        eq(paymentOrders.purpose, input.purpose),
        eq(paymentOrders.purposeRef, input.purposeRef),
        inArray(paymentOrders.state, ['SUCCESS', 'REFUND']),
      ),
    )
    .for('update');
  if (!order) throw new AppError('PAYMENT_NOT_FOUND', 'No paid WeChat payment was found for this');
  return recordRefund(
    tx,
    payments,
    order,
    { ...input, requestHash: requestHash({ refund: input.idempotencyKey, amountFen: input.amountFen }) },
    async () => input.holdTransferId,
  );
}

/** Sends a refund recorded by recordPurposeRefund; the outcome lands on the refund row and in the ledger. */
export async function sendRecordedRefund(
  payments: Payments,
  tenantId: string,
  outRefundNo: string,
): Promise<RefundRow> {
  const [refund] = await payments.db
    .select()
    .from(paymentRefunds)
    .where(and(eq(paymentRefunds.tenantId, tenantId), eq(paymentRefunds.outRefundNo, outRefundNo)));
  if (!refund) throw new AppError('PAYMENT_NOT_FOUND', 'Refund not found');
  return sendRefund(payments, refund);
}

/**
 * Under the order's row lock: checks what is left to refund, records the refund with the exact body WeChat will
 * be sent (out_refund_no derived from the Idempotency-Key, so every retry is the same refund) and takes the
 * value out of what the payment bought with `hold`, which returns the ledger transfer that did it.
 */
async function recordRefund(
  tx: Database,
  payments: Payments,
  order: OrderRow,
  body: { amountFen: number; reason: string; staffId: string | null; idempotencyKey: string; requestHash: string },
  hold: (previouslyRefundedFen: number, outRefundNo: string) => Promise<number>,
): Promise<RefundRow> {
  if (order.transferId === null || !['SUCCESS', 'REFUND'].includes(order.state)) {
    throw new AppError('REFUND_NOT_ALLOWED', 'Only a paid order can be refunded', { state: order.state });
  }
  // Closed refunds gave their money back; everything else (pending, processing, done, abnormal) is spoken for.
  const others = await tx
    .select({ amountFen: paymentRefunds.amountFen })
    .from(paymentRefunds)
    .where(and(eq(paymentRefunds.orderId, order.id), ne(paymentRefunds.state, 'CLOSED')));
  const committed = others.reduce((sum, r) => sum + r.amountFen, 0);
  if (committed + body.amountFen > order.amountFen) {
    throw new AppError('REFUND_AMOUNT_EXCEEDED', 'That is more than is left to refund on this payment', {
      refundableFen: order.amountFen - committed,
    });
  }
  const outRefundNo = deriveOutRefundNo(order.tenantId, order.outTradeNo, body.idempotencyKey);
  const wechatRequest: RefundBody = {
    out_trade_no: order.outTradeNo,
    out_refund_no: outRefundNo,
    reason: body.reason,
    notify_url: payments.gateway.notifyUrl,
    amount: { refund: body.amountFen, total: order.amountFen, currency: 'CNY' },
  };
  const now = payments.now();
  const [refund] = await tx
    .insert(paymentRefunds)
    .values({
      tenantId: order.tenantId,
      orderId: order.id,
      customerId: order.customerId,
      outRefundNo,
      idempotencyKey: body.idempotencyKey,
      requestHash: body.requestHash,
      amountFen: body.amountFen,
      reason: body.reason,
      staffId: body.staffId,
      wechatRequest: { ...wechatRequest },
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!refund) throw new Error('refund insert returned no row');
  const holdTransferId = await hold(committed, outRefundNo);
  const [held] = await tx
    .update(paymentRefunds)
    .set({ holdTransferId })
    .where(eq(paymentRefunds.id, refund.id))
    .returning();
  return held ?? refund;
}

/**
 * Sends a recorded refund to WeChat (again). WeChat treats a repeated out_refund_no as the same refund, so a
 * retry can never pay out twice; a refusal after an earlier attempt with an unclear answer is checked with a
 * query first, because that earlier attempt may have been accepted.
 */
export async function sendRefund(payments: Payments, refund: RefundRow): Promise<RefundRow> {
  if (refund.state !== 'PENDING') return refund;
  await payments.db
    .update(paymentRefunds)
    .set({ attempts: refund.attempts + 1, updatedAt: payments.now() })
    .where(eq(paymentRefunds.id, refund.id));
  try {
    const remote = await payments.gateway.createRefund(refund.wechatRequest as unknown as RefundBody);
    return (await applyRefundStatus(payments, refund.outRefundNo, remote)).refund;
  } catch (error) {
    if (!(error instanceof WechatPayError)) throw error;
    payments.log.warn(
      { outRefundNo: refund.outRefundNo, kind: error.kind, code: error.wechatCode },
      'WeChat Pay refund request failed',
    );
    if (error.kind === 'rejected') {
      // undefined: the query itself failed, so whether an earlier attempt was accepted stays unknown.
      const earlier =
        refund.attempts > 0 ? await payments.gateway.queryRefund(refund.outRefundNo).catch(() => undefined) : null;
      if (earlier) return (await applyRefundStatus(payments, refund.outRefundNo, earlier)).refund;
      if (earlier === null) {
        await voidRefund(payments, refund.outRefundNo, `${error.wechatCode}: ${error.message}`);
        throw new AppError('WECHAT_PAY_REJECTED', 'WeChat Pay refused the refund', {
          wechatCode: error.wechatCode,
          outRefundNo: refund.outRefundNo,
        });
      }
    }
    throw unavailable('WeChat Pay did not answer clearly; the refund is recorded and will be sent again', {
      outRefundNo: refund.outRefundNo,
      state: 'PENDING',
      wechatCode: error.wechatCode,
    });
  }
}

export class RefundMismatch extends Error {
  constructor(readonly details: Record<string, unknown>) {
    super('the refund does not match the stored refund');
  }
}

export interface RefundChange {
  refund: RefundRow;
  /** False when WeChat told us nothing new (a duplicate notification, a repeated query). */
  changed: boolean;
}

export interface RefundStatusReport {
  status: WechatRefund['status'];
  out_refund_no: string;
  out_trade_no?: string;
  refund_id?: string;
  mchid?: string;
  success_time?: string;
  amount?: { total?: number; refund?: number };
}

/**
 * Applies what WeChat said about a refund (create answer, query or REFUND.* notification) under a row lock on the
 * refund: SUCCESS settles the hold once, CLOSED voids it once, ABNORMAL keeps the hold (the money is still owed
 * and a manager resolves it in the merchant portal), PROCESSING just records WeChat's acceptance.
 */
export async function applyRefundStatus(
  payments: Payments,
  outRefundNo: string,
  report: RefundStatusReport,
): Promise<RefundChange> {
  if (report.status === 'CLOSED') return voidRefund(payments, outRefundNo, 'WeChat closed the refund');
  return payments.db.transaction(async (tx) => {
    const [refund] = await tx
      .select()
      .from(paymentRefunds)
      .where(eq(paymentRefunds.outRefundNo, outRefundNo))
      .for('update');
    if (!refund) throw new RefundMismatch({ outRefundNo, problem: 'unknown refund' });
    const [order] = await tx.select().from(paymentOrders).where(eq(paymentOrders.id, refund.orderId));
    if (!order) throw new Error('refund without its order');
    const problems: Record<string, unknown> = {};
    if (report.mchid !== undefined && report.mchid !== order.mchid) problems.mchid = report.mchid;
    if (report.out_trade_no !== undefined && report.out_trade_no !== order.outTradeNo) {
      problems.outTradeNo = report.out_trade_no;
    }
    if (report.amount?.refund !== undefined && report.amount.refund !== refund.amountFen) {
      problems.amountRefund = report.amount.refund;
    }
    if (report.amount?.total !== undefined && report.amount.total !== order.amountFen) {
      problems.amountTotal = report.amount.total;
    }
    if (Object.keys(problems).length > 0) {
      throw new RefundMismatch({ outRefundNo, tenantId: refund.tenantId, ...problems });
    }
    const now = payments.now();
    if (refund.state === 'SUCCESS' || report.status === refund.state) return { refund, changed: false };
    if (refund.state === 'CLOSED') {
      // We put the value back, yet WeChat paid it out: the books now owe the customer nothing they did not get.
      payments.log.error({ outRefundNo, status: report.status }, 'WeChat reports progress on a refund closed here');
      return { refund, changed: false };
    }
    const accepted = { refundId: report.refund_id ?? refund.refundId, updatedAt: now };
    // WeChat shows an order as REFUND from its first accepted refund on; mirror it.
    await tx
      .update(paymentOrders)
      .set({ state: 'REFUND', updatedAt: now })
      .where(and(eq(paymentOrders.id, order.id), eq(paymentOrders.state, 'SUCCESS')));
    if (report.status !== 'SUCCESS') {
      const [updated] = await tx
        .update(paymentRefunds)
        .set({ ...accepted, state: report.status })
        .where(eq(paymentRefunds.id, refund.id))
        .returning();
      return { refund: updated ?? refund, changed: true };
    }
    const transferId = await settleWechatRefund(
      tx,
      payments.ledger,
      {
        tenantId: refund.tenantId,
        customerId: refund.customerId,
        storeId: order.storeId,
        staffId: refund.staffId,
        idempotencyKey: refundSettleKey(outRefundNo),
        requestHash: requestHash({ outRefundNo, amountFen: refund.amountFen, settle: true }),
      },
      { amountFen: refund.amountFen, reference: { type: 'wechat_refund', id: outRefundNo } },
    );
    const [settled] = await tx
      .update(paymentRefunds)
      .set({
        ...accepted,
        state: 'SUCCESS',
        transferId,
        succeededAt: report.success_time ? new Date(report.success_time) : now,
      })
      .where(eq(paymentRefunds.id, refund.id))
      .returning();
    payments.log.info({ outRefundNo, transferId }, 'WeChat refund settled');
    return { refund: settled ?? refund, changed: true };
  });
}

/** The refund did not happen (WeChat refused or closed it): put the held value back, once. */
async function voidRefund(payments: Payments, outRefundNo: string, reason: string): Promise<RefundChange> {
  return payments.db.transaction(async (tx) => {
    const [refund] = await tx
      .select()
      .from(paymentRefunds)
      .where(eq(paymentRefunds.outRefundNo, outRefundNo))
      .for('update');
    if (!refund) throw new RefundMismatch({ outRefundNo, problem: 'unknown refund' });
    if (refund.state === 'CLOSED') return { refund, changed: false };
    if (refund.state === 'SUCCESS') {
      // Money that WeChat paid out cannot come back by a later "closed"; keep the books as they are and shout.
      payments.log.error({ outRefundNo }, 'WeChat reports a settled refund as closed');
      return { refund, changed: false };
    }
    const voidTransferId = await givenBack(tx, payments, refund, reason);
    const [closed] = await tx
      .update(paymentRefunds)
      .set({ state: 'CLOSED', voidTransferId, closedReason: reason, updatedAt: payments.now() })
      .where(eq(paymentRefunds.id, refund.id))
      .returning();
    return { refund: closed ?? refund, changed: true };
  });
}

/** Refunds WeChat has not finished, older than the cut-off, for reconciliation. */
export async function refundsOpenBefore(payments: Payments, cutoff: Date, limit: number): Promise<RefundRow[]> {
  return payments.db
    .select()
    .from(paymentRefunds)
    .where(and(inArray(paymentRefunds.state, ['PENDING', 'PROCESSING']), lt(paymentRefunds.createdAt, cutoff)))
    .orderBy(asc(paymentRefunds.createdAt))
    .limit(limit);
}

/** A refund that did not happen gives the value back: as its purpose says, or by reversing the hold. */
async function givenBack(tx: Database, payments: Payments, refund: RefundRow, reason: string): Promise<number | null> {
  if (refund.holdTransferId === null) return null;
  const [order] = await tx.select().from(paymentOrders).where(eq(paymentOrders.id, refund.orderId));
  if (!order) throw new Error('refund without its order');
  const purpose = purposeOf(payments, order.purpose);
  const why = `微信退款未成功: ${reason}`.slice(0, 200);
  if (purpose.refundClosed) {
    return purpose.refundClosed(tx, purposeContext(payments, order), toPurposeOrder(order), {
      outRefundNo: refund.outRefundNo,
      amountFen: refund.amountFen,
      reason: why,
    });
  }
  const reversed = await reverseTransfer(
    tx,
    payments.ledger,
    {
      tenantId: refund.tenantId,
      // Nobody decided this: WeChat did, so the reversal is the system's.
      staffId: null,
      storeId: null,
      idempotencyKey: refundVoidKey(refund.outRefundNo),
      requestHash: requestHash({ outRefundNo: refund.outRefundNo, void: true }),
    },
    refund.holdTransferId,
    why,
    ['payment_refund'],
  );
  return reversed.transferId;
}
