import type { AppConfig } from '../../config/index.ts';
import type { MessagingDeps } from '../messaging/index.ts';

/** Segmentation reaches customers through the messaging module; campaigns are sent in batches of this size. */
export interface SegmentationDeps extends MessagingDeps {
  /** Customers handled per batch by the campaign job. */
  campaignBatchSize: number;
  /**
   * Salts every campaign's holdout draw instead of its own id (isHoldout). Only the demo seed sets it, so its
   * campaign holds out the same customers on every run; production draws stay per campaign.
   */
  holdoutSalt?: string;
}

export function segmentationDeps(config: AppConfig, messaging: MessagingDeps): SegmentationDeps {
  return { ...messaging, campaignBatchSize: config.SEGMENTATION_CAMPAIGN_BATCH_SIZE };
}
