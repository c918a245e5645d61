export { billPaymentPurpose } from './bill-payment.ts';
export { completeBillWechatPayment, releaseExpiredBillHolds } from './customer-actions.ts';
export { BASIC_CHECKOUT_HOOKS, type CheckoutHooks } from './hooks.ts';
export type { CheckoutDeps } from './open-bill.ts';
export { approvalRoutes } from './approval-routes.ts';
export { checkoutRoutes } from './routes.ts';
export { bills, commissionRules } from './tables.ts';
export { managedStores } from './disputes.ts';
