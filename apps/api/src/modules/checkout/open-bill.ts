import {
  allocateProportionally,
  type Bill,
  type CheckoutSettings,
  type OpenBillRequest,
  type PaymentOrder,
} from '@lumi/shared';
import { type SQL, sql } from 'drizzle-orm';
import { type Database, queryPreparedRows, uuidArray } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { assertStoreAccess } from '../../plugins/idempotency.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { recordAudit } from '../audit/index.ts';
import { liveCustomerSql } from '../customers/index.ts';
import { historyNow, type LedgerDeps } from '../ledger/index.ts';
import { insertBill } from './bill-number.ts';
import type { CheckoutHooks, TierBenefitsShape } from './hooks.ts';
import { claimDiscountApproval, discountApprovalRequired } from './discount-approval-use.ts';
import { type BillNames, billView, presentBill } from './read-bill.ts';
import { checkoutSettingsOf } from './settings.ts';
import { holdVoucherLines, priceVoucherLines, voucherIdsOf } from './voucher-lines.ts';

export interface CheckoutDeps {
  ledger: LedgerDeps;
  hooks: CheckoutHooks;
  /** Creates the WeChat payment for a bill's WeChat part (the payments module, wired in app.ts). */
  payBill?: (
    who: { tenantId: string; customerId: string },
    billId: string,
    idempotencyKey: string,
    requestHash: string,
  ) => Promise<{ order: PaymentOrder; replayed: boolean }>;
  /** Refunds of a bill's WeChat part (the payments module, wired in app.ts); absent, such refunds are refused. */
  wechatRefunds?: BillWechatRefunds;
}

export interface BillWechatRefunds {
  /**
   * Records the refund of `amountFen` of the bill's WeChat payment, in the caller's transaction, against the
   * ledger transfer that already moved it into refunds_pending; returns WeChat's out_refund_no.
   */
  record(
    tx: Database,
    input: {
      tenantId: string;
      billId: string;
      amountFen: number;
      reason: string;
      staffId: string;
      idempotencyKey: string;
      holdTransferId: number;
    },
  ): Promise<{ outRefundNo: string }>;
  /** Asks WeChat to pay it out, after the commit; an unclear answer leaves it to reconciliation. */
  send(tenantId: string, outRefundNo: string): Promise<void>;
}

export interface PricedLine {
  type: 'service' | 'product' | 'package_session' | 'shop_voucher';
  serviceId: string | null;
  productId: string | null;
  packageCardId: string | null;
  shopVoucherId?: string;
  name: string;
  category: string | null;
  quantity: number;
  listPriceFen: number;
  unitPriceFen: number;
  performerIds: string[];
}

const isManager = (staff: StaffPrincipal) => staff.role === 'manager' || staff.role === 'owner';

/** The catalogue rows a bill's lines name, read with the opening context (openingContext). */
interface CatalogueRows {
  services: { id: string; name: string; category: string | null; price_fen: number }[];
  products: { id: string; name: string; category: string | null; price_fen: number }[];
  cards: { id: string; name: string; customer_id: string }[];
}

/** The lines' ids by kind, as the opening context's statement looks them up. */
function catalogueIds(input: OpenBillRequest) {
  return {
    serviceIds: input.lines.flatMap((l) => (l.type === 'service' ? [l.serviceId] : [])),
    productIds: input.lines.flatMap((l) => (l.type === 'product' ? [l.productId] : [])),
    cardIds: input.lines.flatMap((l) => (l.type === 'package_session' ? [l.packageCardId] : [])),
  };
}

function priceLines(
  customerId: string,
  input: OpenBillRequest,
  catalogue: CatalogueRows,
  voucherLines: Awaited<ReturnType<typeof priceVoucherLines>>,
): PricedLine[] {
  const serviceRows = catalogue.services;
  const productRows = catalogue.products;
  const cardRows = catalogue.cards;
  return input.lines.map((line, i) => {
    const voucherLine = voucherLines[i];
    if (voucherLine) return voucherLine;
    const missing = (what: string) =>
      new AppError('NOT_FOUND', `${what} not found`, [{ field: `body.lines.${i}`, message: `${what} not found` }]);
    if (line.type === 'service') {
      const s = serviceRows.find((r) => r.id === line.serviceId);
      if (!s) throw missing('Service');
      return {
        type: 'service',
        serviceId: s.id,
        productId: null,
        packageCardId: null,
        name: s.name,
        category: s.category,
        quantity: line.quantity,
        listPriceFen: Number(s.price_fen),
        unitPriceFen: line.unitPriceFen ?? Number(s.price_fen),
        performerIds: line.performerIds,
      };
    }
    if (line.type === 'product') {
      const p = productRows.find((r) => r.id === line.productId);
      if (!p) throw missing('Product');
      return {
        type: 'product',
        serviceId: null,
        productId: p.id,
        packageCardId: null,
        name: p.name,
        category: p.category,
        quantity: line.quantity,
        listPriceFen: Number(p.price_fen),
        unitPriceFen: line.unitPriceFen ?? Number(p.price_fen),
        performerIds: line.performerIds,
      };
    }
    if (line.type !== 'package_session') throw new Error('voucher line not priced');
    const card = cardRows.find((r) => r.id === line.packageCardId && r.customer_id === customerId);
    if (!card) throw missing('Package card');
    // Sessions are paid by the card; the bill line carries no price of its own.
    return {
      type: 'package_session',
      serviceId: null,
      productId: null,
      packageCardId: card.id,
      name: card.name,
      category: null,
      quantity: line.sessions,
      listPriceFen: 0,
      unitPriceFen: 0,
      performerIds: line.performerIds,
    };
  });
}

/**
 * What opening a bill needs, in one statement: the customer (live, of this salon), that every performer is a
 * staff member of this salon, the store's and the opener's names (the bill shows them), the tenant's checkout
 * rules, the catalogue rows the lines name (active services and products, package cards) and, when the hooks can
 * carry them, the customer's tier benefits. Faults answer in that order (the lines' after the context's).
 */
async function openingContext(
  db: Database,
  hooks: CheckoutHooks,
  staff: StaffPrincipal,
  input: OpenBillRequest,
): Promise<{ names: BillNames; settings: CheckoutSettings; tier: TierBenefitsShape | null; catalogue: CatalogueRows }> {
  const tierRead = hooks.tierBenefitsRead;
  const { serviceIds, productIds, cardIds } = catalogueIds(input);
  const rowsOf = (table: SQL, columns: SQL, where: SQL) =>
    sql`(select coalesce(json_agg(json_build_object(${columns})), '[]'::json) from ${table} where ${where})`;
  const priced = sql`'id', id, 'name', name, 'category', category, 'price_fen', price_fen`;
  const performerIds = [...new Set(input.lines.flatMap((l) => l.performerIds))];
  // Prepared (parsed and planned once per connection): its text depends on the hooks, never on the values.
  const [row] = await queryPreparedRows<{
    customer: { name: string | null } | null;
    performers: number;
    store_name: string | null;
    staff_name: string | null;
    settings: unknown;
    tier: unknown;
    services: CatalogueRows['services'];
    products: CatalogueRows['products'];
    cards: CatalogueRows['cards'];
  }>(
    db,
    sql`select ${liveCustomerSql(staff.tenantId, input.customerId)} as customer,
               (select count(*)::int from staff where tenant_id = ${staff.tenantId} and id = any(${uuidArray(performerIds)})) as performers,
               (select name from stores where tenant_id = ${staff.tenantId} and id = ${input.storeId}) as store_name,
               (select name from staff where tenant_id = ${staff.tenantId} and id = ${staff.id}) as staff_name,
               (select settings from tenants where id = ${staff.tenantId}) as settings,
               ${tierRead ? tierRead.sql(sql`${staff.tenantId}::uuid`, sql`${input.customerId}::uuid`) : sql`null`} as tier,
               ${rowsOf(sql`services`, priced, sql`tenant_id = ${staff.tenantId} and id = any(${uuidArray(serviceIds)}) and active`)} as services,
               ${rowsOf(sql`products`, priced, sql`tenant_id = ${staff.tenantId} and id = any(${uuidArray(productIds)}) and active`)} as products,
               ${rowsOf(sql`package_cards`, sql`'id', id, 'name', name, 'customer_id', customer_id`, sql`tenant_id = ${staff.tenantId} and id = any(${uuidArray(cardIds)})`)} as cards`,
  );
  if (!row?.customer) throw new AppError('CUSTOMER_NOT_FOUND', 'Customer not found');
  if (Number(row.performers) !== performerIds.length)
    throw new AppError('NOT_FOUND', 'Performer not found', [
      { field: 'body.lines.performerIds', message: 'not a staff member of this salon' },
    ]);
  return {
    names: { storeName: row.store_name ?? '', staffName: row.staff_name ?? '', customerName: row.customer.name },
    settings: checkoutSettingsOf(row.settings),
    tier: tierRead ? tierRead.of(row.tier) : null,
    catalogue: { services: row.services, products: row.products, cards: row.cards },
  };
}

/**
 * A bill's lines priced from the catalogue, its opening context and the customer's tier discount: what opening
 * the bill and asking a manager for its discount both start from.
 */
export async function priceBill(db: Database, deps: CheckoutDeps, staff: StaffPrincipal, input: OpenBillRequest) {
  // The catalogue comes with the opening context (one statement); voucher lines read theirs meanwhile, and
  // when both find a fault the context's answers, as when they ran one after another.
  const vouchers = priceVoucherLines(db, deps.hooks, staff.tenantId, input.customerId, input.lines);
  vouchers.catch(() => {});
  const context = await openingContext(db, deps.hooks, staff, input);
  const lines = priceLines(input.customerId, input, context.catalogue, await vouchers);
  const tier = context.tier ?? (await deps.hooks.tierBenefits(db, staff.tenantId, input.customerId));
  const gross = lines.map((l) => l.unitPriceFen * l.quantity);
  const subtotal = gross.reduce((a, b) => a + b, 0);
  return { context, lines, gross, subtotal, tierDiscount: Math.floor((subtotal * tier.discountBasisPoints) / 10_000) };
}

/** Whether a manual discount is above the tenant's limit, where a beautician needs a manager's approval. */
export function isLargeDiscount(manualDiscountFen: number, subtotalFen: number, limitBasisPoints: number): boolean {
  return subtotalFen > 0 && manualDiscountFen * 10_000 > subtotalFen * limitBasisPoints;
}

/**
 * 开单: prices every line from the catalogue, applies the customer's tier discount, a coupon and a manual
 * discount (over the tenant's threshold only a manager may give one, or approve the beautician's draft), spreads
 * the discounts over the priced lines exactly, and stores the bill. Manual prices and large discounts go to the
 * audit log.
 */
export async function openBill(
  db: Database,
  deps: CheckoutDeps,
  staff: StaffPrincipal,
  input: OpenBillRequest,
): Promise<Bill> {
  assertStoreAccess(staff.storeIds, input.storeId);
  const { context, lines, gross, subtotal, tierDiscount } = await priceBill(db, deps, staff, input);
  const { settings } = context;
  const manual = input.manualDiscountFen;
  const largeDiscount = isLargeDiscount(manual, subtotal, settings.discountApprovalBasisPoints);
  const priceChanged = lines.some((l) => l.unitPriceFen !== l.listPriceFen);
  // Most bills are stored by one statement (the bill, its lines and the day's number), which is atomic on its
  // own: only an approval, a coupon, an audit entry or a shop voucher (locked while stored) need a transaction.
  const alone = !largeDiscount && !input.couponId && !priceChanged && voucherIdsOf(input.lines).length === 0;

  const store = async (tx: Database) => {
    const billId = crypto.randomUUID();
    // A beautician's large discount opens only the draft a manager approved; a retry answers the bill it opened.
    const approval =
      largeDiscount && !isManager(staff)
        ? input.approvalRequestId
          ? await claimDiscountApproval(tx, deps, staff, input)
          : discountApprovalRequired(manual, subtotal, settings.discountApprovalBasisPoints)
        : null;
    if (approval?.billId) return presentBill(db, staff.tenantId, approval.billId); // committed by the first open
    await holdVoucherLines(tx, deps.hooks, staff.tenantId, input.customerId, input.lines);
    const coupon = input.couponId
      ? await deps.hooks.reserveCoupon(tx, {
          tenantId: staff.tenantId,
          customerId: input.customerId,
          couponId: input.couponId,
          eligibleTotalFen: subtotal - tierDiscount,
          now: deps.ledger.now(),
        })
      : null;
    const couponDiscount = coupon?.discountFen ?? 0;
    if (manual > subtotal - tierDiscount - couponDiscount) {
      throw new AppError('BUSINESS_RULE_VIOLATED', 'The discount is larger than the bill', [
        { field: 'body.manualDiscountFen', message: 'larger than the bill' },
      ]);
    }
    if (manual > 0 && !input.manualDiscountReason) {
      throw new AppError('VALIDATION_FAILED', 'A manual discount needs a reason', [
        { field: 'body.manualDiscountReason', message: 'required with a discount' },
      ]);
    }
    const discount = tierDiscount + couponDiscount + manual;
    const shares = subtotal > 0 ? allocateProportionally(discount, gross) : gross.map(() => 0);
    const now = deps.ledger.now();
    const billLineRows = lines.map((l, i) => ({
      id: crypto.randomUUID(),
      tenantId: staff.tenantId,
      billId,
      position: i,
      type: l.type,
      serviceId: l.serviceId,
      productId: l.productId,
      packageCardId: l.packageCardId,
      shopVoucherId: l.shopVoucherId ?? null,
      name: l.name,
      category: l.category,
      quantity: l.quantity,
      listPriceFen: l.listPriceFen,
      unitPriceFen: l.unitPriceFen,
      discountFen: shares[i] ?? 0,
      amountFen: (gross[i] ?? 0) - (shares[i] ?? 0),
      performerIds: l.performerIds,
    }));
    const bill = await insertBill(
      tx,
      {
        id: billId,
        tenantId: staff.tenantId,
        storeId: input.storeId,
        customerId: input.customerId,
        openedBy: staff.id,
        subtotalFen: subtotal,
        tierDiscountFen: tierDiscount,
        couponId: input.couponId ?? null,
        couponDiscountFen: couponDiscount,
        manualDiscountFen: manual,
        manualDiscountReason: input.manualDiscountReason ?? null,
        totalFen: subtotal - discount,
        memo: input.memo ?? null,
        // Dated by the import's clock when importing history (the demo seed); live bills take the database's.
        createdAt: historyNow(),
      },
      billLineRows,
      now,
    );
    await approval?.use(billId);
    const subject = { type: 'bill' as const, id: billId };
    for (const [i, l] of lines.entries()) {
      if (l.unitPriceFen !== l.listPriceFen) {
        await recordAudit(tx, {
          tenantId: staff.tenantId,
          actor: { staffId: staff.id },
          action: 'bill.price_changed',
          subject,
          storeId: input.storeId,
          before: { line: i, name: l.name, unitPriceFen: l.listPriceFen },
          after: { line: i, name: l.name, unitPriceFen: l.unitPriceFen },
        });
      }
    }
    if (largeDiscount) {
      await recordAudit(tx, {
        tenantId: staff.tenantId,
        actor: { staffId: staff.id },
        action: 'bill.large_discount',
        subject,
        storeId: input.storeId,
        before: { subtotalFen: subtotal },
        after: { manualDiscountFen: manual, approvalRequestId: approval?.id ?? null },
        reason: input.manualDiscountReason ?? null,
      });
    }
    // The bill as stored, answered without reading it back (a new bill has no refunds).
    return billView(bill, billLineRows, [], context.names);
  };
  return alone ? store(db) : db.transaction(store);
}
