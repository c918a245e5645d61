import { request } from '@lumi/mini';
import type {
  BrandSettings,
  CheckoutSettings,
  CreateTopUpPlanRequest,
  ManagedTopUpPlan,
  MessageText,
  MessageTextPurpose,
  MessagingSettings,
  PutTierProgramRequest,
  TenantCreditSettings,
  TierProgram,
  UpdateBrandSettingsRequest,
  UpdateCheckoutSettingsRequest,
  UpdateCreditSettingsRequest,
  UpdateMessagingSettingsRequest,
  UpdateTopUpPlanRequest,
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

export function listManagedTopUpPlans(): Promise<ManagedTopUpPlan[]> {
  return request<ManagedTopUpPlan[]>('/staff/settings/top-up-plans', { toast: false });
}

/** A new 充值方案: the till and the customer app offer it at once (manager, audited). */
export function createTopUpPlan(body: CreateTopUpPlanRequest): Promise<ManagedTopUpPlan> {
  return request<ManagedTopUpPlan>('/staff/settings/top-up-plans', { method: 'POST', data: body, toast: false });
}

/** Name and dates always; the terms only while no customer has used the offer (manager, audited). */
export function updateTopUpPlan(id: string, changes: UpdateTopUpPlanRequest): Promise<ManagedTopUpPlan> {
  return request<ManagedTopUpPlan>(`/staff/settings/top-up-plans/${id}`, {
    method: 'PUT',
    data: changes,
    toast: false,
  });
}

export function withdrawTopUpPlan(id: string): Promise<ManagedTopUpPlan> {
  return request<ManagedTopUpPlan>(`/staff/settings/top-up-plans/${id}/withdraw`, {
    method: 'POST',
    data: {},
    toast: false,
  });
}

export function getTierProgram(): Promise<TierProgram> {
  return request<TierProgram>('/staff/segmentation/tiers', { toast: false });
}

/** The whole ladder: levels with an id are changed, new ones added, missing ones retired (manager, audited). */
export function putTierProgram(body: PutTierProgramRequest): Promise<TierProgram> {
  return request<TierProgram>('/staff/segmentation/tiers', { method: 'PUT', data: body, toast: false });
}

/** 消息模板: the salon's words per purpose, with defaults, placeholders and a preview. */
export function listMessageTexts(): Promise<MessageText[]> {
  return request<MessageText[]>('/staff/settings/message-texts', { toast: false });
}

export function updateMessageText(purpose: MessageTextPurpose, text: string): Promise<MessageText> {
  return request<MessageText>(`/staff/settings/message-texts/${purpose}`, {
    method: 'PUT',
    data: { text },
    toast: false,
  });
}

export function resetMessageText(purpose: MessageTextPurpose): Promise<MessageText> {
  return request<MessageText>(`/staff/settings/message-texts/${purpose}/reset`, { method: 'POST', toast: false });
}
