/**
 * Segmentation (客户分群): RFM segments with history, membership tiers, custom groups, customer value analysis,
 * the manager dashboard, coupons and wake-up campaigns. Everything over many customers is computed inside
 * PostgreSQL. docs/segmentation.md has the rules.
 */
export { type CampaignConfig, campaignResults, isHoldout, offerFor } from './campaigns.ts';
export {
  couponDiscountFen,
  describeOffer,
  issueCoupon,
  listCoupons,
  redeemCoupon,
  releaseCoupon,
  restoreCoupon,
  reserveCoupon,
} from './coupons.ts';
export { dashboard, listTransitions, segmentListing } from './dashboard.ts';
export { groupCondition, previewGroup } from './groups.ts';
export {
  type NightlyResult,
  recomputeSegmentation,
  runSegmentationCampaigns,
  runSegmentationNightly,
} from './jobs.ts';
export { type SegmentationDeps, segmentationDeps } from './deps.ts';
export { refreshPreferences } from './preferences.ts';
export { customerRfm, quintileScore, recomputeRfm, type RfmRunOptions } from './rfm.ts';
export { segmentationRoutes } from './routes.ts';
export {
  quietUntil,
  runCampaignSend,
  runDueCampaigns,
  type SendOptions,
  type SendOutcome,
  sendTierNotifications,
} from './send.ts';
export { PAID_KINDS, REVENUE_ACCOUNT_KINDS } from './spend.ts';
export {
  customerTier,
  evaluateTiers,
  putTierProgram,
  type TierBenefits,
  tierBenefits,
  tierBenefitsOf,
  tierBenefitsSql,
  tierProgram,
} from './tiers.ts';
export { computeUplift, ratio, roundDiv } from './uplift.ts';
export { customerValue } from './value.ts';
