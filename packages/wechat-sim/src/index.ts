export type { ActiveFault } from './faults/fault-book.ts';
export type { FaultInput, FaultKind, FaultSpec } from './faults/fault-spec.ts';
export { KEY_FILES, type KeysManifest, loadOrCreateKeysDir } from './keys/keys-dir.ts';
export type { PayMode, RotatedKey, SigningKind } from './keys/signing-key-ring.ts';
export { generateSimKeys, type SimKeys } from './keys/sim-keys.ts';
export type { IssuedLoginCode } from './miniprogram/login-codes.ts';
export { DEFAULT_APPS, type MiniApp } from './miniprogram/mini-apps.ts';
export { readCodeImageText } from './miniprogram/code-image.ts';
export type { MiniProgramCodeFilter, MiniProgramCodeRecord } from './miniprogram/mini-program-codes.ts';
export type { MessageFilter, SubscribeMessageRecord, SubscriptionGrant } from './miniprogram/subscribe-messages.ts';
export type { BillApplication, BillsReady } from './pay/bill-book.ts';
export type { CustomerPayment, CustomerPaymentResult } from './pay/customer-payment.ts';
export {
  type DeliveryAttempt,
  NOTIFY_RETRY_SCHEDULE_SECONDS,
  type NotificationFilter,
  type NotificationRecord,
  type NotificationStatus,
  type NotifyEventType,
  type WaitForNotificationOptions,
} from './pay/notifier.ts';
export type { TradeState, Transaction } from './pay/order-book.ts';
export { REFUND_PROCESSING_SECONDS, type RefundStatus, type RefundView } from './pay/refund-book.ts';
export { SIGNATURE_PROBE_PREFIX } from './pay/response-signing.ts';
export {
  DEFAULT_MCHID,
  DEFAULT_TEMPLATE_PREFIX,
  type OrderSnapshot,
  type PayOutcome,
  startWechatSim,
  type WechatSim,
  type WechatSimOptions,
} from './wechat-sim.ts';
