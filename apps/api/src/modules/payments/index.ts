export { createPayments, type Payments, type PaymentsLogger, type PaymentsOptions } from './context.ts';
export {
  completionKey,
  type PaymentPurpose,
  type PreparedPayment,
  type PurposeContext,
  type PurposeOrder,
  type PurposeRefund,
  refundHoldKey,
} from './purposes.ts';
export { buildDailyReconciliation, getReconciliationReport, runDailyReconciliation } from './daily-reconciliation.ts';
export { type ReconcileResult, reconcileWechatPayments } from './reconciliation.ts';
export { recordPurposeRefund, sendRecordedRefund } from './refunds.ts';
export { createMiniProgramCodes, type MiniProgramCodes } from './counter-code.ts';
export { counterPaymentRoutes } from './counter-routes.ts';
export { paymentRoutes } from './routes.ts';
export { closeOpenOrders, createPaymentOrder, getCustomerOrder, orderView } from './service.ts';
export { paymentNotifications, paymentOrders, paymentReconciliationReports, paymentRefunds } from './tables.ts';
export { topUpPurpose } from './top-up-purpose.ts';
export {
  createWechatPayGateway,
  type WechatPayCredentials,
  WechatPayError,
  type WechatPayGateway,
  wechatPayCredentialsFromConfig,
  wechatPayGatewayFromConfig,
} from './wechat-pay-client.ts';
