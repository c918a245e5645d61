import {
  type AfterSaleDecision,
  type AfterSaleRequest,
  type AuditAction,
  runningShare,
  type Tender,
} from '@lumi/shared';
import { and, asc, eq, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { recordAudit } from '../audit/index.ts';
import { type BillPaid, refundTenderLegs } from '../checkout/index.ts';
import {
  applyPointsDelta,
  claimIdempotencyKey,
  type Leg,
  ledgerSettings,
  POINTS_DAY_MS,
  postTransfer,
  requestHash,
} from '../ledger/index.ts';
import type { Customer } from './cart.ts';
import { type ShopDeps, shopOrderRef } from './deps.ts';
import { clawBackEarnedPoints, earnedPointsDue } from './earned-points.ts';
import { returnStock } from './orders.ts';
import {
  type AfterSaleRow,
  customerOrderRow,
  type OrderLineRow,
  type OrderRow,
  orderLinesOf,
  staffOrderRow,
} from './read-order.ts';
import { assertWalletItemsUnused, type GivenLine, lineBackLegs, lockVouchers, pickVouchers } from './refund-lines.ts';
import { planOrderRefundTenders } from './refund-tenders.ts';
import { getShopSettings } from './settings.ts';
import { shopAfterSales, shopOrderLines, shopOrders } from './tables.ts';

const PAID: OrderRow['status'][] = [
  'awaiting_pickup',
  'collected',
  'awaiting_shipment',
  'shipped',
  'received',
  'completed',
];
/** Goods still at the store: given back, they go back on its shelf. */
const UNSHIPPED: OrderRow['status'][] = ['awaiting_pickup', 'awaiting_shipment'];
/** Lines that can be given back on their own; package cards and top-ups go back only with the whole order. */
const REFUNDABLE = new Set(['product', 'service_voucher']);

/** A request left for a manager to decide (商城设置 asks for review): what the 审批 alert names. */
export interface AfterSaleReview {
  storeId: string;
  orderNumber: string;
  customerName: string | null;
  at: Date;
}

const reused = () =>
  new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request');

/**
 * 申请售后: the customer asks to give back the whole order (what is left of it) or some units of some lines, with
 * a reason. The amount is what those units cost her (the snapshot price); a manager decides. One open request
 * per order. Once per Idempotency-Key.
 */
export async function requestAfterSale(
  db: Database,
  deps: ShopDeps,
  customer: Customer,
  orderId: string,
  request: AfterSaleRequest,
  idem: { key: string; hash: string },
): Promise<{ id: string; outRefundNo: string | null; review: AfterSaleReview | null }> {
  return db.transaction(async (tx) => {
    // The one key contract (ledger/idempotency-keys.ts); the order is part of what was asked.
    await claimIdempotencyKey(tx, {
      tenantId: customer.tenantId,
      key: idem.key,
      operation: 'shop.after_sale',
      requestHash: `${orderId}:${idem.hash}`,
    });
    const [earlier] = await tx
      .select()
      .from(shopAfterSales)
      .where(
        and(
          eq(shopAfterSales.tenantId, customer.tenantId),
          eq(shopAfterSales.customerId, customer.id),
          eq(shopAfterSales.idempotencyKey, idem.key),
        ),
      );
    if (earlier) {
      if (earlier.requestHash !== idem.hash || earlier.orderId !== orderId) throw reused();
      // A replay alerted no one again: the first answer did (alerts are one per item and manager anyway).
      return { id: earlier.id, outRefundNo: earlier.wechatOutRefundNo, review: null };
    }
    const order = await customerOrderRow(tx, customer, orderId, { lock: true });
    if (!PAID.includes(order.status)) {
      throw new AppError('CONFLICT', `This order is ${order.status}`, { status: order.status });
    }
    const [open] = await tx
      .select({ id: shopAfterSales.id })
      .from(shopAfterSales)
      .where(and(eq(shopAfterSales.orderId, order.id), eq(shopAfterSales.status, 'requested')));
    if (open) throw new AppError('CONFLICT', 'An after-sale request for this order is waiting for a decision');
    const lines = await orderLinesOf(tx, order.id);
    const issued = await issuedVouchers(tx, order.id);
    // The whole order (what is left of it) takes back its wallet items too, while unused; used vouchers stay hers.
    const whole = request.lines === undefined;
    if (whole)
      await assertWalletItemsUnused(
        tx,
        deps,
        order,
        lines.filter((l) => l.refundedQuantity < l.quantity),
      );
    const asked =
      request.lines ??
      lines
        .map((l) => ({
          lineId: l.id,
          quantity: l.kind === 'service_voucher' ? vouchersLeft(l, issued) : l.quantity - l.refundedQuantity,
        }))
        .filter((a) => a.quantity > 0);
    if (asked.length === 0) throw new AppError('BUSINESS_RULE_VIOLATED', 'Nothing is left to give back on this order');
    const seen = new Set<string>();
    const picked = asked.map((a, i) => {
      const line = lines.find((l) => l.id === a.lineId);
      const field = `body.lines.${i}.lineId`;
      if (!line || seen.has(a.lineId)) {
        throw new AppError('VALIDATION_FAILED', 'Not a line of this order, or named twice', [
          { field, message: 'not a line of this order, or repeated' },
        ]);
      }
      seen.add(a.lineId);
      if (!whole && !REFUNDABLE.has(line.kind)) {
        throw new AppError('REFUND_NOT_ALLOWED', `${line.name} is in your wallet; it goes back with the whole order`, [
          { field, message: 'issued to the wallet: give back the whole order' },
        ]);
      }
      if (a.quantity > line.quantity - line.refundedQuantity) {
        throw new AppError('REFUND_AMOUNT_EXCEEDED', `At most ${line.quantity - line.refundedQuantity} can go back`, {
          lineId: line.id,
          refundable: line.quantity - line.refundedQuantity,
        });
      }
      if (line.kind === 'service_voucher' && a.quantity > vouchersLeft(line, issued)) {
        throw new AppError('REFUND_NOT_ALLOWED', 'A voucher used at the salon cannot be given back', [
          { field, message: 'voucher already used' },
        ]);
      }
      return { line, quantity: a.quantity };
    });
    const given: GivenLine[] = [];
    for (const { line, quantity } of picked) {
      if (line.kind === 'service_voucher') {
        // These very vouchers go back, at what she paid for each (their values add up to the line).
        const vouchers = await pickVouchers(tx, line, quantity);
        given.push({ lineId: line.id, name: line.name, quantity, ...vouchers });
      } else {
        // Her price after the member price and the coupon's share, unit by unit, so refunds add up to the line.
        const amountFen = runningShare(line.amountFen, line.quantity, line.refundedQuantity, quantity);
        given.push({ lineId: line.id, name: line.name, quantity, amountFen });
      }
    }
    const createdAt = deps.ledger.now();
    const [row] = await tx
      .insert(shopAfterSales)
      .values({
        tenantId: customer.tenantId,
        orderId: order.id,
        customerId: customer.id,
        lines: given,
        amountFen: given.reduce((sum, l) => sum + l.amountFen, 0),
        reason: request.reason,
        idempotencyKey: idem.key,
        requestHash: idem.hash,
        createdAt,
      })
      .returning({ id: shopAfterSales.id });
    if (!row) throw new Error('after-sale insert returned nothing');
    await recordAudit(tx, {
      tenantId: customer.tenantId,
      actor: { customerId: customer.id },
      action: 'shop.after_sale_requested',
      subject: { type: 'shop_order', id: order.id },
      storeId: order.storeId,
      after: { afterSaleId: row.id, lines: given },
      reason: request.reason,
    });
    if (!(await getShopSettings(tx, customer.tenantId)).afterSaleApproval) {
      // The salon refunds without a manager's review (商城设置): approved as it arrives, by no one.
      const [created] = await tx.select().from(shopAfterSales).where(eq(shopAfterSales.id, row.id));
      if (!created) throw new Error('after-sale vanished');
      const outRefundNo = await approve(tx, deps, null, order, created, '', {
        decidedBy: null,
        decidedAt: deps.ledger.now(),
        decisionNote: null,
        decisionKey: null,
        decisionHash: null,
      });
      return { id: row.id, outRefundNo, review: null };
    }
    const [named] = await queryRows<{ name: string | null }>(
      tx,
      sql`select name from customers where tenant_id = ${customer.tenantId} and id = ${customer.id}`,
    );
    return {
      id: row.id,
      outRefundNo: null,
      review: { storeId: order.storeId, orderNumber: order.number, customerName: named?.name ?? null, at: createdAt },
    };
  });
}

/** Vouchers of a line still unused in her wallet (only those can be given back). */
const vouchersLeft = (line: OrderLineRow, issued: Map<string, number>) => issued.get(line.id) ?? 0;

async function issuedVouchers(tx: Database, orderId: string): Promise<Map<string, number>> {
  const rows = await queryRows<{ line_id: string; n: number }>(
    tx,
    sql`select line_id, count(*)::int as n from shop_vouchers where order_id = ${orderId} and status = 'issued'
        group by line_id`,
  );
  return new Map(rows.map((r) => [r.line_id, Number(r.n)]));
}

/** What the order's payment transfer took: its tenders, the points' value, and the stored value's split. */
async function orderPaid(tx: Database, order: OrderRow): Promise<BillPaid> {
  const [transfer] = await queryRows<{ details: Record<string, unknown> }>(
    tx,
    sql`select details from transfers where id = ${order.transferId} and tenant_id = ${order.tenantId}`,
  );
  const split = await queryRows<{ kind: string; amount: number }>(
    tx,
    sql`select a.kind, sum(e.amount) as amount from entries e join accounts a on a.id = e.account_id
        where e.transfer_id = ${order.transferId} and a.kind in ('stored_principal', 'stored_bonus')
        group by a.kind`,
  );
  return {
    tenders: order.tenders as Tender[],
    pointsValueFen: Number(transfer?.details.pointsValueFen ?? 0),
    principalFen: Number(split.find((s) => s.kind === 'stored_principal')?.amount ?? 0),
    bonusFen: Number(split.find((s) => s.kind === 'stored_bonus')?.amount ?? 0),
    pointsEarned: order.pointsEarned,
    recognisedFen: new Map(),
  };
}

/**
 * 审核售后: a manager of the order's store approves or refuses. Approving gives the money back as ONE ledger
 * transfer — revenue and the member discount back out by line, and each tender's share back to its source
 * through checkout's refund plan and tender legs (stored value in its principal/bonus split, points as points,
 * WeChat into refunds_pending and then out through a WeChat Pay refund) — puts unshipped goods back on the shelf,
 * voids refunded vouchers, and marks the order 已退款 once every line is given back. Once per Idempotency-Key.
 */
export async function decideAfterSale(
  db: Database,
  deps: ShopDeps,
  staff: StaffPrincipal,
  afterSaleId: string,
  decision: AfterSaleDecision,
  idem: { key: string; hash: string },
): Promise<{ orderId: string; outRefundNo: string | null }> {
  return db.transaction(async (tx) => {
    await claimIdempotencyKey(tx, {
      tenantId: staff.tenantId,
      key: idem.key,
      operation: 'shop.after_sale_decision',
      requestHash: `${afterSaleId}:${idem.hash}`,
    });
    const [byKey] = await tx
      .select()
      .from(shopAfterSales)
      .where(and(eq(shopAfterSales.tenantId, staff.tenantId), eq(shopAfterSales.decisionKey, idem.key)));
    if (byKey) {
      if (byKey.id !== afterSaleId || byKey.decisionHash !== idem.hash) throw reused();
      return { orderId: byKey.orderId, outRefundNo: byKey.wechatOutRefundNo };
    }
    const [row] = await tx
      .select()
      .from(shopAfterSales)
      .where(and(eq(shopAfterSales.tenantId, staff.tenantId), eq(shopAfterSales.id, afterSaleId)))
      .for('update');
    if (!row) throw new AppError('NOT_FOUND', 'After-sale request not found');
    const order = await staffOrderRow(tx, staff, row.orderId, { lock: true });
    if (row.status !== 'requested') {
      throw new AppError('CONFLICT', `This request was already ${row.status}`, { status: row.status });
    }
    const now = deps.ledger.now();
    const decided = {
      decidedBy: staff.id,
      decidedAt: now,
      decisionNote: decision.note || null,
      decisionKey: idem.key,
      decisionHash: idem.hash,
    };
    if (!decision.approve) {
      await tx
        .update(shopAfterSales)
        .set({ ...decided, status: 'refused' })
        .where(eq(shopAfterSales.id, row.id));
      await audit(tx, staff, order, row, 'shop.after_sale_refused', decision.note);
      return { orderId: order.id, outRefundNo: null };
    }
    const outRefundNo = await approve(tx, deps, staff, order, row, decision.note, decided);
    return { orderId: order.id, outRefundNo };
  });
}

/**
 * Approves a request (a manager, or no one where the salon needs no review): the refund is posted, the WeChat part
 * recorded to be sent after the commit, and the decision audited. Returns the WeChat refund's number, if any.
 */
async function approve(
  tx: Database,
  deps: ShopDeps,
  staff: StaffPrincipal | null,
  order: OrderRow,
  row: AfterSaleRow,
  note: string,
  decided: Partial<AfterSaleRow>,
): Promise<string | null> {
  const refund = await postRefund(tx, deps, staff, order, row);
  await tx
    .update(shopAfterSales)
    .set({
      ...decided,
      status: 'approved',
      tenders: refund.tenders,
      pointsClawedBack: refund.pointsClawedBack,
      transferId: refund.transferId,
    })
    .where(eq(shopAfterSales.id, row.id));
  let outRefundNo: string | null = null;
  const wechat = refund.tenders.find((t) => t.method === 'wechat');
  if (wechat) {
    if (!deps.wechat) throw new AppError('REFUND_NOT_ALLOWED', 'WeChat refunds are not available for this salon');
    ({ outRefundNo } = await deps.wechat.recordRefund(tx, {
      tenantId: order.tenantId,
      orderId: order.id,
      amountFen: wechat.amountFen,
      reason: row.reason,
      staffId: staff?.id ?? null,
      idempotencyKey: `shop-after-sale/${row.id}`,
      holdTransferId: refund.transferId,
    }));
    await tx.update(shopAfterSales).set({ wechatOutRefundNo: outRefundNo }).where(eq(shopAfterSales.id, row.id));
  }
  await audit(tx, staff, order, row, 'shop.after_sale_approved', note, {
    transferId: refund.transferId,
    tenders: refund.tenders,
    pointsClawedBack: refund.pointsClawedBack,
    pointsForgiven: refund.pointsForgiven,
    wechatOutRefundNo: outRefundNo,
  });
  return outRefundNo;
}

async function postRefund(
  tx: Database,
  deps: ShopDeps,
  staff: StaffPrincipal | null,
  order: OrderRow,
  row: AfterSaleRow,
) {
  if (!order.transferId) throw new AppError('CONFLICT', 'This order was never paid');
  const lines = await orderLinesOf(tx, order.id);
  const earlier = await tx
    .select()
    .from(shopAfterSales)
    .where(and(eq(shopAfterSales.orderId, order.id), eq(shopAfterSales.status, 'approved')))
    .orderBy(asc(shopAfterSales.createdAt));
  const paid = await orderPaid(tx, order);
  const tenders = planOrderRefundTenders(lines, paid, earlier, row.lines);

  // Every voucher the request names, locked at once in id order before any is checked (lockVouchers).
  await lockVouchers(
    tx,
    row.lines.flatMap((g) => g.voucherIds ?? []),
  );
  const legs: Leg[] = [];
  let bonusPointsBack = 0;
  for (const given of row.lines) {
    const line = lines.find((l) => l.id === given.lineId);
    if (!line || given.quantity > line.quantity - line.refundedQuantity) {
      throw new AppError('REFUND_AMOUNT_EXCEEDED', 'This line was already given back', { lineId: given.lineId });
    }
    const back = await lineBackLegs(tx, deps, order, line, given);
    legs.push(...back.legs);
    bonusPointsBack += back.points;
  }
  legs.push(...(await refundTenderLegs(tx, deps, { ...order, saleTransferId: order.transferId }, tenders)));
  const points = tenders.reduce((sum, t) => sum + (t.method === 'points' ? t.points : 0), 0);
  // The earned points go back with the lines that earned them; the bonus points a top-up gave leave with it, so the
  // clawback may only take what is left beside them.
  const due = earnedPointsDue(
    order,
    lines,
    earlier.reduce((sum, e) => sum + e.pointsClawedBack, 0),
    row.lines,
  );
  const clawback = await clawBackEarnedPoints(tx, deps, order, paid, due, points - bonusPointsBack);
  if (clawback.points > 0) legs.push(...clawback.legs);
  const pointsForgiven = due - clawback.points;
  const posted = await postTransfer(tx, {
    tenantId: order.tenantId,
    customerId: order.customerId,
    storeId: order.storeId,
    staffId: staff?.id ?? null,
    idempotencyKey: `shop-after-sale/${row.id}/refund`,
    requestHash: requestHash({ afterSale: row.id }),
    kind: 'shop_refund',
    reference: shopOrderRef(order.id),
    memo: `售后退款: ${row.reason}`.slice(0, 200),
    details: {
      orderId: order.id,
      orderNumber: order.number,
      afterSaleId: row.id,
      items: row.lines,
      tenders,
      pointsClawedBack: clawback.points,
      pointsForgiven,
    },
    legs,
  });
  const pointsDelta = points - clawback.points - bonusPointsBack;
  if (pointsDelta !== 0) {
    const settings = await ledgerSettings(tx, order.tenantId);
    const now = deps.ledger.now();
    await applyPointsDelta(
      tx,
      {
        tenantId: order.tenantId,
        customerId: order.customerId,
        transferId: posted.transferId,
        expiresAt: pointsDelta > 0 ? new Date(now.getTime() + settings.pointsExpiryDays * POINTS_DAY_MS) : now,
      },
      pointsDelta,
    );
  }

  for (const given of row.lines) {
    const line = lines.find((l) => l.id === given.lineId);
    if (!line) continue;
    await tx
      .update(shopOrderLines)
      .set({ refundedQuantity: sql`${shopOrderLines.refundedQuantity} + ${given.quantity}` })
      .where(eq(shopOrderLines.id, line.id));
    if (line.kind === 'product' && UNSHIPPED.includes(order.status)) {
      await returnStock(tx, order, line.itemId, given.quantity);
    }
  }
  const everything = lines.every(
    (l) => l.quantity === l.refundedQuantity + (row.lines.find((g) => g.lineId === l.id)?.quantity ?? 0),
  );
  if (everything) {
    await tx
      .update(shopOrders)
      .set({ status: 'refunded', pickupCode: null, closedAt: deps.ledger.now() })
      .where(eq(shopOrders.id, order.id));
    // Refunded in full, the order used nothing: its coupon goes back to her wallet.
    if (order.couponId) {
      await deps.restoreCoupon(tx, {
        tenantId: order.tenantId,
        couponId: order.couponId,
        reference: shopOrderRef(order.id),
      });
    }
  }
  return { transferId: posted.transferId, tenders, pointsClawedBack: clawback.points, pointsForgiven };
}

function audit(
  tx: Database,
  staff: StaffPrincipal | null,
  order: OrderRow,
  row: AfterSaleRow,
  action: AuditAction,
  note: string,
  after: Record<string, unknown> = {},
) {
  return recordAudit(tx, {
    tenantId: order.tenantId,
    actor: staff ? { staffId: staff.id } : { system: true },
    action,
    subject: { type: 'shop_order', id: order.id },
    storeId: order.storeId,
    before: { afterSaleId: row.id, status: 'requested', amountFen: row.amountFen },
    after: { status: action.endsWith('approved') ? 'approved' : 'refused', ...after },
    reason: note || row.reason,
  });
}
