import type { AfterSale, ShopGiftCard, ShopOrder, ShopOrderStatus } from '@lumi/shared';
import { and, asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { packagePlans } from '../catalog/index.ts';
import { customers, maskPhone } from '../customers/index.ts';
import { stores } from '../tenants/index.ts';
import { shopAfterSales, shopOrderLines, shopOrders } from './tables.ts';
import { orderTimeline } from './timeline.ts';

export type OrderRow = typeof shopOrders.$inferSelect;
export type OrderLineRow = typeof shopOrderLines.$inferSelect;
export type AfterSaleRow = typeof shopAfterSales.$inferSelect;

export async function getOrderRow(
  db: Database,
  tenantId: string,
  orderId: string,
  options: { lock?: boolean } = {},
): Promise<OrderRow> {
  const query = db
    .select()
    .from(shopOrders)
    .where(and(eq(shopOrders.tenantId, tenantId), eq(shopOrders.id, orderId)));
  const [order] = options.lock ? await query.for('update') : await query;
  if (!order) throw new AppError('NOT_FOUND', 'Order not found');
  return order;
}

/** A customer's own order; anyone else's is not found. */
export async function customerOrderRow(
  db: Database,
  customer: { tenantId: string; id: string },
  orderId: string,
  options: { lock?: boolean } = {},
) {
  const order = await getOrderRow(db, customer.tenantId, orderId, options);
  if (order.customerId !== customer.id) throw new AppError('NOT_FOUND', 'Order not found');
  return order;
}

/** An order of a store the staff member works at; any other is not found, as in another tenant. */
export async function staffOrderRow(
  db: Database,
  staff: { tenantId: string; storeIds: string[] },
  orderId: string,
  options: { lock?: boolean } = {},
) {
  const order = await getOrderRow(db, staff.tenantId, orderId, options);
  if (!staff.storeIds.includes(order.storeId)) throw new AppError('NOT_FOUND', 'Order not found');
  return order;
}

/** A top-up line's grant as copied at placement (migration 0030 gave older lines their plan as it then stood). */
export function topUpGrant(line: OrderLineRow) {
  if (line.topUpPrincipalFen === null || line.topUpBonusFen === null || line.topUpBonusPoints === null) {
    throw new Error(`top-up line ${line.id} without its grant`);
  }
  return {
    principalFen: line.topUpPrincipalFen,
    bonusFen: line.topUpBonusFen,
    bonusPoints: line.topUpBonusPoints,
    giftPackagePlanId: line.topUpGiftPackagePlanId,
  };
}

/** An order's lines as she put them in her cart (lines placed before migration 0037 were numbered by id). */
const inCartOrder = [asc(shopOrderLines.position), asc(shopOrderLines.id)];

export function orderLinesOf(db: Database, orderId: string): Promise<OrderLineRow[]> {
  return db
    .select()
    .from(shopOrderLines)
    .where(eq(shopOrderLines.orderId, orderId))
    .orderBy(...inCartOrder);
}

export function presentAfterSale(row: AfterSaleRow, orderNumber: string): AfterSale {
  return {
    id: row.id,
    orderId: row.orderId,
    orderNumber,
    status: row.status,
    lines: row.lines.map(({ lineId, name, quantity, amountFen }) => ({ lineId, name, quantity, amountFen })),
    amountFen: row.amountFen,
    reason: row.reason,
    decisionNote: row.decisionNote,
    // A shop order is paid by stored value, points and WeChat only, so its refunds go back to those alone.
    tenders: row.tenders as AfterSale['tenders'],
    wechatOutRefundNo: row.wechatOutRefundNo,
    pointsClawedBack: row.pointsClawedBack,
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
  };
}

/**
 * A top-up line's gift card: before payment, the plan copied at placement; once paid, only if payment issued its
 * cards (none when the salon had withdrawn the plan by then — the plan's row stays, so the join still finds it).
 */
function giftCardOf(order: OrderRow, line: OrderLineRow, plan: ShopGiftCard | null): ShopGiftCard | null {
  if (!plan || line.topUpGiftPackagePlanId === null) return null;
  if (order.paidAt !== null && !line.topUpGiftCardIds?.length) return null;
  return plan;
}

/**
 * Who reads an order: its customer, or staff — a beautician sees the delivery phone masked (personal-information
 * rules), managers and the owner in full.
 */
export type OrderViewer = 'customer' | 'staff' | 'beautician';
export const staffOrderViewer = (staff: { role: string }): OrderViewer =>
  staff.role === 'beautician' ? 'beautician' : 'staff';

/**
 * Orders as their owner or staff see them. The pickup code is the customer's to show; staff type it in, so
 * their views never carry it.
 */
export async function presentOrders(
  db: Database,
  tenantId: string,
  where: SQL | undefined,
  viewer: OrderViewer,
  limit = 100,
): Promise<ShopOrder[]> {
  const rows = await db
    .select({ order: shopOrders, customerName: customers.name, storeName: stores.name })
    .from(shopOrders)
    .innerJoin(customers, and(eq(customers.tenantId, shopOrders.tenantId), eq(customers.id, shopOrders.customerId)))
    .innerJoin(stores, and(eq(stores.tenantId, shopOrders.tenantId), eq(stores.id, shopOrders.storeId)))
    .where(and(eq(shopOrders.tenantId, tenantId), where))
    .orderBy(desc(shopOrders.createdAt))
    .limit(limit);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.order.id);
  const [lines, afterSales] = await Promise.all([
    db
      .select({ line: shopOrderLines, giftPlan: { name: packagePlans.name, sessions: packagePlans.sessions } })
      .from(shopOrderLines)
      .leftJoin(
        packagePlans,
        and(eq(packagePlans.tenantId, tenantId), eq(packagePlans.id, shopOrderLines.topUpGiftPackagePlanId)),
      )
      .where(inArray(shopOrderLines.orderId, ids))
      .orderBy(...inCartOrder),
    db.select().from(shopAfterSales).where(inArray(shopAfterSales.orderId, ids)).orderBy(asc(shopAfterSales.createdAt)),
  ]);
  return rows.map(({ order, customerName, storeName }) => ({
    id: order.id,
    number: order.number,
    customerId: order.customerId,
    customerName: customerName ?? '顾客',
    storeId: order.storeId,
    storeName,
    status: order.status as ShopOrderStatus,
    fulfilment: order.fulfilment,
    address:
      order.address && viewer === 'beautician'
        ? { ...order.address, phone: maskPhone(order.address.phone) ?? '' }
        : (order.address ?? null),
    lines: lines
      .filter(({ line }) => line.orderId === order.id)
      .map(({ line: l, giftPlan }) => ({
        id: l.id,
        itemId: l.itemId,
        kind: l.kind,
        name: l.name,
        quantity: l.quantity,
        listPriceFen: l.listPriceFen,
        unitPriceFen: l.unitPriceFen,
        amountFen: l.amountFen,
        refundedQuantity: l.refundedQuantity,
        pointsPrice: l.pointsPrice,
        couponDiscountFen: l.couponDiscountFen,
        giftCard: giftCardOf(order, l, giftPlan),
      })),
    totalFen: order.totalFen,
    tenders: order.tenders,
    couponDiscountFen: order.couponDiscountFen,
    pointsEarned: order.pointsEarned,
    pickupCode: viewer === 'customer' && order.status === 'awaiting_pickup' ? order.pickupCode : null,
    trackingNote: order.trackingNote,
    expiresAt: order.status === 'pending_payment' ? (order.expiresAt?.toISOString() ?? null) : null,
    paidAt: order.paidAt?.toISOString() ?? null,
    closedReason: order.closedReason,
    createdAt: order.createdAt.toISOString(),
    afterSales: afterSales.filter((a) => a.orderId === order.id).map((a) => presentAfterSale(a, order.number)),
    timeline: orderTimeline(
      order,
      afterSales.filter((a) => a.orderId === order.id),
    ),
  }));
}

export async function presentOrder(db: Database, tenantId: string, orderId: string, viewer: OrderViewer) {
  const [order] = await presentOrders(db, tenantId, eq(shopOrders.id, orderId), viewer, 1);
  if (!order) throw new AppError('NOT_FOUND', 'Order not found');
  return order;
}
