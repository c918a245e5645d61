import { request } from '@lumi/mini';
import type { CampaignFeedbackList } from '@lumi/shared';

/** What customers answered to a campaign's survey, and the consultations they asked for (newest first). */
export function getCampaignFeedback(campaignId: string): Promise<CampaignFeedbackList> {
  return request<CampaignFeedbackList>(`/staff/segmentation/campaigns/${encodeURIComponent(campaignId)}/feedback`, {
    toast: false,
  });
}
