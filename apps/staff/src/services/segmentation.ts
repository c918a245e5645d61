import { request } from '@lumi/mini';
import type { Dashboard, SegmentCode, SegmentMemberPage } from '@lumi/shared';

/** 客群: segment sizes and spend, transitions, tiers, top customers and the stored-value liability. */
export function getDashboard(): Promise<Dashboard> {
  return request<Dashboard>('/staff/segmentation/dashboard', { toast: false });
}

export function getSegmentCustomers(segment: SegmentCode, cursor?: string): Promise<SegmentMemberPage> {
  const query = `limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  return request<SegmentMemberPage>(`/staff/segmentation/segments/${segment}/customers?${query}`, { toast: false });
}
