import { getMiniConfig, request } from '@lumi/mini';
import type {
  AfterSaleRequest,
  Cart,
  PaymentOrder,
  PlaceShopOrderRequest,
  ShopCatalogue,
  ShopItem,
  ShopOrder,
  ShopOrderList,
  ShopQuote,
  ShopQuoteRequest,
  ShopVoucher,
} from '@lumi/shared';

/** The shop (商城). Errors are left to the pages (no toast). */

export function getCatalogue(): Promise<ShopCatalogue> {
  return request<ShopCatalogue>('/me/shop/catalogue', { toast: false });
}

export function getItem(itemId: string): Promise<ShopItem> {
  return request<ShopItem>(`/me/shop/items/${encodeURIComponent(itemId)}`, { toast: false });
}

export function getCart(): Promise<Cart> {
  return request<Cart>('/me/shop/cart', { toast: false });
}

/** Sets how many of an item are in the cart (0 takes it out); answers with the whole cart. */
export function setCartLine(itemId: string, quantity: number): Promise<Cart> {
  return request<Cart>('/me/shop/cart/lines', { method: 'PUT', data: { itemId, quantity }, toast: false });
}

/** 提交订单: once per key, so a retried tap replays the same order. */
export function placeOrder(body: PlaceShopOrderRequest, idempotencyKey: string): Promise<ShopOrder> {
  return request<ShopOrder>('/me/shop/orders', { method: 'POST', data: body, idempotencyKey, toast: false });
}

export async function getOrders(): Promise<ShopOrder[]> {
  return (await request<ShopOrderList>('/me/shop/orders', { toast: false })).items;
}

export function getOrder(orderId: string): Promise<ShopOrder> {
  return request<ShopOrder>(`/me/shop/orders/${encodeURIComponent(orderId)}`, { toast: false });
}

/** The WeChat Pay order for an order's WeChat part (replayed under a key the API has seen). */
export function createOrderPayment(orderId: string, idempotencyKey: string): Promise<PaymentOrder> {
  return request<PaymentOrder>(`/me/shop/orders/${encodeURIComponent(orderId)}/payments`, {
    method: 'POST',
    idempotencyKey,
    toast: false,
  });
}

export function cancelOrder(orderId: string): Promise<ShopOrder> {
  return request<ShopOrder>(`/me/shop/orders/${encodeURIComponent(orderId)}/cancel`, {
    method: 'POST',
    data: {},
    toast: false,
  });
}

export function confirmReceipt(orderId: string): Promise<ShopOrder> {
  return request<ShopOrder>(`/me/shop/orders/${encodeURIComponent(orderId)}/receipt`, { method: 'POST', toast: false });
}

export function requestAfterSale(orderId: string, body: AfterSaleRequest, idempotencyKey: string): Promise<ShopOrder> {
  return request<ShopOrder>(`/me/shop/orders/${encodeURIComponent(orderId)}/after-sales`, {
    method: 'POST',
    data: body,
    idempotencyKey,
    toast: false,
  });
}

/** Pictures are served by the API itself. */
export const imageUrl = (path: string | null) => (path ? `${getMiniConfig().apiBase}${path}` : '');

/** 试算: the cart's price with this coupon and these items at their points price (nothing is reserved). */
export function quoteOrder(body: ShopQuoteRequest): Promise<ShopQuote> {
  return request<ShopQuote>('/me/shop/quote', { method: 'POST', data: body, toast: false });
}

/** My service vouchers (bought in the shop, used at the salon). */
export async function getMyVouchers(): Promise<ShopVoucher[]> {
  return (await request<{ items: ShopVoucher[] }>('/me/shop/vouchers', { toast: false })).items;
}
