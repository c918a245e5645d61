import type { AgingBuckets, CollectionOutcome } from '@lumi/shared';

/** The four overdue buckets in order, as the 逾期 screen and its chart show them. */
export const AGING_BUCKETS: { key: keyof AgingBuckets; label: string }[] = [
  { key: 'days1to30Fen', label: '1–30 天' },
  { key: 'days31to60Fen', label: '31–60 天' },
  { key: 'days61to90Fen', label: '61–90 天' },
  { key: 'days90plusFen', label: '90 天以上' },
];

export const OUTCOME_LABELS: Record<CollectionOutcome, string> = {
  called: '已致电',
  promised: '承诺还款',
  paid: '已还款',
  disputed: '有异议',
};
