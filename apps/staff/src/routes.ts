/** Page paths used in navigation; they must match app.config.ts. */
export const HOME_PAGE = '/pages/home/index';
/** Checkout lives in the `checkout` subpackage, loaded on first use (see app.config.ts). */
export const CUSTOMERS_PAGE = '/checkout/customers/index';
export const NEW_BILL_PAGE = '/checkout/new-bill/index';
export const SETTLE_PAGE = '/checkout/settle/index';
export const BILL_PAGE = '/checkout/bill/index';
export const REFUND_PAGE = '/checkout/refund/index';
export const BILLS_PAGE = '/checkout/bills/index';
/** Shop fulfilment lives in the `shop` subpackage. */
export const SHOP_ORDERS_PAGE = '/shop/orders/index';
export const SHOP_AFTER_SALES_PAGE = '/shop/after-sales/index';
export const SHOP_STOCK_PAGE = '/shop/stock/index';
