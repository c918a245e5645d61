export { getMiniConfig, type InjectedConfig, type MiniConfig } from './config.ts';
export { ApiError, isApiError, userMessage, type AnyErrorCode, type ClientErrorCode } from './errors.ts';
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
export { fenToYuanString, formatFen, isFen, MoneyFormatError, parseYuan } from './money.ts';
export { formatChineseDate, formatDate, formatDateTime, todayInShanghai, type DateInput } from './date.ts';
export { useAsync, type AsyncState } from './use-async.ts';
export { EmptyState, ErrorState, Loading } from './components/state/index.tsx';
export { PageShell, type PageShellProps } from './components/page-shell/index.tsx';
export { MoneyText, type MoneyTextProps } from './components/money-text/index.tsx';
