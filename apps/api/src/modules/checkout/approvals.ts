import type {
  ApprovalRequest,
  ApprovalRequestListQuery,
  FileApprovalRequest,
  FileDiscountApproval,
  FilePackageTransferApproval,
  RefundBillRequest,
} from '@lumi/shared';
import { and, desc, eq, gte, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { sqlState, UNIQUE_VIOLATION } from '../../db/pg-errors.ts';
import { AppError } from '../../errors.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { assertStoreResource } from '../../plugins/idempotency.ts';
import { recordAudit } from '../audit/index.ts';
import { requestHash } from '../ledger/index.ts';
import {
  assertDiscountApprovalLive,
  businessDayStart,
  type DiscountDetails,
  discountApprovalExpiresAt,
} from './discount-approval-use.ts';
import { planDiscountRequest } from './discount-approvals.ts';
import { managedStores } from './disputes.ts';
import type { CheckoutDeps } from './open-bill.ts';
import {
  performPackageTransfer,
  planPackageTransferRequest,
  type TransferDetails,
} from './package-transfer-approvals.ts';
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

const idArray = (ids: Iterable<string>) => `{${[...new Set(ids)].join(',')}}`;

/** The names and bills a page of requests shows, read once for the page. */
async function viewContext(db: Database, tenantId: string, rows: Row[]) {
  const transfers = rows
    .filter((r) => r.kind === 'package_transfer')
    .map((r) => r.details as unknown as TransferDetails);
  const customerIds = [...rows.map((r) => r.customerId), ...transfers.map((t) => t.toCustomerId)];
  const staffIds = rows.flatMap((r) => [r.requestedBy, r.decidedBy].filter((x): x is string => !!x));
  const [bills, names, cards] = await Promise.all([
    queryRows<{ id: string; number: string; total_fen: number }>(
      db,
      sql`select b.id, b.number, b.total_fen from bills b
          where b.tenant_id = ${tenantId} and b.id = any(${idArray(rows.flatMap((r) => (r.billId ? [r.billId] : [])))}::uuid[])`,
    ),
    queryRows<{ id: string; name: string | null }>(
      db,
      sql`select id, name from staff where tenant_id = ${tenantId} and id = any(${idArray(staffIds)}::uuid[])
          union all select id, name from customers where tenant_id = ${tenantId} and id = any(${idArray(customerIds)}::uuid[])
          union all select id, name from stores where tenant_id = ${tenantId} and id = any(${idArray(rows.map((r) => r.storeId))}::uuid[])`,
    ),
    queryRows<{ id: string; name: string; expires_on: string }>(
      db,
      sql`select id, name, to_char(expires_on, 'YYYY-MM-DD') as expires_on from package_cards
          where tenant_id = ${tenantId} and id = any(${idArray(transfers.map((t) => t.packageCardId))}::uuid[])`,
    ),
  ]);
  return {
    bills: new Map(bills.map((b) => [b.id, b])),
    names: new Map(names.map((n) => [n.id, n.name])),
    cards: new Map(cards.map((c) => [c.id, c])),
  };
}

async function views(db: Database, tenantId: string, rows: Row[]): Promise<ApprovalRequest[]> {
  if (rows.length === 0) return [];
  const { bills, names, cards } = await viewContext(db, tenantId, rows);
  const person = (id: string) => ({ id, name: names.get(id) ?? null });
  return rows.map((r) => {
    const bill = r.billId ? bills.get(r.billId) : undefined;
    const customer = person(r.customerId);
    const discount = r.kind === 'discount' ? (r.details as unknown as DiscountDetails) : null;
    const transfer = r.kind === 'package_transfer' ? (r.details as unknown as TransferDetails) : null;
    const card = transfer ? cards.get(transfer.packageCardId) : undefined;
    return {
      id: r.id,
      kind: r.kind,
      status: r.status,
      storeId: r.storeId,
      storeName: names.get(r.storeId) ?? '',
      customer,
      bill: r.billId
        ? {
            id: r.billId,
            number: bill?.number ?? '',
            storeId: r.storeId,
            storeName: names.get(r.storeId) ?? '',
            customerId: customer.id,
            customerName: customer.name,
            totalFen: Number(bill?.total_fen ?? 0),
          }
        : null,
      amountFen: r.amountFen,
      thresholdFen: r.thresholdFen,
      reason: r.reason,
      refund: r.kind === 'refund' ? (r.refund as unknown as RefundBillRequest) : null,
      requestedBy: person(r.requestedBy),
      createdAt: r.createdAt.toISOString(),
      decidedBy: r.decidedBy ? person(r.decidedBy) : null,
      decidedAt: r.decidedAt?.toISOString() ?? null,
      decisionNote: r.decisionNote,
      refundId: r.refundId,
      discount: discount
        ? {
            lines: discount.lines,
            subtotalFen: discount.subtotalFen,
            tierDiscountFen: discount.tierDiscountFen,
            manualDiscountFen: r.amountFen,
            discountBasisPoints:
              discount.subtotalFen > 0 ? Math.round((r.amountFen * 10_000) / discount.subtotalFen) : 0,
            limitBasisPoints: discount.limitBasisPoints,
            draft: discount.draft,
            billId: r.billId,
            usedAt: r.usedAt?.toISOString() ?? null,
            expiresAt: discountApprovalExpiresAt(r.createdAt).toISOString(),
          }
        : null,
      packageTransfer: transfer
        ? {
            card: { id: transfer.packageCardId, name: card?.name ?? '', expiresOn: card?.expires_on ?? '' },
            from: customer,
            to: person(transfer.toCustomerId),
            sessions: transfer.sessions,
            sessionsLeft: transfer.sessionsLeft ?? transfer.sessions,
            toCardId: transfer.toCardId ?? null,
            transferId: r.transferId,
          }
        : null,
    };
  });
}

type Filing = Pick<
  typeof approvalRequests.$inferInsert,
  'kind' | 'billId' | 'storeId' | 'customerId' | 'refund' | 'details' | 'reason' | 'amountFen' | 'thresholdFen'
>;

/**
 * Every kind is filed the same way: one row in its pending state, audited in the same transaction as the checks
 * that priced it; a second pending request for the same bill or card is 409 APPROVAL_PENDING.
 */
async function insertRequest(
  db: Database,
  deps: CheckoutDeps,
  who: StaffPrincipal,
  plan: (tx: Database) => Promise<{ filing: Filing; audit: { before: object; after: object } }>,
): Promise<ApprovalRequest> {
  try {
    const row = await db.transaction(async (tx) => {
      const { filing, audit } = await plan(tx);
      const [created] = await tx
        .insert(approvalRequests)
        .values({ ...filing, tenantId: who.tenantId, requestedBy: who.id, createdAt: deps.ledger.now() })
        .returning();
      if (!created) throw new Error('approval request insert returned no row');
      await recordAudit(tx, {
        tenantId: who.tenantId,
        actor: { staffId: who.id },
        action: 'approval.filed',
        subject: { type: 'approval_request', id: created.id },
        storeId: filing.storeId,
        before: audit.before,
        after: { kind: filing.kind, amountFen: filing.amountFen, thresholdFen: filing.thresholdFen, ...audit.after },
        reason: filing.reason,
      });
      return created;
    });
    return (await views(db, who.tenantId, [row]))[0] as ApprovalRequest;
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION) {
      throw new AppError('APPROVAL_PENDING', 'This already has a request waiting for a manager');
    }
    throw error;
  }
}

/** 请店长审批 for a manual discount above the limit: the bill draft, priced, for a manager to approve. */
export async function fileDiscountApproval(
  db: Database,
  deps: CheckoutDeps,
  who: StaffPrincipal,
  body: FileDiscountApproval,
): Promise<ApprovalRequest> {
  // Priced on the pool: pricing reads the catalogue, customer and tier together, which one transaction cannot.
  const plan = await planDiscountRequest(db, deps, who, body);
  return insertRequest(db, deps, who, async () => {
    return {
      filing: { kind: 'discount', billId: null, refund: null, ...plan, details: { ...plan.details } },
      audit: { before: { subtotalFen: plan.details.subtotalFen }, after: { customerId: plan.customerId } },
    };
  });
}

/** 请店长审批 for a package-card transfer: the card, both customers and the sessions it moves. */
export async function filePackageTransferApproval(
  db: Database,
  deps: CheckoutDeps,
  who: StaffPrincipal,
  body: FilePackageTransferApproval,
): Promise<ApprovalRequest> {
  return insertRequest(db, deps, who, async (tx) => {
    const plan = await planPackageTransferRequest(tx, deps, who, body);
    return {
      filing: {
        kind: 'package_transfer',
        billId: null,
        refund: null,
        storeId: plan.storeId,
        customerId: plan.customerId,
        reason: plan.reason,
        amountFen: plan.details.sessions,
        thresholdFen: 0,
        details: { ...plan.details },
      },
      audit: { before: { customerId: plan.customerId }, after: plan.details },
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
  return insertRequest(db, deps, who, async (tx) => {
    const bill = await staffBillRow(tx, who, billId, { lock: true });
    const plan = await planRefund(tx, bill, refundOf({ kind: body.kind, refund, reason }));
    if (plan.size <= plan.thresholdFen) {
      throw new AppError('BUSINESS_RULE_VIOLATED', 'This amount needs no manager: do it directly', {
        amountFen: plan.size,
        thresholdFen: plan.thresholdFen,
      });
    }
    return {
      filing: {
        kind: body.kind,
        billId: bill.id,
        storeId: bill.storeId,
        customerId: bill.customerId,
        refund,
        details: null,
        reason,
        amountFen: plan.size,
        thresholdFen: plan.thresholdFen,
      },
      audit: { before: { billStatus: bill.status }, after: { billId: bill.id } },
    };
  });
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
 * What approving does, by kind: a void or refund is performed through refundBill and a package transfer through
 * the ledger's 转卡, both as the manager under the key `approval/<id>`; a discount moves nothing until the
 * beautician opens its bill (and one whose business day is over cannot be approved: 409 APPROVAL_EXPIRED).
 */
async function perform(
  tx: Database,
  deps: CheckoutDeps,
  who: StaffPrincipal,
  row: Row,
): Promise<{ set: Partial<Row>; wechatOutRefundNo: string | null }> {
  if (row.kind === 'discount') {
    assertDiscountApprovalLive(row.createdAt, deps.ledger.now());
    return { set: {}, wechatOutRefundNo: null };
  }
  if (row.kind === 'package_transfer') {
    const details = row.details as unknown as TransferDetails;
    const moved = await performPackageTransfer(tx, who, { ...row, details });
    return {
      set: { transferId: moved.transferId, details: { ...details, toCardId: moved.toCardId } },
      wechatOutRefundNo: null,
    };
  }
  const refunded = await refundBill(tx, deps, who, row.billId as string, refundOf(row), {
    key: `approval/${row.id}`,
    hash: requestHash({ approval: row.id }),
  });
  return { set: { refundId: refunded.refundId }, wechatOutRefundNo: refunded.wechatOutRefundNo };
}

/**
 * Approving performs what was asked as the manager (see perform): money and sessions move once. The manager's own
 * Idempotency-Key makes a retried approval answer as the first one did.
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
    const performed = await perform(tx, deps, { ...who, storeIds: stores }, row);
    const note = body.note?.trim() || null;
    const [updated] = await tx
      .update(approvalRequests)
      .set({
        status: 'approved',
        decidedBy: who.id,
        decidedAt: deps.ledger.now(),
        decisionNote: note,
        decisionKey: key,
        ...performed.set,
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
      after: { status: 'approved', billId: row.billId, ...performed.set },
      reason: note,
    });
    return { row: updated as Row, replayed: false, wechatOutRefundNo: performed.wechatOutRefundNo };
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
      after: { status: 'rejected', billId: row.billId, customerId: row.customerId },
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

/**
 * Discount approvals the caller can still open a bill with: hers (only the filer may use one), approved, unused,
 * asked on today's business day.
 */
function usableDiscounts(who: StaffPrincipal, now: Date): SQL {
  return and(
    eq(approvalRequests.requestedBy, who.id),
    eq(approvalRequests.kind, 'discount'),
    eq(approvalRequests.status, 'approved'),
    isNull(approvalRequests.billId),
    gte(approvalRequests.createdAt, businessDayStart(now)),
  ) as SQL;
}

/** Newest first. */
export async function listApprovalRequests(
  db: Database,
  deps: CheckoutDeps,
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
        query.kind ? eq(approvalRequests.kind, query.kind) : undefined,
        query.customerId ? eq(approvalRequests.customerId, query.customerId) : undefined,
        query.usable ? usableDiscounts(who, deps.ledger.now()) : undefined,
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
