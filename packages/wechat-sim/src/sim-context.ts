import { createPublicKey } from 'node:crypto';
import { createSimClock, type SimClock } from './clock.ts';
import { createFaultBook, type FaultBook } from './faults/fault-book.ts';
import { createSigningKeyRing, type PayMode, type SigningKeyRing } from './keys/signing-key-ring.ts';
import type { SimKeys } from './keys/sim-keys.ts';
import { type AccessTokenBook, createAccessTokenBook } from './miniprogram/access-tokens.ts';
import { createLoginCodeBook, type LoginCodeBook } from './miniprogram/login-codes.ts';
import { createPhoneCodeBook, type PhoneCodeBook } from './miniprogram/phone-codes.ts';
import { createMiniProgramCodeBook, type MiniProgramCodeBook } from './miniprogram/mini-program-codes.ts';
import { createMiniAppRegistry, type MiniApp, type MiniAppRegistry } from './miniprogram/mini-apps.ts';
import { createSubscribeMessageBook, type SubscribeMessageBook } from './miniprogram/subscribe-messages.ts';
import { type CustomerPayments, createCustomerPayments } from './pay/customer-payment.ts';
import { type BillBook, type BillsReady, createBillBook } from './pay/bill-book.ts';
import { createNotifier, type Notifier } from './pay/notifier.ts';
import { createOrderBook, type OrderBook } from './pay/order-book.ts';
import { createRefundBook, type RefundBook } from './pay/refund-book.ts';
import type { MerchantIdentity } from './pay/request-authorization.ts';
import { createSimTimers, type SimTimers } from './sim-timers.ts';

export interface SimSettings {
  keys: SimKeys;
  apps: readonly MiniApp[];
  payMode: PayMode;
  timeScale: number;
  templatePrefix: string;
  notifyTimeoutMs: number;
  billsReady: BillsReady;
}

/** All of the simulator's in-memory state and services, wired once per running simulator. */
export interface SimContext {
  keys: SimKeys;
  clock: SimClock;
  timers: SimTimers;
  faults: FaultBook;
  ring: SigningKeyRing;
  apps: MiniAppRegistry;
  loginCodes: LoginCodeBook;
  phoneCodes: PhoneCodeBook;
  accessTokens: AccessTokenBook;
  subscribeMessages: SubscribeMessageBook;
  miniProgramCodes: MiniProgramCodeBook;
  merchant: MerchantIdentity;
  orders: OrderBook;
  refunds: RefundBook;
  bills: BillBook;
  notifier: Notifier;
  customerPayments: CustomerPayments;
  resolveSubscriptionAppid(openid: string, appid: string | undefined): string;
}

export function createSimContext(settings: SimSettings): SimContext {
  const { keys } = settings;
  const clock = createSimClock();
  const timers = createSimTimers();
  const faults = createFaultBook();
  const ring = createSigningKeyRing(keys, settings.payMode);
  const apps = createMiniAppRegistry(settings.apps);
  const loginCodes = createLoginCodeBook(clock);
  const orders = createOrderBook(clock);
  const notifier = createNotifier({
    clock,
    ring,
    apiV3Key: keys.apiV3Key,
    faults,
    timers,
    timeScale: settings.timeScale,
    timeoutMs: settings.notifyTimeoutMs,
  });
  const refunds = createRefundBook({
    clock,
    orders,
    notifier,
    timers,
    timeScale: settings.timeScale,
    mchid: keys.mchid,
  });
  return {
    keys,
    clock,
    timers,
    faults,
    ring,
    apps,
    loginCodes,
    phoneCodes: createPhoneCodeBook(clock),
    accessTokens: createAccessTokenBook(clock),
    subscribeMessages: createSubscribeMessageBook({
      clock,
      knowsOpenid: loginCodes.knowsOpenid,
      templatePrefix: settings.templatePrefix,
    }),
    miniProgramCodes: createMiniProgramCodeBook(clock),
    merchant: { mchid: keys.mchid, serial: keys.merchantSerial, publicKey: createPublicKey(keys.merchantPublicKeyPem) },
    orders,
    refunds,
    bills: createBillBook({ clock, orders, refunds, faults, mchid: keys.mchid, ready: settings.billsReady }),
    notifier,
    customerPayments: createCustomerPayments({
      clock,
      orders,
      notifier,
      merchantPublicKeyPem: keys.merchantPublicKeyPem,
    }),
    // An openid belongs to one mini-program; without an explicit appid, use the app that issued it.
    resolveSubscriptionAppid: (openid, appid) => appid ?? loginCodes.appidsOf(openid)[0] ?? apps.all()[0]?.appid ?? '',
  };
}
