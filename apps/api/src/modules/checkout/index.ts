export { billPaymentPurpose } from './bill-payment.ts';
export { completeBillWechatPayment, releaseExpiredBillHolds } from './customer-actions.ts';
export { BASIC_CHECKOUT_HOOKS, type CheckoutHooks } from './hooks.ts';
export type { CheckoutDeps } from './open-bill.ts';
export { approvalRoutes } from './approval-routes.ts';
export { checkoutRoutes } from './routes.ts';
export { bills, commissionRules } from './tables.ts';
export { managedStores } from './disputes.ts';
export { pointsClawback } from './refund-bill.ts';
export { alreadyRefunded, type BillPaid, planTenders } from './refund-plan.ts';
export type { RefundedTender } from './tables.ts';
export {
  checkTendersCover,
  holdTenders,
  type Payer,
  refundTenderLegs,
  tenderPostings,
} from './tender-postings.ts';
export { myCommissions } from './my-commissions.ts';
export { storeTakings } from './takings.ts';
export { billsHolding, type OtherBill, type ShopVoucherLines } from './voucher-lines.ts';
