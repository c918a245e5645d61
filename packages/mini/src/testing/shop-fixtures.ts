import type { Cart, ShopCatalogue, ShopItem, ShopOrder } from '@lumi/shared';

/** Shop fixtures for both apps' shop page tests: 玻尿酸精华 at 国贸店, ordered by 林小雅; `partial` overrides. */
export const SHOP_STORE_ID = '00000000-0000-4000-8000-000000000010';

export function makeShopItem(partial: Partial<ShopItem> = {}): ShopItem {
  return {
    id: '00000000-0000-4000-8000-0000000005a1',
    categoryId: '00000000-0000-4000-8000-0000000005c1',
    kind: 'product',
    name: '玻尿酸精华',
    description: '补水保湿，30ml',
    imagePath: '/shop-images/serum.svg',
    listPriceFen: 29_800,
    tierPrices: [],
    pointsPrice: 20_000,
    onSale: true,
    sortOrder: 1,
    serviceId: null,
    packagePlanId: null,
    topUpPlanId: null,
    stock: [{ storeId: SHOP_STORE_ID, storeName: '国贸店', quantity: 5 }],
    priceFen: 26_800,
    ...partial,
  };
}

export function makeShopCatalogue(partial: Partial<ShopCatalogue> = {}): ShopCatalogue {
  return {
    categories: [{ id: '00000000-0000-4000-8000-0000000005c1', name: '护肤', sortOrder: 1 }],
    items: [makeShopItem()],
    stores: [{ id: SHOP_STORE_ID, name: '国贸店' }],
    tierName: '金卡',
    pointValueFen: 1,
    ...partial,
  };
}

type CartLine = Cart['lines'][number];

/** Two of 玻尿酸精华 at her tier's price (the catalogue item's); `partial` overrides, the amount always follows. */
export function makeCartLine(partial: Partial<Omit<CartLine, 'amountFen'>> = {}): CartLine {
  const line = {
    itemId: '00000000-0000-4000-8000-0000000005a1',
    name: '玻尿酸精华',
    kind: 'product' as const,
    imagePath: null,
    quantity: 2,
    unitPriceFen: 26_800,
    onSale: true,
    ...partial,
  };
  return { ...line, amountFen: line.quantity * line.unitPriceFen };
}

/** A cart as the API answers it: these lines and their total. */
export function makeCart(lines: CartLine[] = [makeCartLine()]): Cart {
  return { lines, totalFen: lines.reduce((sum, l) => sum + l.amountFen, 0) };
}

export function makeShopOrder(partial: Partial<ShopOrder> = {}): ShopOrder {
  return {
    id: '00000000-0000-4000-8000-000000000501',
    number: 'SO-S01-20260305-0001',
    customerId: '00000000-0000-4000-8000-000000000001',
    customerName: '林小雅',
    storeId: SHOP_STORE_ID,
    storeName: '国贸店',
    status: 'awaiting_pickup',
    fulfilment: 'pickup',
    address: null,
    lines: [
      {
        id: '00000000-0000-4000-8000-0000000005d1',
        itemId: '00000000-0000-4000-8000-0000000005a1',
        kind: 'product',
        name: '玻尿酸精华',
        quantity: 2,
        listPriceFen: 29_800,
        unitPriceFen: 26_800,
        amountFen: 53_600,
        refundedQuantity: 0,
        pointsPrice: null,
        couponDiscountFen: 0,
        giftCard: null,
      },
    ],
    totalFen: 53_600,
    couponDiscountFen: 0,
    pointsEarned: 536,
    tenders: [
      { method: 'stored_value', amountFen: 20_000 },
      { method: 'wechat', amountFen: 33_600 },
    ],
    pickupCode: '042917',
    trackingNote: null,
    expiresAt: null,
    paidAt: '2026-03-05T05:00:00.000Z',
    closedReason: null,
    createdAt: '2026-03-05T04:58:00.000Z',
    afterSales: [],
    timeline: [
      { step: 'placed', at: '2026-03-05T04:58:00.000Z', amountFen: 53_600 },
      { step: 'paid', at: '2026-03-05T05:00:00.000Z', amountFen: 53_600 },
    ],
    ...partial,
  };
}
