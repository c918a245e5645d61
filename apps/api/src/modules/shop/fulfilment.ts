import type { PickupRequest } from '@lumi/shared';
import { and, eq, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { assertStoreAccess } from '../../plugins/idempotency.ts';
import { recordAudit } from '../audit/index.ts';
import type { Customer } from './cart.ts';
import type { ShopDeps } from './deps.ts';
import { customerOrderRow, type OrderRow, staffOrderRow } from './read-order.ts';
import { DEFAULT_SHOP_SETTINGS } from './settings.ts';
import { shopOrders } from './tables.ts';

/**
 * 核销: staff type in the code the customer shows. Only an order waiting for pickup at this store, in this tenant,
 * matches; a code of another store, another salon, or an order already collected is refused alike, so a code
 * reveals nothing about orders elsewhere. Collecting happens once: the update re-checks the status.
 */
export async function collectByCode(db: Database, deps: ShopDeps, staff: StaffPrincipal, request: PickupRequest) {
  assertStoreAccess(staff.storeIds, request.storeId);
  return db.transaction(async (tx) => {
    const now = deps.ledger.now();
    const [collected] = await tx
      .update(shopOrders)
      .set({ status: 'collected', collectedAt: now, collectedBy: staff.id, completedAt: now })
      .where(
        and(
          eq(shopOrders.tenantId, staff.tenantId),
          eq(shopOrders.storeId, request.storeId),
          eq(shopOrders.pickupCode, request.code),
          eq(shopOrders.status, 'awaiting_pickup'),
        ),
      )
      .returning({ id: shopOrders.id });
    if (!collected) {
      throw new AppError('PICKUP_CODE_INVALID', 'No order waits for pickup at this store under this code', [
        { field: 'body.code', message: 'no order waiting here under this code' },
      ]);
    }
    await recordAudit(tx, {
      tenantId: staff.tenantId,
      actor: { staffId: staff.id },
      action: 'shop.order_collected',
      subject: { type: 'shop_order', id: collected.id },
      storeId: request.storeId,
      before: { status: 'awaiting_pickup' },
      after: { status: 'collected' },
    });
    return collected.id;
  });
}

async function advance(
  tx: Database,
  order: OrderRow,
  from: OrderRow['status'],
  set: Partial<typeof shopOrders.$inferInsert> & { status: OrderRow['status'] },
) {
  if (order.status !== from) {
    throw new AppError('CONFLICT', `This order is ${order.status}`, { status: order.status });
  }
  await tx
    .update(shopOrders)
    .set(set)
    .where(and(eq(shopOrders.id, order.id), eq(shopOrders.status, from)));
}

/** 发货: the store that holds the goods ships them, with a tracking note the customer sees. */
export async function shipOrder(db: Database, deps: ShopDeps, staff: StaffPrincipal, orderId: string, note: string) {
  await db.transaction(async (tx) => {
    const order = await staffOrderRow(tx, staff, orderId, { lock: true });
    await advance(tx, order, 'awaiting_shipment', {
      status: 'shipped',
      shippedAt: deps.ledger.now(),
      trackingNote: note,
    });
    await recordAudit(tx, {
      tenantId: staff.tenantId,
      actor: { staffId: staff.id },
      action: 'shop.order_shipped',
      subject: { type: 'shop_order', id: order.id },
      storeId: order.storeId,
      before: { status: order.status },
      after: { status: 'shipped', trackingNote: note },
    });
  });
}

/** 确认收货 by the customer. */
export async function receiveOrder(db: Database, deps: ShopDeps, customer: Customer, orderId: string) {
  await db.transaction(async (tx) => {
    const order = await customerOrderRow(tx, customer, orderId, { lock: true });
    await advance(tx, order, 'shipped', { status: 'received', receivedAt: deps.ledger.now() });
  });
}

/**
 * Job: a shipped order counts as received after its salon's `autoReceiveDays`, and a received one completes
 * (已完成) after `autoCompleteDays` more (商城设置; the defaults where a salon set none). Returns how many moved.
 */
export async function advanceDeliveredOrders(db: Database, now: Date): Promise<number> {
  const at = now.toISOString();
  const received = await queryRows<{ id: string }>(
    db,
    sql`update shop_orders o set status = 'received', received_at = ${at}::timestamptz
        from tenants t left join shop_settings s on s.tenant_id = t.id
        where t.id = o.tenant_id and o.status = 'shipped'
          and o.shipped_at < ${at}::timestamptz
            - make_interval(days => coalesce(s.auto_receive_days, ${DEFAULT_SHOP_SETTINGS.autoReceiveDays}))
        returning o.id`,
  );
  const completed = await queryRows<{ id: string }>(
    db,
    sql`update shop_orders o set status = 'completed', completed_at = ${at}::timestamptz
        from tenants t left join shop_settings s on s.tenant_id = t.id
        where t.id = o.tenant_id and o.status = 'received'
          and o.received_at < ${at}::timestamptz
            - make_interval(days => coalesce(s.auto_complete_days, ${DEFAULT_SHOP_SETTINGS.autoCompleteDays}))
        returning o.id`,
  );
  return received.length + completed.length;
}
