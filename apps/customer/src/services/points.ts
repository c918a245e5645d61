import { request } from '@lumi/mini';
import type { EntriesPage, MyPoints } from '@lumi/shared';
import { ENTRIES_PAGE_SIZE } from './wallet.ts';

/** Balance, its worth at the salon's rate, and what expires when (earliest first). */
export function getMyPoints(): Promise<MyPoints> {
  return request<MyPoints>('/me/points', { toast: false });
}

/** One page of my entries in one bucket (points earned and spent, or sessions used), newest first. */
export function getMyBucketEntries(bucket: 'points' | 'sessions', cursor?: number): Promise<EntriesPage> {
  const data: Record<string, number | string> = { bucket, limit: ENTRIES_PAGE_SIZE };
  if (cursor !== undefined) data.cursor = cursor;
  return request<EntriesPage>('/me/entries', { data, toast: false });
}
