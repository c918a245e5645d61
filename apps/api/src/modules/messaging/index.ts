/**
 * Messaging: how Lumi reaches customers. The WeChat subscribe-message client, the SMS provider interface and
 * its recording sink, one-time consents and their routes, contacts, template values by WeChat's rules, and the
 * outbound-message record with the one `deliver`. Credit reminders, segmentation's campaigns and tier changes,
 * and checkout's bill notices (its notifyCustomer hook, wired in app.ts) send through it.
 */
export {
  createWechatAccessToken,
  postWechatJson,
  TOKEN_INVALID_ERRCODES,
  type WechatAccessToken,
} from './access-token.ts';
export { notifyBill } from './bill-notices.ts';
export { listInbox } from './inbox.ts';
export { alertManagers, alertManagersLater, type InboxArrival } from './manager-alerts.ts';
export { staffWechatRoutes } from './manager-alert-routes.ts';
export { type Contact, contactOf, contactsOf } from './contacts.ts';
export {
  abandonInterrupted,
  type DeliveryOutcome,
  deliver,
  type MessageDraft,
  type MessagingDeps,
  messagingDeps,
  recordMessage,
} from './outbound.ts';
export { messagingRoutes } from './routes.ts';
export { messageTextFor } from './texts.ts';
export type { SmsMessage, SmsSender } from './sms.ts';
export type { SubscribeMessage, SubscribeMessageSender, SubscribeSendResult } from './subscribe-client.ts';
export { outboundMessages, staffMessages } from './tables.ts';
export { renderTemplate, wechatAmount } from './templates.ts';
