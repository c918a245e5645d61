export { advanceDeliveredOrders } from './fulfilment.ts';
export type { ShopDeps } from './deps.ts';
export { shopImageRoutes } from './images.ts';
export { expireShopOrders } from './orders.ts';
export { shopOrderPurpose } from './payment.ts';
export { shopSettingsAndVoucherRoutes } from './settings-quote-voucher-routes.ts';
export { voucherBillLines } from './vouchers.ts';
export { shopRoutes } from './routes.ts';
export { shopItems, shopOrders } from './tables.ts';
