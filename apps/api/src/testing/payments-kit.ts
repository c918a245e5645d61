/**
 * Test support for the payments tests (imported only by *.test.ts; production code never imports the
 * simulator): the real API listening on a loopback port, on a database of its own, with its WeChat Pay client
 * pointed at a simulator started for the file — so notifications travel over real HTTP with real signatures.
 */
import { randomBytes } from 'node:crypto';
import { freePort } from './api-process.ts';
import { COUNTER_PAYMENT_PAGE, type RequestPaymentParams } from '@lumi/shared';
import { generateSimKeys, type PayMode, type SimKeys, startWechatSim, type WechatSim } from '@lumi/wechat-sim';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, expect, inject } from 'vitest';
import { buildApp } from '../app.ts';
import type { AppConfig } from '../config/index.ts';
import { createTenantFixture, type TenantFixture } from './fixtures.ts';
import { bearer, testConfig } from './harness.ts';
import { createTestDatabase, type TestDatabase } from './postgres.ts';
import type { Payments } from '../modules/payments/context.ts';
import { createWechatPayGateway, type WechatPayGateway } from '../modules/payments/wechat-pay-client.ts';

export interface KitOptions {
  payMode?: PayMode;
  keys?: SimKeys;
  /** Which verification keys the API is configured with; default the sim's WeChat Pay public key. */
  platformKeys?: (sim: WechatSim) => Record<string, string>;
  timeoutMs?: number;
  env?: Record<string, string>;
}

export interface PaymentsKit {
  sim: WechatSim;
  app: FastifyInstance;
  db: TestDatabase;
  config: AppConfig;
  gateway: WechatPayGateway;
  payments: Payments;
  t: TenantFixture;
  notifyUrl: string;
  /** Moves the API's clock (business rules, time_expire, the notify timestamp check). */
  clock: { offsetMs: number };
  customerHeaders(index?: number): Record<string, string>;
  managerHeaders(): Record<string, string>;
  beauticianHeaders(): Record<string, string>;
  /** Stops the API and starts it again on the same database and port with other verification keys (a redeploy). */
  restart(platformKeys: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

let sharedKeys: Promise<SimKeys> | undefined;
/** RSA generation is most of a simulator's start-up; files share one key set unless they rotate keys. */
export function sharedSimKeys(): Promise<SimKeys> {
  sharedKeys ??= generateSimKeys('1900000109');
  return sharedKeys;
}

export async function startPaymentsKit(options: KitOptions = {}): Promise<PaymentsKit> {
  const sim = await startWechatSim({
    keys: options.keys ?? (await sharedSimKeys()),
    timeScale: 0.001,
    payMode: options.payMode ?? 'pubkey',
    // Tests reconcile the payments they just made, so today's trade bill is served so far (WeChat: next morning).
    billsReady: 'same-day',
    // WeChat gives up on an answer after 5 s and retries; on a busy test machine the API's answer can take longer,
    // which would add deliveries a test did not ask for (tests that count attempts then fail on load alone).
    notifyTimeoutMs: 60_000,
  });
  const port = await freePort();
  const notifyUrl = `http://127.0.0.1:${port}/payments/wechat/notify`;
  // Login, subscribe messages and 小程序码 go to the same simulator as WeChat Pay.
  const config = testConfig({ WECHAT_API_BASE: sim.url, WECHAT_PAY_NOTIFY_URL: notifyUrl, ...options.env });
  // The released customer mini-program has the counter's payment page (getwxacodeunlimit checks it).
  sim.publishPages(config.WECHAT_CUSTOMER_APPID, [COUNTER_PAYMENT_PAGE]);
  const db = await createTestDatabase(inject('templateDatabase'));
  const clock = { offsetMs: 0 };

  async function boot(platformKeys: Record<string, string>) {
    const gateway = createWechatPayGateway({
      mchid: sim.keys.mchid,
      appId: config.WECHAT_CUSTOMER_APPID,
      merchantSerial: sim.keys.merchantSerial,
      merchantPrivateKeyPem: sim.keys.merchantPrivateKeyPem,
      platformKeys,
      apiV3Key: sim.keys.apiV3Key,
      baseUrl: `${sim.url}/`,
      notifyUrl,
      timeoutMs: options.timeoutMs ?? 1_500,
    });
    const app = await buildApp({
      config,
      database: db,
      wechatPay: gateway,
      now: () => new Date(Date.now() + clock.offsetMs),
    });
    await app.listen({ host: '127.0.0.1', port });
    return { app, gateway };
  }

  const booted = await boot(options.platformKeys?.(sim) ?? { [sim.keys.pubKeyId]: sim.keys.pubKeyPem });
  const t = await createTenantFixture(db.db, config.WECHAT_CUSTOMER_APPID);
  const staffToken = (who: TenantFixture['manager']) =>
    kit.app.jwt.sign({ kind: 'staff', sub: who.id, tenantId: t.tenantId, role: who.role, storeIds: who.storeIds });
  const kit: PaymentsKit = {
    sim,
    app: booted.app,
    db,
    config,
    gateway: booted.gateway,
    payments: booted.app.payments,
    t,
    notifyUrl,
    clock,
    customerHeaders: (index = 0) =>
      bearer(kit.app.jwt.sign({ kind: 'customer', sub: t.customers[index]?.id ?? '', tenantId: t.tenantId })),
    managerHeaders: () => bearer(staffToken(t.manager)),
    beauticianHeaders: () => bearer(staffToken(t.beautician)),
    async restart(platformKeys) {
      await kit.app.close();
      const next = await boot(platformKeys);
      kit.app = next.app;
      kit.gateway = next.gateway;
      kit.payments = next.app.payments;
    },
    async close() {
      await kit.app.close();
      await sim.close();
      await db.destroy();
    },
  };
  return kit;
}

/**
 * The one set-up of a payments test file: a kit started before its tests, its simulator's faults cleared and
 * the API's clock put back before each test, and closed after them. Returns the kit itself, usable once the
 * file's tests (or later beforeAll hooks) run; a file adds its own beforeAll/beforeEach after this call.
 */
export function usePaymentsKit(options: KitOptions = {}): PaymentsKit {
  let started: PaymentsKit | undefined;
  beforeAll(async () => {
    started = await startPaymentsKit(options);
  });
  beforeEach(() => {
    started?.sim.faults.clear();
    if (started) started.clock.offsetMs = 0;
  });
  afterAll(async () => {
    await started?.close();
  });
  return new Proxy({} as PaymentsKit, {
    get(_target, property) {
      if (!started) throw new Error('the payments kit starts in beforeAll: use it inside hooks and tests');
      return Reflect.get(started, property);
    },
    set(_target, property, value) {
      if (!started) throw new Error('the payments kit starts in beforeAll');
      return Reflect.set(started, property, value);
    },
  });
}

let keyCounter = 0;
export const idempotencyKey = (prefix = 'pay') =>
  `${prefix}-${randomBytes(4).toString('hex')}-${Date.now()}-${keyCounter++}`;

export interface CreatedOrder {
  outTradeNo: string;
  amountFen: number;
  state: string;
  requestPayment: RequestPaymentParams | null;
  transferId: number | null;
}

/** POST /me/payments/top-ups; expects 201 unless told otherwise. */
export async function orderTopUp(
  kit: PaymentsKit,
  body: Record<string, unknown>,
  options: { key?: string; customer?: number; status?: number } = {},
) {
  const res = await kit.app.inject({
    method: 'POST',
    url: '/me/payments/top-ups',
    headers: { ...kit.customerHeaders(options.customer), 'idempotency-key': options.key ?? idempotencyKey() },
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(options.status ?? 201);
  return res.json() as CreatedOrder;
}

export interface CounterTopUpOptions {
  key?: string;
  status?: number;
  headers?: Record<string, string>;
  customer?: number;
}

/**
 * POST /staff/customers/:id/wechat-top-ups (到店微信充值, a beautician by default); expects 201 unless told
 * otherwise.
 */
export async function openCounterTopUp(
  kit: PaymentsKit,
  body: Record<string, unknown>,
  options: CounterTopUpOptions = {},
) {
  const res = await kit.app.inject({
    method: 'POST',
    url: `/staff/customers/${kit.t.customers[options.customer ?? 0]?.id ?? ''}/wechat-top-ups`,
    headers: { ...(options.headers ?? kit.beauticianHeaders()), 'idempotency-key': options.key ?? idempotencyKey() },
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(options.status ?? 201);
  return res.json() as CreatedOrder & { error?: { code: string } };
}

/** The customer pays in WeChat (the simulator checks the paySign the API produced). */
export function payInWechat(kit: PaymentsKit, order: CreatedOrder) {
  const params = order.requestPayment;
  if (!params) throw new Error(`order ${order.outTradeNo} has no payment parameters`);
  const outcome = kit.sim.pay({ ...params, appid: params.appId });
  expect(outcome).toMatchObject({ ok: true });
  return outcome;
}

export async function getOrder(kit: PaymentsKit, outTradeNo: string, customer = 0) {
  const res = await kit.app.inject({
    method: 'GET',
    url: `/me/payments/${outTradeNo}`,
    headers: kit.customerHeaders(customer),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as CreatedOrder & { refundedFen: number; refunds: { outRefundNo: string; state: string }[] };
}

export async function wallet(kit: PaymentsKit, customer = 0) {
  const res = await kit.app.inject({ method: 'GET', url: '/me/wallet', headers: kit.customerHeaders(customer) });
  expect(res.statusCode).toBe(200);
  return res.json() as { principalFen: number; bonusFen: number; points: number };
}

export async function entries(kit: PaymentsKit, customer = 0) {
  const res = await kit.app.inject({ method: 'GET', url: '/me/entries', headers: kit.customerHeaders(customer) });
  expect(res.statusCode).toBe(200);
  return (res.json() as { items: { kind: string; bucket: string; amount: number; transferId: number }[] }).items;
}

/** Count of ledger transfers of one kind for the fixture tenant — the "nothing new was posted" check. */
export async function transferCount(kit: PaymentsKit, kind: string): Promise<number> {
  const result = (await kit.db.rawQuery('select count(*)::int as n from transfers where tenant_id = $1 and kind = $2', [
    kit.t.tenantId,
    kind,
  ])) as { rows: { n: number }[] };
  return result.rows[0]?.n ?? 0;
}

export async function notificationLog(kit: PaymentsKit, outTradeNo?: string) {
  const result = (await kit.db.rawQuery(
    `select outcome, verified, event_type as "eventType", out_trade_no as "outTradeNo"
       from payment_notifications ${outTradeNo ? 'where out_trade_no = $1' : ''} order by id`,
    outTradeNo ? [outTradeNo] : [],
  )) as { rows: { outcome: string; verified: boolean; eventType: string | null; outTradeNo: string | null }[] };
  return result.rows;
}

/** Polls until probe answers; the bound is generous because it only decides when a test gives up. */
export async function waitUntil<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
