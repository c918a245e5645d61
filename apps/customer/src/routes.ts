/** Page paths used in navigation; they must match app.config.ts. */

/** The tab pages (首页 · 商城 · 账单 · 我的): in the main package, opened with switchTab (see `openPage`). */
export const HOME_PAGE = '/pages/home/index';
/** The 商城 tab (main package: WeChat keeps tab pages there); the rest of the shop is the `shop` subpackage. */
export const SHOP_HOME_PAGE = '/pages/shop/index';
export const BILLS_PAGE = '/pages/bills/index';
export const ME_PAGE = '/pages/me/index';
export const TAB_PAGES: readonly string[] = [HOME_PAGE, SHOP_HOME_PAGE, BILLS_PAGE, ME_PAGE];

/** The wallet's secondary pages live in the `wallet` subpackage, loaded on first use (see app.config.ts). */
export const ENTRIES_PAGE = '/wallet/entries/index';
export const TOP_UP_PAGE = '/wallet/top-up/index';
/** One bill, in the `bills` subpackage; a subscribe message about a bill opens it. */
export const billDetailPage = (billId: string) => `/bills/detail/index?id=${encodeURIComponent(billId)}`;

/** Feature subpackages, each reached from 首页 or 我的 in one tap. */
export const POINTS_PAGE = '/points/index/index';
export const CARDS_PAGE = '/cards/index/index';
export const cardDetailPage = (cardId: string) => `/cards/detail/index?id=${encodeURIComponent(cardId)}`;
export const CREDIT_PAGE = '/credit/index/index';
export const COUPONS_PAGE = '/coupons/index/index';
export const TIER_PAGE = '/tier/index/index';
export const MESSAGES_PAGE = '/messages/index/index';
export const campaignPage = (campaignId: string) => `/messages/campaign/index?id=${encodeURIComponent(campaignId)}`;
export const MEMBER_CODE_PAGE = '/member/code/index';
export const PROFILE_PAGE = '/profile/index/index';
export const STATEMENT_PAGE = '/profile/statement/index';
export const shopCategoryPage = (categoryId: string) => `/shop/category/index?id=${encodeURIComponent(categoryId)}`;
export const shopItemPage = (itemId: string) => `/shop/item/index?id=${encodeURIComponent(itemId)}`;
export const SHOP_CART_PAGE = '/shop/cart/index';
export const SHOP_CHECKOUT_PAGE = '/shop/checkout/index';
export const SHOP_ORDERS_PAGE = '/shop/orders/index';
export const shopOrderPage = (orderId: string) => `/shop/order/index?id=${encodeURIComponent(orderId)}`;
