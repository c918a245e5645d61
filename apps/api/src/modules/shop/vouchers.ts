import type { ShopVoucher } from '@lumi/shared';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { services } from '../catalog/index.ts';
import type { ShopVoucherLines } from '../checkout/index.ts';
import type { LedgerDeps } from '../ledger/index.ts';
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
    valueFen: voucher.valueFen,
    billId: voucher.billId,
  }));
}

const usable = (tenantId: string, customerId: string) =>
  and(eq(shopVouchers.tenantId, tenantId), eq(shopVouchers.customerId, customerId), eq(shopVouchers.status, 'issued'));

/** Revenue deferred at sale (服务券预收) earned as the store's service revenue, or (negative) deferred again. */
async function earnLegs(tx: Database, ledger: LedgerDeps, tenantId: string, storeId: string, fen: number) {
  if (fen === 0) return [];
  return [
    { accountId: await ledger.house.id(tx, tenantId, 'voucher_deferred_revenue', null), amount: fen },
    { accountId: await ledger.house.id(tx, tenantId, 'service_revenue', storeId), amount: -fen },
  ];
}

/**
 * 服务券 as a bill line (checkout's `ShopVoucherLines`, wired in app.ts): a voucher is described for the bill that
 * names it, used when that bill settles — its deferred value earned as the store's service revenue in the bill's
 * transfer — and given back when the bill line is refunded or the bill voided. A voucher keeps its `deferredFen`
 * throughout; its status says whether that is still owed (issued) or earned (redeemed).
 */
export const voucherBillLines: ShopVoucherLines = {
  async describe(db, { tenantId, voucherIds, lock }) {
    const query = db
      .select({
        id: shopVouchers.id,
        name: shopVouchers.name,
        serviceId: shopVouchers.serviceId,
        category: services.category,
        customerId: shopVouchers.customerId,
        status: shopVouchers.status,
      })
      .from(shopVouchers)
      .leftJoin(services, and(eq(services.tenantId, shopVouchers.tenantId), eq(services.id, shopVouchers.serviceId)))
      .where(and(eq(shopVouchers.tenantId, tenantId), inArray(shopVouchers.id, voucherIds)))
      .orderBy(asc(shopVouchers.id));
    // Locked in id order, as an after-sale approval locks them (lockVouchers), so the two never deadlock.
    const rows = lock ? await query.for('update', { of: shopVouchers }) : await query;
    return voucherIds.map((id) => rows.find((r) => r.id === id) ?? null);
  },

  async use(tx, ledger, input) {
    // One conditional update: of two bills settling with the same voucher, the second finds it used.
    const [voucher] = await tx
      .update(shopVouchers)
      .set({
        status: 'redeemed',
        redeemedAt: ledger.now(),
        redeemedStoreId: input.storeId,
        billId: input.billId,
        billLineId: input.lineId,
      })
      .where(and(usable(input.tenantId, input.customerId), eq(shopVouchers.id, input.voucherId)))
      .returning({ valueFen: shopVouchers.valueFen, deferredFen: shopVouchers.deferredFen });
    if (!voucher) throw new AppError('VOUCHER_NOT_USABLE', 'This voucher was already used or given back');
    return {
      legs: await earnLegs(tx, ledger, input.tenantId, input.storeId, voucher.deferredFen),
      valueFen: voucher.valueFen,
      recognisedFen: voucher.deferredFen,
    };
  },

  async giveBack(tx, ledger, input) {
    const [voucher] = await tx
      .update(shopVouchers)
      .set({
        status: 'issued',
        redeemedAt: null,
        redeemedStoreId: null,
        redeemedBy: null,
        billId: null,
        billLineId: null,
      })
      .where(
        and(
          eq(shopVouchers.tenantId, input.tenantId),
          eq(shopVouchers.id, input.voucherId),
          eq(shopVouchers.status, 'redeemed'),
        ),
      )
      .returning({ id: shopVouchers.id });
    if (!voucher) throw new Error('a voucher line refunded twice');
    return earnLegs(tx, ledger, input.tenantId, input.storeId, -input.recognisedFen);
  },
};
