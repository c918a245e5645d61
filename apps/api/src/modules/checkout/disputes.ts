import type { Dispute } from '@lumi/shared';
import { and, eq, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { historyNow } from '../../db/history-time.ts';
import { sqlState, UNIQUE_VIOLATION } from '../../db/pg-errors.ts';
import { AppError } from '../../errors.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { assertStoreResource } from '../../plugins/idempotency.ts';
import { recordAudit } from '../audit/index.ts';
import type { CheckoutDeps } from './open-bill.ts';
import { getBillRow } from './read-bill.ts';
import { disputes } from './tables.ts';
import { voidBill } from './void-bill.ts';

/** 有疑问: the customer questions a settled bill within the tenant's window; it lands in the managers' queue. */
export async function openDispute(
  db: Database,
  deps: CheckoutDeps,
  tenantId: string,
  customerId: string,
  billId: string,
  reason: string,
): Promise<{ id: string; storeId: string }> {
  const bill = await getBillRow(db, tenantId, billId);
  if (bill.customerId !== customerId) throw new AppError('NOT_FOUND', 'Bill not found');
  if (bill.status !== 'settled') throw new AppError('CONFLICT', `This bill is ${bill.status}`);
  if (!bill.disputeUntil || bill.disputeUntil.getTime() < deps.ledger.now().getTime()) {
    throw new AppError('BUSINESS_RULE_VIOLATED', 'The time to question this bill has passed; please contact the salon');
  }
  try {
    const [row] = await db
      .insert(disputes)
      .values({ tenantId, billId, customerId, reason, createdAt: historyNow() })
      .returning({ id: disputes.id });
    return { id: row?.id as string, storeId: bill.storeId };
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION) throw new AppError('CONFLICT', 'This bill already has an open question');
    throw error;
  }
}

export async function listDisputes(
  db: Database,
  tenantId: string,
  filter: { status?: string; customerId?: string; billId?: string; storeIds?: string[] },
): Promise<Dispute[]> {
  const rows = await queryRows<{
    id: string;
    bill_id: string;
    number: string;
    customer_id: string;
    customer_name: string | null;
    staff_id: string;
    staff_name: string;
    reason: string;
    status: Dispute['status'];
    answer: string | null;
    created_at: Date | string;
    resolved_at: Date | string | null;
    total_fen: number;
  }>(
    db,
    sql`select d.id, d.bill_id, b.number, d.customer_id, c.name as customer_name, b.opened_by as staff_id, s.name as staff_name,
               d.reason, d.status, d.answer, d.created_at, d.resolved_at, b.total_fen
        from disputes d join bills b on b.id = d.bill_id join customers c on c.id = d.customer_id join staff s on s.id = b.opened_by
        where d.tenant_id = ${tenantId}
          ${filter.status ? sql`and d.status = ${filter.status}` : sql``}
          ${filter.customerId ? sql`and d.customer_id = ${filter.customerId}` : sql``}
          ${filter.billId ? sql`and d.bill_id = ${filter.billId}` : sql``}
          ${filter.storeIds ? sql`and b.store_id = any(${`{${filter.storeIds.join(',')}}`}::uuid[])` : sql``}
        order by d.created_at desc limit 200`,
  );
  return rows.map((r) => ({
    id: r.id,
    billId: r.bill_id,
    billNumber: r.number,
    customerId: r.customer_id,
    customerName: r.customer_name,
    staffId: r.staff_id,
    staffName: r.staff_name,
    reason: r.reason,
    status: r.status,
    answer: r.answer,
    createdAt: new Date(r.created_at).toISOString(),
    resolvedAt: r.resolved_at ? new Date(r.resolved_at).toISOString() : null,
    totalFen: Number(r.total_fen),
  }));
}

/** A manager answers the question in writing (the customer sees it) or reverses the bill; returns the bill id. */
export async function resolveDispute(
  db: Database,
  deps: CheckoutDeps,
  manager: StaffPrincipal,
  disputeId: string,
  input: { resolution: 'reverse' | 'answer'; answer: string },
): Promise<{ billId: string; wechatOutRefundNo: string | null }> {
  return db.transaction(async (tx) => {
    const [dispute] = await tx
      .select()
      .from(disputes)
      .where(and(eq(disputes.tenantId, manager.tenantId), eq(disputes.id, disputeId)))
      .for('update');
    if (!dispute) throw new AppError('NOT_FOUND', 'Dispute not found');
    const stores = await managedStores(tx, manager);
    assertStoreResource(stores, (await getBillRow(tx, manager.tenantId, dispute.billId)).storeId, 'Dispute');
    if (dispute.status !== 'open') throw new AppError('CONFLICT', 'This dispute is already resolved');
    const reversed =
      input.resolution === 'reverse'
        ? await voidBill(
            tx,
            deps,
            { ...manager, storeIds: stores },
            dispute.billId,
            `顾客异议：${input.answer}`,
            `dispute/${dispute.id}`,
          )
        : null;
    const status = input.resolution === 'reverse' ? 'reversed' : 'answered';
    await tx
      .update(disputes)
      .set({ status, answer: input.answer, resolvedBy: manager.id, resolvedAt: deps.ledger.now() })
      .where(eq(disputes.id, dispute.id));
    await recordAudit(tx, {
      tenantId: manager.tenantId,
      actor: { staffId: manager.id },
      action: `dispute.${status}`,
      subject: { type: 'bill', id: dispute.billId },
      before: { status: 'open', reason: dispute.reason },
      after: { status, answer: input.answer },
    });
    return { billId: dispute.billId, wechatOutRefundNo: reversed?.wechatOutRefundNo ?? null };
  });
}

/** The stores whose disputes a manager sees and resolves: their own; an owner's are every store of the salon. */
export async function managedStores(tx: Database, manager: StaffPrincipal): Promise<string[]> {
  if (manager.role !== 'owner') return manager.storeIds;
  const rows = await queryRows<{ id: string }>(tx, sql`select id from stores where tenant_id = ${manager.tenantId}`);
  return rows.map((r) => r.id);
}
