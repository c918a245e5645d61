import type {
  ApproveCreditLimitRequest,
  CreateCreditLimitRequest,
  CreditLimitRequest,
  CreditLimitRequestListQuery,
  CreditSuggestion,
  WaitingCreditLimitRequest,
} from '@lumi/shared';
import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { sqlState, UNIQUE_VIOLATION } from '../../db/pg-errors.ts';
import { AppError } from '../../errors.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { recordAudit } from '../audit/index.ts';
import { customers, getCustomer } from '../customers/index.ts';
import { staff } from '../staff/index.ts';
import { getLine, lockLine, setLimit } from './lines.ts';
import { suggestCreditLimit } from './suggestion.ts';
import { creditLimitRequests, creditLines } from './tables.ts';

type RequestRow = typeof creditLimitRequests.$inferSelect;

const MANAGERS = new Set(['manager', 'owner']);

async function views(db: Database, tenantId: string, rows: RequestRow[]): Promise<CreditLimitRequest[]> {
  if (rows.length === 0) return [];
  const staffIds = [...new Set(rows.flatMap((r) => [r.requestedBy, r.decidedBy].filter((x): x is string => !!x)))];
  const customerIds = [...new Set(rows.map((r) => r.customerId))];
  const staffNames = new Map(
    (
      await db
        .select({ id: staff.id, name: staff.name })
        .from(staff)
        .where(and(eq(staff.tenantId, tenantId), inArray(staff.id, staffIds)))
    ).map((s) => [s.id, s.name]),
  );
  const lineLimits = new Map(
    (
      await db
        .select({ customerId: creditLines.customerId, limitFen: creditLines.limitFen })
        .from(creditLines)
        .where(and(eq(creditLines.tenantId, tenantId), inArray(creditLines.customerId, customerIds)))
    ).map((l) => [l.customerId, Number(l.limitFen)]),
  );
  const customerNames = new Map(
    (
      await db
        .select({ id: customers.id, name: customers.name })
        .from(customers)
        .where(and(eq(customers.tenantId, tenantId), inArray(customers.id, customerIds)))
    ).map((c) => [c.id, c.name]),
  );
  return rows.map((r) => ({
    id: r.id,
    customer: { id: r.customerId, name: customerNames.get(r.customerId) ?? null },
    requestedBy: { id: r.requestedBy, name: staffNames.get(r.requestedBy) ?? null },
    requestedLimitFen: r.requestedLimitFen,
    currentLimitFen: r.currentLimitFen,
    reason: r.reason,
    suggestion: r.suggestion as CreditSuggestion,
    status: r.status,
    decidedBy: r.decidedBy ? { id: r.decidedBy, name: staffNames.get(r.decidedBy) ?? null } : null,
    decidedAt: r.decidedAt ? r.decidedAt.toISOString() : null,
    approvedLimitFen: r.approvedLimitFen,
    limitAfterFen: r.limitAfterFen,
    lineLimitFen: lineLimits.get(r.customerId) ?? 0,
    decisionNote: r.decisionNote,
    createdAt: r.createdAt.toISOString(),
  }));
}

/**
 * A beautician or manager files a limit request. Lumi's suggestion and its reasoning are computed now and kept
 * with the request, so the manager decides on what the filer saw. One pending request per customer.
 */
export async function fileLimitRequest(
  db: Database,
  who: StaffPrincipal,
  customerId: string,
  body: CreateCreditLimitRequest,
  now: Date,
): Promise<CreditLimitRequest> {
  await getCustomer(db, who.tenantId, customerId);
  const suggestion = await suggestCreditLimit(db, who.tenantId, customerId, now);
  const line = await getLine(db, who.tenantId, customerId);
  suggestion.reasons.push(
    body.requestedLimitFen > suggestion.suggestedLimitFen
      ? '申请额度高于建议额度，请店长结合实际情况审批'
      : '申请额度不高于建议额度',
  );
  try {
    const row = await db.transaction(async (tx) => {
      const [created] = await tx
        .insert(creditLimitRequests)
        .values({
          tenantId: who.tenantId,
          customerId,
          requestedBy: who.id,
          requestedLimitFen: body.requestedLimitFen,
          currentLimitFen: line.limitFen,
          reason: body.reason,
          suggestedLimitFen: suggestion.suggestedLimitFen,
          suggestion,
          createdAt: now,
        })
        .returning();
      if (!created) throw new Error('insert returned no row');
      await recordAudit(tx, {
        tenantId: who.tenantId,
        actor: { staffId: who.id },
        action: 'credit.request_filed',
        subject: { type: 'credit_limit_request', id: created.id },
        before: { limitFen: line.limitFen },
        after: {
          customerId,
          requestedLimitFen: body.requestedLimitFen,
          suggestedLimitFen: suggestion.suggestedLimitFen,
        },
        reason: body.reason,
      });
      return created;
    });
    return (await views(db, who.tenantId, [row]))[0] as CreditLimitRequest;
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION) {
      throw new AppError('CREDIT_REQUEST_PENDING', 'This customer already has a limit request waiting for a decision');
    }
    throw error;
  }
}

async function lockPending(tx: Database, who: StaffPrincipal, requestId: string): Promise<RequestRow> {
  const [row] = await tx
    .select()
    .from(creditLimitRequests)
    .where(and(eq(creditLimitRequests.tenantId, who.tenantId), eq(creditLimitRequests.id, requestId)))
    .for('update');
  if (!row) throw new AppError('NOT_FOUND', 'Credit limit request not found');
  if (row.status !== 'pending') {
    throw new AppError('CREDIT_REQUEST_NOT_PENDING', `This request was already ${row.status}`);
  }
  // Routes already require a manager; this keeps the rule true for any other caller too.
  if (!MANAGERS.has(who.role)) throw new AppError('FORBIDDEN', 'Only a manager or the owner may decide this');
  if (row.requestedBy === who.id) {
    throw new AppError('CREDIT_SELF_APPROVAL', 'A request cannot be decided by the person who filed it');
  }
  return row;
}

/**
 * A manager approves, optionally lowering the amount (a note is then required). Sets the limit; audited.
 *
 * Approving never lowers the limit the customer already has: a request can ask less than that — it moved with a
 * merged sign-up onto a survivor granted more, or her limit was raised directly after it was filed — and a
 * manager who says 批准 means "yes to this customer", not "cut her line". Such an approval keeps the existing
 * limit (`limitAfterFen` says so); only `lowerExisting`, with a note, sets the lower amount.
 */
export async function approveLimitRequest(
  db: Database,
  who: StaffPrincipal,
  requestId: string,
  body: ApproveCreditLimitRequest,
  now: Date,
): Promise<CreditLimitRequest> {
  const row = await db.transaction(async (tx) => {
    const request = await lockPending(tx, who, requestId);
    const approved = body.approvedLimitFen ?? request.requestedLimitFen;
    if (approved > request.requestedLimitFen) {
      throw new AppError('VALIDATION_FAILED', 'A manager may approve the requested limit or less', [
        { field: 'body.approvedLimitFen', message: 'more than requested' },
      ]);
    }
    const note = body.note?.trim() || null;
    if (approved < request.requestedLimitFen && (!note || note.length < 2)) {
      throw new AppError('VALIDATION_FAILED', 'Say why the limit is lowered', [
        { field: 'body.note', message: 'required when lowering' },
      ]);
    }
    const existing = Number((await lockLine(tx, who.tenantId, request.customerId)).limitFen);
    const lowersExisting = approved < existing;
    if (lowersExisting && body.lowerExisting && (!note || note.length < 2)) {
      throw new AppError('VALIDATION_FAILED', 'Say why the existing limit is lowered', [
        { field: 'body.note', message: 'required when lowering the existing limit' },
      ]);
    }
    const limitAfterFen = lowersExisting && !body.lowerExisting ? existing : approved;
    if (limitAfterFen !== existing) {
      await setLimit(tx, {
        tenantId: who.tenantId,
        customerId: request.customerId,
        limitFen: limitAfterFen,
        actor: { staffId: who.id },
        action: 'credit.limit_changed',
        reason: `额度申请 ${request.id} 批准`,
      });
    }
    const [updated] = await tx
      .update(creditLimitRequests)
      .set({
        status: 'approved',
        decidedBy: who.id,
        decidedAt: now,
        approvedLimitFen: approved,
        limitAfterFen,
        decisionNote: note,
      })
      .where(and(eq(creditLimitRequests.tenantId, who.tenantId), eq(creditLimitRequests.id, requestId)))
      .returning();
    await recordAudit(tx, {
      tenantId: who.tenantId,
      actor: { staffId: who.id },
      action: 'credit.request_approved',
      subject: { type: 'credit_limit_request', id: requestId },
      before: { status: 'pending', requestedLimitFen: request.requestedLimitFen, limitFen: request.currentLimitFen },
      after: {
        status: 'approved',
        approvedLimitFen: approved,
        lowered: approved < request.requestedLimitFen,
        suggestedLimitFen: request.suggestedLimitFen,
        limitBeforeFen: existing,
        limitAfterFen,
      },
      reason: note,
    });
    return updated as RequestRow;
  });
  return (await views(db, who.tenantId, [row]))[0] as CreditLimitRequest;
}

export async function rejectLimitRequest(
  db: Database,
  who: StaffPrincipal,
  requestId: string,
  note: string,
  now: Date,
): Promise<CreditLimitRequest> {
  const row = await db.transaction(async (tx) => {
    const request = await lockPending(tx, who, requestId);
    const [updated] = await tx
      .update(creditLimitRequests)
      .set({ status: 'rejected', decidedBy: who.id, decidedAt: now, decisionNote: note })
      .where(and(eq(creditLimitRequests.tenantId, who.tenantId), eq(creditLimitRequests.id, requestId)))
      .returning();
    await recordAudit(tx, {
      tenantId: who.tenantId,
      actor: { staffId: who.id },
      action: 'credit.request_rejected',
      subject: { type: 'credit_limit_request', id: requestId },
      before: { status: 'pending', requestedLimitFen: request.requestedLimitFen },
      after: { status: 'rejected' },
      reason: note,
    });
    return updated as RequestRow;
  });
  return (await views(db, who.tenantId, [row]))[0] as CreditLimitRequest;
}

/** Managers see every request of the tenant; a beautician sees the ones they filed. Newest first. */
export async function listLimitRequests(
  db: Database,
  who: StaffPrincipal,
  query: CreditLimitRequestListQuery,
): Promise<CreditLimitRequest[]> {
  const conditions: SQL[] = [eq(creditLimitRequests.tenantId, who.tenantId)];
  if (!MANAGERS.has(who.role)) conditions.push(eq(creditLimitRequests.requestedBy, who.id));
  if (query.status) conditions.push(eq(creditLimitRequests.status, query.status));
  if (query.customerId) conditions.push(eq(creditLimitRequests.customerId, query.customerId));
  const rows = await db
    .select()
    .from(creditLimitRequests)
    .where(and(...conditions))
    .orderBy(desc(creditLimitRequests.createdAt), desc(creditLimitRequests.id))
    .limit(query.limit);
  return views(db, who.tenantId, rows);
}

export async function getLimitRequest(
  db: Database,
  who: StaffPrincipal,
  requestId: string,
): Promise<CreditLimitRequest> {
  const [row] = await db
    .select()
    .from(creditLimitRequests)
    .where(and(eq(creditLimitRequests.tenantId, who.tenantId), eq(creditLimitRequests.id, requestId)));
  if (!row || (!MANAGERS.has(who.role) && row.requestedBy !== who.id)) {
    throw new AppError('NOT_FOUND', 'Credit limit request not found');
  }
  return (await views(db, who.tenantId, [row]))[0] as CreditLimitRequest;
}

/**
 * The customer's request waiting for a manager, whoever of the tenant's staff filed it (null when none): one may be
 * pending per customer, so the counter shows a colleague's instead of a form the API would refuse.
 */
export async function waitingLimitRequest(
  db: Database,
  tenantId: string,
  customerId: string,
): Promise<WaitingCreditLimitRequest | null> {
  const [row] = await db
    .select({
      id: creditLimitRequests.id,
      requestedLimitFen: creditLimitRequests.requestedLimitFen,
      currentLimitFen: creditLimitRequests.currentLimitFen,
      createdAt: creditLimitRequests.createdAt,
      filerId: staff.id,
      filerName: staff.name,
    })
    .from(creditLimitRequests)
    .innerJoin(
      staff,
      and(eq(staff.tenantId, creditLimitRequests.tenantId), eq(staff.id, creditLimitRequests.requestedBy)),
    )
    .where(
      and(
        eq(creditLimitRequests.tenantId, tenantId),
        eq(creditLimitRequests.customerId, customerId),
        eq(creditLimitRequests.status, 'pending'),
      ),
    );
  if (!row) return null;
  return {
    id: row.id,
    requestedBy: { id: row.filerId, name: row.filerName },
    requestedLimitFen: row.requestedLimitFen,
    currentLimitFen: row.currentLimitFen,
    createdAt: row.createdAt.toISOString(),
  };
}
