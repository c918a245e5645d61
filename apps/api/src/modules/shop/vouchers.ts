import type { ShopVoucher } from '@lumi/shared';
import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { assertStoreAccess } from '../../plugins/idempotency.ts';
import { recordAudit } from '../audit/index.ts';
import { shopOrders, shopVouchers } from './tables.ts';

/** A customer's service vouchers, newest first (her wallet, or the till looking her up). */
export async function listVouchers(db: Database, tenantId: string, customerId: string): Promise<ShopVoucher[]> {
  const rows = await db
    .select({ voucher: shopVouchers, orderNumber: shopOrders.number })
    .from(shopVouchers)
    .innerJoin(shopOrders, and(eq(shopOrders.tenantId, shopVouchers.tenantId), eq(shopOrders.id, shopVouchers.orderId)))
    .where(and(eq(shopVouchers.tenantId, tenantId), eq(shopVouchers.customerId, customerId)))
    .orderBy(desc(shopVouchers.createdAt))
    .limit(200);
  return rows.map(({ voucher, orderNumber }) => ({
    id: voucher.id,
    customerId: voucher.customerId,
    name: voucher.name,
    serviceId: voucher.serviceId,
    status: voucher.status,
    orderNumber,
    createdAt: voucher.createdAt.toISOString(),
    redeemedAt: voucher.redeemedAt?.toISOString() ?? null,
  }));
}

/**
 * 服务券核销 at the till: the session the voucher paid for in the shop is given. Its money was taken (and its
 * revenue booked) when the order was paid, so nothing moves in the ledger; the voucher is used once — one
 * conditional update, so two taps or two tills cannot both redeem it. Another salon's voucher is not found; a
 * store the caller does not work at is 403.
 */
export async function redeemVoucher(
  db: Database,
  staff: StaffPrincipal,
  voucherId: string,
  storeId: string,
  now: Date,
): Promise<ShopVoucher> {
  return db.transaction(async (tx) => {
    assertStoreAccess(staff.storeIds, storeId);
    const [voucher] = await tx
      .select()
      .from(shopVouchers)
      .where(and(eq(shopVouchers.tenantId, staff.tenantId), eq(shopVouchers.id, voucherId)))
      .for('update');
    if (!voucher) throw new AppError('NOT_FOUND', 'Voucher not found');
    if (voucher.status !== 'issued') {
      throw new AppError('VOUCHER_NOT_USABLE', `This voucher is ${voucher.status}`, { status: voucher.status });
    }
    await tx
      .update(shopVouchers)
      .set({ status: 'redeemed', redeemedAt: now, redeemedStoreId: storeId, redeemedBy: staff.id })
      .where(and(eq(shopVouchers.id, voucher.id), eq(shopVouchers.status, 'issued')));
    await recordAudit(tx, {
      tenantId: staff.tenantId,
      actor: { staffId: staff.id },
      action: 'shop.voucher_redeemed',
      subject: { type: 'shop_voucher', id: voucher.id },
      storeId,
      before: { status: 'issued' },
      after: { status: 'redeemed', customerId: voucher.customerId },
    });
    const [view] = (await listVouchers(tx, staff.tenantId, voucher.customerId)).filter((v) => v.id === voucher.id);
    if (!view) throw new Error('redeemed voucher vanished');
    return view;
  });
}
