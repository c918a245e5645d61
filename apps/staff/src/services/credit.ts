import { request } from '@lumi/mini';
import type { CollectionBoard, CollectionTask, RecordCollectionOutcomeRequest } from '@lumi/shared';

const id = encodeURIComponent;

/** 逾期: overdue customers with their aging buckets, line status, last contact and open tasks. */
export function getCollectionBoard(): Promise<CollectionBoard> {
  return request<CollectionBoard>('/staff/credit/collections', { toast: false });
}

export function recordCollectionOutcome(taskId: string, body: RecordCollectionOutcomeRequest) {
  return request<CollectionTask>(`/staff/collection-tasks/${id(taskId)}/outcome`, {
    method: 'POST',
    data: body,
    toast: false,
  });
}

/** Lifts a freeze (manager, audited with the reason). */
export function unfreezeCreditLine(customerId: string, reason: string): Promise<unknown> {
  return request(`/staff/customers/${id(customerId)}/credit-line/unfreeze`, {
    method: 'POST',
    data: { reason },
    toast: false,
  });
}
