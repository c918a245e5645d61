import { request } from '@lumi/mini';
import type {
  BrandSettings,
  CheckoutSettings,
  MessagingSettings,
  TenantCreditSettings,
  UpdateBrandSettingsRequest,
  UpdateCheckoutSettingsRequest,
  UpdateCreditSettingsRequest,
  UpdateMessagingSettingsRequest,
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

export function getMessagingSettings(): Promise<MessagingSettings> {
  return request<MessagingSettings>('/staff/messaging/settings', { toast: false });
}

/** Which bill events customers are told about and whether an SMS stands in for WeChat (manager, audited). */
export function updateMessagingSettings(changes: UpdateMessagingSettingsRequest): Promise<MessagingSettings> {
  return request<MessagingSettings>('/staff/messaging/settings', { method: 'PUT', data: changes, toast: false });
}
