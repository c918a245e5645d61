import { request } from '@lumi/mini';
import type {
  BrandSettings,
  CheckoutSettings,
  TenantCreditSettings,
  UpdateBrandSettingsRequest,
  UpdateCheckoutSettingsRequest,
  UpdateCreditSettingsRequest,
} from '@lumi/shared';

export function getCheckoutSettings(): Promise<CheckoutSettings> {
  return request<CheckoutSettings>('/staff/checkout/settings', { toast: false });
}

/** Only the rules given change (manager, audited). */
export function updateCheckoutSettings(changes: UpdateCheckoutSettingsRequest): Promise<CheckoutSettings> {
  return request<CheckoutSettings>('/staff/checkout/settings', { method: 'PUT', data: changes, toast: false });
}

export function getCreditSettings(): Promise<TenantCreditSettings> {
  return request<TenantCreditSettings>('/staff/credit/settings', { toast: false });
}

export function updateCreditSettings(changes: UpdateCreditSettingsRequest): Promise<TenantCreditSettings> {
  return request<TenantCreditSettings>('/staff/credit/settings', { method: 'PUT', data: changes, toast: false });
}

export function getBrandSettings(): Promise<BrandSettings> {
  return request<BrandSettings>('/staff/brand/settings', { toast: false });
}

/** The salon's colour and the name customers see in the customer mini-program (manager, audited). */
export function updateBrandSettings(changes: UpdateBrandSettingsRequest): Promise<BrandSettings> {
  return request<BrandSettings>('/staff/brand/settings', { method: 'PUT', data: changes, toast: false });
}
