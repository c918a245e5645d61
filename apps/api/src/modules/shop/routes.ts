import { errorResponses } from '../../plugins/openapi.ts';
import {
  AfterSaleDecisionSchema,
  AfterSaleListSchema,
  AfterSaleRequestSchema,
  AfterSaleSchema,
  AfterSalesQuerySchema,
  CancelShopOrderRequestSchema,
  CartLineRequestSchema,
  CartSchema,
  IdempotencyHeadersSchema,
  IdParamsSchema,
  PaymentOrderSchema,
  PickupRequestSchema,
  PlaceShopOrderRequestSchema,
  ShipRequestSchema,
  ShopCatalogueSchema,
  ShopCategoryRequestSchema,
  ShopCategorySchema,
  ShopItemRequestSchema,
  ShopItemSchema,
  ShopOrderListSchema,
  ShopOrderSchema,
  ShopOrdersQuerySchema,
  ShopStockRequestSchema,
} from '@lumi/shared';
import { and, eq, inArray } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.ts';
import { assertStoreAccess, idempotencyKeyOf } from '../../plugins/idempotency.ts';
import { requestHash } from '../ledger/index.ts';
import { alertManagersLater } from '../messaging/index.ts';
import { afterSaleById, afterSalePage } from './after-sale-list.ts';
import { decideAfterSale, requestAfterSale } from './after-sales.ts';
import { presentCart, setCartLine } from './cart.ts';
import { catalogue, customerItem, presentItem, saveCategory, saveItem, setStock } from './catalogue.ts';
import type { ShopDeps } from './deps.ts';
import { collectByCode, receiveOrder, shipOrder } from './fulfilment.ts';
import { closeUnpaidOrder, placeOrder } from './orders.ts';
import { customerOrderRow, presentOrder, presentOrders, staffOrderRow, staffOrderViewer } from './read-order.ts';
import { shopOrders } from './tables.ts';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const secured = { security: [{ bearer: [] }] };
const tags = ['shop'];

export function shopRoutes(deps: ShopDeps): FastifyPluginAsyncZod {
  return async (app) => {
    /** One hash per route, body and caller: a key reused on another route or by another body is refused. */
    const idem = (request: { routeOptions: { url?: string }; body?: unknown; params?: unknown }, who: string) => ({
      key: idempotencyKeyOf(request as never),
      hash: requestHash({ route: request.routeOptions.url, body: request.body ?? null, params: request.params, who }),
    });

    // ── customer ────────────────────────────────────────────────────────────────────────────────────
    app.get(
      '/me/shop/catalogue',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'The shop: categories and items on sale, at her tier’s prices, with stock per store',
          ...secured,
          response: { 200: ShopCatalogueSchema, ...errors },
        },
      },
      async (request) => {
        const { tenantId, id } = request.customer;
        const tier = await deps.tierOf(app.db, tenantId, id);
        return catalogue(app.db, tenantId, { tierId: tier.tierId, tierName: tier.name, all: false });
      },
    );
    app.get(
      '/me/shop/items/:id',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'One item on sale',
          ...secured,
          params: IdParamsSchema,
          response: { 200: ShopItemSchema, ...errors },
        },
      },
      async (request) => customerItem(app.db, deps, request.customer.tenantId, request.customer.id, request.params.id),
    );
    app.get(
      '/me/shop/cart',
      {
        onRequest: app.requireCustomer,
        schema: { tags, summary: 'Her cart at today’s prices', ...secured, response: { 200: CartSchema, ...errors } },
      },
      async (request) => presentCart(app.db, deps, request.customer),
    );
    app.put(
      '/me/shop/cart/lines',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'Set how many of an item are in the cart (0 removes it)',
          ...secured,
          body: CartLineRequestSchema,
          response: { 200: CartSchema, ...errors },
        },
      },
      async (request) => {
        await setCartLine(app.db, request.customer, request.body);
        return presentCart(app.db, deps, request.customer);
      },
    );
    app.post(
      '/me/shop/orders',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'Place an order from the cart: prices snapshotted, stock reserved, paid now or awaiting WeChat Pay',
          ...secured,
          headers: IdempotencyHeadersSchema,
          body: PlaceShopOrderRequestSchema,
          response: { 200: ShopOrderSchema, 201: ShopOrderSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { orderId, replayed } = await placeOrder(
          app.db,
          deps,
          request.customer,
          request.body,
          idem(request, request.customer.id),
        );
        return reply
          .status(replayed ? 200 : 201)
          .send(await presentOrder(app.db, request.customer.tenantId, orderId, 'customer'));
      },
    );
    app.get(
      '/me/shop/orders',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'Her orders, newest first',
          ...secured,
          querystring: ShopOrdersQuerySchema.omit({ storeId: true }),
          response: { 200: ShopOrderListSchema, ...errors },
        },
      },
      async (request) => ({
        items: await presentOrders(
          app.db,
          request.customer.tenantId,
          and(
            eq(shopOrders.customerId, request.customer.id),
            request.query.status ? eq(shopOrders.status, request.query.status) : undefined,
          ),
          'customer',
        ),
      }),
    );
    app.get(
      '/me/shop/orders/:id',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'One of her orders',
          ...secured,
          params: IdParamsSchema,
          response: { 200: ShopOrderSchema, ...errors },
        },
      },
      async (request) => {
        await customerOrderRow(app.db, request.customer, request.params.id);
        return presentOrder(app.db, request.customer.tenantId, request.params.id, 'customer');
      },
    );
    app.post(
      '/me/shop/orders/:id/payments',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: "Pay an order's WeChat part: returns wx.requestPayment parameters",
          ...secured,
          headers: IdempotencyHeadersSchema,
          params: IdParamsSchema,
          response: { 200: PaymentOrderSchema, 201: PaymentOrderSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { key, hash } = idem(request, request.customer.id);
        await customerOrderRow(app.db, request.customer, request.params.id);
        if (!deps.wechat) throw new AppError('BUSINESS_RULE_VIOLATED', 'WeChat Pay is not available for this salon');
        const who = { tenantId: request.customer.tenantId, customerId: request.customer.id };
        const { order, replayed } = await deps.wechat.pay(who, request.params.id, key, hash);
        return reply.status(replayed ? 200 : 201).send(order);
      },
    );
    app.post(
      '/me/shop/orders/:id/cancel',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'Cancel an unpaid order: its stock and held balance go back, its WeChat payment is closed',
          ...secured,
          params: IdParamsSchema,
          body: CancelShopOrderRequestSchema,
          response: { 200: ShopOrderSchema, ...errors },
        },
      },
      async (request) => {
        const { tenantId, id } = request.customer;
        const order = await customerOrderRow(app.db, request.customer, request.params.id);
        if (order.status !== 'pending_payment') {
          throw new AppError('CONFLICT', `This order is ${order.status}`, { status: order.status });
        }
        await closeUnpaidOrder(app.db, deps, tenantId, order.id, 'cancelled', { customerId: id });
        return presentOrder(app.db, tenantId, order.id, 'customer');
      },
    );
    app.post(
      '/me/shop/orders/:id/receipt',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'Confirm a shipped order arrived (已收货)',
          ...secured,
          params: IdParamsSchema,
          response: { 200: ShopOrderSchema, ...errors },
        },
      },
      async (request) => {
        await receiveOrder(app.db, deps, request.customer, request.params.id);
        return presentOrder(app.db, request.customer.tenantId, request.params.id, 'customer');
      },
    );
    app.post(
      '/me/shop/orders/:id/after-sales',
      {
        onRequest: app.requireCustomer,
        schema: {
          tags,
          summary: 'Ask for a refund (售后) of the whole order or some lines, with a reason',
          description:
            'A service voucher that is a line of a bill not yet settled is not given back: 409 VOUCHER_ON_OPEN_BILL ' +
            '{lineId, voucherId, billId, billNumber, billStatus} (some vouchers of a line: free ones are taken first).',
          ...secured,
          headers: IdempotencyHeadersSchema,
          params: IdParamsSchema,
          body: AfterSaleRequestSchema,
          response: { 201: ShopOrderSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { id, outRefundNo, review } = await requestAfterSale(
          app.db,
          deps,
          request.customer,
          request.params.id,
          request.body,
          idem(request, request.customer.id),
        );
        if (review) {
          // It waits in 审批: the store's managers and the owner get the same WeChat nudge as other requests.
          alertManagersLater(
            app.db,
            app.messaging,
            {
              tenantId: request.customer.tenantId,
              storeId: review.storeId,
              kind: 'after_sale',
              itemId: id,
              title: '商城售后申请',
              who: review.customerName ?? '顾客',
              reference: review.orderNumber,
              at: review.at,
            },
            request.log,
          );
        }
        if (outRefundNo && deps.wechat) {
          // Approved on arrival (no review): sent after the commit; reconciliation retries a failure.
          await deps.wechat
            .sendRefund(request.customer.tenantId, outRefundNo)
            .catch((error: unknown) => app.log.warn({ err: error, outRefundNo }, 'WeChat refund not sent yet'));
        }
        return reply
          .status(201)
          .send(await presentOrder(app.db, request.customer.tenantId, request.params.id, 'customer'));
      },
    );

    // ── staff: catalogue ────────────────────────────────────────────────────────────────────────────
    app.get(
      '/staff/shop/catalogue',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'Every category and item, on sale or not, with stock per store',
          ...secured,
          response: { 200: ShopCatalogueSchema, ...errors },
        },
      },
      async (request) => catalogue(app.db, request.staff.tenantId, { tierId: null, tierName: null, all: true }),
    );
    app.post(
      '/staff/shop/categories',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Add a category (audited)',
          ...secured,
          body: ShopCategoryRequestSchema,
          response: { 201: ShopCategorySchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await saveCategory(app.db, request.staff, request.body, null)),
    );
    app.put(
      '/staff/shop/categories/:id',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Rename or reorder a category (audited)',
          ...secured,
          params: IdParamsSchema,
          body: ShopCategoryRequestSchema,
          response: { 200: ShopCategorySchema, ...errors },
        },
      },
      async (request) => saveCategory(app.db, request.staff, request.body, request.params.id),
    );
    app.post(
      '/staff/shop/items',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Add an item (audited)',
          ...secured,
          body: ShopItemRequestSchema,
          response: { 201: ShopItemSchema, ...errors },
        },
      },
      async (request, reply) => {
        const id = await saveItem(app.db, request.staff, request.body, null);
        return reply.status(201).send(await presentItem(app.db, request.staff.tenantId, id, null));
      },
    );
    app.put(
      '/staff/shop/items/:id',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Change an item: prices, text, image, on/off sale, order (audited)',
          ...secured,
          params: IdParamsSchema,
          body: ShopItemRequestSchema,
          response: { 200: ShopItemSchema, ...errors },
        },
      },
      async (request) => {
        await saveItem(app.db, request.staff, request.body, request.params.id);
        return presentItem(app.db, request.staff.tenantId, request.params.id, null);
      },
    );
    app.put(
      '/staff/shop/items/:id/stock',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: "Set a store's stock of a product (audited)",
          ...secured,
          params: IdParamsSchema,
          body: ShopStockRequestSchema,
          response: { 200: ShopItemSchema, ...errors },
        },
      },
      async (request) => {
        assertStoreAccess(request.staff.storeIds, request.body.storeId);
        await setStock(app.db, request.staff, request.params.id, request.body);
        return presentItem(app.db, request.staff.tenantId, request.params.id, null);
      },
    );

    // ── staff: fulfilment ───────────────────────────────────────────────────────────────────────────
    app.get(
      '/staff/shop/orders',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'Orders of the stores the caller works at (filter by status or store)',
          ...secured,
          querystring: ShopOrdersQuerySchema,
          response: { 200: ShopOrderListSchema, ...errors },
        },
      },
      async (request) => {
        const { storeIds, tenantId } = request.staff;
        if (request.query.storeId) assertStoreAccess(storeIds, request.query.storeId, 'querystring.storeId');
        return {
          items: await presentOrders(
            app.db,
            tenantId,
            and(
              inArray(shopOrders.storeId, request.query.storeId ? [request.query.storeId] : storeIds),
              request.query.status ? eq(shopOrders.status, request.query.status) : undefined,
            ),
            staffOrderViewer(request.staff),
          ),
        };
      },
    );
    app.get(
      '/staff/shop/orders/:id',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'One order of a store the caller works at',
          ...secured,
          params: IdParamsSchema,
          response: { 200: ShopOrderSchema, ...errors },
        },
      },
      async (request) => {
        await staffOrderRow(app.db, request.staff, request.params.id);
        return presentOrder(app.db, request.staff.tenantId, request.params.id, staffOrderViewer(request.staff));
      },
    );
    app.post(
      '/staff/shop/pickups',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'Hand over an order: the pickup code the customer shows, at the store it waits at (核销)',
          ...secured,
          body: PickupRequestSchema,
          response: { 200: ShopOrderSchema, ...errors },
        },
      },
      async (request) => {
        const orderId = await collectByCode(app.db, deps, request.staff, request.body);
        return presentOrder(app.db, request.staff.tenantId, orderId, staffOrderViewer(request.staff));
      },
    );
    app.post(
      '/staff/shop/orders/:id/shipment',
      {
        onRequest: app.requireStaff,
        schema: {
          tags,
          summary: 'Mark an order shipped, with a tracking note (发货)',
          ...secured,
          params: IdParamsSchema,
          body: ShipRequestSchema,
          response: { 200: ShopOrderSchema, ...errors },
        },
      },
      async (request) => {
        await shipOrder(app.db, deps, request.staff, request.params.id, request.body.trackingNote);
        return presentOrder(app.db, request.staff.tenantId, request.params.id, staffOrderViewer(request.staff));
      },
    );

    // ── staff: after-sale ───────────────────────────────────────────────────────────────────────────
    app.get(
      '/staff/shop/after-sales',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: "After-sale requests of the caller's stores, waiting ones first, a page at a time (keyset)",
          ...secured,
          querystring: AfterSalesQuerySchema,
          response: { 200: AfterSaleListSchema, ...errors },
        },
      },
      async (request) => afterSalePage(app.db, request.staff, request.query),
    );
    app.get(
      '/staff/shop/after-sales/:id',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: "One after-sale request of the caller's stores (another store's or salon's is 404)",
          ...secured,
          params: IdParamsSchema,
          response: { 200: AfterSaleSchema, ...errors },
        },
      },
      async (request) => afterSaleById(app.db, request.staff, request.params.id),
    );
    app.post(
      '/staff/shop/after-sales/:id/decision',
      {
        onRequest: app.requireManager,
        schema: {
          tags,
          summary: 'Approve (money back to each tender) or refuse an after-sale request',
          description:
            'Approving while a voucher of the request is on a bill not yet settled is 409 VOUCHER_ON_OPEN_BILL and ' +
            'the request keeps waiting; one used since is 422 VOUCHER_NOT_USABLE.',
          ...secured,
          headers: IdempotencyHeadersSchema,
          params: IdParamsSchema,
          body: AfterSaleDecisionSchema,
          response: { 200: ShopOrderSchema, ...errors },
        },
      },
      async (request) => {
        const { orderId, outRefundNo } = await decideAfterSale(
          app.db,
          deps,
          request.staff,
          request.params.id,
          request.body,
          idem(request, request.staff.tenantId),
        );
        if (outRefundNo && deps.wechat) {
          // Sent after the commit; a failure is retried by the payments reconciliation.
          await deps.wechat
            .sendRefund(request.staff.tenantId, outRefundNo)
            .catch((error: unknown) => app.log.warn({ err: error, outRefundNo }, 'WeChat refund not sent yet'));
        }
        return presentOrder(app.db, request.staff.tenantId, orderId, staffOrderViewer(request.staff));
      },
    );
  };
}
