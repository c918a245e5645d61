import type { BillStatus, Tender } from '@lumi/shared';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import { releaseHolds } from '../ledger/index.ts';
import type { CheckoutDeps } from './open-bill.ts';
import { type BillRow, billLinesOf, getBillRow } from './read-bill.ts';
import { postSettlement } from './settle.ts';
import { bills } from './tables.ts';

async function awaitingBill(
  tx: Database,
  tenantId: string,
  billId: string,
  customerId: string | null,
  now: Date,
): Promise<BillRow> {
  const bill = await getBillRow(tx, tenantId, billId, { lock: true });
  if (customerId && bill.customerId !== customerId) throw new AppError('NOT_FOUND', 'Bill not found');
  if (bill.status !== 'awaiting_customer')
    throw new AppError('CONFLICT', `This bill is ${bill.status}`, { status: bill.status });
  if (bill.holdExpiresAt && bill.holdExpiresAt.getTime() < now.getTime()) {
    throw new AppError('CONFLICT', 'This bill waited too long; ask the beautician to check it out again');
  }
  return bill;
}

/** Settles a waiting bill once every part has arrived: the customer's confirmation (if asked) and WeChat payment (if any). */
async function settleIfComplete(tx: Database, deps: CheckoutDeps, bill: BillRow): Promise<boolean> {
  const tenders = bill.tenders as Tender[];
  const confirmed = !bill.confirmationRequired || bill.customerConfirmedAt !== null;
  const paid = !tenders.some((t) => t.method === 'wechat') || bill.wechatPaidAt !== null;
  if (!confirmed || !paid) return false;
  await postSettlement(tx, deps, bill, await billLinesOf(tx, bill.id), tenders, true);
  return true;
}

/** 确认: the customer agrees to the deductions on their own phone; the bill settles if nothing else is pending. */
export async function confirmBill(
  db: Database,
  deps: CheckoutDeps,
  tenantId: string,
  customerId: string,
  billId: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const now = deps.ledger.now();
    const bill = await awaitingBill(tx, tenantId, billId, customerId, now);
    if (!bill.confirmationRequired) throw new AppError('CONFLICT', 'This bill does not need your confirmation');
    await tx.update(bills).set({ customerConfirmedAt: now }).where(eq(bills.id, bill.id));
    return settleIfComplete(tx, deps, { ...bill, customerConfirmedAt: now });
  });
}

/** The customer declines: held value goes back and the bill reopens for the beautician, on the record. */
export async function declineBill(
  db: Database,
  deps: CheckoutDeps,
  tenantId: string,
  customerId: string,
  billId: string,
  reason: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const bill = await awaitingBill(tx, tenantId, billId, customerId, deps.ledger.now());
    await reopen(tx, bill);
    await recordAudit(tx, {
      tenantId,
      actor: { customerId },
      action: 'bill.declined_by_customer',
      subject: { type: 'bill', id: bill.id },
      storeId: bill.storeId,
      before: { status: bill.status, tenders: bill.tenders },
      after: { status: 'open' },
      reason,
    });
  });
}

/**
 * The WeChat part of a bill was paid (a verified notification, through the payments module). Paying on their
 * own phone is the customer's confirmation too, so the bill settles; returns the settlement transfer, or null
 * when the bill can no longer settle (it was reopened after its hold expired).
 */
export async function completeBillWechatPayment(
  tx: Database,
  deps: CheckoutDeps,
  tenantId: string,
  billId: string,
): Promise<number | null> {
  const bill = await getBillRow(tx, tenantId, billId, { lock: true });
  if (bill.status === 'settled') return bill.transferId;
  if (bill.status !== 'awaiting_customer') return null;
  const now = deps.ledger.now();
  const confirmedAt = bill.customerConfirmedAt ?? now;
  await tx.update(bills).set({ wechatPaidAt: now, customerConfirmedAt: confirmedAt }).where(eq(bills.id, bill.id));
  await settleIfComplete(tx, deps, { ...bill, wechatPaidAt: now, customerConfirmedAt: confirmedAt });
  return (await getBillRow(tx, tenantId, billId)).transferId;
}

async function reopen(tx: Database, bill: BillRow) {
  await releaseHolds(tx, bill.tenantId, { type: 'bill', id: bill.id });
  await tx
    .update(bills)
    .set({
      status: 'open',
      tenders: [],
      holdExpiresAt: null,
      customerConfirmedAt: null,
      confirmationRequired: false,
    })
    .where(eq(bills.id, bill.id));
}

/**
 * Job: bills that waited past their hold are reopened and their holds released, so a customer's balance is
 * never tied up by a bill nobody finished. A bill whose WeChat part was already paid is left for the payments
 * reconciliation to settle or refund.
 */
export async function releaseExpiredBillHolds(db: Database, now: Date): Promise<number> {
  const due = await db
    .select({ id: bills.id, tenantId: bills.tenantId })
    .from(bills)
    .where(and(eq(bills.status, 'awaiting_customer'), lt(bills.holdExpiresAt, now)));
  let released = 0;
  for (const { id, tenantId } of due) {
    await db.transaction(async (tx) => {
      const bill = await getBillRow(tx, tenantId, id, { lock: true });
      if (bill.status !== 'awaiting_customer' || bill.wechatPaidAt || !bill.holdExpiresAt || bill.holdExpiresAt >= now)
        return;
      await reopen(tx, bill);
      await recordAudit(tx, {
        tenantId,
        actor: { system: true },
        action: 'bill.hold_expired',
        subject: { type: 'bill', id },
        storeId: bill.storeId,
        before: { status: 'awaiting_customer', holdExpiresAt: bill.holdExpiresAt.toISOString() },
        after: { status: 'open' },
      });
      released++;
    });
  }
  return released;
}

/**
 * The ids of the customer's bills to show them: the ones waiting for them (待确认) first, then the latest 50;
 * with a status, only bills in that status (the home badge asks for the waiting ones alone).
 */
export async function customerBillIds(
  db: Database,
  tenantId: string,
  customerId: string,
  status?: BillStatus,
): Promise<string[]> {
  const waiting = !status || status === 'awaiting_customer' ? await billsAwaiting(db, tenantId, customerId) : [];
  if (status === 'awaiting_customer') return waiting;
  const recent = await db
    .select({ id: bills.id })
    .from(bills)
    .where(
      and(
        eq(bills.tenantId, tenantId),
        eq(bills.customerId, customerId),
        status ? eq(bills.status, status) : undefined,
      ),
    )
    .orderBy(desc(bills.createdAt))
    .limit(50);
  return [...new Set([...waiting, ...recent.map((r) => r.id)])];
}

/** Bills waiting for this customer (待确认), newest first. */
async function billsAwaiting(db: Database, tenantId: string, customerId: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select id from bills where tenant_id = ${tenantId} and customer_id = ${customerId} and status = 'awaiting_customer' order by created_at desc`,
  );
  return rows.map((r) => r.id);
}
