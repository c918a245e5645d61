/** Page paths used in navigation; they must match app.config.ts. */
export const HOME_PAGE = '/pages/home/index';
/** The wallet's secondary pages live in the `wallet` subpackage, loaded on first use (see app.config.ts). */
export const ENTRIES_PAGE = '/wallet/entries/index';
export const TOP_UP_PAGE = '/wallet/top-up/index';
/** Bills (账单) live in the `bills` subpackage; a subscribe message about a bill opens its detail page. */
export const BILLS_PAGE = '/bills/index/index';
export const billDetailPage = (billId: string) => `/bills/detail/index?id=${encodeURIComponent(billId)}`;
