import type { ApprovalRequest, ApprovalRequestListQuery, FileApprovalRequest, RefundBillRequest } from '@lumi/shared';
import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { sqlState, UNIQUE_VIOLATION } from '../../db/pg-errors.ts';
import { AppError } from '../../errors.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { assertStoreResource } from '../../plugins/idempotency.ts';
import { recordAudit } from '../audit/index.ts';
import { requestHash } from '../ledger/index.ts';
import { managedStores } from './disputes.ts';
import type { CheckoutDeps } from './open-bill.ts';
import { staffBillRow } from './read-bill.ts';
import { type BillRefundRequest, planRefund, refundBill } from './refund-bill.ts';
import { approvalRequests } from './tables.ts';

type Row = typeof approvalRequests.$inferSelect;

const isManager = (who: StaffPrincipal) => who.role === 'manager' || who.role === 'owner';

/** The void or refund an approval request stands for, as refundBill takes it. */
function refundOf(row: Pick<Row, 'kind' | 'refund' | 'reason'>): BillRefundRequest {
  if (row.kind === 'void') return { lines: 'rest', restock: true, reason: row.reason };
  return row.refund as unknown as RefundBillRequest;
}

async function views(db: Database, tenantId: string, rows: Row[]): Promise<ApprovalRequest[]> {
  if (rows.length === 0) return [];
  const bills = await queryRows<{
    id: string;
    number: string;
    store_id: string;
    store_name: string;
    customer_id: string;
    customer_name: string | null;
    total_fen: number;
  }>(
    db,
    sql`select b.id, b.number, b.store_id, s.name as store_name, b.customer_id, c.name as customer_name, b.total_fen
        from bills b join stores s on s.id = b.store_id join customers c on c.id = b.customer_id
        where b.tenant_id = ${tenantId} and b.id = any(${`{${[...new Set(rows.map((r) => r.billId))].join(',')}}`}::uuid[])`,
  );
  const staffIds = [...new Set(rows.flatMap((r) => [r.requestedBy, r.decidedBy].filter((x): x is string => !!x)))];
  const names = new Map(
    (
      await queryRows<{ id: string; name: string }>(
        db,
        sql`select id, name from staff where tenant_id = ${tenantId} and id = any(${`{${staffIds.join(',')}}`}::uuid[])`,
      )
    ).map((s) => [s.id, s.name]),
  );
  const byId = new Map(bills.map((b) => [b.id, b]));
  return rows.map((r) => {
    const bill = byId.get(r.billId);
    return {
      id: r.id,
      kind: r.kind,
      status: r.status,
      bill: {
        id: r.billId,
        number: bill?.number ?? '',
        storeId: r.storeId,
        storeName: bill?.store_name ?? '',
        customerId: bill?.customer_id ?? '',
        customerName: bill?.customer_name ?? null,
        totalFen: Number(bill?.total_fen ?? 0),
      },
      amountFen: r.amountFen,
      thresholdFen: r.thresholdFen,
      reason: r.reason,
      refund: r.kind === 'refund' ? (r.refund as unknown as RefundBillRequest) : null,
      requestedBy: { id: r.requestedBy, name: names.get(r.requestedBy) ?? null },
      createdAt: r.createdAt.toISOString(),
      decidedBy: r.decidedBy ? { id: r.decidedBy, name: names.get(r.decidedBy) ?? null } : null,
      decidedAt: r.decidedAt?.toISOString() ?? null,
      decisionNote: r.decisionNote,
      refundId: r.refundId,
    };
  });
}

/**
 * 请店长审批: staff who may not void or refund a bill this large ask a manager to. The amount is planned now, exactly
 * as refundBill would, so a request below the threshold (do it yourself) or for nothing is refused at once.
 * One pending request per bill; audited.
 */
export async function fileApprovalRequest(
  db: Database,
  deps: CheckoutDeps,
  who: StaffPrincipal,
  billId: string,
  body: FileApprovalRequest,
): Promise<ApprovalRequest> {
  const reason = body.kind === 'void' ? body.reason : body.refund.reason;
  const refund = body.kind === 'refund' ? body.refund : null;
  try {
    const row = await db.transaction(async (tx) => {
      const bill = await staffBillRow(tx, who, billId, { lock: true });
      const plan = await planRefund(tx, bill, refundOf({ kind: body.kind, refund, reason }));
      if (plan.size <= plan.thresholdFen) {
        throw new AppError('BUSINESS_RULE_VIOLATED', 'This amount needs no manager: do it directly', {
          amountFen: plan.size,
          thresholdFen: plan.thresholdFen,
        });
      }
      const [created] = await tx
        .insert(approvalRequests)
        .values({
          tenantId: who.tenantId,
          billId: bill.id,
          storeId: bill.storeId,
          kind: body.kind,
          refund,
          reason,
          amountFen: plan.size,
          thresholdFen: plan.thresholdFen,
          requestedBy: who.id,
          createdAt: deps.ledger.now(),
        })
        .returning();
      if (!created) throw new Error('approval request insert returned no row');
      await recordAudit(tx, {
        tenantId: who.tenantId,
        actor: { staffId: who.id },
        action: 'approval.filed',
        subject: { type: 'approval_request', id: created.id },
        storeId: bill.storeId,
        before: { billStatus: bill.status },
        after: { billId: bill.id, kind: body.kind, amountFen: plan.size, thresholdFen: plan.thresholdFen },
        reason,
      });
      return created;
    });
    return (await views(db, who.tenantId, [row]))[0] as ApprovalRequest;
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION) {
      throw new AppError('APPROVAL_PENDING', 'This bill already has a request waiting for a manager');
    }
    throw error;
  }
}

/** The request locked for a decision by a manager of its store who did not file it. */
async function lockForDecision(tx: Database, who: StaffPrincipal, id: string): Promise<{ row: Row; stores: string[] }> {
  const [row] = await tx
    .select()
    .from(approvalRequests)
    .where(and(eq(approvalRequests.tenantId, who.tenantId), eq(approvalRequests.id, id)))
    .for('update');
  if (!row) throw new AppError('NOT_FOUND', 'Approval request not found');
  const stores = await managedStores(tx, who);
  assertStoreResource(stores, row.storeId, 'Approval request');
  // Routes already require a manager; this keeps the rule true for any other caller too.
  if (!isManager(who)) throw new AppError('FORBIDDEN', 'Only a manager or the owner may decide this');
  if (row.requestedBy === who.id) {
    throw new AppError('APPROVAL_SELF_DECISION', 'A request cannot be decided by the person who filed it');
  }
  return { row, stores };
}

/**
 * Approving performs the void or refund as the manager, through refundBill under the key `approval/<id>`: money
 * moves once. The manager's own Idempotency-Key makes a retried approval answer as the first one did.
 */
export async function approveApprovalRequest(
  db: Database,
  deps: CheckoutDeps,
  who: StaffPrincipal,
  id: string,
  body: { note?: string | undefined },
  key: string,
): Promise<{ request: ApprovalRequest; replayed: boolean; wechatOutRefundNo: string | null }> {
  const outcome = await db.transaction(async (tx) => {
    const { row, stores } = await lockForDecision(tx, who, id);
    const [keyHolder] = await tx
      .select({ id: approvalRequests.id })
      .from(approvalRequests)
      .where(and(eq(approvalRequests.tenantId, who.tenantId), eq(approvalRequests.decisionKey, key)));
    if (keyHolder && keyHolder.id !== row.id) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request');
    }
    if (row.status === 'approved' && row.decisionKey === key && row.decidedBy === who.id) {
      return { row, replayed: true, wechatOutRefundNo: null };
    }
    if (row.status !== 'pending') {
      throw new AppError('APPROVAL_NOT_PENDING', `This request was already ${row.status}`, { status: row.status });
    }
    const refunded = await refundBill(tx, deps, { ...who, storeIds: stores }, row.billId, refundOf(row), {
      key: `approval/${row.id}`,
      hash: requestHash({ approval: row.id }),
    });
    const note = body.note?.trim() || null;
    const [updated] = await tx
      .update(approvalRequests)
      .set({
        status: 'approved',
        decidedBy: who.id,
        decidedAt: deps.ledger.now(),
        decisionNote: note,
        decisionKey: key,
        refundId: refunded.refundId,
      })
      .where(eq(approvalRequests.id, row.id))
      .returning();
    await recordAudit(tx, {
      tenantId: who.tenantId,
      actor: { staffId: who.id },
      action: 'approval.approved',
      subject: { type: 'approval_request', id: row.id },
      storeId: row.storeId,
      before: { status: 'pending', kind: row.kind, amountFen: row.amountFen },
      after: { status: 'approved', billId: row.billId, refundId: refunded.refundId },
      reason: note,
    });
    return { row: updated as Row, replayed: false, wechatOutRefundNo: refunded.wechatOutRefundNo };
  });
  const [request] = await views(db, who.tenantId, [outcome.row]);
  return {
    request: request as ApprovalRequest,
    replayed: outcome.replayed,
    wechatOutRefundNo: outcome.wechatOutRefundNo,
  };
}

/** A manager refuses with a note the filer reads; nothing moves. Audited. */
export async function rejectApprovalRequest(
  db: Database,
  deps: CheckoutDeps,
  who: StaffPrincipal,
  id: string,
  note: string,
): Promise<ApprovalRequest> {
  const row = await db.transaction(async (tx) => {
    const { row } = await lockForDecision(tx, who, id);
    if (row.status !== 'pending') {
      throw new AppError('APPROVAL_NOT_PENDING', `This request was already ${row.status}`, { status: row.status });
    }
    const [updated] = await tx
      .update(approvalRequests)
      .set({ status: 'rejected', decidedBy: who.id, decidedAt: deps.ledger.now(), decisionNote: note })
      .where(eq(approvalRequests.id, row.id))
      .returning();
    await recordAudit(tx, {
      tenantId: who.tenantId,
      actor: { staffId: who.id },
      action: 'approval.rejected',
      subject: { type: 'approval_request', id: row.id },
      storeId: row.storeId,
      before: { status: 'pending', kind: row.kind, amountFen: row.amountFen },
      after: { status: 'rejected', billId: row.billId },
      reason: note,
    });
    return updated as Row;
  });
  return (await views(db, who.tenantId, [row]))[0] as ApprovalRequest;
}

/** What a caller may see: a manager, the requests of the stores they manage; anyone else, the ones they filed. */
async function visible(db: Database, who: StaffPrincipal): Promise<SQL> {
  if (!isManager(who)) return eq(approvalRequests.requestedBy, who.id);
  const stores = await managedStores(db, who);
  return stores.length ? inArray(approvalRequests.storeId, stores) : sql`false`;
}

/** Newest first. */
export async function listApprovalRequests(
  db: Database,
  who: StaffPrincipal,
  query: ApprovalRequestListQuery,
): Promise<ApprovalRequest[]> {
  const rows = await db
    .select()
    .from(approvalRequests)
    .where(
      and(
        eq(approvalRequests.tenantId, who.tenantId),
        await visible(db, who),
        query.status ? eq(approvalRequests.status, query.status) : undefined,
        query.billId ? eq(approvalRequests.billId, query.billId) : undefined,
      ),
    )
    .orderBy(desc(approvalRequests.createdAt), desc(approvalRequests.id))
    .limit(100);
  return views(db, who.tenantId, rows);
}

export async function getApprovalRequest(db: Database, who: StaffPrincipal, id: string): Promise<ApprovalRequest> {
  const [row] = await db
    .select()
    .from(approvalRequests)
    .where(and(eq(approvalRequests.tenantId, who.tenantId), eq(approvalRequests.id, id), await visible(db, who)));
  if (!row) throw new AppError('NOT_FOUND', 'Approval request not found');
  return (await views(db, who.tenantId, [row]))[0] as ApprovalRequest;
}
