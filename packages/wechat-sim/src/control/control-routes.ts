import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SimClock } from '../clock.ts';
import type { FaultBook } from '../faults/fault-book.ts';
import { FaultSpecSchema } from '../faults/fault-spec.ts';
import type { SigningKeyRing } from '../keys/signing-key-ring.ts';
import type { SimKeys } from '../keys/sim-keys.ts';
import type { LoginCodeBook } from '../miniprogram/login-codes.ts';
import type { MiniAppRegistry } from '../miniprogram/mini-apps.ts';
import type { MiniProgramCodeBook } from '../miniprogram/mini-program-codes.ts';
import type { PhoneCodeBook } from '../miniprogram/phone-codes.ts';
import type { SubscribeMessageBook } from '../miniprogram/subscribe-messages.ts';
import type { CustomerPayments } from '../pay/customer-payment.ts';
import type { Notifier } from '../pay/notifier.ts';
import type { OrderBook } from '../pay/order-book.ts';
import { JsapiOrderRequestSchema } from '../pay/order-schemas.ts';
import { PayError } from '../pay/pay-error.ts';
import type { RefundBook } from '../pay/refund-book.ts';

export interface ControlDeps {
  keys: SimKeys;
  clock: SimClock;
  faults: FaultBook;
  ring: SigningKeyRing;
  apps: MiniAppRegistry;
  loginCodes: LoginCodeBook;
  phoneCodes: PhoneCodeBook;
  subscribeMessages: SubscribeMessageBook;
  miniProgramCodes: MiniProgramCodeBook;
  orders: OrderBook;
  refunds: RefundBook;
  notifier: Notifier;
  customerPayments: CustomerPayments;
  resolveSubscriptionAppid(openid: string, appid: string | undefined): string;
}

const LoginCodeRequestSchema = z.object({
  appid: z.string().min(1),
  openid: z.string().min(1).optional(),
  unionid: z.string().min(1).optional(),
});
const PhoneCodeRequestSchema = z.object({
  appid: z.string().min(1),
  phone: z.string().regex(/^1\d{10}$/),
});
const SubscriptionRequestSchema = z.object({
  appid: z.string().min(1).optional(),
  openid: z.string().min(1),
  templateId: z.string().min(1),
  count: z.number().int().positive().default(1),
});
const TemplateRequestSchema = z.object({
  appid: z.string().min(1).optional(),
  templateId: z.string().min(1),
  keys: z.array(z.string().min(1)).optional(),
});
const ClockRequestSchema = z.object({ offsetSeconds: z.number() });
const RotateRequestSchema = z.object({ kind: z.enum(['platform', 'pubkey']).optional() });
const PayModeRequestSchema = z.object({ mode: z.enum(['pubkey', 'cert']) });
const QuerySchema = z.record(z.string(), z.string().optional());
const RememberedOrderSchema = z.object({
  order: JsapiOrderRequestSchema,
  transaction_id: z.string().regex(/^\d{28}$/),
  success_time: z.string().refine((t) => !Number.isNaN(Date.parse(t)), 'an RFC 3339 time'),
});

const optional = (query: Record<string, string | undefined>, ...names: string[]) => {
  for (const name of names) if (query[name] !== undefined && query[name] !== '') return query[name];
  return undefined;
};

/** Test and dev hooks: stand-ins for wx.login, getPhoneNumber, wx.requestSubscribeMessage and wx.requestPayment, plus fault and clock control. */
export async function controlRoutes(scope: FastifyInstance, deps: ControlDeps): Promise<void> {
  // The H5 builds of the mini-programs call these from a browser on another origin.
  scope.addHook('onRequest', async (request, reply) => {
    reply.header('Access-Control-Allow-Origin', request.headers.origin ?? '*');
    reply.header('Vary', 'Origin');
    reply.header('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
    reply.header('Access-Control-Allow-Headers', request.headers['access-control-request-headers'] ?? 'content-type');
    reply.header('Access-Control-Max-Age', '600');
  });
  scope.options('/*', async (_request, reply) => reply.code(204).send());

  scope.setErrorHandler(async (error, _request, reply) => {
    if (error instanceof PayError) return reply.code(error.status).send(error.toBody());
    if (error instanceof z.ZodError) {
      const message = error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
      return reply.code(400).send({ code: 'PARAM_ERROR', message });
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    return reply
      .code(status)
      .send({ code: status < 500 ? 'PARAM_ERROR' : 'SYSTEM_ERROR', message: (error as Error).message });
  });

  scope.post('/login-codes', async (request) => {
    const body = LoginCodeRequestSchema.parse(request.body);
    if (!deps.apps.find(body.appid))
      throw new PayError(400, 'UNKNOWN_APPID', `appid ${body.appid} is not a simulated mini-program`);
    return deps.loginCodes.issue(body.appid, body.openid, body.unionid);
  });

  // What the getPhoneNumber button hands the page: a code for the phone the user chose to share.
  scope.post('/phone-codes', async (request) => {
    const body = PhoneCodeRequestSchema.parse(request.body);
    if (!deps.apps.find(body.appid))
      throw new PayError(400, 'UNKNOWN_APPID', `appid ${body.appid} is not a simulated mini-program`);
    return deps.phoneCodes.issue(body.appid, body.phone);
  });

  scope.post('/subscriptions', async (request) => {
    const body = SubscriptionRequestSchema.parse(request.body);
    const appid = deps.resolveSubscriptionAppid(body.openid, body.appid);
    return deps.subscribeMessages.grant(appid, body.openid, body.templateId, body.count);
  });
  scope.get('/subscriptions', async (request) =>
    deps.subscribeMessages.subscriptions(QuerySchema.parse(request.query).openid),
  );

  scope.post('/templates', async (request) => {
    const body = TemplateRequestSchema.parse(request.body);
    deps.subscribeMessages.registerTemplate(body.appid, body.templateId, body.keys);
    return { ok: true };
  });

  scope.get('/messages', async (request) => {
    const query = QuerySchema.parse(request.query);
    return deps.subscribeMessages.messages({
      ...(query.openid === undefined ? {} : { openid: query.openid }),
      ...(query.appid === undefined ? {} : { appid: query.appid }),
      ...(optional(query, 'templateId', 'template_id') === undefined
        ? {}
        : { templateId: optional(query, 'templateId', 'template_id') }),
    });
  });

  // What scanning a code hands the mini-program: the scene and page of every code WeChat drew.
  scope.get('/wxacodes', async (request) => {
    const query = QuerySchema.parse(request.query);
    return deps.miniProgramCodes.codes({
      ...(query.appid === undefined ? {} : { appid: query.appid }),
      ...(query.scene === undefined ? {} : { scene: query.scene }),
    });
  });

  scope.post('/pay', async (request) => deps.customerPayments.pay(request.body));

  scope.get('/notifications', async (request) => {
    const query = QuerySchema.parse(request.query);
    const outTradeNo = optional(query, 'out_trade_no', 'outTradeNo');
    const outRefundNo = optional(query, 'out_refund_no', 'outRefundNo');
    const eventType = optional(query, 'event_type', 'eventType');
    return deps.notifier.records({
      ...(outTradeNo === undefined ? {} : { outTradeNo }),
      ...(outRefundNo === undefined ? {} : { outRefundNo }),
      ...(eventType === undefined ? {} : { eventType }),
    });
  });

  scope.get('/orders', async (request) => {
    const outTradeNo = optional(QuerySchema.parse(request.query), 'out_trade_no', 'outTradeNo');
    return deps.orders
      .all()
      .filter((order) => outTradeNo === undefined || order.request.out_trade_no === outTradeNo)
      .map((order) => ({
        prepay_id: order.prepayId,
        notify_url: order.request.notify_url,
        transaction: deps.orders.view(order),
      }));
  });
  // A paid order from before a restart (a dev server's kept database knows it; this memory does not).
  scope.post('/paid-orders', async (request) => {
    const body = RememberedOrderSchema.parse(request.body);
    const order = deps.orders.remember(body.order, {
      transactionId: body.transaction_id,
      successTime: Date.parse(body.success_time),
    });
    return { transaction: deps.orders.view(order) };
  });
  scope.get('/refunds', async () => deps.refunds.all());

  scope.post('/faults', async (request) => {
    const list: unknown[] = Array.isArray(request.body) ? request.body : [request.body];
    // Validate all first so a bad entry does not leave half the list installed.
    const parsed = list.map((spec) => FaultSpecSchema.parse(spec));
    return { faults: parsed.map((spec) => deps.faults.add(spec)) };
  });
  scope.get('/faults', async () => ({ faults: deps.faults.list() }));
  scope.delete('/faults', async () => {
    deps.faults.clear();
    return { faults: [] };
  });
  scope.delete('/faults/:id', async (request) => ({
    removed: deps.faults.remove((request.params as { id: string }).id),
  }));

  scope.get('/clock', async () => ({
    offsetSeconds: deps.clock.offsetSeconds(),
    now: new Date(deps.clock.now()).toISOString(),
  }));
  scope.post('/clock', async (request) => {
    deps.clock.setOffsetSeconds(ClockRequestSchema.parse(request.body).offsetSeconds);
    return { offsetSeconds: deps.clock.offsetSeconds(), now: new Date(deps.clock.now()).toISOString() };
  });

  scope.get('/keys', async () => ({
    mchid: deps.keys.mchid,
    merchantSerial: deps.keys.merchantSerial,
    payMode: deps.ring.mode(),
    certs: deps.ring.verifierPems(),
  }));
  scope.post('/rotate', async (request) => {
    const kind =
      RotateRequestSchema.parse(request.body ?? {}).kind ?? (deps.ring.mode() === 'pubkey' ? 'pubkey' : 'platform');
    return { ...(await deps.ring.rotate(kind)), certs: deps.ring.verifierPems() };
  });
  scope.post('/pay-mode', async (request) => {
    deps.ring.setMode(PayModeRequestSchema.parse(request.body).mode);
    return { mode: deps.ring.mode() };
  });
}
