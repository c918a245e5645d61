/** Page paths used in navigation; they must match app.config.ts. */
export const HOME_PAGE = '/pages/home/index';
/** Checkout lives in the `checkout` subpackage, loaded on first use (see app.config.ts). */
export const CUSTOMERS_PAGE = '/checkout/customers/index';
export const NEW_BILL_PAGE = '/checkout/new-bill/index';
export const SETTLE_PAGE = '/checkout/settle/index';
export const BILL_PAGE = '/checkout/bill/index';
export const REFUND_PAGE = '/checkout/refund/index';
export const BILLS_PAGE = '/checkout/bills/index';
export const RECEIPT_PAGE = '/checkout/receipt/index';
/** The front desk (前台) lives in the `front-desk` subpackage: customers, registration, top-ups, cards, credit. */
export const FRONT_DESK_PAGE = '/front-desk/customers/index';
export const REGISTER_PAGE = '/front-desk/register/index';
export const CUSTOMER_CARD_PAGE = '/front-desk/customer/index';
export const TOP_UP_PAGE = '/front-desk/top-up/index';
export const SELL_CARD_PAGE = '/front-desk/sell-card/index';
export const CARD_TRANSFER_PAGE = '/front-desk/card-transfer/index';
export const CREDIT_PAGE = '/front-desk/credit/index';
export const PERFORMANCE_PAGE = '/front-desk/performance/index';
export const DAY_CLOSE_PAGE = '/front-desk/day-close/index';
/** The manager's screens live in the `manager` subpackage; only managers and the owner are sent there. */
export const INBOX_PAGE = '/manager/inbox/index';
export const CREDIT_REQUEST_PAGE = '/manager/credit-request/index';
export const APPROVAL_PAGE = '/manager/approval/index';
export const DISPUTE_PAGE = '/manager/dispute/index';
export const OVERDUE_PAGE = '/manager/overdue/index';
export const SEGMENTS_PAGE = '/manager/segments/index';
export const SEGMENT_PAGE = '/manager/segment/index';
export const CAMPAIGNS_PAGE = '/manager/campaigns/index';
export const CAMPAIGN_PAGE = '/manager/campaign/index';
export const CAMPAIGN_NEW_PAGE = '/manager/campaign-new/index';
export const AUDIT_PAGE = '/manager/audit/index';
/** 审计 about one thing (a customer, a bill): every entry whose subject id is `subjectId`, under `title`. */
export const auditTrailPage = (subjectId: string, title: string) =>
  `${AUDIT_PAGE}?subjectId=${encodeURIComponent(subjectId)}&title=${encodeURIComponent(title)}`;
export const SETTINGS_PAGE = '/manager/settings/index';
export const REPORTS_PAGE = '/manager/reports/index';
/** Shop fulfilment lives in the `shop` subpackage. */
export const SHOP_ORDERS_PAGE = '/shop/orders/index';
export const SHOP_AFTER_SALES_PAGE = '/shop/after-sales/index';
export const SHOP_STOCK_PAGE = '/shop/stock/index';
export const shopItemPage = (itemId: string) => `/shop/item/index?id=${encodeURIComponent(itemId)}`;
/** The item editor without an id adds a new item. */
export const NEW_SHOP_ITEM_PAGE = '/shop/item/index';
export const SHOP_CATEGORIES_PAGE = '/shop/categories/index';
