import type { CreditAllocation, CreditRepaymentMethod, CreditRepaymentRequest } from '@lumi/shared';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import {
  customerWalletAccounts,
  type Leg,
  type LedgerDeps,
  ledgerSettings,
  postTransfer,
  type TransferInput,
  tenderLeg,
} from '../ledger/index.ts';
import { owedFen, transferUnderKey } from './ledger-reads.ts';
import { lockLine, openItems } from './lines.ts';
import { creditAllocations, creditItems, creditSales } from './tables.ts';

export interface CreditRepaymentInput {
  tenantId: string;
  customerId: string;
  /** Where the money came in; required for cash and card. */
  storeId: string | null;
  staffId: string | null;
  amountFen: number;
  method: CreditRepaymentMethod;
  idempotencyKey: string;
  requestHash: string;
  /** E.g. the WeChat payment this repayment completes. */
  reference?: { type: string; id: string } | null;
  cardReference?: string | null;
  memo?: string | null;
  /** Business time (when items count as paid); now when omitted. */
  at?: Date;
}

export interface AppliedCreditRepayment {
  transferId: number;
  /** The Idempotency-Key had already posted this repayment; nothing new was written. */
  replayed: boolean;
  allocations: CreditAllocation[];
}

/**
 * 还款: takes a repayment against what the customer owes, in the caller's transaction. Under the credit-line
 * lock it refuses more than the ledger says is owed (CREDIT_OVERPAYMENT), allocates to the oldest due items
 * first (a partial repayment leaves the rest of an item open), and posts tender +x / credit_receivable −x —
 * for stored value the ledger's spend split takes x out of principal and bonus by the tenant's rule. The
 * payments module calls this to complete a WeChat Pay repayment (method 'wechat' → wechat_clearing).
 */
export async function applyCreditRepayment(
  tx: Database,
  deps: LedgerDeps,
  input: CreditRepaymentInput,
): Promise<AppliedCreditRepayment> {
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) {
    throw new AppError('VALIDATION_FAILED', 'A repayment must be a positive number of fen', [
      { field: 'body.amountFen', message: 'positive integer fen' },
    ]);
  }
  await lockLine(tx, input.tenantId, input.customerId);
  const earlier = await transferUnderKey(tx, input.tenantId, input.idempotencyKey, input.requestHash);
  if (earlier) {
    return { transferId: earlier.id, replayed: true, allocations: await allocationsOf(tx, input.tenantId, earlier.id) };
  }

  const now = input.at ?? deps.now();
  const owed = await owedFen(tx, input.tenantId, input.customerId, now);
  const items = await openItems(tx, input.tenantId, input.customerId);
  const itemsOutstanding = items.reduce((sum, i) => sum + i.amountFen - i.paidFen, 0);
  if (input.amountFen > owed || input.amountFen > itemsOutstanding) {
    throw new AppError('CREDIT_OVERPAYMENT', 'This is more than the customer owes', {
      owedFen: Math.min(owed, itemsOutstanding),
      amountFen: input.amountFen,
    });
  }

  const allocations: CreditAllocation[] = [];
  let left = input.amountFen;
  for (const item of items) {
    if (left === 0) break;
    const take = Math.min(left, item.amountFen - item.paidFen);
    if (take <= 0) continue;
    allocations.push({ itemId: item.id, saleId: item.saleId, dueDate: item.dueDate, amountFen: take });
    left -= take;
  }

  const wallet = await customerWalletAccounts(tx, input.tenantId, input.customerId);
  const legs: Leg[] = [{ accountId: wallet.credit_receivable, amount: -input.amountFen }];
  let spend: TransferInput['spend'];
  if (input.method === 'stored_value') {
    const settings = await ledgerSettings(tx, input.tenantId);
    spend = {
      principalAccountId: wallet.stored_principal,
      bonusAccountId: wallet.stored_bonus,
      total: input.amountFen,
      rule: settings.spendRule,
    };
  } else {
    legs.push(
      await tenderLeg(tx, deps, { tenantId: input.tenantId, storeId: input.storeId }, input.method, input.amountFen),
    );
  }
  const posted = await postTransfer(tx, {
    tenantId: input.tenantId,
    kind: 'credit_repayment',
    idempotencyKey: input.idempotencyKey,
    requestHash: input.requestHash,
    storeId: input.storeId,
    staffId: input.staffId,
    customerId: input.customerId,
    reference: input.reference ?? null,
    memo: input.memo ?? null,
    details: {
      method: input.method,
      cardReference: input.cardReference ?? null,
      amountFen: input.amountFen,
      allocations: allocations.map((a) => ({ itemId: a.itemId, dueDate: a.dueDate, amountFen: a.amountFen })),
    },
    legs,
    ...(spend ? { spend } : {}),
  });
  if (posted.replayed) {
    return {
      transferId: posted.transferId,
      replayed: true,
      allocations: await allocationsOf(tx, input.tenantId, posted.transferId),
    };
  }

  await tx.insert(creditAllocations).values(
    allocations.map((a) => ({
      tenantId: input.tenantId,
      customerId: input.customerId,
      itemId: a.itemId,
      transferId: posted.transferId,
      amountFen: a.amountFen,
      createdAt: now,
    })),
  );
  for (const a of allocations) {
    await tx
      .update(creditItems)
      .set({
        paidFen: sql`${creditItems.paidFen} + ${a.amountFen}`,
        status: sql`case when ${creditItems.paidFen} + ${a.amountFen} = ${creditItems.amountFen} then 'paid'::credit_item_status else 'open'::credit_item_status end`,
        paidAt: sql`case when ${creditItems.paidFen} + ${a.amountFen} = ${creditItems.amountFen} then ${now.toISOString()}::timestamptz else null end`,
      })
      .where(and(eq(creditItems.tenantId, input.tenantId), eq(creditItems.id, a.itemId)));
  }
  const saleIds = [...new Set(allocations.map((a) => a.saleId))];
  await tx
    .update(creditSales)
    .set({ status: 'settled' })
    .where(
      and(
        eq(creditSales.tenantId, input.tenantId),
        inArray(creditSales.id, saleIds),
        sql`not exists (select 1 from credit_items i where i.tenant_id = ${creditSales.tenantId}
                         and i.sale_id = ${creditSales.id} and i.status = 'open')`,
      ),
    );
  return { transferId: posted.transferId, replayed: false, allocations };
}

/** The allocations a repayment transfer made, in the order they were applied. */
export async function allocationsOf(db: Database, tenantId: string, transferId: number): Promise<CreditAllocation[]> {
  const rows = await db
    .select({
      itemId: creditAllocations.itemId,
      amountFen: creditAllocations.amountFen,
      saleId: creditItems.saleId,
      dueDate: creditItems.dueDate,
    })
    .from(creditAllocations)
    .innerJoin(
      creditItems,
      and(eq(creditItems.tenantId, creditAllocations.tenantId), eq(creditItems.id, creditAllocations.itemId)),
    )
    .where(and(eq(creditAllocations.tenantId, tenantId), eq(creditAllocations.transferId, transferId)))
    .orderBy(asc(creditAllocations.id));
  return rows.map((r) => ({ itemId: r.itemId, saleId: r.saleId, dueDate: r.dueDate, amountFen: r.amountFen }));
}

/** The staff route's repayment: one transaction around applyCreditRepayment. */
export async function repayCredit(
  db: Database,
  deps: LedgerDeps,
  posting: { tenantId: string; customerId: string; staffId: string; idempotencyKey: string; requestHash: string },
  body: CreditRepaymentRequest,
): Promise<AppliedCreditRepayment> {
  return db.transaction((tx) =>
    applyCreditRepayment(tx, deps, {
      ...posting,
      storeId: body.storeId,
      amountFen: body.amountFen,
      method: body.method,
      cardReference: body.cardReference ?? null,
      memo: body.memo ?? null,
    }),
  );
}
