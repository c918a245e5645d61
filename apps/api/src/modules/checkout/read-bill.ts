import type { Bill, BillRefund, Tender } from '@lumi/shared';
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { assertStoreResource } from '../../plugins/idempotency.ts';
import { jsonRowsSql } from '../../db/json-rows.ts';
import { claimKeySql, type KeyClaim, walletAccountsSql } from '../ledger/index.ts';
import type { CommissionRule } from './commissions.ts';
import { billLines, billRefunds, bills, commissionRules } from './tables.ts';

export type BillRow = typeof bills.$inferSelect;
export type BillLineRow = typeof billLines.$inferSelect;

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

export async function billLinesOf(db: Database, billId: string): Promise<BillLineRow[]> {
  return db.select().from(billLines).where(eq(billLines.billId, billId)).orderBy(asc(billLines.position));
}

/** The itemised bill as the customer and staff see it (also the receipt). */
export async function presentBill(db: Database, tenantId: string, billId: string): Promise<Bill> {
  // Independent reads, sent together: a bill is presented after every checkout step (one round trip, not three).
  const [{ bill, names }, lines, refunds] = await Promise.all([
    billWithNames(db, tenantId, billId),
    billLinesOf(db, billId),
    refundsOf(db, billId),
  ]);
  return billView(bill, lines, refunds, names);
}

const nameColumns = {
  storeName: sql<string>`coalesce((select s.name from stores s where s.id = ${bills.storeId}), '')`,
  customerName: sql<string | null>`(select c.name from customers c where c.id = ${bills.customerId})`,
  staffName: sql<string>`coalesce((select st.name from staff st where st.id = ${bills.openedBy}), '')`,
};

/** What a settlement reads next, carried by the statement that locks the bill (`billWithNames` with `lock`). */
export interface SettlementReads {
  /** The tenant's settings document (tenants/settings.ts). */
  settings: unknown;
  lines: BillLineRow[];
  commissionRules: CommissionRule[];
  /** The customer's plain accounts (ledger walletAccountsSql). */
  walletAccounts: unknown;
  /** The customer's tier benefits, when the caller gave their SQL (checkout hooks' tierBenefitsRead). */
  tier: unknown;
}

/**
 * A bill's row with the names it shows, and with `lock` locked for update along with what a settlement reads
 * next (the tenant's settings, the bill's lines, the tenant's commission rules, the customer's account ids and,
 * given `tierSql`, tier benefits), all in one statement. Given `claim` (with `lock`), the same statement claims
 * the settlement's Idempotency-Key once the bill is locked and records the claim (`record`, given the claim's
 * CTE); `keyClaimed` is what the claim's insert answered, for ledger's claimOutcome.
 */
export async function billWithNames(
  db: Database,
  tenantId: string,
  billId: string,
  options: {
    lock?: boolean;
    tierSql?: (tenantId: SQL, customerId: SQL) => SQL;
    claim?: { key: KeyClaim; record: (claimed: SQL) => SQL };
  } = {},
): Promise<{ bill: BillRow; names: BillNames; settlement: SettlementReads | null; keyClaimed: boolean | null }> {
  const claim = options.lock ? options.claim : undefined;
  const where = and(eq(bills.tenantId, tenantId), eq(bills.id, billId));
  const withClaim = claim
    ? db.with(
        db.$with('claim_lock', {}).as(sql`select ${bills.id} from ${bills} where ${where} for update`),
        db.$with('claimed', {}).as(claimKeySql(claim.key, sql.raw('claim_lock'))),
        db.$with('recorded', {}).as(claim.record(sql.raw('claimed'))),
      )
    : db;
  const query = withClaim
    .select({
      bill: bills,
      ...nameColumns,
      settlement: options.lock
        ? sql<SettlementReads>`json_build_object(
            'settings', (select t.settings from tenants t where t.id = ${bills.tenantId}),
            'lines', ${jsonRowsSql(billLines, sql`r.bill_id = ${bills.id}`, sql`r.position`)},
            'commissionRules', ${jsonRowsSql(commissionRules, sql`r.tenant_id = ${bills.tenantId}`)},
            'walletAccounts', ${walletAccountsSql(sql`${bills.tenantId}`, sql`${bills.customerId}`)},
            'tier', ${options.tierSql ? options.tierSql(sql`${bills.tenantId}`, sql`${bills.customerId}`) : sql`null`})`
        : sql<null>`null`,
      keyClaimed: claim ? sql<boolean | null>`(select inserted from claimed)` : sql<null>`null`,
    })
    .from(bills)
    .where(where);
  const [row] = options.lock ? await query.for('update', { of: bills }) : await query;
  if (!row) throw new AppError('NOT_FOUND', 'Bill not found');
  const { bill, storeName, customerName, staffName, settlement, keyClaimed } = row;
  return { bill, names: { storeName, customerName, staffName }, settlement, keyClaimed };
}

/** Who a bill's ids name, as the bill shows them. */
export interface BillNames {
  storeName: string;
  customerName: string | null;
  staffName: string;
}

/**
 * The itemised bill from rows already read (a step that just wrote the bill answers with it, without reading
 * it back: docs/performance.md).
 */
export function billView(bill: BillRow, lines: BillLineRow[], refunds: BillRefund[], names: BillNames): Bill {
  return {
    id: bill.id,
    number: bill.number,
    status: bill.status,
    storeId: bill.storeId,
    storeName: names.storeName,
    customerId: bill.customerId,
    customerName: names.customerName,
    openedBy: { id: bill.openedBy, name: names.staffName },
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
