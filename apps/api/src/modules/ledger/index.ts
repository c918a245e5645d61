export {
  customerWalletAccounts,
  HouseAccounts,
  provisionHouseAccounts,
  walletAccountsRead,
  walletAccountsSql,
} from './accounts.ts';
export type { LedgerDeps, PackagePlanSource, PackagePlanTerms, Posting } from './context.ts';
export { reverseTransfer } from './operations/corrections.ts';
export { type CustomerMerge, type MovedBalances, moveCustomerBalances } from './operations/customer-merge.ts';
export { customerView } from './chart.ts';
export { historyNow, importingHistory } from '../../db/history-time.ts';
export { applyPointsDelta, earnedPointsLotSql } from './operations/points-lots.ts';
export {
  consumeSessions,
  expirePackageCards,
  issueGiftPackageCard,
  newPackageCard,
  packageCardTakeBack,
  packageSessionReturn,
  packageSessionUse,
  sellPackageCard,
  shanghaiDate,
  transferPackageCard,
} from './operations/package-cards.ts';
export { pointsTenderLegs } from './operations/points.ts';
export { tenderLeg } from './operations/tenders.ts';
export { ledgerSettings, POINTS_DAY_MS, pointsForSpend } from './context.ts';
export { holdTopUpRefund, settleWechatRefund, type TopUpRefundHold } from './operations/payment-refunds.ts';
export { expirePoints } from './operations/points.ts';
export { spendStoredValue } from './operations/spend.ts';
export { SpendContexts } from './operations/spend-context.ts';
export { DEFAULT_SLOTS, PostingBatches } from './post-batches.ts';
export { postedUnderKey, rollbackToReplay, unwrapReplay } from './operations/replay.ts';
export {
  type ClaimOutcome,
  checkIdempotencyKey,
  claimIdempotencyKey,
  claimKeySql,
  claimOutcome,
  type KeyClaim,
  keyReused,
} from './idempotency-keys.ts';
export { topUp } from './operations/top-up.ts';
export {
  type Leg,
  type PostedTransfer,
  placeHolds,
  postTransfer,
  postTransferWithin,
  releaseHolds,
  requestHash,
  type StoredValueSpend,
  type TransferInput,
} from './post.ts';
export { myPoints } from './reads/points.ts';
export { getWallet } from './reads/wallet.ts';
export { ledgerRoutes } from './routes.ts';
export { topUpPlans } from './tables.ts';
export { verifyLedger } from './verify.ts';
