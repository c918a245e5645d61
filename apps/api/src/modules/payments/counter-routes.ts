import { errorResponses } from '../../plugins/openapi.ts';
import {
  COUNTER_PAYMENT_PAGE,
  CounterPaymentCodeSchema,
  CounterWechatTopUpRequestSchema,
  counterPaymentScene,
  IdempotencyHeadersSchema,
  IdSchema,
  OutTradeNoSchema,
  PaymentOrderSchema,
} from '@lumi/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { assertStoreAccess, assertStoreResource, idempotencyKeyOf } from '../../plugins/idempotency.ts';
import { getCustomer } from '../customers/index.ts';
import { requestHash } from '../ledger/index.ts';
import type { Payments } from './context.ts';
import type { MiniProgramCodes } from './counter-code.ts';
import { createPaymentOrder, getCustomerOrder, type OrderRow, orderView } from './service.ts';

const errors = errorResponses(400, 401, 403, 404, 409, 422, 502, 503);
const secured = { security: [{ bearer: [] }] };
const CustomerParamsSchema = z.object({ customerId: IdSchema }).strict();
const CounterOrderParamsSchema = z.object({ customerId: IdSchema, outTradeNo: OutTradeNoSchema }).strict();

/**
 * 到店微信充值: the beautician opens a top-up order for the customer in front of her; her staff phone shows the
 * customer mini-program's 小程序码 for the order (WeChat draws it: getwxacodeunlimit, scene `pay=<outTradeNo>`,
 * page wallet/pay/index), the customer scans it and pays on her own phone (wx.requestPayment, as her own
 * online top-ups), and the staff screen polls the order until WeChat's notification has credited the wallet. The
 * order is the online top-up's (purpose top_up, same ledger posting), labelled with the store and staff member.
 */
export function counterPaymentRoutes(payments: Payments, codes: MiniProgramCodes): FastifyPluginAsyncZod {
  return async (app) => {
    // The payment parameters are the customer's to use on her phone: the staff phone never gets them.
    const staffView = async (row: OrderRow) => ({ ...(await orderView(payments, row)), requestPayment: null });

    app.post(
      '/staff/customers/:customerId/wechat-top-ups',
      {
        onRequest: app.requireStaff,
        schema: {
          tags: ['payments'],
          summary: 'Open a top-up the customer pays with WeChat on her own phone (到店微信充值)',
          description:
            'Requires an Idempotency-Key (a retry answers with the same order). The customer must have signed in ' +
            'to the mini-program (422 BUSINESS_RULE_VIOLATED otherwise); she scans the 小程序码 of the order ' +
            '(GET …/{outTradeNo}/code) and pays on her phone. ' +
            'The wallet changes when WeChat confirms: poll GET …/wechat-top-ups/{outTradeNo}.',
          ...secured,
          headers: IdempotencyHeadersSchema,
          params: CustomerParamsSchema,
          body: CounterWechatTopUpRequestSchema,
          response: { 200: PaymentOrderSchema, 201: PaymentOrderSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { staff, params, body } = request;
        await getCustomer(app.db, staff.tenantId, params.customerId);
        assertStoreAccess(staff.storeIds, body.storeId);
        const key = idempotencyKeyOf(request);
        const who = {
          tenantId: staff.tenantId,
          customerId: params.customerId,
          storeId: body.storeId,
          staffId: staff.id,
        };
        const hash = requestHash({
          route: request.routeOptions.url,
          body,
          customerId: who.customerId,
          staffId: staff.id,
        });
        const { storeId: _store, ...purposeInput } = body;
        const { order, replayed } = await createPaymentOrder(payments, 'top_up', who, purposeInput, key, hash);
        reply.header('idempotent-replayed', replayed ? 'true' : 'false');
        return reply.status(replayed ? 200 : 201).send(await staffView(order));
      },
    );

    // Only orders opened at a counter, and at one of the caller's stores, are staff's to follow.
    const counterOrder = async (staff: { tenantId: string; storeIds: string[] }, customerId: string, no: string) => {
      const row = await getCustomerOrder(payments, { tenantId: staff.tenantId, customerId }, no);
      if (row.purpose !== 'top_up' || typeof row.purposeData.staffId !== 'string' || !row.storeId) {
        throw new AppError('PAYMENT_NOT_FOUND', 'Payment not found');
      }
      assertStoreResource(staff.storeIds, row.storeId, 'Payment');
      return row;
    };

    app.get(
      '/staff/customers/:customerId/wechat-top-ups/:outTradeNo/code',
      {
        onRequest: app.requireStaff,
        schema: {
          tags: ['payments'],
          summary: 'The 小程序码 the customer scans to pay a counter WeChat top-up',
          description:
            "WeChat draws it (getwxacodeunlimit) with the customer mini-program's access token: scene " +
            '`pay=<outTradeNo>`, page wallet/pay/index. Kept while the order can be paid. 409 CONFLICT once the ' +
            'order is paid or closed; 502 WECHAT_UNAVAILABLE (try again) or WECHAT_CODE_REFUSED (configuration: ' +
            'the page is not released, details.errcode) when WeChat does not draw it.',
          ...secured,
          params: CounterOrderParamsSchema,
          response: { 200: CounterPaymentCodeSchema, ...errors },
        },
      },
      async (request) => {
        const { staff, params } = request;
        const row = await counterOrder(staff, params.customerId, params.outTradeNo);
        if (row.state !== 'NOTPAY' || row.timeExpire.getTime() <= payments.now().getTime()) {
          throw new AppError('CONFLICT', 'This order no longer takes payment', { state: row.state });
        }
        const scene = counterPaymentScene(row.outTradeNo);
        const imageDataUrl = await codes.codeFor({ scene, page: COUNTER_PAYMENT_PAGE, keepUntil: row.timeExpire });
        return {
          outTradeNo: row.outTradeNo,
          scene,
          page: COUNTER_PAYMENT_PAGE,
          imageDataUrl,
          expiresAt: row.timeExpire.toISOString(),
        };
      },
    );

    app.get(
      '/staff/customers/:customerId/wechat-top-ups/:outTradeNo',
      {
        onRequest: app.requireStaff,
        schema: {
          tags: ['payments'],
          summary: 'A counter WeChat top-up: paid yet? (asks WeChat itself when the notification is late)',
          ...secured,
          params: CounterOrderParamsSchema,
          response: { 200: PaymentOrderSchema, ...errors },
        },
      },
      async (request) => {
        const { staff, params } = request;
        return staffView(await counterOrder(staff, params.customerId, params.outTradeNo));
      },
    );
  };
}
