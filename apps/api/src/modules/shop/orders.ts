import type { PlaceShopOrderRequest } from '@lumi/shared';
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import { checkTendersCover, holdTenders } from '../checkout/index.ts';
import { claimIdempotencyKey, releaseHolds, shanghaiDate } from '../ledger/index.ts';
import { nextStoreDayNumber, stores } from '../tenants/index.ts';
import { type Customer, cartLines, clearCart } from './cart.ts';
import { type ShopDeps, shopOrderRef } from './deps.ts';
import { postOrderPayment } from './payment.ts';
import { checkPointsPriceCovered, priceOrder } from './pricing.ts';
import { getOrderRow, type OrderRow, orderLinesOf } from './read-order.ts';
import { shopOrderLines, shopOrderNumberCounters, shopOrders, shopStock } from './tables.ts';

/** `SO-S01-20261207-0042`: the store's daily sequence, taken in the order's own insert (tenants/store-day-numbers.ts). */
const orderNumber = (tx: Database, tenantId: string, storeId: string, now: Date) =>
  nextStoreDayNumber(tx, shopOrderNumberCounters, { tenantId, storeId, day: shanghaiDate(now), prefix: 'SO' });

/**
 * 下单: the cart becomes an order at today's prices for her tier (the snapshot), the store's stock for its
 * products is taken off at once — a conditional decrement, so two customers racing for the last unit cannot both
 * get it — the coupon is reserved (pricing.ts), and the tenders must add up to the total. Without WeChat the order is paid here, in the same
 * transaction; with WeChat, the stored value and points are held and the order waits (待付款) until it is paid,
 * cancelled or expires. Once per Idempotency-Key.
 */
export async function placeOrder(
  db: Database,
  deps: ShopDeps,
  customer: Customer,
  request: PlaceShopOrderRequest,
  idem: { key: string; hash: string },
): Promise<{ orderId: string; replayed: boolean }> {
  return db.transaction(async (tx) => {
    // The one key contract (ledger/idempotency-keys.ts): a key used on any other operation is refused here.
    await claimIdempotencyKey(tx, {
      tenantId: customer.tenantId,
      key: idem.key,
      operation: 'shop.order',
      requestHash: idem.hash,
    });
    const [earlier] = await tx
      .select({ id: shopOrders.id, requestHash: shopOrders.requestHash })
      .from(shopOrders)
      .where(
        and(
          eq(shopOrders.tenantId, customer.tenantId),
          eq(shopOrders.customerId, customer.id),
          eq(shopOrders.idempotencyKey, idem.key),
        ),
      );
    if (earlier) {
      if (earlier.requestHash !== idem.hash) {
        throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request');
      }
      return { orderId: earlier.id, replayed: true };
    }
    const [store] = await tx
      .select({ id: stores.id })
      .from(stores)
      .where(and(eq(stores.tenantId, customer.tenantId), eq(stores.id, request.storeId)));
    if (!store) throw new AppError('NOT_FOUND', 'Store not found', [{ field: 'body.storeId', message: 'not found' }]);
    if (request.fulfilment === 'delivery' && !request.address) {
      throw new AppError('VALIDATION_FAILED', 'A delivery needs an address', [
        { field: 'body.address', message: 'required for delivery' },
      ]);
    }
    const lines = await cartLines(tx, deps, customer);
    if (lines.length === 0) throw new AppError('BUSINESS_RULE_VIOLATED', 'The cart is empty');
    const off = lines.find((l) => !l.item.onSale);
    if (off) {
      throw new AppError('BUSINESS_RULE_VIOLATED', `${off.item.name} is no longer on sale`, { itemId: off.item.id });
    }
    if (lines.some((l) => l.item.kind === 'top_up_plan') && request.tenders.some((t) => t.method === 'stored_value')) {
      throw new AppError('BUSINESS_RULE_VIOLATED', 'Stored value cannot pay for a top-up', [
        { field: 'body.tenders', message: 'no stored value with a top-up' },
      ]);
    }
    const priced = await priceOrder(tx, deps, customer, lines, request);
    checkPointsPriceCovered(request.tenders, priced.pointsPricePoints);
    const { totalFen } = priced;
    await checkTendersCover(tx, customer.tenantId, request.tenders, totalFen);

    for (const line of lines.filter((l) => l.item.kind === 'product')) {
      const taken = await tx
        .update(shopStock)
        .set({ quantity: sql`${shopStock.quantity} - ${line.quantity}` })
        .where(
          and(
            eq(shopStock.tenantId, customer.tenantId),
            eq(shopStock.itemId, line.item.id),
            eq(shopStock.storeId, request.storeId),
            gte(shopStock.quantity, line.quantity),
          ),
        )
        .returning({ left: shopStock.quantity });
      if (taken.length === 0) {
        const [row] = await tx
          .select({ quantity: shopStock.quantity })
          .from(shopStock)
          .where(and(eq(shopStock.itemId, line.item.id), eq(shopStock.storeId, request.storeId)));
        throw new AppError('SHOP_OUT_OF_STOCK', `${line.item.name} is out of stock at this store`, {
          itemId: line.item.id,
          available: row?.quantity ?? 0,
        });
      }
    }

    const now = deps.ledger.now();
    const waitsForWechat = request.tenders.some((t) => t.method === 'wechat');
    const expiresAt = new Date(now.getTime() + deps.paymentMinutes * 60_000);
    // The store's counter row is held from here to the commit, so orders of a store queue only this late.
    const { counted, number } = orderNumber(tx, customer.tenantId, request.storeId, now);
    const [order] = await tx
      .with(counted)
      .insert(shopOrders)
      .values({
        tenantId: customer.tenantId,
        number,
        customerId: customer.id,
        storeId: request.storeId,
        status: 'pending_payment',
        fulfilment: request.fulfilment,
        address: request.fulfilment === 'delivery' ? request.address : null,
        totalFen,
        tenders: request.tenders,
        couponId: request.couponId,
        couponDiscountFen: priced.couponDiscountFen,
        idempotencyKey: idem.key,
        requestHash: idem.hash,
        expiresAt,
        createdAt: now,
      })
      .returning();
    if (!order) throw new Error('order insert returned nothing');
    await tx.insert(shopOrderLines).values(
      priced.lines.map((l, position) => ({
        tenantId: customer.tenantId,
        orderId: order.id,
        itemId: l.item.id,
        position,
        kind: l.item.kind,
        name: l.item.name,
        quantity: l.quantity,
        listPriceFen: l.item.listPriceFen,
        unitPriceFen: l.unitPriceFen,
        amountFen: l.amountFen,
        pointsPrice: l.pointsPrice,
        couponDiscountFen: l.couponDiscountFen,
        serviceId: l.item.serviceId,
        packagePlanId: l.item.packagePlanId,
        topUpPlanId: l.item.topUpPlanId,
        topUpPrincipalFen: l.topUp?.principalFen ?? null,
        topUpBonusFen: l.topUp?.bonusFen ?? null,
        topUpBonusPoints: l.topUp?.bonusPoints ?? null,
        topUpGiftPackagePlanId: l.topUp?.giftPackagePlanId ?? null,
      })),
    );
    await clearCart(tx, customer);
    if (waitsForWechat) {
      await holdTenders(tx, order, shopOrderRef(order.id), request.tenders, expiresAt);
    } else {
      await postOrderPayment(tx, deps, order, await orderLinesOf(tx, order.id), false);
    }
    return { orderId: order.id, replayed: false };
  });
}

/**
 * Closes an unpaid order (the customer cancelled, or it expired): its WeChat payment is closed first — one that
 * was paid after all completes the order instead — then the held balance and the reserved stock go back.
 */
export async function closeUnpaidOrder(
  db: Database,
  deps: ShopDeps,
  tenantId: string,
  orderId: string,
  reason: 'cancelled' | 'expired',
  actor: { customerId: string } | { system: true },
): Promise<boolean> {
  const order = await getOrderRow(db, tenantId, orderId);
  if (order.status !== 'pending_payment') return false;
  if (deps.wechat && order.tenders.some((t) => t.method === 'wechat')) {
    const closed = await deps.wechat.close(
      tenantId,
      orderId,
      reason === 'expired' ? 'shop order expired' : 'shop order cancelled',
    );
    if (closed === 'paid') return false;
  }
  return db.transaction(async (tx) => {
    const locked = await getOrderRow(tx, tenantId, orderId, { lock: true });
    if (locked.status !== 'pending_payment') return false;
    await releaseHolds(tx, tenantId, shopOrderRef(orderId));
    if (locked.couponId) await deps.hooks.releaseCoupon(tx, { tenantId, couponId: locked.couponId });
    for (const line of (await orderLinesOf(tx, orderId)).filter((l) => l.kind === 'product')) {
      await returnStock(tx, locked, line.itemId, line.quantity);
    }
    const now = deps.ledger.now();
    await tx
      .update(shopOrders)
      .set({ status: 'closed', closedAt: now, closedReason: reason })
      .where(eq(shopOrders.id, orderId));
    await recordAudit(tx, {
      tenantId,
      actor,
      action: reason === 'expired' ? 'shop.order_expired' : 'shop.order_cancelled',
      subject: { type: 'shop_order', id: orderId },
      storeId: locked.storeId,
      before: { status: 'pending_payment' },
      after: { status: 'closed' },
    });
    return true;
  });
}

export async function returnStock(
  tx: Database,
  order: Pick<OrderRow, 'tenantId' | 'storeId'>,
  itemId: string,
  quantity: number,
) {
  await tx
    .insert(shopStock)
    .values({ tenantId: order.tenantId, itemId, storeId: order.storeId, quantity })
    .onConflictDoUpdate({
      target: [shopStock.itemId, shopStock.storeId],
      set: { quantity: sql`${shopStock.quantity} + ${quantity}` },
    });
}

/** Job: unpaid orders past their time are closed, their stock and held balance released. */
export async function expireShopOrders(db: Database, deps: ShopDeps, now: Date): Promise<number> {
  const due = await db
    .select({ id: shopOrders.id, tenantId: shopOrders.tenantId })
    .from(shopOrders)
    .where(and(eq(shopOrders.status, 'pending_payment'), lt(shopOrders.expiresAt, now)));
  let closed = 0;
  for (const { id, tenantId } of due) {
    if (await closeUnpaidOrder(db, deps, tenantId, id, 'expired', { system: true })) closed++;
  }
  return closed;
}
