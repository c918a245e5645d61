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
 * The one table of Chinese text a person sees for an error, by code: the API's messages are written for
 * developers and are often English. A code not listed shows the API's message only when that is Chinese,
 * otherwise a plain sentence for its kind (see `userMessage`), never English.
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
  IDEMPOTENCY_KEY_REUSED: '请求已变化，请返回后重新操作',
  MALFORMED_REQUEST: '请求格式有误，请返回后重试',
  NOT_FOUND: '没有找到这条记录，它可能已被撤销或不属于您',
  CUSTOMER_NOT_FOUND: '没有找到该会员',
  ACCOUNT_NOT_FOUND: '没有找到该账户',
  TRANSFER_NOT_FOUND: '没有找到这笔记录',
  COUPON_NOT_FOUND: '没有找到这张优惠券',
  CAMPAIGN_NOT_FOUND: '这个活动已结束或不存在',
  CONFLICT: '状态已变化，请刷新后再试',
  BUSINESS_RULE_VIOLATED: '当前无法办理，请联系门店',
  LEDGER_INSUFFICIENT_BALANCE: '余额不足',
  PACKAGE_CARD_EXPIRED: '次卡已过期',
  COUPON_NOT_USABLE: '优惠券已使用或不可用',
  COUPON_EXPIRED: '优惠券不在有效期内',
  COUPON_MIN_SPEND_NOT_MET: '未达到优惠券的最低消费',
  CREDIT_LIMIT_EXCEEDED: '超出挂账额度',
  CREDIT_LINE_FROZEN: '挂账额度已冻结，请联系门店',
  CREDIT_OVERPAYMENT: '还款金额超过待还金额',
  PHONE_CODE_INVALID: '手机号授权已失效，请重新授权',
  PHONE_BOUND_ELSEWHERE: '该手机号已绑定其他微信，请联系门店',
  CUSTOMER_MERGE_CONFLICT: '该手机号的会员资料需门店协助合并，请联系门店',
  MEMBER_CODE_EXPIRED: '会员码已过期，请刷新',
  MEMBER_CODE_INVALID: '无法识别的会员码',
  CUSTOMER_PHONE_TAKEN: '该手机号已是会员',
};

/** For a code the table does not know: what kind of failure it is, in words a customer understands. */
function messageForStatus(status: number): string {
  if (status === 401) return '登录已失效，请重新登录';
  if (status === 403) return '没有权限执行此操作';
  if (status === 404) return '没有找到相关内容';
  if (status >= 400 && status < 500) return '当前无法办理，请检查后重试';
  return '操作失败，请稍后重试';
}

const HAS_CHINESE = /[\u4e00-\u9fff]/;

export function userMessage(code: AnyErrorCode, fallback?: string, status = 0): string {
  const known = USER_MESSAGES[code];
  if (known) return known;
  return fallback && HAS_CHINESE.test(fallback) ? fallback : messageForStatus(status);
}

/**
 * Whether trying the same request again may help: no answer, a server or capacity failure. A 4xx (not found,
 * not allowed, invalid) fails the same way every time, so a page offers a way back instead of 重试.
 */
export function isRetryable(error: { status?: number } | null | undefined): boolean {
  const status = error?.status ?? 0;
  return status === 0 || status === 429 || status >= 500;
}
