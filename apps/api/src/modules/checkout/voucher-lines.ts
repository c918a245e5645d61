import type { BillLineInput } from '@lumi/shared';
import { and, eq, inArray } from 'drizzle-orm';
import { AppError } from '../../errors.ts';
import type { Database } from '../../db/database.ts';
import type { Leg, LedgerDeps } from '../ledger/index.ts';
import type { CheckoutHooks } from './hooks.ts';
import type { PricedLine } from './open-bill.ts';
import type { BillRow } from './read-bill.ts';
import { billLines, bills } from './tables.ts';

/**
 * A service voucher bought in the shop (商城服务券) used as a line of a bill, like a package session: the line
 * charges nothing (she paid in the shop), names the service and its performers, earns commission on what she paid
 * for the voucher, and its deferred revenue (服务券预收) is earned when the bill settles. Refunding or voiding the
 * line gives the voucher back. The shop owns the vouchers; checkout reaches them through this hook (app.ts wires
 * the shop's), so neither module imports the other's internals.
 */
export interface ShopVoucherLines {
  /**
   * The vouchers an opening bill names, in the order asked, whatever their state (the bill says why one cannot be
   * used); one of another salon, or none at all, answers null. With `lock`, inside the bill's transaction, their
   * rows are locked (in id order) until it commits, so the shop cannot give one back meanwhile.
   */
  describe(
    db: Database,
    input: { tenantId: string; voucherIds: string[]; lock?: boolean },
  ): Promise<(VoucherDescription | null)[]>;
  /**
   * Uses the voucher for a line of a settling bill, once (two bills cannot both use it), and answers the legs that
   * earn its deferred value at the bill's store, what she paid for it and what the legs earned.
   */
  use(
    tx: Database,
    ledger: LedgerDeps,
    input: { tenantId: string; storeId: string; customerId: string; voucherId: string; billId: string; lineId: string },
  ): Promise<{ legs: Leg[]; valueFen: number; recognisedFen: number }>;
  /** Gives the voucher back to her wallet (its line refunded, its bill voided), taking back what its use earned. */
  giveBack(
    tx: Database,
    ledger: LedgerDeps,
    input: { tenantId: string; storeId: string; voucherId: string; recognisedFen: number },
  ): Promise<Leg[]>;
}

export interface VoucherDescription {
  id: string;
  name: string;
  serviceId: string | null;
  category: string | null;
  customerId: string;
  /** issued: in her wallet; redeemed: used by a settled bill; void: given back with its shop order. */
  status: 'issued' | 'redeemed' | 'void';
}

export const NO_SHOP_VOUCHERS: ShopVoucherLines = {
  describe: async () => {
    throw new AppError('BUSINESS_RULE_VIOLATED', 'Shop vouchers are not available for this salon');
  },
  use: async () => {
    throw new AppError('BUSINESS_RULE_VIOLATED', 'Shop vouchers are not available for this salon');
  },
  giveBack: async () => [],
};

/** A voucher line as opening the bill prices it: the voucher's service, charged nothing (what she paid is the voucher). */
type VoucherPricedLine = PricedLine & {
  type: 'shop_voucher';
  productId: null;
  packageCardId: null;
  shopVoucherId: string;
};

/** Why a voucher cannot be a line of this bill, in the words the staff app turns into Chinese. */
type UnusableReason = 'repeated' | 'not_hers' | 'used' | 'on_another_bill';

const notUsable = (i: number, reason: UnusableReason, message: string, bill?: OtherBill) =>
  new AppError('VOUCHER_NOT_USABLE', message, {
    field: `body.lines.${i}.shopVoucherId`,
    reason,
    ...(bill ? { billId: bill.id, billNumber: bill.number, billStatus: bill.status } : {}),
  });

export interface OtherBill {
  id: string;
  number: string;
  status: string;
}

/**
 * Bills not yet settled (at the till, or waiting for the customer) that name these vouchers, by voucher: a bill
 * opening with one of them is refused, and so is a shop after-sale that would give one back.
 */
export async function billsHolding(
  db: Database,
  tenantId: string,
  voucherIds: string[],
): Promise<Map<string, OtherBill>> {
  if (voucherIds.length === 0) return new Map();
  const rows = await db
    .select({ voucherId: billLines.shopVoucherId, id: bills.id, number: bills.number, status: bills.status })
    .from(billLines)
    .innerJoin(bills, eq(bills.id, billLines.billId))
    .where(
      and(
        eq(billLines.tenantId, tenantId),
        inArray(billLines.shopVoucherId, voucherIds),
        inArray(bills.status, ['open', 'awaiting_customer']),
      ),
    );
  return new Map(rows.map((r) => [r.voucherId as string, { id: r.id, number: r.number, status: r.status }]));
}

/**
 * The bill's voucher lines, priced at nothing (paid in the shop), so they take no share of the bill's discounts
 * and no tender; null for lines of other types. Each voucher is checked as the bill is priced, so the till hears at
 * once: another salon's or an unknown one is 404 on its line; named twice, another customer's, used or already a
 * line of another bill not yet settled is 422 VOUCHER_NOT_USABLE with the reason (and that bill); given back with
 * its shop order is 409 VOUCHER_GIVEN_BACK. Storing the bill checks again under the vouchers' row locks
 * (holdVoucherLines).
 */
export async function priceVoucherLines(
  db: Database,
  hooks: Pick<CheckoutHooks, 'shopVouchers'>,
  tenantId: string,
  customerId: string,
  lines: BillLineInput[],
): Promise<(VoucherPricedLine | null)[]> {
  const voucherIds = voucherIdsOf(lines);
  if (voucherIds.length === 0) return lines.map(() => null);
  const [found, holding] = await Promise.all([
    hooks.shopVouchers.describe(db, { tenantId, voucherIds }),
    billsHolding(db, tenantId, voucherIds),
  ]);
  return checkVoucherLines(lines, customerId, voucherIds, found, holding);
}

/**
 * In the transaction storing the bill: locks the vouchers it names and checks them again, so a bill and the shop's
 * after-sale approval giving one back serialise on the voucher — exactly one wins, the other is 409 (this bill
 * VOUCHER_GIVEN_BACK, the approval VOUCHER_ON_OPEN_BILL). Two bills naming one voucher serialise the same way: the
 * second finds the first's line (on_another_bill). The bills holding them are read after the lock is granted, so
 * they include any that committed while this one waited.
 */
export async function holdVoucherLines(
  tx: Database,
  hooks: Pick<CheckoutHooks, 'shopVouchers'>,
  tenantId: string,
  customerId: string,
  lines: BillLineInput[],
): Promise<void> {
  const voucherIds = voucherIdsOf(lines);
  if (voucherIds.length === 0) return;
  const found = await hooks.shopVouchers.describe(tx, { tenantId, voucherIds, lock: true });
  checkVoucherLines(lines, customerId, voucherIds, found, await billsHolding(tx, tenantId, voucherIds));
}

export const voucherIdsOf = (lines: BillLineInput[]) =>
  lines.flatMap((l) => (l.type === 'shop_voucher' ? [l.shopVoucherId] : []));

function checkVoucherLines(
  lines: BillLineInput[],
  customerId: string,
  voucherIds: string[],
  found: (VoucherDescription | null)[],
  holding: Map<string, OtherBill>,
): (VoucherPricedLine | null)[] {
  const seen = new Set<string>();
  return lines.map((line, i) => {
    if (line.type !== 'shop_voucher') return null;
    const voucher = found[voucherIds.indexOf(line.shopVoucherId)];
    if (!voucher) {
      throw new AppError('NOT_FOUND', 'Voucher not found', [
        { field: `body.lines.${i}.shopVoucherId`, message: 'not a voucher of this salon' },
      ]);
    }
    if (seen.has(voucher.id)) throw notUsable(i, 'repeated', 'This voucher is named twice on the bill');
    if (voucher.customerId !== customerId) throw notUsable(i, 'not_hers', "This voucher is another customer's");
    if (voucher.status === 'redeemed') throw notUsable(i, 'used', 'This voucher was already used');
    if (voucher.status === 'void') {
      throw new AppError('VOUCHER_GIVEN_BACK', 'This voucher was given back with its shop order', {
        field: `body.lines.${i}.shopVoucherId`,
        voucherId: voucher.id,
      });
    }
    const other = holding.get(voucher.id);
    if (other) throw notUsable(i, 'on_another_bill', `This voucher is on bill ${other.number}`, other);
    seen.add(voucher.id);
    return {
      type: 'shop_voucher',
      serviceId: voucher.serviceId,
      productId: null,
      packageCardId: null,
      shopVoucherId: voucher.id,
      name: voucher.name,
      category: voucher.category,
      quantity: 1,
      listPriceFen: 0,
      unitPriceFen: 0,
      performerIds: line.performerIds,
    };
  });
}

interface VoucherLine {
  id: string;
  type: string;
  shopVoucherId: string | null;
}

/** Settling: the voucher is used and its deferred revenue earned, in the bill's one transfer. */
export async function useVoucherLine(
  tx: Database,
  deps: { ledger: LedgerDeps; hooks: Pick<CheckoutHooks, 'shopVouchers'> },
  bill: BillRow,
  line: VoucherLine,
) {
  return deps.hooks.shopVouchers.use(tx, deps.ledger, {
    tenantId: bill.tenantId,
    storeId: bill.storeId,
    customerId: bill.customerId,
    voucherId: line.shopVoucherId as string,
    billId: bill.id,
    lineId: line.id,
  });
}

/** Refunding a voucher line: the voucher back in her wallet, its earned revenue deferred again. */
export async function giveBackVoucherLine(
  tx: Database,
  deps: { ledger: LedgerDeps; hooks: Pick<CheckoutHooks, 'shopVouchers'> },
  bill: BillRow,
  line: VoucherLine,
  recognisedFen: number,
): Promise<Leg[]> {
  return deps.hooks.shopVouchers.giveBack(tx, deps.ledger, {
    tenantId: bill.tenantId,
    storeId: bill.storeId,
    voucherId: line.shopVoucherId as string,
    recognisedFen,
  });
}

interface LineWithType {
  id: string;
  type: 'service' | 'product' | 'package_session' | 'shop_voucher';
  serviceId: string | null;
  productId: string | null;
  quantity: number;
  amountFen: number;
  performerIds: string[];
}

/**
 * Commission sees a voucher line as the service it is, worth what she paid for the voucher (the tenant's service
 * rules apply); other lines as they are.
 */
export function linesForCommission(lines: LineWithType[], voucherValues: Map<string, number>) {
  return lines.map((l) =>
    l.type === 'shop_voucher'
      ? { ...l, type: 'service' as const, amountFen: voucherValues.get(l.id) ?? 0 }
      : { ...l, type: l.type },
  );
}
