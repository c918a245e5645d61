import type { ShopAddress, ShopTender, TierPrice } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { customers } from '../customers/tables.ts';
import { storeDayCounters } from '../tenants/store-day-numbers.ts';
import { stores, tenants } from '../tenants/tables.ts';
import type { RefundedTender } from '../checkout/index.ts';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/** 商城分类. */
export const shopCategories = pgTable(
  'shop_categories',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    name: text().notNull(),
    sortOrder: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [unique('shop_categories_tenant_id_id_key').on(t.tenantId, t.id)],
);

/** Something on sale in the shop; prices are integer fen, member prices per segmentation tier. */
export const shopItems = pgTable(
  'shop_items',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    categoryId: uuid().notNull(),
    kind: text().$type<'product' | 'service_voucher' | 'package_card' | 'top_up_plan'>().notNull(),
    name: text().notNull(),
    description: text().notNull().default(''),
    imagePath: text(),
    listPriceFen: bigint({ mode: 'number' }).notNull(),
    tierPrices: jsonb().$type<TierPrice[]>().notNull().default([]),
    pointsPrice: integer(),
    onSale: boolean().notNull().default(true),
    sortOrder: integer().notNull().default(0),
    serviceId: uuid(),
    packagePlanId: uuid(),
    topUpPlanId: uuid(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    unique('shop_items_tenant_id_id_key').on(t.tenantId, t.id),
    foreignKey({ columns: [t.tenantId, t.categoryId], foreignColumns: [shopCategories.tenantId, shopCategories.id] }),
    check('shop_items_price_check', sql`${t.listPriceFen} >= 0 and (${t.pointsPrice} is null or ${t.pointsPrice} > 0)`),
    check('shop_items_kind_check', sql`${t.kind} in ('product', 'service_voucher', 'package_card', 'top_up_plan')`),
  ],
);

/**
 * A picture a manager uploaded for the catalogue, kept in the database rather than on disk: the demo runs on
 * PGlite and tests and production on PostgreSQL, and both hold bytea the same way — no directory to configure,
 * back up or share between API instances, and an image is deleted, restored and isolated with its tenant's rows.
 */
export const shopImages = pgTable(
  'shop_images',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    /** Read from the bytes themselves (their signature), never from the file name or the client's header. */
    contentType: text().$type<'image/jpeg' | 'image/png' | 'image/webp'>().notNull(),
    bytes: bytea().notNull(),
    byteSize: integer().notNull(),
    uploadedBy: uuid().notNull(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    unique('shop_images_tenant_id_id_key').on(t.tenantId, t.id),
    check('shop_images_type_check', sql`${t.contentType} in ('image/jpeg', 'image/png', 'image/webp')`),
  ],
);

/** What a store has of a product that no order has reserved; an order takes its units off at placement. */
export const shopStock = pgTable(
  'shop_stock',
  {
    tenantId: uuid().notNull(),
    itemId: uuid().notNull(),
    storeId: uuid().notNull(),
    quantity: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.itemId, t.storeId] }),
    foreignKey({ columns: [t.tenantId, t.itemId], foreignColumns: [shopItems.tenantId, shopItems.id] }),
    foreignKey({ columns: [t.tenantId, t.storeId], foreignColumns: [stores.tenantId, stores.id] }),
    check('shop_stock_quantity_check', sql`${t.quantity} >= 0`),
  ],
);

export const shopCartLines = pgTable(
  'shop_cart_lines',
  {
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    itemId: uuid().notNull(),
    quantity: integer().notNull(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Counts lines as she adds them (a quantity change keeps its place): the cart and the order list them so. */
    addedSeq: bigint({ mode: 'number' }).generatedAlwaysAsIdentity(),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.itemId] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ columns: [t.tenantId, t.itemId], foreignColumns: [shopItems.tenantId, shopItems.id] }),
    check('shop_cart_lines_quantity_check', sql`${t.quantity} > 0`),
  ],
);

export type ShopOrderStatusValue =
  | 'pending_payment'
  | 'closed'
  | 'awaiting_pickup'
  | 'collected'
  | 'awaiting_shipment'
  | 'shipped'
  | 'received'
  | 'completed'
  | 'refunded';

export const shopOrders = pgTable(
  'shop_orders',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    /**
     * SO-S01-20261207-0042 for the customer and the till: the store's code, the Shanghai day and the store's
     * sequence of that day (shopOrderNumberCounters). Orders placed before 0038 keep their SO20261207XXXXXX.
     */
    number: text().notNull(),
    customerId: uuid().notNull(),
    storeId: uuid().notNull(),
    status: text().$type<ShopOrderStatusValue>().notNull(),
    fulfilment: text().$type<'pickup' | 'delivery'>().notNull(),
    address: jsonb().$type<ShopAddress | null>(),
    totalFen: bigint({ mode: 'number' }).notNull(),
    tenders: jsonb().$type<ShopTender[]>().notNull(),
    /** The coupon taken off the order (reserved at placement, used on payment, given back if it never is). */
    couponId: uuid(),
    couponDiscountFen: bigint({ mode: 'number' }).notNull().default(0),
    /** Points the paid order earned (the till's rule); a refund takes back their share. */
    pointsEarned: integer().notNull().default(0),
    pickupCode: text(),
    trackingNote: text(),
    idempotencyKey: text().notNull(),
    requestHash: text().notNull(),
    expiresAt: timestamp({ withTimezone: true, precision: 3 }),
    transferId: bigint({ mode: 'number' }),
    paidAt: timestamp({ withTimezone: true, precision: 3 }),
    collectedAt: timestamp({ withTimezone: true, precision: 3 }),
    collectedBy: uuid(),
    shippedAt: timestamp({ withTimezone: true, precision: 3 }),
    receivedAt: timestamp({ withTimezone: true, precision: 3 }),
    completedAt: timestamp({ withTimezone: true, precision: 3 }),
    closedAt: timestamp({ withTimezone: true, precision: 3 }),
    closedReason: text(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [
    unique('shop_orders_tenant_id_id_key').on(t.tenantId, t.id),
    uniqueIndex('shop_orders_idempotency_key').on(t.tenantId, t.customerId, t.idempotencyKey),
    // Staff and the after-sales queue find an order by its number.
    uniqueIndex('shop_orders_number_key').on(t.tenantId, t.number),
    // A code names one order waiting at its store; collected or refunded orders free it.
    uniqueIndex('shop_orders_pickup_code')
      .on(t.tenantId, t.storeId, t.pickupCode)
      .where(sql`${t.status} = 'awaiting_pickup'`),
    index('shop_orders_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
    index('shop_orders_due_idx').on(t.expiresAt).where(sql`${t.status} = 'pending_payment'`),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ columns: [t.tenantId, t.storeId], foreignColumns: [stores.tenantId, stores.id] }),
    check('shop_orders_total_check', sql`${t.totalFen} >= 0`),
  ],
);

/** The last shop order number given out per store and Shanghai business day, counted as bills are. */
export const shopOrderNumberCounters = storeDayCounters('shop_order_number_counters');

/** A line as it was priced when the order was placed (the snapshot; later catalogue changes do not touch it). */
export const shopOrderLines = pgTable(
  'shop_order_lines',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    orderId: uuid().notNull(),
    itemId: uuid().notNull(),
    /** 0, 1, … in the order she put the items in her cart; the order's views list its lines so. */
    position: integer().notNull(),
    kind: text().$type<'product' | 'service_voucher' | 'package_card' | 'top_up_plan'>().notNull(),
    name: text().notNull(),
    quantity: integer().notNull(),
    listPriceFen: bigint({ mode: 'number' }).notNull(),
    unitPriceFen: bigint({ mode: 'number' }).notNull(),
    amountFen: bigint({ mode: 'number' }).notNull(),
    /** Paid at the item's points price: this many points a unit (the line's amount is their value). */
    pointsPrice: integer(),
    /** The order's coupon, the part of it this line carries (already out of `amountFen`). */
    couponDiscountFen: bigint({ mode: 'number' }).notNull().default(0),
    /** Plan ids copied from the item, so issuance on payment does not depend on the item staying as it was. */
    serviceId: uuid(),
    packagePlanId: uuid(),
    topUpPlanId: uuid(),
    /**
     * A top-up line's grant for all its units, copied from the plan when the order is placed: payment grants it and
     * a refund takes back exactly it, whatever the plan says by then. Null on every other kind of line.
     */
    topUpPrincipalFen: bigint({ mode: 'number' }),
    topUpBonusFen: bigint({ mode: 'number' }),
    topUpBonusPoints: integer(),
    /**
     * The plan's gift package card (one a unit), copied at placement like the grant; null when the plan gives none.
     * The cards issued on payment are listed so an after-sale takes back exactly those (a gift card is worth 0 and
     * must not be mistaken for a package card line's card of the same plan).
     */
    topUpGiftPackagePlanId: uuid(),
    topUpGiftCardIds: uuid().array(),
    refundedQuantity: integer().notNull().default(0),
  },
  (t) => [
    index('shop_order_lines_order_idx').on(t.orderId),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [shopOrders.tenantId, shopOrders.id] }),
    check('shop_order_lines_check', sql`${t.quantity} > 0 and ${t.refundedQuantity} between 0 and ${t.quantity}`),
    check(
      'shop_order_lines_top_up_grant_check',
      sql`(${t.kind} = 'top_up_plan') = (${t.topUpPrincipalFen} is not null and ${t.topUpBonusFen} is not null and ${t.topUpBonusPoints} is not null)`,
    ),
  ],
);

/** A service voucher issued by a paid order: good for one session of its service at the counter. */
export const shopVouchers = pgTable(
  'shop_vouchers',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    orderId: uuid().notNull(),
    lineId: uuid().notNull(),
    serviceId: uuid(),
    name: text().notNull(),
    status: text().$type<'issued' | 'redeemed' | 'void'>().notNull().default('issued'),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    /** 核销 at the till: when, where and by whom the session was given. */
    redeemedAt: timestamp({ withTimezone: true, precision: 3 }),
    redeemedStoreId: uuid(),
    redeemedBy: uuid(),
    /** What she paid for this one session: its running share of the order line (member price and coupon in). */
    valueFen: bigint({ mode: 'number' }).notNull().default(0),
    /**
     * The part of `valueFen` still held as 服务券预收, earned when a bill using the voucher settles. 0 for vouchers
     * sold before revenue was deferred (their revenue was booked at sale).
     */
    deferredFen: bigint({ mode: 'number' }).notNull().default(0),
    /** The bill line that used it (a session of a settled bill); cleared when that bill gives it back. */
    billId: uuid(),
    billLineId: uuid(),
  },
  (t) => [
    index('shop_vouchers_customer_idx').on(t.tenantId, t.customerId),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [shopOrders.tenantId, shopOrders.id] }),
  ],
);

/** 售后: a customer's request to give back a whole order or some lines, and the manager's decision. */
export const shopAfterSales = pgTable(
  'shop_after_sales',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    orderId: uuid().notNull(),
    customerId: uuid().notNull(),
    status: text().$type<'requested' | 'approved' | 'refused'>().notNull().default('requested'),
    lines: jsonb()
      .$type<{ lineId: string; name: string; quantity: number; amountFen: number; voucherIds?: string[] }[]>()
      .notNull(),
    amountFen: bigint({ mode: 'number' }).notNull(),
    reason: text().notNull(),
    idempotencyKey: text().notNull(),
    requestHash: text().notNull(),
    decidedBy: uuid(),
    decidedAt: timestamp({ withTimezone: true, precision: 3 }),
    decisionNote: text(),
    decisionKey: text(),
    decisionHash: text(),
    tenders: jsonb().$type<RefundedTender[]>().notNull().default([]),
    /** Earned points the refund took back (their share of what the order earned). */
    pointsClawedBack: integer().notNull().default(0),
    transferId: bigint({ mode: 'number' }),
    wechatOutRefundNo: text(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [
    uniqueIndex('shop_after_sales_idempotency_key').on(t.tenantId, t.customerId, t.idempotencyKey),
    uniqueIndex('shop_after_sales_decision_key').on(t.tenantId, t.decisionKey),
    // One open request per order: the manager decides it before another can be asked.
    uniqueIndex('shop_after_sales_one_open').on(t.orderId).where(sql`${t.status} = 'requested'`),
    index('shop_after_sales_order_idx').on(t.orderId),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [shopOrders.tenantId, shopOrders.id] }),
    check('shop_after_sales_amount_check', sql`${t.amountFen} >= 0`),
  ],
);

/** A salon's shop rules; a tenant without a row has the defaults. */
export const shopSettings = pgTable('shop_settings', {
  tenantId: uuid()
    .primaryKey()
    .references(() => tenants.id),
  /** After-sale requests wait for a manager; off, they are approved as they arrive. */
  afterSaleApproval: boolean().notNull().default(true),
  /** Days after shipping an order counts as received, and after receipt as completed. */
  autoReceiveDays: integer().notNull().default(10),
  autoCompleteDays: integer().notNull().default(7),
  updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
});
