import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { bearer } from './harness.ts';

/** Set-up requests as `token`'s principal, each with its own Idempotency-Key: the JSON body, or a throw. */
export const setupCaller =
  (app: FastifyInstance, token: string) => async (method: string, url: string, payload?: unknown) => {
    const res = await app.inject({
      method: method as 'POST',
      url,
      headers: { ...bearer(token), 'idempotency-key': `setup-${randomUUID()}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    if (res.statusCode >= 300) throw new Error(`setup ${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.json();
  };

type SetupCall = ReturnType<typeof setupCaller>;

/** The shop records of the victim tenant that shop routes name, by path, body field or pickup code. */
export interface VictimShop {
  shopCategory: string;
  shopItem: string;
  shopOrder: string;
  orderLineId: string;
  afterSale: string;
  pickupCode: string;
}

/**
 * Tenant A's shop as its customer uses it at `store`: a category with a product (stock there, a points price),
 * a paid pickup order of two, an after-sale request for one of them waiting for a manager, and the product
 * back in her cart — so every shop route has a real record of hers to name, and the owner's own requests reach
 * it.
 */
export async function createVictimShop(asOwner: SetupCall, asCustomer: SetupCall, store: string): Promise<VictimShop> {
  const category = await asOwner('POST', '/staff/shop/categories', { name: '护肤', sortOrder: 1 });
  const item = await asOwner('POST', '/staff/shop/items', {
    categoryId: category.id,
    kind: 'product',
    name: '玻尿酸精华',
    listPriceFen: 10_000,
    pointsPrice: 5_000,
  });
  await asOwner('PUT', `/staff/shop/items/${item.id}/stock`, { storeId: store, quantity: 10 });
  await asCustomer('PUT', '/me/shop/cart/lines', { itemId: item.id, quantity: 2 });
  const order = await asCustomer('POST', '/me/shop/orders', {
    storeId: store,
    fulfilment: 'pickup',
    tenders: [{ method: 'stored_value', amountFen: 20_000 }],
  });
  const asked = await asCustomer('POST', `/me/shop/orders/${order.id}/after-sales`, {
    lines: [{ lineId: order.lines[0].id, quantity: 1 }],
    reason: '买多了一瓶',
  });
  // Her quote names the item by its points price, which only counts for an item in her cart.
  await asCustomer('PUT', '/me/shop/cart/lines', { itemId: item.id, quantity: 1 });
  return {
    shopCategory: category.id,
    shopItem: item.id,
    shopOrder: order.id,
    orderLineId: order.lines[0].id,
    afterSale: asked.afterSales[0].id,
    pickupCode: order.pickupCode,
  };
}
