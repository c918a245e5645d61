import type { Bill, BillRefund, Tender } from '@lumi/shared';
import { and, asc, eq, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { assertStoreResource } from '../../plugins/idempotency.ts';
import { billLines, billRefunds, bills } from './tables.ts';

export type BillRow = typeof bills.$inferSelect;

export async function getBillRow(
  db: Database,
  tenantId: string,
  billId: string,
  options: { lock?: boolean } = {},
): Promise<BillRow> {
  const query = db
    .select()
    .from(bills)
    .where(and(eq(bills.tenantId, tenantId), eq(bills.id, billId)));
  const [row] = options.lock ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND', 'Bill not found');
  return row;
}

/** A bill of one of the staff member's stores; any other is not found (plugins/idempotency.ts). */
export async function staffBillRow(
  db: Database,
  staff: { tenantId: string; storeIds: string[] },
  billId: string,
  options: { lock?: boolean } = {},
): Promise<BillRow> {
  const bill = await getBillRow(db, staff.tenantId, billId, options);
  assertStoreResource(staff.storeIds, bill.storeId, 'Bill');
  return bill;
}

export async function billLinesOf(db: Database, billId: string) {
  return db.select().from(billLines).where(eq(billLines.billId, billId)).orderBy(asc(billLines.position));
}

/** The itemised bill as the customer and staff see it (also the receipt). */
export async function presentBill(db: Database, tenantId: string, billId: string): Promise<Bill> {
  // Independent reads, sent together: a bill is presented after every checkout step (one round trip, not four).
  const [bill, lines, refunds, [names]] = await Promise.all([
    getBillRow(db, tenantId, billId),
    billLinesOf(db, billId),
    refundsOf(db, billId),
    queryRows<{ store_name: string; customer_name: string | null; staff_name: string }>(
      db,
      sql`select s.name as store_name, c.name as customer_name, st.name as staff_name
          from bills b join stores s on s.id = b.store_id join customers c on c.id = b.customer_id
          join staff st on st.id = b.opened_by
          where b.tenant_id = ${tenantId} and b.id = ${billId}`,
    ),
  ]);
  return {
    id: bill.id,
    number: bill.number,
    status: bill.status,
    storeId: bill.storeId,
    storeName: names?.store_name ?? '',
    customerId: bill.customerId,
    customerName: names?.customer_name ?? null,
    openedBy: { id: bill.openedBy, name: names?.staff_name ?? '' },
    lines: lines.map((l) => ({
      id: l.id,
      type: l.type,
      name: l.name,
      quantity: l.quantity,
      listPriceFen: l.listPriceFen,
      unitPriceFen: l.unitPriceFen,
      discountFen: l.discountFen,
      amountFen: l.amountFen,
      performerIds: l.performerIds,
    })),
    subtotalFen: bill.subtotalFen,
    tierDiscountFen: bill.tierDiscountFen,
    couponDiscountFen: bill.couponDiscountFen,
    manualDiscountFen: bill.manualDiscountFen,
    totalFen: bill.totalFen,
    tenders: bill.tenders as Tender[],
    confirmationRequired: bill.confirmationRequired,
    holdExpiresAt: bill.holdExpiresAt?.toISOString() ?? null,
    transferId: bill.transferId,
    voidTransferId: bill.voidTransferId,
    disputeUntil: bill.disputeUntil?.toISOString() ?? null,
    createdAt: bill.createdAt.toISOString(),
    settledAt: bill.settledAt?.toISOString() ?? null,
    refundedFen: refunds.reduce((sum, r) => sum + r.amountFen, 0),
    refunds,
  };
}

async function refundsOf(db: Database, billId: string): Promise<BillRefund[]> {
  const rows = await db
    .select()
    .from(billRefunds)
    .where(eq(billRefunds.billId, billId))
    .orderBy(asc(billRefunds.createdAt));
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    amountFen: r.amountFen,
    lines: r.lines.map((l) => ({
      lineId: l.lineId,
      quantity: l.quantity,
      amountFen: l.amountFen,
      sessions: l.sessions,
    })),
    tenders: r.tenders.map((t) =>
      t.method === 'points' ? { method: 'points', points: t.points } : { method: t.method, amountFen: t.amountFen },
    ),
    pointsClawedBack: r.pointsClawedBack,
    reason: r.reason,
    staffId: r.staffId,
    transferId: r.transferId,
    wechatOutRefundNo: r.wechatOutRefundNo,
    createdAt: r.createdAt.toISOString(),
  }));
}
