import type { Bill, SettleBillRequest, Tender } from '@lumi/shared';
import { and, eq, gte, type SQL, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { historyNow } from '../../db/history-time.ts';
import { AppError } from '../../errors.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { assertStoreResource } from '../../plugins/idempotency.ts';
import { products } from '../catalog/index.ts';
import { inTransactionOnce, knownInTransaction } from '../../db/transaction-memo.ts';
import { settingsReadInTransaction } from '../tenants/index.ts';
import {
  applyPointsDelta,
  claimOutcome,
  customerWalletAccounts,
  earnedPointsLotSql,
  type KeyClaim,
  type Leg,
  ledgerSettings,
  packageSessionUse,
  POINTS_DAY_MS,
  pointsForSpend,
  postTransferWithin,
  requestHash,
  walletAccountsRead,
} from '../ledger/index.ts';
import { commissionRulesRead, recordCommissions } from './commissions.ts';
import type { CheckoutDeps } from './open-bill.ts';
import { type BillRow, type billLinesOf, billView, billWithNames, type SettlementReads } from './read-bill.ts';
import { checkoutSettings } from './settings.ts';
import { checkTendersCover, holdTenders, tenderPostings } from './tender-postings.ts';
import { bills } from './tables.ts';
import { linesForCommission, useVoucherLine } from './voucher-lines.ts';

type Line = Awaited<ReturnType<typeof billLinesOf>>[number];

const billRef = (bill: BillRow) => ({ type: 'bill', id: bill.id });
/** The customer's tier benefits in this transaction: carried by the locked bill when the hooks can (settleBill). */
const tierKey = (tenantId: string, customerId: string) => `tier-benefits:${tenantId}:${customerId}`;

/**
 * 结账: the tenders must add up to the bill's total exactly. If the tenant wants the customer to confirm
 * deductions, or part is paid by WeChat on the customer's phone, the balance, points and sessions are held and
 * the bill waits (待确认); otherwise everything posts now as one transfer.
 */
export async function settleBill(
  db: Database,
  deps: CheckoutDeps,
  staff: StaffPrincipal,
  billId: string,
  request: SettleBillRequest,
  idem: { key: string; hash: string },
): Promise<{ notify: 'bill_to_confirm' | 'bill_settled' | null; bill: Bill | null }> {
  return db.transaction(async (tx) => {
    // The bill, the names it shows and the tenant's settings in one statement; the settings serve every later
    // read of them in this transaction (tenants/settings.ts).
    // The same statement claims the Idempotency-Key once the bill is locked (claimSettlementKey).
    const key = settlementKey(staff, idem);
    const { bill, names, settlement, keyClaimed } = await billWithNames(tx, staff.tenantId, billId, {
      lock: true,
      tierSql: deps.hooks.tierBenefitsRead?.sql,
      claim: { key, record: (claimed) => settlementRecordSql(staff, billId, idem, claimed) },
    });
    assertStoreResource(staff.storeIds, bill.storeId, 'Bill');
    const reads = settlement as SettlementReads;
    settingsReadInTransaction(tx, staff.tenantId, reads.settings);
    commissionRulesRead(tx, staff.tenantId, reads.commissionRules);
    walletAccountsRead(tx, staff.tenantId, bill.customerId, reads.walletAccounts);
    const tierRead = deps.hooks.tierBenefitsRead;
    if (tierRead) knownInTransaction(tx, tierKey(staff.tenantId, bill.customerId), tierRead.of(reads.tier));
    // A replay answers the bill as it is now (the route reads it).
    if ((await claimOutcome(tx, key, keyClaimed)) === 'replayed') return { notify: null, bill: null };
    if (bill.status !== 'open') {
      throw new AppError('CONFLICT', `This bill is ${bill.status}`, { status: bill.status });
    }
    await checkTendersCover(tx, staff.tenantId, request.tenders, bill.totalFen);
    const { lines } = reads;
    const checkout = await checkoutSettings(tx, staff.tenantId);
    const deducts =
      request.tenders.some((t) => t.method === 'stored_value' || t.method === 'points') ||
      lines.some((l) => l.type === 'package_session' || l.type === 'shop_voucher');
    const needsConfirmation = checkout.confirmationMode === 'confirm_first' && deducts;
    const waitsForWechat = request.tenders.some((t) => t.method === 'wechat');
    const now = deps.ledger.now();
    const updated = { ...bill, tenders: request.tenders, confirmationRequired: needsConfirmation };
    // An open bill was never settled, so it has no refunds: the answer is built from what is held here.
    const answer = (row: BillRow) => billView(row, lines, [], names);

    if (needsConfirmation || waitsForWechat) {
      const holdExpiresAt = new Date(now.getTime() + checkout.holdMinutes * 60_000);
      await holdForBill(tx, updated, lines, request.tenders, holdExpiresAt);
      const [waiting] = await tx
        .update(bills)
        .set({
          tenders: request.tenders,
          confirmationRequired: needsConfirmation,
          status: 'awaiting_customer',
          holdExpiresAt,
        })
        .where(eq(bills.id, bill.id))
        .returning();
      return { notify: needsConfirmation ? 'bill_to_confirm' : null, bill: answer(waiting as BillRow) };
    }
    const settled = await postSettlement(tx, deps, updated, lines, request.tenders, false);
    return { notify: 'bill_settled', bill: answer(settled.bill) };
  });
}

/**
 * The Idempotency-Key of this settlement (the request's hash names the bill and the body), claimed in the
 * settlement's transaction by the statement that locks the bill, so a refused settlement leaves the key free; a
 * key the same request already claimed is a replay. Anything else under the key is refused
 * (ledger/idempotency-keys.ts). The bill keeps its settlement keys in bill_settlements, also when it reopens.
 */
const settlementKey = (staff: StaffPrincipal, idem: { key: string; hash: string }): KeyClaim => ({
  tenantId: staff.tenantId,
  key: idem.key,
  operation: 'checkout.settle',
  requestHash: idem.hash,
});

/** The bill's record of the settlement, written by the claim's statement when the key is claimed now. */
const settlementRecordSql = (
  staff: StaffPrincipal,
  billId: string,
  idem: { key: string; hash: string },
  claimed: SQL,
) =>
  sql`insert into bill_settlements (tenant_id, bill_id, idempotency_key, request_hash, staff_id, created_at)
        select ${staff.tenantId}::uuid, ${billId}::uuid, ${idem.key}, ${idem.hash}, ${staff.id}::uuid,
               coalesce(${historyNow()?.toISOString() ?? null}::timestamptz, now())
        from ${claimed}`;

async function holdForBill(tx: Database, bill: BillRow, lines: Line[], tenders: Tender[], expiresAt: Date) {
  const sessions: { accountId: number; amount: number }[] = [];
  for (const line of lines.filter((l) => l.type === 'package_session')) {
    const [account] = await queryRows<{ id: number }>(
      tx,
      sql`select id from accounts where package_card_id = ${line.packageCardId}`,
    );
    if (!account) throw new AppError('NOT_FOUND', 'Package card not found');
    sessions.push({ accountId: Number(account.id), amount: line.quantity });
  }
  await holdTenders(tx, bill, billRef(bill), tenders, expiresAt, sessions);
}

/**
 * Posts the whole bill as one transfer: revenue per line (gross) and the bill's discounts as a contra, package
 * sessions with their recognised value, and every tender as the debit that pays for it. With `capture`, the
 * holds placed while the bill waited are captured by the same posting, and stored value is taken exactly as
 * it was held (the split the customer confirmed).
 */
export async function postSettlement(
  tx: Database,
  deps: CheckoutDeps,
  bill: BillRow,
  lines: Line[],
  tenders: Tender[],
  capture: boolean,
): Promise<{ transferId: number; bill: BillRow }> {
  const { house } = deps.ledger;
  const tenantId = bill.tenantId;
  const legs: Leg[] = [];
  const items: { name: string; quantity: number; amountFen: number }[] = [];
  // What each package line's sessions recognised as revenue, so a refund of them can take back exactly that.
  const packageLines: { lineId: string; recognisedFen: number }[] = [];
  const voucherValues = new Map<string, number>();
  for (const line of lines) {
    items.push({ name: line.name, quantity: line.quantity, amountFen: line.amountFen });
    if (line.type === 'shop_voucher') {
      const use = await useVoucherLine(tx, deps, bill, line);
      legs.push(...use.legs);
      // Kept beside the package lines: a refund of the line takes back what it earned, the same way.
      packageLines.push({ lineId: line.id, recognisedFen: use.recognisedFen });
      voucherValues.set(line.id, use.valueFen);
      continue;
    }
    if (line.type === 'package_session') {
      const use = await packageSessionUse(
        tx,
        deps.ledger,
        tenantId,
        bill.storeId,
        line.packageCardId as string,
        line.quantity,
        bill.customerId,
      );
      legs.push(...use.legs);
      packageLines.push({ lineId: line.id, recognisedFen: use.valueFen });
      continue;
    }
    const gross = line.unitPriceFen * line.quantity;
    if (gross > 0)
      legs.push({
        accountId: await house.id(
          tx,
          tenantId,
          line.type === 'product' ? 'product_revenue' : 'service_revenue',
          bill.storeId,
        ),
        amount: -gross,
      });
    if (line.type === 'product') {
      const taken = await tx
        .update(products)
        .set({ stock: sql`${products.stock} - ${line.quantity}` })
        .where(
          and(
            eq(products.id, line.productId as string),
            eq(products.tenantId, tenantId),
            gte(products.stock, line.quantity),
          ),
        )
        .returning({ id: products.id });
      if (taken.length === 0)
        throw new AppError('BUSINESS_RULE_VIOLATED', `${line.name} is out of stock`, { productId: line.productId });
    }
  }
  const discount = bill.tierDiscountFen + bill.couponDiscountFen + bill.manualDiscountFen;
  if (discount > 0) legs.push({ accountId: await house.id(tx, tenantId, 'discounts', null), amount: discount });

  const settings = await ledgerSettings(tx, tenantId);
  const wallet = await customerWalletAccounts(tx, tenantId, bill.customerId);
  const paid = await tenderPostings(tx, deps, bill, tenders, capture ? billRef(bill) : null);
  legs.push(...paid.legs);
  const { spend, redeemedPoints, pointsValueFen: pointsValue, credit: creditLeg } = paid;
  const tier = await inTransactionOnce(tx, tierKey(tenantId, bill.customerId), () =>
    deps.hooks.tierBenefits(tx, tenantId, bill.customerId),
  );
  const earned = pointsForSpend(bill.totalFen - pointsValue, settings, tier.pointsMultiplierPercent);
  if (earned > 0) {
    legs.push({ accountId: await house.id(tx, tenantId, 'points_issued', null), amount: earned });
    legs.push({ accountId: wallet.points, amount: -earned });
  }

  const now = deps.ledger.now();
  const checkout = await checkoutSettings(tx, tenantId);
  const lot = { tenantId, customerId: bill.customerId };
  // The posting, the bill marked settled with its transfer and the earned points' lot are one statement (one
  // round trip less: docs/performance.md); a replayed posting settles nothing, and the transaction is refused.
  const settled = await postTransferWithin(
    tx,
    {
      tenantId,
      customerId: bill.customerId,
      storeId: bill.storeId,
      staffId: bill.openedBy,
      idempotencyKey: `bill:${bill.id}`,
      requestHash: requestHash({ bill: bill.id }),
      kind: 'bill',
      reference: billRef(bill),
      details: {
        billId: bill.id,
        billNumber: bill.number,
        items,
        tenders,
        discountFen: discount,
        pointsEarned: earned,
        pointsValueFen: pointsValue,
        packageLines,
      },
      legs,
      ...(spend ? { spend } : {}),
      ...(capture ? { capture: billRef(bill) } : {}),
    },
    async (posted) => {
      const transferId = sql`(select transfer_id from ${posted})`;
      const earnedLot = tx
        .$with('earned_lot', {})
        .as(
          earnedPointsLotSql(
            tx,
            { ...lot, transferId, expiresAt: new Date(now.getTime() + settings.pointsExpiryDays * POINTS_DAY_MS) },
            earned,
          ),
        );
      const [row] = await tx
        .with(posted, ...(earned > 0 ? [earnedLot] : []))
        .update(bills)
        .set({
          // The tenders as settled (written here, with the status, for a settlement straight from an open bill).
          tenders: bill.tenders,
          confirmationRequired: bill.confirmationRequired,
          status: 'settled',
          transferId,
          settledAt: now,
          holdExpiresAt: null,
          disputeUntil:
            checkout.confirmationMode === 'notify'
              ? new Date(now.getTime() + checkout.disputeWindowDays * 86_400_000)
              : null,
        })
        .where(and(eq(bills.id, bill.id), sql`not (select replayed from ${posted})`))
        .returning();
      return row;
    },
  );
  if (!settled?.transferId) throw new AppError('CONFLICT', 'This bill was already settled');
  const transferId = settled.transferId;

  if (redeemedPoints > 0) await applyPointsDelta(tx, { ...lot, transferId, expiresAt: now }, -redeemedPoints);
  if (creditLeg) {
    await deps.hooks.recordCreditSale(tx, {
      tenantId,
      customerId: bill.customerId,
      transferId,
      amountFen: creditLeg.tender.amountFen,
      reference: billRef(bill),
      ...(creditLeg.tender.dueDate ? { dueDate: creditLeg.tender.dueDate } : {}),
      ...(creditLeg.tender.instalments ? { instalments: creditLeg.tender.instalments } : {}),
    });
  }
  if (bill.couponId) await deps.hooks.redeemCoupon(tx, { tenantId, couponId: bill.couponId, reference: billRef(bill) });
  await recordCommissions(tx, bill, linesForCommission(lines, voucherValues));
  return { transferId, bill: settled as BillRow };
}
