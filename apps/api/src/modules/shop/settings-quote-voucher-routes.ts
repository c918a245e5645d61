import { errorResponses } from '../../plugins/openapi.ts';
import {
  CustomerIdParamsSchema,
  ShopQuoteRequestSchema,
  ShopQuoteSchema,
  ShopSettingsSchema,
  ShopVoucherListSchema,
  UpdateShopSettingsRequestSchema,
} from '@lumi/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getCustomer } from '../customers/index.ts';
import type { ShopDeps } from './deps.ts';
import { quoteOrder } from './pricing.ts';
import { getShopSettings, updateShopSettings } from './settings.ts';
import { listVouchers } from './vouchers.ts';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const secured = { security: [{ bearer: [] }] };
const tags = ['shop'];

/**
 * The shop's settings (商城设置), the price quote at checkout, and her service vouchers (in her wallet, and at the
 * till, where an unused one becomes a line of the bill).
 */
export function shopSettingsAndVoucherRoutes(deps: ShopDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/staff/shop/settings',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: "The salon's shop rules",
          ...secured,
          response: { 200: ShopSettingsSchema, ...errors },
        },
      },
      async (request) => getShopSettings(app.db, request.staff.tenantId),
    );
    app.put(
      '/staff/shop/settings',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Change the shop rules: after-sale review, auto-receive and auto-complete days (audited)',
          ...secured,
          body: UpdateShopSettingsRequestSchema,
          response: { 200: ShopSettingsSchema, ...errors },
        },
      },
      async (request) => updateShopSettings(app.db, request.staff, request.body),
    );
    app.post(
      '/me/shop/quote',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'What the cart costs with a coupon and items at their points price (nothing is reserved)',
          ...secured,
          body: ShopQuoteRequestSchema,
          response: { 200: ShopQuoteSchema, ...errors },
        },
      },
      async (request) => quoteOrder(app.db, deps, request.customer, request.body),
    );
    app.get(
      '/me/shop/vouchers',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'My service vouchers',
          ...secured,
          response: { 200: ShopVoucherListSchema, ...errors },
        },
      },
      async (request) => ({ items: await listVouchers(app.db, request.customer.tenantId, request.customer.id) }),
    );
    app.get(
      '/staff/customers/:customerId/shop-vouchers',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: "A customer's service vouchers, for the till",
          ...secured,
          params: CustomerIdParamsSchema,
          response: { 200: ShopVoucherListSchema, ...errors },
        },
      },
      async (request) => {
        // Another salon's customer is not found, as everywhere.
        await getCustomer(app.db, request.staff.tenantId, request.params.customerId);
        return { items: await listVouchers(app.db, request.staff.tenantId, request.params.customerId) };
      },
    );
  };
}
