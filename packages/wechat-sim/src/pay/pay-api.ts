import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodType } from 'zod';
import { formatBeijingTime } from '../beijing-time.ts';
import type { SimClock } from '../clock.ts';
import { encryptResource } from '../crypto/aes-gcm.ts';
import { getForgeryKey } from '../crypto/forgery-key.ts';
import type { FaultBook } from '../faults/fault-book.ts';
import type { SigningKeyRing } from '../keys/signing-key-ring.ts';
import type { MiniAppRegistry } from '../miniprogram/mini-apps.ts';
import { randomAlphanumeric, randomRequestId } from '../random-ids.ts';
import type { BillBook } from './bill-book.ts';
import type { OrderBook } from './order-book.ts';
import {
  CloseOrderRequestSchema,
  describeIssues,
  JsapiOrderRequestSchema,
  RefundRequestSchema,
} from './order-schemas.ts';
import { mchNotExists, PayError, paramError } from './pay-error.ts';
import type { RefundBook } from './refund-book.ts';
import { type MerchantIdentity, verifyMerchantRequest } from './request-authorization.ts';
import { signWechatpayMessage } from './response-signing.ts';

export interface PayApiDeps {
  clock: SimClock;
  faults: FaultBook;
  ring: SigningKeyRing;
  apps: MiniAppRegistry;
  merchant: MerchantIdentity;
  apiV3Key: string;
  orders: OrderBook;
  refunds: RefundBook;
  bills: BillBook;
}

/** Bill files are the one answer WeChat does not sign (the plugin skips verifying them too). */
const UNSIGNED_PATH = '/v3/billdownload/file';

/** The body exactly as received; the signature covers these bytes, not a re-serialisation. */
function rawBodyOf(request: FastifyRequest): string {
  return typeof request.body === 'string' ? request.body : '';
}

function parseBody<T>(request: FastifyRequest, schema: ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(rawBodyOf(request));
  } catch {
    throw paramError('请求体不是合法的 JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const { message, detail } = describeIssues(parsed.error);
    throw paramError(message, detail);
  }
  return parsed.data;
}

function pathParam(request: FastifyRequest, name: string): string {
  return (request.params as Record<string, string>)[name] ?? '';
}

/** api.mch.weixin.qq.com /v3: every request verified, every response signed. */
export async function payApi(scope: FastifyInstance, deps: PayApiDeps): Promise<void> {
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const checkMchid = (mchid: unknown) => {
    if (typeof mchid !== 'string' || mchid.length === 0)
      throw paramError('缺少参数 mchid', { field: 'mchid', location: 'query' });
    if (mchid !== deps.merchant.mchid) throw mchNotExists();
  };

  scope.addHook('preHandler', async (request) => {
    verifyMerchantRequest(
      {
        method: request.method,
        url: request.url,
        body: rawBodyOf(request),
        authorization: request.headers.authorization,
      },
      deps.merchant,
      deps.clock.nowSeconds(),
    );
  });

  scope.addHook('onSend', async (request, reply, payload) => {
    if ((request.url.split('?')[0] ?? '') === UNSIGNED_PATH) return payload;
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    const path = request.url.split('?')[0] ?? request.url;
    const target = { path, method: request.method };
    const skew = deps.faults.take('response-clock-skew', target)?.skewSeconds ?? 0;
    const spoiled = deps.faults.take('response-bad-signature', target);
    const requested = request.headers['wechatpay-serial'];
    const headers = signWechatpayMessage(body, {
      key: deps.ring.responseKey(typeof requested === 'string' ? requested : undefined),
      timestampSeconds: deps.clock.nowSeconds() + skew,
      ...(spoiled ? { substituteKey: await getForgeryKey() } : {}),
    });
    reply.headers({ ...headers, 'Request-ID': randomRequestId() });
    return payload;
  });

  scope.setErrorHandler(async (error, _request, reply) => {
    if (error instanceof PayError) return reply.code(error.status).send(error.toBody());
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(400).send({ code: 'INVALID_REQUEST', message: (error as Error).message });
    }
    return reply.code(500).send({ code: 'SYSTEM_ERROR', message: '系统错误' });
  });

  scope.setNotFoundHandler(async (_request, reply) =>
    reply.code(404).send({ code: 'NOT_FOUND', message: '请求的资源不存在' }),
  );

  scope.post('/pay/transactions/jsapi', async (request) => {
    const order = parseBody(request, JsapiOrderRequestSchema);
    if (!deps.apps.find(order.appid)) throw new PayError(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
    return deps.orders.create(order, deps.merchant.mchid);
  });

  scope.get('/pay/transactions/out-trade-no/:out_trade_no', async (request) => {
    checkMchid((request.query as Record<string, unknown>).mchid);
    return deps.orders.view(deps.orders.get(pathParam(request, 'out_trade_no')));
  });

  scope.get('/pay/transactions/id/:transaction_id', async (request) => {
    checkMchid((request.query as Record<string, unknown>).mchid);
    const order = deps.orders.byTransactionId(pathParam(request, 'transaction_id'));
    if (!order) throw new PayError(404, 'ORDER_NOT_EXIST', '订单不存在');
    return deps.orders.view(order);
  });

  scope.post('/pay/transactions/out-trade-no/:out_trade_no/close', async (request, reply) => {
    checkMchid(parseBody(request, CloseOrderRequestSchema).mchid);
    deps.orders.close(pathParam(request, 'out_trade_no'));
    return reply.code(204).send();
  });

  scope.post('/refund/domestic/refunds', async (request) =>
    deps.refunds.create(parseBody(request, RefundRequestSchema)),
  );

  scope.get('/refund/domestic/refunds/:out_refund_no', async (request) =>
    deps.refunds.get(pathParam(request, 'out_refund_no')),
  );

  scope.get('/bill/tradebill', async (request) =>
    deps.bills.applyTradeBill(request.query as Record<string, unknown>, `${request.protocol}://${request.host}`),
  );

  scope.get('/bill/fundflowbill', async (request) =>
    deps.bills.applyFundFlowBill(request.query as Record<string, unknown>, `${request.protocol}://${request.host}`),
  );

  scope.get('/billdownload/file', async (request, reply) => {
    const file = deps.bills.download((request.query as Record<string, unknown>).token);
    return reply.header('content-type', file.gzip ? 'application/x-gzip' : 'text/plain; charset=utf-8').send(file.body);
  });

  scope.get('/certificates', async () => ({
    data: deps.ring.platformKeys().map((key) => ({
      serial_no: key.serial,
      effective_time: formatBeijingTime(key.effectiveTime),
      expire_time: formatBeijingTime(key.expireTime),
      encrypt_certificate: encryptResource(
        key.certificatePem ?? '',
        deps.apiV3Key,
        randomAlphanumeric(12),
        'certificate',
      ),
    })),
  }));
}
