import { request } from '@lumi/mini';
import type {
  AfterSale,
  AfterSaleList,
  ShopCatalogue,
  ShopCategory,
  ShopCategoryRequest,
  ShopImage,
  ShopItem,
  ShopItemRequest,
  ShopOrder,
  ShopOrderList,
  ShopOrderStatus,
  ShopSettings,
  ShopVoucher,
  TierProgram,
  UpdateShopSettingsRequest,
} from '@lumi/shared';

/** The shop's fulfilment, after-sale and stock, for staff. Errors are left to the pages (no toast). */

export async function listShopOrders(storeId: string, status?: ShopOrderStatus): Promise<ShopOrder[]> {
  const data: Record<string, string> = { storeId };
  if (status) data.status = status;
  return (await request<ShopOrderList>('/staff/shop/orders', { data, toast: false })).items;
}

/** 核销: the code the customer shows, at the store the order waits at. */
export function collectByCode(storeId: string, code: string): Promise<ShopOrder> {
  return request<ShopOrder>('/staff/shop/pickups', { method: 'POST', data: { storeId, code }, toast: false });
}

export function shipOrder(orderId: string, trackingNote: string): Promise<ShopOrder> {
  return request<ShopOrder>(`/staff/shop/orders/${encodeURIComponent(orderId)}/shipment`, {
    method: 'POST',
    data: { trackingNote },
    toast: false,
  });
}

/** 售后 of the manager's stores, waiting first, a page at a time (pass nextCursor back). */
export function listAfterSales(cursor: string | undefined): Promise<AfterSaleList> {
  return request<AfterSaleList>('/staff/shop/after-sales', { data: cursor ? { cursor } : {}, toast: false });
}

/** One request by its id, however old (审批 已处理 opens the page with it). */
export function getAfterSale(id: string): Promise<AfterSale> {
  return request<AfterSale>(`/staff/shop/after-sales/${id}`, { toast: false });
}

/** Approving moves money back to each tender: once per key, so a retried tap cannot refund twice. */
export function decideAfterSale(
  afterSaleId: string,
  decision: { approve: boolean; note: string },
  idempotencyKey: string,
): Promise<ShopOrder> {
  return request<ShopOrder>(`/staff/shop/after-sales/${encodeURIComponent(afterSaleId)}/decision`, {
    method: 'POST',
    data: decision,
    idempotencyKey,
    toast: false,
  });
}

export function getShopCatalogue(): Promise<ShopCatalogue> {
  return request<ShopCatalogue>('/staff/shop/catalogue', { toast: false });
}

export function setStock(itemId: string, storeId: string, quantity: number): Promise<ShopItem> {
  return request<ShopItem>(`/staff/shop/items/${encodeURIComponent(itemId)}/stock`, {
    method: 'PUT',
    data: { storeId, quantity },
    toast: false,
  });
}

/** 新增商品 (managers): audited. */
export function createShopItem(item: ShopItemRequest): Promise<ShopItem> {
  return request<ShopItem>('/staff/shop/items', { method: 'POST', data: item, toast: false });
}

/** 上传图片 (managers): a photo chosen on the phone (Taro.chooseImage's path), answered with its imagePath. */
export function uploadShopImage(filePath: string): Promise<ShopImage> {
  return request<ShopImage>('/staff/shop/images', { method: 'POST', file: { filePath, name: 'file' }, toast: false });
}

/** 新增分类 (managers): audited. */
export function createShopCategory(category: ShopCategoryRequest): Promise<ShopCategory> {
  return request<ShopCategory>('/staff/shop/categories', { method: 'POST', data: category, toast: false });
}

/** Rename or reorder a category (managers): audited. */
export function updateShopCategory(categoryId: string, category: ShopCategoryRequest): Promise<ShopCategory> {
  return request<ShopCategory>(`/staff/shop/categories/${encodeURIComponent(categoryId)}`, {
    method: 'PUT',
    data: category,
    toast: false,
  });
}

/** The salon's member tiers (会员等级), for an item's member prices. */
export function getTierProgram(): Promise<TierProgram> {
  return request<TierProgram>('/staff/segmentation/tiers', { toast: false });
}

/** 编辑商品 (managers): the whole item as it should be; audited. */
export function updateShopItem(itemId: string, item: ShopItemRequest): Promise<ShopItem> {
  return request<ShopItem>(`/staff/shop/items/${encodeURIComponent(itemId)}`, {
    method: 'PUT',
    data: item,
    toast: false,
  });
}

export function getShopSettings(): Promise<ShopSettings> {
  return request<ShopSettings>('/staff/shop/settings', { toast: false });
}

/** 商城设置 (managers): only the rules given change; audited. */
export function updateShopSettings(change: UpdateShopSettingsRequest): Promise<ShopSettings> {
  return request<ShopSettings>('/staff/shop/settings', { method: 'PUT', data: change, toast: false });
}

/** A customer's service vouchers bought in the shop, for the till. */
export async function listCustomerVouchers(customerId: string): Promise<ShopVoucher[]> {
  const url = `/staff/customers/${encodeURIComponent(customerId)}/shop-vouchers`;
  return (await request<{ items: ShopVoucher[] }>(url, { toast: false })).items;
}
