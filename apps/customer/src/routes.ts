/** Page paths used in navigation; they must match app.config.ts. */
export const HOME_PAGE = '/pages/home/index';
/** The wallet's secondary pages live in the `wallet` subpackage, loaded on first use (see app.config.ts). */
export const ENTRIES_PAGE = '/wallet/entries/index';
export const TOP_UP_PAGE = '/wallet/top-up/index';
/** Bills (账单) live in the `bills` subpackage; a subscribe message about a bill opens its detail page. */
export const BILLS_PAGE = '/bills/index/index';
export const billDetailPage = (billId: string) => `/bills/detail/index?id=${encodeURIComponent(billId)}`;
/** The 商城 tab (main package: WeChat keeps tab pages there); the rest of the shop is the `shop` subpackage. */
export const SHOP_HOME_PAGE = '/pages/shop/index';
export const shopCategoryPage = (categoryId: string) => `/shop/category/index?id=${encodeURIComponent(categoryId)}`;
export const shopItemPage = (itemId: string) => `/shop/item/index?id=${encodeURIComponent(itemId)}`;
export const SHOP_CART_PAGE = '/shop/cart/index';
export const SHOP_CHECKOUT_PAGE = '/shop/checkout/index';
export const SHOP_ORDERS_PAGE = '/shop/orders/index';
export const shopOrderPage = (orderId: string) => `/shop/order/index?id=${encodeURIComponent(orderId)}`;
