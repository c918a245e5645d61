import { request } from '@lumi/mini';
import type {
  Campaign,
  CampaignList,
  CampaignResults,
  CreateCampaignRequest,
  Dashboard,
  FrequencyCap,
  Group,
  GroupPreview,
  GroupRequest,
  GroupRules,
  SegmentCode,
  SegmentMemberPage,
  TierProgram,
} from '@lumi/shared';

/** 客群: segment sizes and spend, transitions, tiers, top customers and the stored-value liability. */
export function getDashboard(): Promise<Dashboard> {
  return request<Dashboard>('/staff/segmentation/dashboard', { toast: false });
}

export function getSegmentCustomers(segment: SegmentCode, cursor?: string): Promise<SegmentMemberPage> {
  const query = `limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  return request<SegmentMemberPage>(`/staff/segmentation/segments/${segment}/customers?${query}`, { toast: false });
}

export type CampaignSummary = CampaignList['items'][number];

export function listCampaigns(): Promise<CampaignList> {
  return request<CampaignList>('/staff/segmentation/campaigns', { toast: false });
}

export function getCampaign(id: string): Promise<Campaign> {
  return request<Campaign>(`/staff/segmentation/campaigns/${encodeURIComponent(id)}`, { toast: false });
}

/** A draft: nothing is sent until it is scheduled. */
export function createCampaign(body: CreateCampaignRequest): Promise<Campaign> {
  return request<Campaign>('/staff/segmentation/campaigns', { method: 'POST', data: body, toast: false });
}

/** Send now (no `at`) or at a time; the messages go out from the server's job. */
export function scheduleCampaign(id: string, at?: string): Promise<Campaign> {
  return request<Campaign>(`/staff/segmentation/campaigns/${encodeURIComponent(id)}/schedule`, {
    method: 'POST',
    data: at ? { at } : {},
    toast: false,
  });
}

/** Stops a campaign: a draft or one waiting for its time is never sent; what was sent stays recorded. */
export function cancelCampaign(id: string): Promise<Campaign> {
  return request<Campaign>(`/staff/segmentation/campaigns/${encodeURIComponent(id)}/cancel`, {
    method: 'POST',
    data: {},
    toast: false,
  });
}

export function getCampaignResults(id: string): Promise<CampaignResults> {
  return request<CampaignResults>(`/staff/segmentation/campaigns/${encodeURIComponent(id)}/results`, {
    toast: false,
  });
}

/**
 * How many customers a rule set matches right now (the audience's live count); with the campaign's frequency
 * cap, also those at the cap, who would get no message.
 */
export function previewAudience(rules: GroupRules, frequencyCap: FrequencyCap | null): Promise<GroupPreview> {
  return request<GroupPreview>('/staff/segmentation/groups/preview', {
    method: 'POST',
    data: frequencyCap ? { rules, frequencyCap } : { rules },
    toast: false,
  });
}

/** Saves a custom group (a campaign's audience is a saved group, evaluated when the campaign starts). */
export function createGroup(body: GroupRequest): Promise<Group> {
  return request<Group>('/staff/segmentation/groups', { method: 'POST', data: body, toast: false });
}

/** The tier ladder (a custom group may pick tiers). */
export function getTierProgram(): Promise<TierProgram> {
  return request<TierProgram>('/staff/segmentation/tiers', { toast: false });
}
