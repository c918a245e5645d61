export { getMiniConfig, type InjectedConfig, type MiniConfig } from './config.ts';
export { ApiError, isApiError, isRetryable, userMessage, type AnyErrorCode, type ClientErrorCode } from './errors.ts';
export { LOGIN_PAGE, request, showErrorToast, type RequestOptions } from './request.ts';
export { clearSession, hasSession, readSession, saveSession, type StoredSession } from './session.ts';
export {
  getWechatLoginCode,
  loginCustomerWithWechat,
  loginStaffWithPassword,
  logout,
  type LoginOptions,
} from './auth.ts';
export { requestPayment, type PaymentParams } from './payment.ts';
export { simulatedPhoneCode } from './phone.ts';
export { MAX_SUBSCRIBE_TEMPLATES, requestSubscribeMessage } from './subscribe.ts';
export {
  createWechatPayer,
  payAndConfirm,
  waitForPaymentSuccess,
  type PayableOrder,
  type PayHooks,
  type PollOptions,
  type WechatPayer,
  type WechatPayerOptions,
} from './payment-flow.ts';
export { createAttemptKeys, newIdempotencyKey, type AttemptKeys } from './idempotency.ts';
export {
  formatLedgerAmount,
  groupEntries,
  itemText,
  type EntryGroup,
  type EntryLine,
} from './ledger-format.ts';
export {
  awaitsCustomer,
  billActions,
  billLineView,
  type BillLineView,
  billStatus,
  billStatusLabel,
  disputeStatusLabel,
  disputeWindow,
  refundView,
  sortBillsForCustomer,
  tenderAmountText,
  tenderLabel,
  tenderText,
} from './bill-format.ts';
export {
  couponConditionText,
  couponState,
  couponSummary,
  couponValueText,
  type CouponTerms,
  discountText,
  instalmentView,
  minSpendText,
  multiplierText,
  nextTier,
  packageCardExpiry,
  pointsWithWorth,
  sessionsLeftText,
  type CouponState,
  type InstalmentView,
  type NextTier,
} from './member-format.ts';
export { navigateBackOr } from './navigation.ts';
export { basisPointsToPercentString, formatCount, parsePercentInput } from './numbers.ts';
export { fenToYuanString, formatFen, isFen, MoneyFormatError, parseYuan } from './money.ts';
export { formatChineseDate, formatDate, formatDateTime, todayInShanghai, type DateInput } from './date.ts';
export { useAsync, useRefreshOnReturn, type AsyncState } from './use-async.ts';
export { useKeysetList, type KeysetListState, type KeysetPage } from './use-keyset-list.ts';
export { EmptyState, ErrorState, InlineError, Loading } from './components/state/index.tsx';
export { PageShell, type PageShellProps } from './components/page-shell/index.tsx';
export { type PageTheme, setPageTheme, usePageTheme, useTheme } from './page-theme.ts';
export { MoneyText, type MoneyTextProps } from './components/money-text/index.tsx';
export { ActionButton } from './components/action-button/index.tsx';
export { CodeEntry, type CodeEntryProps } from './components/code-entry/index.tsx';
export { QrCode, type QrCodeProps, qrRuns } from './components/qr-code/index.tsx';
export {
  allocateTenders,
  fillRemaining,
  MAX_TENDER_FEN,
  parsePointsInput,
  parseYuanInput,
  TENDER_METHODS,
  tenderAvailability,
  type AmountInput,
  type TenderAllocation,
  type TenderAvailability,
  type TenderDraft,
  type TenderDrafts,
  type TenderLineCheck,
  type TenderMethod,
  type TenderWallet,
} from './tender-allocation.ts';
export { codeScene } from './launch-scene.ts';
export { shopImageUrl } from './shop-image.ts';
