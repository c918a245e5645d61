/**
 * Who may call each route, and what its ids reach: the authorization matrix the route-table tests hold the app
 * to. Every route the app registers must have an entry here, so a new route cannot ship without a decision.
 */

/** The least a caller must be: `manager` means a manager or the owner. */
export type Caller = 'public' | 'customer' | 'staff' | 'manager';

/** What the `:id` path parameter of a route names. */
export type Resource =
  | 'customer'
  | 'bill'
  | 'transfer'
  | 'group'
  | 'campaign'
  | 'creditRequest'
  | 'collectionTask'
  | 'dispute'
  | 'approvalRequest'
  | 'payment'
  | 'shopCategory'
  | 'shopItem'
  | 'shopOrder'
  | 'afterSale';

export interface RouteAccess {
  caller: Caller;
  /**
   * `named`: the request names someone's records (path or body ids), so a caller from another tenant, or
   * another customer, must be turned away. `own`: it acts on the caller's own records only; another caller of
   * the same kind is legitimate and must simply never see the victim's records. `tenant`: it names the
   * tenant's records every one of its customers may use (an item on sale, a store), so only a customer of
   * another tenant is turned away.
   */
  scope: 'own' | 'named' | 'tenant';
  /** The records belong to one store: staff who do not work there are turned away too. */
  store?: boolean;
  id?: Resource;
}

const PUBLIC: RouteAccess = { caller: 'public', scope: 'own' };
const customerOwn: RouteAccess = { caller: 'customer', scope: 'own' };
const customerNamed = (id: Resource): RouteAccess => ({ caller: 'customer', scope: 'named', id });
const customerTenant = (id?: Resource): RouteAccess => ({ caller: 'customer', scope: 'tenant', id });
const staffOwn: RouteAccess = { caller: 'staff', scope: 'own' };
const managerOwn: RouteAccess = { caller: 'manager', scope: 'own' };
const staffNamed = (id?: Resource, store = false): RouteAccess => ({ caller: 'staff', scope: 'named', id, store });
const managerNamed = (id?: Resource, store = false): RouteAccess => ({ caller: 'manager', scope: 'named', id, store });
const atStore = true;

export const ROUTE_ACCESS: Record<string, RouteAccess> = {
  'OPTIONS *': PUBLIC,
  'GET /docs/': PUBLIC,
  'GET /docs/static/index.html': PUBLIC,
  'GET /docs/static/swagger-initializer.js': PUBLIC,
  'GET /docs/json': PUBLIC,
  'GET /docs/yaml': PUBLIC,
  'GET /docs/static/*': PUBLIC,
  // The API root only redirects to the documentation.
  'GET /': PUBLIC,
  'GET /healthz': PUBLIC,
  'GET /readyz': PUBLIC,
  'POST /auth/customer/wechat': PUBLIC,
  'POST /auth/staff/login': PUBLIC,
  'POST /auth/refresh': PUBLIC,
  'POST /auth/logout': PUBLIC,
  // WeChat Pay calls back unauthenticated; the body's signature is what it is checked by.
  'POST /payments/wechat/notify': PUBLIC,

  'GET /me': customerOwn,
  'POST /me/member-code': customerOwn,
  'POST /me/phone': customerOwn,
  'GET /me/wallet': customerOwn,
  'GET /me/entries': customerOwn,
  'GET /me/statement': customerOwn,
  'GET /me/top-up-plans': customerOwn,
  'GET /me/points': customerOwn,
  'GET /me/credit': customerOwn,
  'POST /me/payments/top-ups': customerOwn,
  'POST /me/payments/credit-repayments': customerOwn,
  'GET /me/payments/:outTradeNo': customerNamed('payment'),
  'GET /me/bills': customerOwn,
  'GET /me/bills/:id': customerNamed('bill'),
  'GET /me/bills/:id/receipt': customerNamed('bill'),
  'POST /me/bills/:id/confirmation': customerNamed('bill'),
  'POST /me/bills/:id/payments': customerNamed('bill'),
  'POST /me/bills/:id/decline': customerNamed('bill'),
  'POST /me/bills/:id/disputes': customerNamed('bill'),
  'GET /me/disputes': customerOwn,
  'GET /me/coupons': customerOwn,
  'GET /me/tier': customerOwn,
  'GET /me/tier/ladder': customerOwn,
  'GET /me/campaigns': customerOwn,
  'POST /me/campaigns/:id/opened': customerNamed('campaign'),
  'POST /me/campaigns/:id/feedback': customerNamed('campaign'),
  'GET /me/subscriptions/templates': customerOwn,
  'POST /me/subscriptions': customerOwn,
  'GET /me/subscriptions': customerOwn,
  'GET /me/consents': customerOwn,
  'POST /me/consents/withdrawal': customerOwn,
  'GET /me/messages': customerOwn,
  // Marks only the caller's own notices: another customer's ids match nothing.
  'POST /me/messages/read': customerOwn,
  // The shop: the catalogue and its items are the tenant's, for any of its customers; a customer's orders and
  // after-sale requests are her own, and anyone else's order is not found.
  'GET /me/shop/catalogue': customerOwn,
  'GET /me/shop/items/:id': customerTenant('shopItem'),
  'GET /me/shop/cart': customerOwn,
  'PUT /me/shop/cart/lines': customerTenant(),
  // Names the tenant's store (checked first), her coupon and points-priced items of her cart.
  'POST /me/shop/orders': customerTenant(),
  'GET /me/shop/orders': customerOwn,
  'GET /me/shop/orders/:id': customerNamed('shopOrder'),
  'POST /me/shop/orders/:id/payments': customerNamed('shopOrder'),
  'POST /me/shop/orders/:id/cancel': customerNamed('shopOrder'),
  'POST /me/shop/orders/:id/receipt': customerNamed('shopOrder'),
  'POST /me/shop/orders/:id/after-sales': customerNamed('shopOrder'),
  'GET /me/shop/vouchers': customerOwn,
  // Prices her own cart, in a rolled-back transaction: an item id not in it is refused as invalid (400).
  'POST /me/shop/quote': customerOwn,
  // Pictures of the shop's items, as public as the mini-program's own assets.
  'GET /shop-images/:name': PUBLIC,
  // Uploaded pictures too (the mini-program's Image sends no token); the path names the tenant, whose own it must be.
  'GET /shop-images/:tenantId/:file': PUBLIC,

  'GET /staff/me': staffOwn,
  'POST /staff/me/wechat': staffOwn,
  'GET /staff/catalog': staffOwn,
  'GET /staff/top-up-plans': staffOwn,
  'GET /staff/customers': staffOwn,
  'GET /staff/customers/:id': staffNamed('customer'),
  'POST /staff/customers': staffOwn,
  // The code names a customer, but only through a signature: another tenant's code is refused as invalid (422).
  'POST /staff/customers/member-code': staffOwn,
  'GET /staff/customers/:customerId/notes': staffNamed(),
  'POST /staff/customers/:customerId/notes': staffNamed(),
  'GET /staff/stores/:storeId/team': staffNamed(undefined, atStore),
  'GET /staff/customers/:customerId/wallet': staffNamed(),
  'GET /staff/customers/:customerId/entries': staffNamed(),
  'GET /staff/customers/:customerId/statement': staffNamed(),
  'POST /staff/customers/:customerId/top-ups': staffNamed(undefined, atStore),
  'POST /staff/customers/:customerId/wechat-top-ups': staffNamed(undefined, atStore),
  'GET /staff/customers/:customerId/wechat-top-ups/:outTradeNo': staffNamed(undefined),
  'GET /staff/customers/:customerId/wechat-top-ups/:outTradeNo/code': staffNamed(undefined),
  'POST /staff/customers/:customerId/spends': staffNamed(undefined, atStore),
  'POST /staff/customers/:customerId/package-cards': staffNamed(undefined, atStore),
  'POST /staff/customers/:customerId/package-cards/:cardId/consumptions': staffNamed(undefined, atStore),
  'POST /staff/customers/:customerId/package-cards/:cardId/transfers': managerNamed(),
  'POST /staff/customers/:customerId/points-redemptions': staffNamed(undefined, atStore),
  'POST /staff/customers/:customerId/points-adjustments': managerNamed(),
  'POST /staff/customers/:customerId/stored-value-adjustments': managerNamed(),
  'POST /staff/customers/:customerId/top-up-refunds': managerNamed(undefined, atStore),
  'POST /staff/transfers/:id/reversal': managerNamed('transfer'),
  'GET /staff/ledger/verify': managerOwn,

  'GET /staff/customers/:customerId/credit': staffNamed(),
  'GET /staff/customers/:customerId/credit/suggestion': staffNamed(),
  'GET /staff/customers/:customerId/credit/reminders': staffNamed(),
  'POST /staff/customers/:customerId/credit-sales': staffNamed(undefined, atStore),
  'POST /staff/customers/:customerId/credit-repayments': staffNamed(undefined, atStore),
  'POST /staff/customers/:customerId/credit-requests': staffNamed(),
  'GET /staff/customers/:customerId/credit-requests/waiting': staffNamed(),
  'GET /staff/credit-requests': staffOwn,
  'GET /staff/credit-requests/:id': staffNamed('creditRequest'),
  'POST /staff/credit-requests/:id/approve': managerNamed('creditRequest'),
  'POST /staff/credit-requests/:id/reject': managerNamed('creditRequest'),
  'PUT /staff/customers/:customerId/credit-line/limit': managerNamed(),
  'POST /staff/customers/:customerId/credit-line/freeze': managerNamed(),
  'POST /staff/customers/:customerId/credit-line/unfreeze': managerNamed(),
  'GET /staff/credit/aging': managerOwn,
  'GET /staff/credit/collections': managerOwn,
  'POST /staff/customers/:customerId/collection-tasks': managerNamed(),
  'GET /staff/collection-tasks': staffOwn,
  'POST /staff/collection-tasks/:id/outcome': staffNamed('collectionTask'),
  'GET /staff/credit/settings': managerOwn,
  'PUT /staff/credit/settings': managerOwn,

  'POST /staff/payments/:outTradeNo/refunds': managerNamed('payment'),
  'GET /staff/payments': managerOwn,
  'GET /staff/payments/reconciliation': managerOwn,
  'POST /staff/payments/reconciliation': managerOwn,
  'GET /staff/audit': managerOwn,

  'POST /staff/bills': staffNamed(undefined, atStore),
  'GET /staff/bills': staffOwn,
  'GET /staff/bills/:id': staffNamed('bill', atStore),
  'GET /staff/bills/:id/receipt': staffNamed('bill', atStore),
  'POST /staff/bills/:id/settlement': staffNamed('bill', atStore),
  'POST /staff/bills/:id/void': staffNamed('bill', atStore),
  'POST /staff/bills/:id/cancel': staffNamed('bill', atStore),
  'POST /staff/bills/:id/refunds': staffNamed('bill', atStore),
  'GET /staff/checkout/settings': staffOwn,
  'PUT /staff/checkout/settings': managerOwn,
  'GET /staff/disputes': managerOwn,
  'POST /staff/disputes/:id/resolution': managerNamed('dispute'),
  'POST /staff/bills/:id/approval-requests': staffNamed('bill', atStore),
  'POST /staff/approval-requests/discounts': staffNamed(undefined, atStore),
  'POST /staff/approval-requests/package-transfers': staffNamed(undefined, atStore),
  'GET /staff/approval-requests': staffOwn,
  'GET /staff/approval-requests/:id': staffNamed('approvalRequest', atStore),
  'POST /staff/approval-requests/:id/approve': managerNamed('approvalRequest', atStore),
  'POST /staff/approval-requests/:id/reject': managerNamed('approvalRequest', atStore),
  'GET /staff/inbox': managerOwn,
  'GET /staff/inbox/decided': managerOwn,
  'GET /staff/reports': managerOwn,
  'GET /staff/commissions': staffOwn,
  'GET /staff/commissions/mine': staffOwn,
  'GET /staff/takings': staffNamed(undefined, atStore),

  'GET /staff/segmentation/settings': managerOwn,
  'PATCH /staff/segmentation/settings/rfm': managerOwn,
  'GET /staff/segmentation/tiers': staffOwn,
  'PUT /staff/segmentation/tiers': managerOwn,
  'POST /staff/segmentation/recompute': managerOwn,
  'GET /staff/segmentation/dashboard': managerOwn,
  'GET /staff/segmentation/transitions': managerOwn,
  'GET /staff/segmentation/segments': managerOwn,
  'GET /staff/segmentation/segments/:segment/customers': managerOwn,
  'POST /staff/segmentation/groups/preview': managerOwn,
  'GET /staff/segmentation/groups': managerOwn,
  'POST /staff/segmentation/groups': managerOwn,
  'GET /staff/segmentation/groups/:id': managerNamed('group'),
  'PUT /staff/segmentation/groups/:id': managerNamed('group'),
  'DELETE /staff/segmentation/groups/:id': managerNamed('group'),
  'GET /staff/segmentation/groups/:id/customers': managerNamed('group'),
  'GET /staff/customers/:customerId/value': staffNamed(),
  'GET /staff/customers/:customerId/coupons': staffNamed(),
  'POST /staff/customers/:customerId/coupons': managerNamed(),
  'POST /staff/segmentation/campaigns': managerNamed(),
  'GET /staff/segmentation/campaigns': managerOwn,
  'GET /staff/segmentation/campaigns/:id': managerNamed('campaign'),
  'POST /staff/segmentation/campaigns/:id/schedule': managerNamed('campaign'),
  'POST /staff/segmentation/campaigns/:id/cancel': managerNamed('campaign'),
  'GET /staff/segmentation/campaigns/:id/results': managerNamed('campaign'),
  'GET /staff/segmentation/campaigns/:id/messages': managerNamed('campaign'),
  'GET /staff/segmentation/campaigns/:id/feedback': staffNamed('campaign'),
  'GET /staff/shop/catalogue': staffOwn,
  'POST /staff/shop/categories': managerOwn,
  'PUT /staff/shop/categories/:id': managerNamed('shopCategory'),
  'POST /staff/shop/items': managerNamed(),
  'PUT /staff/shop/items/:id': managerNamed('shopItem'),
  'PUT /staff/shop/items/:id/stock': managerNamed('shopItem', atStore),
  'GET /staff/shop/orders': staffOwn,
  'GET /staff/shop/orders/:id': staffNamed('shopOrder', atStore),
  'POST /staff/shop/pickups': staffNamed(undefined, atStore),
  'POST /staff/shop/orders/:id/shipment': staffNamed('shopOrder', atStore),
  'GET /staff/shop/after-sales': managerOwn,
  'POST /staff/shop/after-sales/:id/decision': managerNamed('afterSale', atStore),
  'GET /staff/shop/settings': staffOwn,
  'PUT /staff/shop/settings': managerOwn,
  'GET /staff/customers/:customerId/shop-vouchers': staffNamed(),
  'POST /staff/shop/images': managerOwn,
  'GET /staff/shop/after-sales/:id': managerNamed('afterSale', atStore),
  'GET /staff/brand/settings': managerOwn,
  'PUT /staff/brand/settings': managerOwn,
  'GET /staff/messaging/settings': managerOwn,
  'PUT /staff/messaging/settings': managerOwn,
  'GET /staff/settings/top-up-plans': managerOwn,
  'POST /staff/settings/top-up-plans': managerNamed(),
  'PUT /staff/settings/top-up-plans/:id': managerNamed(),
  'POST /staff/settings/top-up-plans/:id/withdraw': managerNamed(),
  'GET /staff/settings/message-texts': managerOwn,
  'PUT /staff/settings/message-texts/:purpose': managerOwn,
  'POST /staff/settings/message-texts/:purpose/reset': managerOwn,
};
