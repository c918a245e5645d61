import { request } from '@lumi/mini';
import type { Coupon, CustomerTier, TierProgram } from '@lumi/shared';

/** All my coupons — usable, used and expired — for 优惠券. */
export async function getMyCoupons(): Promise<Coupon[]> {
  return (await request<{ items: Coupon[] }>('/me/coupons?status=all', { toast: false })).items;
}

/** My tier now, and how much counts toward the next. */
export function getMyTier(): Promise<CustomerTier> {
  return request<CustomerTier>('/me/tier', { toast: false });
}

/** The salon's ladder, lowest first. */
export function getTierLadder(): Promise<TierProgram> {
  return request<TierProgram>('/me/tier/ladder', { toast: false });
}
