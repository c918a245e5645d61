import { request } from '@lumi/mini';
import type { CampaignFeedbackRequest, MyMessageList, MyCampaignSchema } from '@lumi/shared';

/** A campaign offer as the app shows it; @lumi/shared exports only the schema. */
export type MyCampaign = ReturnType<(typeof MyCampaignSchema)['parse']>;

/** My notices (bill events, credit reminders, tier changes), newest first, with how many are unread. */
export function getMyMessages(): Promise<MyMessageList> {
  return request<MyMessageList>('/me/messages', { toast: false });
}

export function markMessagesRead(ids: number[]): Promise<MyMessageList> {
  return request<MyMessageList>('/me/messages/read', { method: 'POST', data: { ids }, toast: false });
}

/** The campaign offers I may see (with the coupon and survey). */
export async function getMyCampaigns(): Promise<MyCampaign[]> {
  return (await request<{ items: MyCampaign[] }>('/me/campaigns', { toast: false })).items;
}

/** Opening an offer counts for the campaign's results; opening it twice counts once. */
export function markCampaignOpened(campaignId: string): Promise<unknown> {
  return request(`/me/campaigns/${encodeURIComponent(campaignId)}/opened`, { method: 'POST', toast: false });
}

export function sendCampaignFeedback(campaignId: string, body: CampaignFeedbackRequest): Promise<{ id: number }> {
  return request<{ id: number }>(`/me/campaigns/${encodeURIComponent(campaignId)}/feedback`, {
    method: 'POST',
    data: body,
    toast: false,
  });
}
