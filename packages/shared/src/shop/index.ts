import { z } from 'zod';
import { IdSchema, IsoDateTimeSchema } from '../common.ts';
import { text } from '../text.ts';

/**
 * The online shop (商城): a tenant's catalogue, a customer's cart, orders paid like a bill (stored value, points,
 * WeChat Pay or a mix), fulfilment by pickup code or delivery, and after-sale (售后) refunds. Money is integer fen.
 */

const fen = (max = 100_000_000) => z.number().int().min(0).max(max);

/** product: retail goods with stock per store; the others are issued to the customer's wallet on payment. */
export const ShopItemKindSchema = z.enum(['product', 'service_voucher', 'package_card', 'top_up_plan']);
export type ShopItemKind = z.infer<typeof ShopItemKindSchema>;

export const ShopCategorySchema = z
  .object({ id: IdSchema, name: text(), sortOrder: z.number().int() })
  .meta({ id: 'ShopCategory' });
export type ShopCategory = z.infer<typeof ShopCategorySchema>;

export const ShopCategoryRequestSchema = z
  .object({ name: text().trim().min(1).max(40), sortOrder: z.number().int().min(0).max(10_000).default(0) })
  .strict()
  .meta({ id: 'ShopCategoryRequest' });
export type ShopCategoryRequest = z.infer<typeof ShopCategoryRequestSchema>;

/** A tier's member price: tiers are segmentation's (GET /staff/segmentation/tiers). */
export const TierPriceSchema = z.object({ tierId: IdSchema, priceFen: fen() }).strict();
export type TierPrice = z.infer<typeof TierPriceSchema>;

/**
 * Images are served by the API itself, never from an outside address: the repository's gallery
 * (/shop-images/<name>.svg) or a picture a manager of the tenant uploaded (/shop-images/<tenantId>/<imageId>.<ext>,
 * from POST /staff/shop/images).
 */
export const ShopImagePathSchema = text().regex(
  /^\/shop-images\/([a-z0-9-]{1,60}\.svg|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(jpg|png|webp))$/,
  'an image under /shop-images/',
);

/** What an upload may be: the API reads the type from the bytes, whatever the file is called. */
export const SHOP_IMAGE_TYPES = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;
export type ShopImageType = keyof typeof SHOP_IMAGE_TYPES;
/** 2 MiB: a phone photo after the mini-program's compression is well under it; larger is 413 SHOP_IMAGE_TOO_LARGE. */
export const SHOP_IMAGE_MAX_BYTES = 2 * 1024 * 1024;

export const ShopImageSchema = z
  .object({
    id: IdSchema,
    /** The item's imagePath: where the API serves it (public, cached for good: an id's bytes never change). */
    path: ShopImagePathSchema,
    contentType: z.enum(['image/jpeg', 'image/png', 'image/webp']),
    byteSize: z.number().int(),
  })
  .meta({ id: 'ShopImage' });
export type ShopImage = z.infer<typeof ShopImageSchema>;

export const ShopItemRequestSchema = z
  .object({
    categoryId: IdSchema,
    kind: ShopItemKindSchema,
    name: text().trim().min(1).max(60),
    description: text().max(1000).default(''),
    imagePath: ShopImagePathSchema.nullable().default(null),
    listPriceFen: fen(),
    tierPrices: z.array(TierPriceSchema).max(20).default([]),
    /** The item can also be had for this many points alone. */
    pointsPrice: z.number().int().min(1).max(100_000_000).nullable().default(null),
    onSale: z.boolean().default(true),
    sortOrder: z.number().int().min(0).max(10_000).default(0),
    /** service_voucher: the service it is good for; package_card: the package plan; top_up_plan: the top-up plan. */
    serviceId: IdSchema.nullable().default(null),
    packagePlanId: IdSchema.nullable().default(null),
    topUpPlanId: IdSchema.nullable().default(null),
  })
  .strict()
  .meta({ id: 'ShopItemRequest' });
export type ShopItemRequest = z.infer<typeof ShopItemRequestSchema>;

export const ShopStockRequestSchema = z
  .object({ storeId: IdSchema, quantity: z.number().int().min(0).max(1_000_000) })
  .strict()
  .meta({ id: 'ShopStockRequest' });
export type ShopStockRequest = z.infer<typeof ShopStockRequestSchema>;

export const ShopStockSchema = z.object({ storeId: IdSchema, storeName: text(), quantity: z.number().int() });

export const ShopItemSchema = z
  .object({
    id: IdSchema,
    categoryId: IdSchema,
    kind: ShopItemKindSchema,
    name: text(),
    description: text(),
    imagePath: text().nullable(),
    listPriceFen: z.number().int(),
    tierPrices: z.array(TierPriceSchema),
    pointsPrice: z.number().int().nullable(),
    onSale: z.boolean(),
    sortOrder: z.number().int(),
    serviceId: IdSchema.nullable(),
    packagePlanId: IdSchema.nullable(),
    topUpPlanId: IdSchema.nullable(),
    /** Products: what each store has that is not reserved by an order. */
    stock: z.array(ShopStockSchema),
    /** The price for the caller: her tier's member price, or the list price (staff see the list price). */
    priceFen: z.number().int(),
  })
  .meta({ id: 'ShopItem' });
export type ShopItem = z.infer<typeof ShopItemSchema>;

export const ShopCatalogueSchema = z
  .object({
    categories: z.array(ShopCategorySchema),
    items: z.array(ShopItemSchema),
    /** The salon's stores: where an order is picked up, or which ships it. */
    stores: z.array(z.object({ id: IdSchema, name: text() })),
    /** The customer's tier name, for "会员价" labels. */
    tierName: text().nullable(),
    pointValueFen: z.number().int(),
  })
  .meta({ id: 'ShopCatalogue' });
export type ShopCatalogue = z.infer<typeof ShopCatalogueSchema>;

export const CartLineRequestSchema = z
  .object({ itemId: IdSchema, quantity: z.number().int().min(0).max(99) })
  .strict()
  .meta({ id: 'CartLineRequest' });
export type CartLineRequest = z.infer<typeof CartLineRequestSchema>;

export const CartSchema = z
  .object({
    lines: z.array(
      z.object({
        itemId: IdSchema,
        name: text(),
        kind: ShopItemKindSchema,
        imagePath: text().nullable(),
        quantity: z.number().int(),
        unitPriceFen: z.number().int(),
        amountFen: z.number().int(),
        onSale: z.boolean(),
      }),
    ),
    totalFen: z.number().int(),
  })
  .meta({ id: 'Cart' });
export type Cart = z.infer<typeof CartSchema>;

export const ShopTenderSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('stored_value'), amountFen: z.number().int().min(1).max(100_000_000) }).strict(),
  z.object({ method: z.literal('points'), points: z.number().int().min(1).max(100_000_000) }).strict(),
  z.object({ method: z.literal('wechat'), amountFen: z.number().int().min(1).max(100_000_000) }).strict(),
]);
export type ShopTender = z.infer<typeof ShopTenderSchema>;

/** A delivery address: `wx.chooseAddress` in the mini-program, a form in H5. */
export const ShopAddressSchema = z
  .object({
    name: text().trim().min(1).max(40),
    phone: text().regex(/^[0-9+\- ]{5,20}$/, 'a phone number'),
    region: text().trim().min(1).max(100),
    detail: text().trim().min(1).max(200),
  })
  .strict()
  .meta({ id: 'ShopAddress' });
export type ShopAddress = z.infer<typeof ShopAddressSchema>;
/** An order's address as read back: a beautician sees the phone masked (138****0003). */
export const ShopOrderAddressSchema = ShopAddressSchema.extend({
  phone: text().regex(/^[0-9+\- *]{4,20}$/, 'a phone number, possibly masked'),
}).meta({ id: 'ShopOrderAddress' });

export const PlaceShopOrderRequestSchema = z
  .object({
    /** The store the goods come from: where the customer picks up, or which ships. */
    storeId: IdSchema,
    fulfilment: z.enum(['pickup', 'delivery']),
    address: ShopAddressSchema.nullable().default(null),
    /**
     * Must add up to the order's total (points at the tenant's point value). Lines paid at their points price
     * need that many points in the points tender.
     */
    tenders: z.array(ShopTenderSchema).min(1).max(3),
    /** A coupon from her wallet (GET /me/coupons); it comes off the lines paid in money, not top-ups. */
    couponId: IdSchema.nullable().default(null),
    /** Items in the cart she pays for at their points price (积分兑换) rather than in money. */
    pointsPriceItemIds: z.array(IdSchema).max(50).default([]),
  })
  .strict()
  .meta({ id: 'PlaceShopOrderRequest' });
export type PlaceShopOrderRequest = z.infer<typeof PlaceShopOrderRequestSchema>;

export const ShopQuoteRequestSchema = PlaceShopOrderRequestSchema.pick({ couponId: true, pointsPriceItemIds: true })
  .strict()
  .meta({ id: 'ShopQuoteRequest' });
export type ShopQuoteRequest = z.infer<typeof ShopQuoteRequestSchema>;

/** What the cart would cost as an order with this coupon and these items at their points price. */
export const ShopQuoteSchema = z
  .object({
    totalFen: z.number().int(),
    couponDiscountFen: z.number().int(),
    /** Points the items at their points price need in the points tender. */
    pointsPricePoints: z.number().int(),
    lines: z.array(
      z.object({
        itemId: IdSchema,
        amountFen: z.number().int(),
        pointsPrice: z.number().int().nullable(),
        couponDiscountFen: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'ShopQuote' });
export type ShopQuote = z.infer<typeof ShopQuoteSchema>;

/**
 * pending_payment 待付款 → closed (expired or cancelled) · paid for pickup: awaiting_pickup 待核销 → collected 已核销 ·
 * for delivery: awaiting_shipment 待发货 → shipped 已发货 → received 已收货 → completed 已完成 · refunded 已退款 (every
 * line given back by after-sale). Orders of wallet items only (vouchers, cards, top-ups) complete on payment.
 */
export const ShopOrderStatusSchema = z.enum([
  'pending_payment',
  'closed',
  'awaiting_pickup',
  'collected',
  'awaiting_shipment',
  'shipped',
  'received',
  'completed',
  'refunded',
]);
export type ShopOrderStatus = z.infer<typeof ShopOrderStatusSchema>;

export const AfterSaleStatusSchema = z.enum(['requested', 'approved', 'refused']);
export type AfterSaleStatus = z.infer<typeof AfterSaleStatusSchema>;

/** Where an approved after-sale's money went: each tender of the order, stored value in its principal/bonus split. */
export const ShopRefundTenderSchema = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('stored_value'),
    amountFen: z.number().int(),
    principalFen: z.number().int(),
    bonusFen: z.number().int(),
  }),
  z.object({ method: z.literal('points'), points: z.number().int(), amountFen: z.number().int() }),
  z.object({ method: z.literal('wechat'), amountFen: z.number().int() }),
]);
export type ShopRefundTender = z.infer<typeof ShopRefundTenderSchema>;

export const AfterSaleSchema = z
  .object({
    id: IdSchema,
    orderId: IdSchema,
    orderNumber: text(),
    status: AfterSaleStatusSchema,
    lines: z.array(
      z.object({ lineId: IdSchema, name: text(), quantity: z.number().int(), amountFen: z.number().int() }),
    ),
    amountFen: z.number().int(),
    reason: text(),
    decisionNote: text().nullable(),
    /** Where the money went back, once approved. */
    tenders: z.array(ShopRefundTenderSchema),
    wechatOutRefundNo: text().nullable(),
    /** Points the order earned that this refund took back (those the refunded money earned, as far as she had them). */
    pointsClawedBack: z.number().int(),
    createdAt: IsoDateTimeSchema,
    decidedAt: IsoDateTimeSchema.nullable(),
  })
  .meta({ id: 'AfterSale' });

/** What happened to an order, in the order it happened: the customer's 订单进度. */
export const ShopOrderStepSchema = z.enum([
  'placed',
  'paid',
  'cancelled',
  'expired',
  'collected',
  'shipped',
  'received',
  'completed',
  'after_sale_requested',
  'after_sale_approved',
  'after_sale_refused',
  'refunded',
]);
export type ShopOrderStep = z.infer<typeof ShopOrderStepSchema>;

export const ShopOrderTimelineEntrySchema = z.object({
  step: ShopOrderStepSchema,
  at: IsoDateTimeSchema,
  /** The money of the step: what was paid, or what an after-sale asked for or gave back. */
  amountFen: z.number().int().nullable(),
});
export type ShopOrderTimelineEntry = z.infer<typeof ShopOrderTimelineEntrySchema>;
export type AfterSale = z.infer<typeof AfterSaleSchema>;

/** A package card given with a top-up bought in the shop: its plan's name and sessions. */
export const ShopGiftCardSchema = z.object({ name: text(), sessions: z.number().int() }).meta({ id: 'ShopGiftCard' });
export type ShopGiftCard = z.infer<typeof ShopGiftCardSchema>;

export const ShopOrderSchema = z
  .object({
    id: IdSchema,
    number: text(),
    customerId: IdSchema,
    customerName: text(),
    storeId: IdSchema,
    storeName: text(),
    status: ShopOrderStatusSchema,
    fulfilment: z.enum(['pickup', 'delivery']),
    address: ShopOrderAddressSchema.nullable(),
    lines: z.array(
      z.object({
        id: IdSchema,
        itemId: IdSchema,
        kind: ShopItemKindSchema,
        name: text(),
        quantity: z.number().int(),
        listPriceFen: z.number().int(),
        unitPriceFen: z.number().int(),
        amountFen: z.number().int(),
        refundedQuantity: z.number().int(),
        /** Paid at the points price: points a unit. */
        pointsPrice: z.number().int().nullable(),
        couponDiscountFen: z.number().int(),
        /**
         * A top-up line's gift: the package card its plan gives, one a unit (null on other lines and when the plan
         * gives none, or gave none at payment because the salon had withdrawn the card's plan by then).
         */
        giftCard: ShopGiftCardSchema.nullable(),
      }),
    ),
    totalFen: z.number().int(),
    tenders: z.array(ShopTenderSchema),
    couponDiscountFen: z.number().int(),
    pointsEarned: z.number().int(),
    /** Shown to the customer while it waits for pickup (staff type it in); never to staff in lists. */
    pickupCode: text().nullable(),
    trackingNote: text().nullable(),
    expiresAt: IsoDateTimeSchema.nullable(),
    paidAt: IsoDateTimeSchema.nullable(),
    closedReason: text().nullable(),
    createdAt: IsoDateTimeSchema,
    afterSales: z.array(AfterSaleSchema),
    /** 订单进度: each step with its date, oldest first. */
    timeline: z.array(ShopOrderTimelineEntrySchema),
  })
  .meta({ id: 'ShopOrder' });
export type ShopOrder = z.infer<typeof ShopOrderSchema>;

export const ShopOrderListSchema = z.object({ items: z.array(ShopOrderSchema) }).meta({ id: 'ShopOrderList' });
export type ShopOrderList = z.infer<typeof ShopOrderListSchema>;

export const ShopOrdersQuerySchema = z
  .object({ status: ShopOrderStatusSchema.optional(), storeId: IdSchema.optional() })
  .strict();
export type ShopOrdersQuery = z.infer<typeof ShopOrdersQuerySchema>;

export const PickupRequestSchema = z
  .object({ storeId: IdSchema, code: text().regex(/^\d{6}$/, '6 digits') })
  .strict()
  .meta({ id: 'PickupRequest' });
export type PickupRequest = z.infer<typeof PickupRequestSchema>;

export const ShipRequestSchema = z
  .object({ trackingNote: text().trim().min(2).max(200) })
  .strict()
  .meta({ id: 'ShipRequest' });
export type ShipRequest = z.infer<typeof ShipRequestSchema>;

export const CancelShopOrderRequestSchema = z.object({ reason: text().trim().max(200).default('顾客取消') }).strict();

export const AfterSaleRequestSchema = z
  .object({
    /** Omitted: the whole order (what is left of it). */
    lines: z
      .array(z.object({ lineId: IdSchema, quantity: z.number().int().min(1).max(99) }).strict())
      .min(1)
      .max(50)
      .optional(),
    reason: text().trim().min(2).max(200),
  })
  .strict()
  .meta({ id: 'AfterSaleRequest' });
export type AfterSaleRequest = z.infer<typeof AfterSaleRequestSchema>;

export const AfterSaleDecisionSchema = z
  .object({ approve: z.boolean(), note: text().trim().max(200).default('') })
  .strict()
  .meta({ id: 'AfterSaleDecision' });
export type AfterSaleDecision = z.infer<typeof AfterSaleDecisionSchema>;

/**
 * A page of the staff 售后 list: waiting requests first, then the decided ones, each newest first. Pass `nextCursor`
 * back as `cursor` for the next page (null on the last).
 */
export const AfterSaleListSchema = z
  .object({ items: z.array(AfterSaleSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AfterSaleList' });
export type AfterSaleList = z.infer<typeof AfterSaleListSchema>;

/** Keyset cursor of the 售后 list: 0 waiting / 1 decided, the last item's creation time (UTC, ms) and id. */
const AFTER_SALE_CURSOR =
  /^[01]~((?:19[7-9]\d|2\d{3})-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)~[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A real instant too (no 30 February): the database would refuse it with an error, not an empty page. */
const isAfterSaleCursor = (cursor: string) => {
  const at = AFTER_SALE_CURSOR.exec(cursor)?.[1] ?? '';
  const ms = Date.parse(at);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === at;
};

export const AfterSalesQuerySchema = z
  .object({
    cursor: z.string().regex(AFTER_SALE_CURSOR).refine(isAfterSaleCursor, 'not a cursor of this list').optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type AfterSalesQuery = z.infer<typeof AfterSalesQuerySchema>;

export const SHOP_ORDER_STATUS_LABELS: Record<ShopOrderStatus, string> = {
  pending_payment: '待付款',
  closed: '已关闭',
  awaiting_pickup: '待核销',
  collected: '已核销',
  awaiting_shipment: '待发货',
  shipped: '已发货',
  received: '已收货',
  completed: '已完成',
  refunded: '已退款',
};

export const SHOP_ORDER_STEP_LABELS: Record<ShopOrderStep, string> = {
  placed: '提交订单',
  paid: '支付成功',
  cancelled: '已取消',
  expired: '超时未支付，已关闭',
  collected: '已到店取货',
  shipped: '商家已发货',
  received: '已收货',
  completed: '订单完成',
  after_sale_requested: '申请售后',
  after_sale_approved: '售后通过，已退款',
  after_sale_refused: '售后未通过',
  refunded: '整单已退款',
};

export const AFTER_SALE_STATUS_LABELS: Record<AfterSaleStatus, string> = {
  requested: '待审核',
  approved: '已退款',
  refused: '已拒绝',
};

const shopRules = {
  /** After-sale requests wait for a manager's decision; off, they are refunded as they arrive. */
  afterSaleApproval: z.boolean(),
  /** Days after shipping an order counts as received (已收货) unless the customer confirms first. */
  autoReceiveDays: z.number().int().min(1).max(60),
  /** Days after receipt an order counts as completed (已完成). */
  autoCompleteDays: z.number().int().min(1).max(60),
};

export const ShopSettingsSchema = z.object(shopRules).meta({ id: 'ShopSettings' });
export type ShopSettings = z.infer<typeof ShopSettingsSchema>;

/** Only the rules given change. */
export const UpdateShopSettingsRequestSchema = z
  .object(shopRules)
  .partial()
  .strict()
  .meta({ id: 'UpdateShopSettingsRequest' });
export type UpdateShopSettingsRequest = z.infer<typeof UpdateShopSettingsRequestSchema>;

/** A service voucher in a customer's wallet (bought in the shop), good for one session at the till. */
export const ShopVoucherSchema = z
  .object({
    id: IdSchema,
    customerId: IdSchema,
    name: text(),
    serviceId: IdSchema.nullable(),
    status: z.enum(['issued', 'redeemed', 'void']),
    orderNumber: text(),
    createdAt: IsoDateTimeSchema,
    redeemedAt: IsoDateTimeSchema.nullable(),
    /** What she paid for it; a bill line using it is worth this much (revenue and commission). */
    valueFen: z.number().int(),
    /** The bill that used it, when used as a bill line. */
    billId: IdSchema.nullable(),
  })
  .meta({ id: 'ShopVoucher' });
export type ShopVoucher = z.infer<typeof ShopVoucherSchema>;

export const ShopVoucherListSchema = z.object({ items: z.array(ShopVoucherSchema) }).meta({ id: 'ShopVoucherList' });
