import type { ErrorCode } from '@lumi/shared';

/** Codes the client makes up itself, for failures that never reached the API or came back unreadable. */
export type ClientErrorCode =
  | 'LOGIN_REQUIRED'
  | 'NETWORK_ERROR'
  | 'BAD_RESPONSE'
  | 'WECHAT_LOGIN_FAILED'
  | 'PAYMENT_CANCELLED'
  | 'PAYMENT_FAILED'
  /** Paid in WeChat (perhaps), but the API had no confirmation in time: check later, do not pay again. */
  | 'PAYMENT_PENDING'
  /** The order can no longer be paid (closed or expired): pay again with a new order. */
  | 'PAYMENT_CLOSED';

/** `string & {}` keeps codes added to the API later (and not yet to @lumi/shared) typeable without losing autocompletion. */
export type AnyErrorCode = ErrorCode | ClientErrorCode | (string & {});

/**
 * The one error type pages see. Branch on `code` (stable), never on `message` (for people, may change).
 * `message` is already the Chinese text shown to the user.
 */
export class ApiError extends Error {
  readonly code: AnyErrorCode;
  /** HTTP status; 0 when there was no response. */
  readonly status: number;
  readonly details: unknown;

  constructor(code: AnyErrorCode, message: string, status = 0, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/**
 * Chinese text for codes where the UI wants its own wording: the API's messages are written for
 * developers and may be English. Codes not listed here show the API's message as is.
 */
const USER_MESSAGES: Partial<Record<AnyErrorCode, string>> = {
  NETWORK_ERROR: '网络连接失败，请稍后重试',
  BAD_RESPONSE: '服务器响应异常，请稍后重试',
  INVALID_CREDENTIALS: '手机号或密码错误',
  ACCOUNT_LOCKED: '登录失败次数过多，请稍后再试',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  LOGIN_REQUIRED: '请先登录',
  UNAUTHENTICATED: '登录已失效，请重新登录',
  TOKEN_EXPIRED: '登录已过期，请重新登录',
  REFRESH_TOKEN_INVALID: '登录已过期，请重新登录',
  WECHAT_CODE_INVALID: '微信登录失败，请重试',
  WECHAT_LOGIN_FAILED: '微信登录失败，请重试',
  WECHAT_UNAVAILABLE: '微信服务暂时不可用，请稍后重试',
  TENANT_NOT_FOUND: '门店不存在或已停用',
  FORBIDDEN: '没有权限执行此操作',
  VALIDATION_FAILED: '填写的信息有误，请检查后重试',
  SERVICE_UNAVAILABLE: '服务暂时不可用，请稍后重试',
  DATABASE_UNAVAILABLE: '系统繁忙，请稍后重试',
  INTERNAL: '服务器开小差了，请稍后重试',
  PAYMENT_CANCELLED: '已取消支付',
  PAYMENT_FAILED: '支付失败，请重试',
  PAYMENT_PENDING: '暂未确认到支付结果，请勿重复支付，稍后可在明细中查看',
  PAYMENT_CLOSED: '订单已失效，请重新支付',
  PAYMENT_NOT_FOUND: '未找到该支付订单',
  WECHAT_PAY_REJECTED: '微信支付暂时无法下单，请稍后重试',
  IDEMPOTENCY_IN_PROGRESS: '上一次请求仍在处理中，请稍候',
  SHOP_OUT_OF_STOCK: '库存不足，请减少数量或换个门店',
  PICKUP_CODE_INVALID: '核销码无效：不是本店订单、已核销或不存在',
  REFUND_AMOUNT_EXCEEDED: '退款超过可退金额',
};

export function userMessage(code: AnyErrorCode, fallback?: string): string {
  return USER_MESSAGES[code] ?? (fallback || '操作失败，请稍后重试');
}
