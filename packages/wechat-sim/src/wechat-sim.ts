import { buildSimApp } from './app.ts';
import type { ActiveFault } from './faults/fault-book.ts';
import type { FaultInput } from './faults/fault-spec.ts';
import { loadOrCreateKeysDir } from './keys/keys-dir.ts';
import type { PayMode, RotatedKey, SigningKind } from './keys/signing-key-ring.ts';
import { generateSimKeys, type SimKeys } from './keys/sim-keys.ts';
import type { IssuedLoginCode } from './miniprogram/login-codes.ts';
import { DEFAULT_APPS, type MiniApp } from './miniprogram/mini-apps.ts';
import type { MiniProgramCodeFilter, MiniProgramCodeRecord } from './miniprogram/mini-program-codes.ts';
import type { MessageFilter, SubscribeMessageRecord, SubscriptionGrant } from './miniprogram/subscribe-messages.ts';
import type { BillsReady } from './pay/bill-book.ts';
import type { CustomerPayment, CustomerPaymentResult } from './pay/customer-payment.ts';
import type { NotificationFilter, NotificationRecord, WaitForNotificationOptions } from './pay/notifier.ts';
import type { Transaction } from './pay/order-book.ts';
import { PayError } from './pay/pay-error.ts';
import type { RefundView } from './pay/refund-book.ts';
import { createSimContext } from './sim-context.ts';

export const DEFAULT_MCHID = '1900000109';
export const DEFAULT_TEMPLATE_PREFIX = 'sim-';

export interface WechatSimOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the simulator is for loopback only. */
  host?: string;
  /** Load keys from here, or generate and write them here when the folder is empty. */
  keysDir?: string;
  /** Reuse keys already in memory (tests share one set to save RSA generation time); wins over keysDir. */
  keys?: SimKeys;
  /** Multiplies notify retry gaps and refund processing time; default 1 (WeChat's real schedule). */
  timeScale?: number;
  /** Which key signs responses and notifies; default 'pubkey', what new merchants get. */
  payMode?: PayMode;
  apps?: MiniApp[];
  mchid?: string;
  /** Template ids starting with this count as registered; default "sim-". */
  templatePrefix?: string;
  /** How long one notify delivery waits for an answer; WeChat allows 5 s. */
  notifyTimeoutMs?: number;
  /** When a day's trade bill can be downloaded; default 'next-morning' (10:00 Beijing the day after, as WeChat). */
  billsReady?: BillsReady;
  logger?: boolean;
}

export interface OrderSnapshot {
  prepay_id: string;
  notify_url: string;
  transaction: Transaction;
}

export type PayOutcome = CustomerPaymentResult | { ok: false; status: number; code: string; message: string };

export interface WechatSim {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:4010 */
  url: string;
  port: number;
  /** The keys the simulator started with (rotations do not change this object; see certs()). */
  keys: SimKeys;
  close(): Promise<void>;

  /** wx.login stand-in; a random 28-character openid is made up when none is given. */
  issueLoginCode(appid: string, openid?: string, unionid?: string): IssuedLoginCode;
  /** getPhoneNumber stand-in: the code the button would hand the page for this phone (11 digits). */
  issuePhoneCode(appid: string, phone: string): { code: string };
  /** wx.requestSubscribeMessage stand-in: grants count one-time subscriptions. */
  grantSubscription(input: { appid?: string; openid: string; templateId: string; count?: number }): SubscriptionGrant;
  /** keys, when given, must all be present in data. Without appid the template serves every app. */
  registerTemplate(templateId: string, options?: { appid?: string; keys?: string[] }): void;
  messages(filter?: MessageFilter): SubscribeMessageRecord[];
  /** The pages of the app's released version; getwxacodeunlimit with check_path (its default) accepts only these. */
  publishPages(appid: string, pages: string[]): void;
  /** Every mini-program code getwxacodeunlimit drew, oldest first. */
  miniProgramCodes(filter?: MiniProgramCodeFilter): MiniProgramCodeRecord[];

  /** wx.requestPayment stand-in, same checks as POST /__control/pay. */
  pay(input: CustomerPayment): PayOutcome;
  orders(): OrderSnapshot[];
  order(outTradeNo: string): OrderSnapshot | undefined;
  refunds(): RefundView[];
  notifications(filter?: NotificationFilter): NotificationRecord[];
  waitForNotification(options: WaitForNotificationOptions): Promise<NotificationRecord>;

  faults: {
    add(fault: FaultInput): ActiveFault;
    list(): ActiveFault[];
    remove(id: string): boolean;
    clear(): void;
  };
  clock: {
    now(): number;
    offsetSeconds(): number;
    setOffsetSeconds(seconds: number): void;
  };
  payMode(): PayMode;
  setPayMode(mode: PayMode): void;
  /** Adds a key pair of this kind (default: the one the current mode signs with) and signs with it from now on. */
  rotateKeys(kind?: SigningKind): Promise<RotatedKey>;
  /** Every serial the simulator has signed with → PEM (certificate or public key), for a client's certs map. */
  certs(): Record<string, string>;
}

async function resolveKeys(options: WechatSimOptions): Promise<SimKeys> {
  if (options.keys) return options.keys;
  if (options.keysDir) return loadOrCreateKeysDir(options.keysDir, options.mchid, DEFAULT_MCHID);
  return generateSimKeys(options.mchid ?? DEFAULT_MCHID);
}

export async function startWechatSim(options: WechatSimOptions = {}): Promise<WechatSim> {
  const keys = await resolveKeys(options);
  const ctx = createSimContext({
    keys,
    apps: options.apps ?? DEFAULT_APPS,
    payMode: options.payMode ?? 'pubkey',
    timeScale: options.timeScale ?? 1,
    templatePrefix: options.templatePrefix ?? DEFAULT_TEMPLATE_PREFIX,
    notifyTimeoutMs: options.notifyTimeoutMs ?? 5000,
    billsReady: options.billsReady ?? 'next-morning',
  });
  const app = buildSimApp(ctx, { logger: options.logger ?? false });
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0);
  const snapshot = (order: NonNullable<ReturnType<typeof ctx.orders.byOutTradeNo>>): OrderSnapshot => ({
    prepay_id: order.prepayId,
    notify_url: order.request.notify_url,
    transaction: ctx.orders.view(order),
  });

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    keys,
    close: async () => {
      ctx.timers.closeAll();
      await app.close();
    },
    issueLoginCode: (appid, openid, unionid) => {
      if (!ctx.apps.find(appid)) throw new Error(`appid ${appid} is not a simulated mini-program`);
      return ctx.loginCodes.issue(appid, openid, unionid);
    },
    issuePhoneCode: (appid, phone) => {
      if (!ctx.apps.find(appid)) throw new Error(`appid ${appid} is not a simulated mini-program`);
      return ctx.phoneCodes.issue(appid, phone);
    },
    grantSubscription: (input) =>
      ctx.subscribeMessages.grant(
        ctx.resolveSubscriptionAppid(input.openid, input.appid),
        input.openid,
        input.templateId,
        input.count ?? 1,
      ),
    registerTemplate: (templateId, registration = {}) =>
      ctx.subscribeMessages.registerTemplate(registration.appid, templateId, registration.keys),
    messages: (filter) => ctx.subscribeMessages.messages(filter),
    publishPages: (appid, pages) => ctx.miniProgramCodes.publishPages(appid, pages),
    miniProgramCodes: (filter) => ctx.miniProgramCodes.codes(filter),
    pay: (input) => {
      try {
        return ctx.customerPayments.pay(input);
      } catch (error) {
        if (error instanceof PayError)
          return { ok: false, status: error.status, code: error.code, message: error.message };
        throw error;
      }
    },
    orders: () => ctx.orders.all().map(snapshot),
    order: (outTradeNo) => {
      const order = ctx.orders.byOutTradeNo(outTradeNo);
      return order && snapshot(order);
    },
    refunds: () => ctx.refunds.all(),
    notifications: (filter) => ctx.notifier.records(filter),
    waitForNotification: (waitOptions) => ctx.notifier.waitFor(waitOptions),
    faults: {
      add: (fault) => ctx.faults.add(fault),
      list: () => ctx.faults.list(),
      remove: (id) => ctx.faults.remove(id),
      clear: () => ctx.faults.clear(),
    },
    clock: {
      now: () => ctx.clock.now(),
      offsetSeconds: () => ctx.clock.offsetSeconds(),
      setOffsetSeconds: (seconds) => ctx.clock.setOffsetSeconds(seconds),
    },
    payMode: () => ctx.ring.mode(),
    setPayMode: (mode) => ctx.ring.setMode(mode),
    rotateKeys: (kind) => ctx.ring.rotate(kind ?? (ctx.ring.mode() === 'pubkey' ? 'pubkey' : 'platform')),
    certs: () => ctx.ring.verifierPems(),
  };
}
