import type { CreditItem, CreditSale, CreditSaleRequest } from '@lumi/shared';
import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { customerWalletAccounts, type Leg, type LedgerDeps, postTransfer } from '../ledger/index.ts';
import { addDays, addMonths, daysBetween, shanghaiDay } from './dates.ts';
import { transferUnderKey } from './ledger-reads.ts';
import { authorizeCreditCharge, lockLine } from './lines.ts';
import { instalmentSchedule, type ScheduledItem } from './schedule.ts';
import { creditSettings } from './settings.ts';
import { creditItems, creditSales } from './tables.ts';

export interface RecordCreditSaleInput {
  tenantId: string;
  customerId: string;
  /** The ledger transfer that debited the customer's credit_receivable by amountFen. */
  transferId: number;
  amountFen: number;
  reference?: { type: string; id: string } | null;
  /** Due date of the whole amount (Shanghai day); the tenant's defaultDueDays after `at` when omitted. */
  dueDate?: string;
  instalments?: { count: number; interestFree: boolean; firstDueDate?: string };
  storeId?: string | null;
  staffId?: string | null;
  /** Business time of the sale; now when omitted. */
  at?: Date;
}

const validation = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ field, message }]);

/**
 * Writes the receivable items of a credit sale: one item due on `dueDate`, or an instalment schedule whose
 * amounts sum exactly to the principal. Call it in the transaction that posted the transfer. Recording the
 * same transfer again returns the sale already recorded.
 */
export async function recordCreditSale(tx: Database, input: RecordCreditSaleInput): Promise<CreditSale> {
  const at = input.at ?? new Date();
  const today = shanghaiDay(at);
  let schedule: ScheduledItem[];
  if (input.dueDate && input.instalments) throw validation('body.instalments', 'give either dueDate or instalments');
  if (input.instalments) {
    const first = input.instalments.firstDueDate ?? addMonths(today, 1);
    if (first <= today) throw validation('body.instalments.firstDueDate', 'must be after today');
    if (input.amountFen < input.instalments.count) {
      throw validation('body.instalments.count', 'every instalment must be at least one fen');
    }
    schedule = instalmentSchedule(input.amountFen, input.instalments.count, first);
  } else {
    const settings = await creditSettings(tx, input.tenantId);
    const due = input.dueDate ?? addDays(today, settings.defaultDueDays);
    if (due < today) throw validation('body.dueDate', 'must not be in the past');
    schedule = [{ seq: 1, dueDate: due, amountFen: input.amountFen }];
  }

  const [sale] = await tx
    .insert(creditSales)
    .values({
      tenantId: input.tenantId,
      customerId: input.customerId,
      transferId: input.transferId,
      storeId: input.storeId ?? null,
      staffId: input.staffId ?? null,
      principalFen: input.amountFen,
      plan: input.instalments ? 'instalments' : 'due_date',
      instalmentCount: schedule.length,
      interestFree: input.instalments?.interestFree ?? true,
      referenceType: input.reference?.type ?? null,
      referenceId: input.reference?.id ?? null,
      createdAt: at,
    })
    .onConflictDoNothing()
    .returning({ id: creditSales.id });
  if (!sale) {
    const existing = await saleByTransfer(tx, input.tenantId, input.transferId, at);
    if (!existing) throw new Error('credit sale vanished');
    return existing;
  }
  await tx.insert(creditItems).values(
    schedule.map((s) => ({
      tenantId: input.tenantId,
      customerId: input.customerId,
      saleId: sale.id,
      seq: s.seq,
      dueDate: s.dueDate,
      amountFen: s.amountFen,
      createdAt: at,
    })),
  );
  return (await saleById(tx, input.tenantId, sale.id, at)) as CreditSale;
}

/**
 * For bill refunds and voids: takes `amountFen` off the credit sale recorded for a transfer, latest instalment
 * first, so what is still due shrinks and what was repaid stays repaid; an item cut down to what was paid on it
 * is paid, one never paid on is cancelled, and a sale with nothing left open is settled (or cancelled when
 * nothing was ever repaid). More than is still outstanding is refused with CREDIT_SALE_REPAID (the repaid part
 * goes back another way). Returns the ledger leg that takes it off the customer's receivable.
 */
export async function reduceCreditSale(
  tx: Database,
  input: { tenantId: string; transferId: number; amountFen: number; at: Date },
): Promise<Leg> {
  const [found] = await tx
    .select({ id: creditSales.id, customerId: creditSales.customerId })
    .from(creditSales)
    .where(and(eq(creditSales.tenantId, input.tenantId), eq(creditSales.transferId, input.transferId)));
  if (!found) throw new AppError('NOT_FOUND', 'No credit sale was recorded for this transfer');
  await lockLine(tx, input.tenantId, found.customerId);
  const items = await tx
    .select()
    .from(creditItems)
    .where(
      and(eq(creditItems.tenantId, input.tenantId), eq(creditItems.saleId, found.id), eq(creditItems.status, 'open')),
    )
    .orderBy(desc(creditItems.seq));
  const outstanding = items.reduce((sum, i) => sum + i.amountFen - i.paidFen, 0);
  if (input.amountFen > outstanding) {
    throw new AppError('CREDIT_SALE_REPAID', 'That is more than is still owed on this credit sale', {
      outstandingFen: outstanding,
    });
  }
  let left = input.amountFen;
  for (const item of items) {
    if (left === 0) break;
    const cut = Math.min(left, item.amountFen - item.paidFen);
    left -= cut;
    const closes = cut === item.amountFen - item.paidFen;
    await tx
      .update(creditItems)
      .set(
        !closes
          ? { amountFen: item.amountFen - cut }
          : item.paidFen > 0
            ? { amountFen: item.paidFen, status: 'paid', paidAt: input.at }
            : { status: 'cancelled' },
      )
      .where(eq(creditItems.id, item.id));
  }
  const [rest] = await tx
    .select({
      open: sql<number>`count(*) filter (where ${creditItems.status} = 'open')`,
      paid: sql<string>`coalesce(sum(${creditItems.paidFen}), 0)`,
    })
    .from(creditItems)
    .where(and(eq(creditItems.tenantId, input.tenantId), eq(creditItems.saleId, found.id)));
  if (Number(rest?.open ?? 0) === 0) {
    await tx
      .update(creditSales)
      .set(Number(rest?.paid ?? 0) > 0 ? { status: 'settled' } : { status: 'cancelled', cancelledAt: input.at })
      .where(eq(creditSales.id, found.id));
  }
  const accounts = await customerWalletAccounts(tx, input.tenantId, found.customerId);
  return { accountId: accounts.credit_receivable, amount: -input.amountFen };
}

// ── reads ───────────────────────────────────────────────────────────────────────────────────────────────────

type SaleRow = typeof creditSales.$inferSelect;
type ItemRow = typeof creditItems.$inferSelect;

function itemView(item: ItemRow, of: number, today: string): CreditItem {
  const outstanding = item.status === 'open' ? item.amountFen - item.paidFen : 0;
  const late = daysBetween(item.dueDate, today);
  return {
    id: item.id,
    saleId: item.saleId,
    seq: item.seq,
    of,
    dueDate: item.dueDate,
    amountFen: item.amountFen,
    paidFen: item.paidFen,
    outstandingFen: outstanding,
    status: item.status,
    overdueDays: outstanding > 0 && late > 0 ? late : 0,
    paidAt: item.paidAt ? item.paidAt.toISOString() : null,
  };
}

function saleView(sale: SaleRow, items: ItemRow[], today: string): CreditSale {
  const views = items.sort((a, b) => a.seq - b.seq).map((i) => itemView(i, sale.instalmentCount, today));
  return {
    id: sale.id,
    transferId: sale.transferId,
    at: sale.createdAt.toISOString(),
    storeId: sale.storeId,
    principalFen: sale.principalFen,
    outstandingFen: views.reduce((sum, i) => sum + i.outstandingFen, 0),
    plan: sale.plan,
    instalmentCount: sale.instalmentCount,
    interestFree: sale.interestFree,
    reference: sale.referenceType && sale.referenceId ? { type: sale.referenceType, id: sale.referenceId } : null,
    status: sale.status,
    items: views,
  };
}

async function withItems(db: Database, tenantId: string, sales: SaleRow[], now: Date): Promise<CreditSale[]> {
  if (sales.length === 0) return [];
  const items = await db
    .select()
    .from(creditItems)
    .where(
      and(
        eq(creditItems.tenantId, tenantId),
        inArray(
          creditItems.saleId,
          sales.map((s) => s.id),
        ),
      ),
    );
  const today = shanghaiDay(now);
  return sales.map((s) =>
    saleView(
      s,
      items.filter((i) => i.saleId === s.id),
      today,
    ),
  );
}

export async function saleById(db: Database, tenantId: string, saleId: string, now: Date): Promise<CreditSale | null> {
  const rows = await db
    .select()
    .from(creditSales)
    .where(and(eq(creditSales.tenantId, tenantId), eq(creditSales.id, saleId)));
  return (await withItems(db, tenantId, rows, now))[0] ?? null;
}

export async function saleByTransfer(
  db: Database,
  tenantId: string,
  transferId: number,
  now: Date,
): Promise<CreditSale | null> {
  const rows = await db
    .select()
    .from(creditSales)
    .where(and(eq(creditSales.tenantId, tenantId), eq(creditSales.transferId, transferId)));
  return (await withItems(db, tenantId, rows, now))[0] ?? null;
}

/** The customer's sales that still have something to pay, oldest first. */
export async function openSales(db: Database, tenantId: string, customerId: string, now: Date): Promise<CreditSale[]> {
  const rows = await db
    .select()
    .from(creditSales)
    .where(
      and(eq(creditSales.tenantId, tenantId), eq(creditSales.customerId, customerId), eq(creditSales.status, 'open')),
    )
    .orderBy(asc(creditSales.createdAt), asc(creditSales.id));
  return withItems(db, tenantId, rows, now);
}

// ── the standalone credit sale (no bill) ────────────────────────────────────────────────────────────────────

export interface CreditPosting {
  tenantId: string;
  customerId: string;
  storeId: string;
  staffId: string;
  idempotencyKey: string;
  requestHash: string;
}

class Replayed {
  constructor(readonly transferId: number) {}
}

/**
 * 赊销 without a bill: in one transaction, lock the line and check the limit, post receivable +amount /
 * revenue −amount, and write the items. Returns the transfer id and whether the key had already posted it.
 */
export async function createCreditSale(
  db: Database,
  deps: LedgerDeps,
  posting: CreditPosting,
  body: CreditSaleRequest,
): Promise<{ transferId: number; replayed: boolean }> {
  try {
    return await db.transaction(async (tx) => {
      await lockLine(tx, posting.tenantId, posting.customerId);
      // Under the line lock: a concurrent request with the same key has committed by now, so this replays it
      // instead of failing the limit check a second time.
      const earlier = await transferUnderKey(tx, posting.tenantId, posting.idempotencyKey, posting.requestHash);
      if (earlier) throw new Replayed(earlier.id);
      const receivable = await authorizeCreditCharge(tx, deps, {
        tenantId: posting.tenantId,
        customerId: posting.customerId,
        amountFen: body.amountFen,
      });
      const revenueKind = body.revenue === 'product' ? 'product_revenue' : 'service_revenue';
      const posted = await postTransfer(tx, {
        tenantId: posting.tenantId,
        kind: 'credit_sale',
        idempotencyKey: posting.idempotencyKey,
        requestHash: posting.requestHash,
        storeId: posting.storeId,
        staffId: posting.staffId,
        customerId: posting.customerId,
        memo: body.memo ?? null,
        details: {
          items: body.items,
          revenue: body.revenue,
          amountFen: body.amountFen,
          plan: body.instalments ? 'instalments' : 'due_date',
        },
        legs: [
          receivable,
          {
            accountId: await deps.house.id(tx, posting.tenantId, revenueKind, posting.storeId),
            amount: -body.amountFen,
          },
        ],
      });
      if (posted.replayed) throw new Replayed(posted.transferId);
      await recordCreditSale(tx, {
        tenantId: posting.tenantId,
        customerId: posting.customerId,
        transferId: posted.transferId,
        amountFen: body.amountFen,
        ...(body.dueDate ? { dueDate: body.dueDate } : {}),
        ...(body.instalments ? { instalments: body.instalments } : {}),
        storeId: posting.storeId,
        staffId: posting.staffId,
        at: deps.now(),
      });
      return { transferId: posted.transferId, replayed: false };
    });
  } catch (error) {
    if (error instanceof Replayed) return { transferId: error.transferId, replayed: true };
    throw error;
  }
}

/** Sums every open item's outstanding amount per customer (for consistency checks against the ledger). */
export async function outstandingByCustomer(db: Database, tenantId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({
      customerId: creditItems.customerId,
      total: sql<string>`sum(${creditItems.amountFen} - ${creditItems.paidFen})`,
    })
    .from(creditItems)
    .where(and(eq(creditItems.tenantId, tenantId), ne(creditItems.status, 'cancelled')))
    .groupBy(creditItems.customerId);
  return new Map(rows.map((r) => [r.customerId, Number(r.total)]));
}
