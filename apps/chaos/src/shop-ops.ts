import type { BankHttp } from './http-client.ts';
import {
  type ClientContext,
  type CustomerModel,
  callAndApply,
  expectStatus,
  newKey,
  pointsFor,
  type WechatOrderModel,
} from './model.ts';
import { payInWechat } from './wechat-ops.ts';

/** The fixture shop's one product (玻尿酸精华), with stock for any run. */
const PRODUCT = { priceFen: 10_000, stock: 100_000 };

type ShopTender = { method: 'stored_value' | 'wechat'; amountFen: number } | { method: 'points'; points: number };

/** A manager of each tenant puts one product on sale with stock at the customers' store, before the faults start. */
export async function openShops(http: BankHttp, customers: CustomerModel[]): Promise<void> {
  const tenants = [...new Set(customers.map((c) => c.tenant))];
  for (const tenant of tenants) {
    const manager = async (method: 'POST' | 'PUT', path: string, body: unknown) => {
      const reply = await http.send({ method, path, token: tenant.managerToken, body }, Date.now() + 60_000);
      if (reply?.status !== 200 && reply?.status !== 201)
        throw new Error(`shop set-up ${path}: ${reply?.status} ${JSON.stringify(reply?.body)}`);
      return reply.body;
    };
    const category = await manager('POST', '/staff/shop/categories', { name: '护肤', sortOrder: 1 });
    const product = await manager('POST', '/staff/shop/items', {
      categoryId: category.id,
      kind: 'product',
      name: '玻尿酸精华',
      listPriceFen: PRODUCT.priceFen,
      tierPrices: [],
    });
    await manager('PUT', `/staff/shop/items/${product.id}/stock`, { storeId: tenant.storeId, quantity: PRODUCT.stock });
    tenant.shopProductId = product.id;
  }
}

/**
 * 商城: the customer puts 1–2 of the product in her cart and orders it for pickup, paying with spare points now
 * and then, stored value when the model says it covers its part, and the rest by WeChat on her phone (the stored
 * value is held until WeChat's payment completes the order). Then, one order in three, she asks for the whole
 * order back (售后) and a manager approves: stored value and points back, the points it earned taken back, the
 * WeChat part refunded through WeChat. What she paid in money earns a point a yuan, as at the till.
 */
export async function shopOrder(ctx: ClientContext): Promise<boolean> {
  const c = ctx.customer;
  const quantity = ctx.rng.int(1, 2);
  // Setting the cart's line is idempotent by itself (no key); unanswered, nothing has moved.
  const cart = await ctx.http.send(
    {
      method: 'PUT',
      path: '/me/shop/cart/lines',
      token: c.token,
      body: { itemId: c.tenant.shopProductId, quantity },
    },
    ctx.deadline,
  );
  if (!cart || !expectStatus(ctx, 'shop cart line', cart, true)) return true;
  const totalFen = quantity * PRODUCT.priceFen;
  const tenders = shopTenders(ctx, totalFen);
  const amount = (method: ShopTender['method']) => {
    const tender = tenders.find((t) => t.method === method);
    if (!tender) return 0;
    return tender.method === 'points' ? tender.points : tender.amountFen;
  };
  const redeemed = amount('points');
  const earned = pointsFor(totalFen - redeemed);
  const wechat = amount('wechat');
  const applyPayment = () => {
    c.totalFen -= amount('stored_value');
    c.points += earned - redeemed;
    ctx.counts.shopOrdersPaid = (ctx.counts.shopOrdersPaid ?? 0) + 1;
  };

  let orderId = '';
  const placed = await callAndApply(
    ctx,
    {
      method: 'POST',
      path: '/me/shop/orders',
      token: c.token,
      idempotencyKey: newKey(ctx, 'shoporder'),
      body: { storeId: c.tenant.storeId, fulfilment: 'pickup', tenders },
    },
    (reply) => {
      if (!expectStatus(ctx, `shop order ${JSON.stringify(tenders)}`, reply, true)) return;
      orderId = reply.body.id;
      const status = wechat > 0 ? 'pending_payment' : 'awaiting_pickup';
      if (reply.body.status !== status) ctx.violations.push(`shop order ${orderId} answered ${reply.body.status}`);
      if (reply.body.totalFen !== totalFen)
        ctx.violations.push(`shop order ${orderId} totals ${reply.body.totalFen}, not ${totalFen}`);
      if (wechat === 0) applyPayment();
    },
  );
  if (!placed || !orderId) return placed;
  let order: WechatOrderModel | undefined;
  if (wechat > 0) {
    const create = {
      method: 'POST' as const,
      path: `/me/shop/orders/${orderId}/payments`,
      token: c.token,
      idempotencyKey: newKey(ctx, 'shoppay'),
    };
    const paid = await payInWechat(ctx, create, 'shop_order', {
      mayLeaveUnpaid: false,
      completed: (o) => {
        order = o;
        applyPayment();
      },
    });
    if (!paid || ctx.pending || !order) return paid;
  }
  if (!ctx.rng.chance(0.35)) return true;
  return refundWholeOrder(ctx, orderId, { storedValue: amount('stored_value'), redeemed, earned, wechat, order });
}

/** Points now and then (only spare ones: see bill-ops), then stored value within the balance, the rest by WeChat. */
function shopTenders(ctx: ClientContext, totalFen: number): ShopTender[] {
  const c = ctx.customer;
  const spare = c.points - c.reversibleSpends.reduce((sum, r) => sum + r.points, 0);
  const points = spare > 0 && ctx.rng.chance(0.3) ? ctx.rng.int(1, Math.min(spare, totalFen - 1)) : 0;
  const rest = totalFen - points;
  const storedValue = ctx.rng.chance(0.5) ? Math.min(rest, c.totalFen) : ctx.rng.int(0, Math.min(rest, c.totalFen));
  const tenders: ShopTender[] = [
    { method: 'points', points },
    { method: 'stored_value', amountFen: storedValue },
    { method: 'wechat', amountFen: rest - storedValue },
  ];
  return tenders.filter((t) => (t.method === 'points' ? t.points : t.amountFen) > 0);
}

async function refundWholeOrder(
  ctx: ClientContext,
  orderId: string,
  paid: { storedValue: number; redeemed: number; earned: number; wechat: number; order: WechatOrderModel | undefined },
): Promise<boolean> {
  const c = ctx.customer;
  let afterSaleId = '';
  const asked = await callAndApply(
    ctx,
    {
      method: 'POST',
      path: `/me/shop/orders/${orderId}/after-sales`,
      token: c.token,
      idempotencyKey: newKey(ctx, 'aftersale'),
      body: { reason: '不想要了，全部退' },
    },
    (reply) => {
      if (!expectStatus(ctx, `after-sale of shop order ${orderId}`, reply, true)) return;
      afterSaleId = reply.body.afterSales?.[0]?.id ?? '';
      if (reply.body.afterSales?.[0]?.status !== 'requested')
        ctx.violations.push(`after-sale of ${orderId} answered ${JSON.stringify(reply.body.afterSales)}`);
    },
  );
  if (!asked || !afterSaleId) return asked;
  return callAndApply(
    ctx,
    {
      method: 'POST',
      path: `/staff/shop/after-sales/${afterSaleId}/decision`,
      token: c.tenant.managerToken,
      idempotencyKey: newKey(ctx, 'decide'),
      body: { approve: true, note: '同意' },
    },
    (reply) => {
      if (!expectStatus(ctx, `approval of after-sale ${afterSaleId}`, reply, true)) return;
      if (reply.body.status !== 'refunded')
        ctx.violations.push(`refunded shop order ${orderId} is ${reply.body.status}`);
      c.totalFen += paid.storedValue;
      c.points += paid.redeemed - paid.earned;
      if (paid.wechat > 0) paid.order?.refundsFen.push(paid.wechat);
      ctx.counts.shopOrdersRefunded = (ctx.counts.shopOrdersRefunded ?? 0) + 1;
    },
  );
}
