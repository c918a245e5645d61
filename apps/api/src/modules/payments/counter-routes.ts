import { errorResponses } from '../../plugins/openapi.ts';
import {
  CounterWechatTopUpRequestSchema,
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
import { createPaymentOrder, getCustomerOrder, type OrderRow, orderView } from './service.ts';

const errors = errorResponses(400, 401, 403, 404, 409, 422, 502, 503);
const secured = { security: [{ bearer: [] }] };
const CustomerParamsSchema = z.object({ customerId: IdSchema }).strict();
const CounterOrderParamsSchema = z.object({ customerId: IdSchema, outTradeNo: OutTradeNoSchema }).strict();

/**
 * 到店微信充值: the beautician opens a top-up order for the customer in front of her; her staff phone shows a QR code
 * of the customer mini-program's payment page, the customer pays on her own phone (wx.requestPayment, as her own
 * online top-ups), and the staff screen polls the order until WeChat's notification has credited the wallet. The
 * order is the online top-up's (purpose top_up, same ledger posting), labelled with the store and staff member.
 */
export function counterPaymentRoutes(payments: Payments): FastifyPluginAsyncZod {
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
            'to the mini-program (422 BUSINESS_RULE_VIOLATED otherwise); she pays at counterPaymentPath(outTradeNo). ' +
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
        const who = { tenantId: staff.tenantId, customerId: params.customerId };
        const row = await getCustomerOrder(payments, who, params.outTradeNo);
        // Only orders opened at a counter, and at one of the caller's stores, are staff's to follow.
        if (row.purpose !== 'top_up' || typeof row.purposeData.staffId !== 'string' || !row.storeId) {
          throw new AppError('PAYMENT_NOT_FOUND', 'Payment not found');
        }
        assertStoreResource(staff.storeIds, row.storeId, 'Payment');
        return staffView(row);
      },
    );
  };
}
