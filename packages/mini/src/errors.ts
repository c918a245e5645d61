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
 * The one Chinese table of what a person is told, keyed by the API's error codes: every code the API has must
 * be here (the Record type makes a new code a compile error until it has its words), so an English developer
 * message like "Bill not found" never reaches a screen. Pages with more to say (a 403 at checkout names who can
 * act) branch on the code or the details, never on the message.
 */
const API_MESSAGES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: '填写的信息有误，请检查后重试',
  MALFORMED_REQUEST: '请求格式有误，请重试',
  IDEMPOTENCY_KEY_REQUIRED: '请求缺少防重复标识，请重试',
  NOTIFY_REJECTED: '支付通知无效',
  UNAUTHENTICATED: '登录已失效，请重新登录',
  TOKEN_EXPIRED: '登录已过期，请重新登录',
  INVALID_CREDENTIALS: '手机号或密码错误',
  NOTIFY_SIGNATURE_INVALID: '支付通知签名无效',
  WECHAT_CODE_INVALID: '微信登录失败，请重试',
  REFRESH_TOKEN_INVALID: '登录已过期，请重新登录',
  FORBIDDEN: '没有权限执行此操作',
  CREDIT_SELF_APPROVAL: '不能审批自己提交的申请',
  NOT_FOUND: '没有找到这条记录，它可能已被撤销或删除',
  TENANT_NOT_FOUND: '门店不存在或已停用',
  CUSTOMER_NOT_FOUND: '未找到该顾客',
  ACCOUNT_NOT_FOUND: '未找到该账户',
  TRANSFER_NOT_FOUND: '未找到该笔记录',
  PAYMENT_NOT_FOUND: '未找到该支付订单',
  COUPON_NOT_FOUND: '未找到该优惠券',
  CAMPAIGN_NOT_FOUND: '这个活动已结束或不存在',
  GROUP_NOT_FOUND: '未找到该客群',
  CONFLICT: '状态已变化，请刷新后重试',
  CREDIT_REQUEST_NOT_PENDING: '该申请已处理',
  CREDIT_REQUEST_PENDING: '该顾客已有待审批的额度申请',
  IDEMPOTENCY_IN_PROGRESS: '上一次请求仍在处理中，请稍候',
  CAMPAIGN_NOT_EDITABLE: '活动已开始，不能再修改',
  CUSTOMER_PHONE_TAKEN: '该手机号已是会员',
  PHONE_BOUND_ELSEWHERE: '该手机号已绑定其他微信',
  CUSTOMER_MERGE_CONFLICT: '账户暂时无法合并：还有未结清的挂账或进行中的账单、付款，请结清后重试或到店由前台处理',
  PAYLOAD_TOO_LARGE: '提交的内容太多',
  URI_TOO_LONG: '请求太长',
  UNSUPPORTED_MEDIA_TYPE: '请求格式不受支持',
  IDEMPOTENCY_KEY_REUSED: '请求与之前的不一致，请重新操作',
  MEMBER_CODE_EXPIRED: '会员码已过期，请顾客刷新后再扫',
  MEMBER_CODE_INVALID: '无法识别的会员码',
  PHONE_CODE_INVALID: '手机号验证已失效，请重新授权',
  BUSINESS_RULE_VIOLATED: '不符合规则，无法办理',
  LEDGER_INSUFFICIENT_BALANCE: '余额不足',
  LEDGER_UNBALANCED_TRANSFER: '金额不平，请检查后重试',
  LEDGER_ALREADY_REVERSED: '该笔已冲正',
  PACKAGE_CARD_EXPIRED: '次卡已过期',
  REFUND_NOT_ALLOWED: '该账单不能退款',
  COUPON_NOT_USABLE: '该优惠券不可用',
  COUPON_EXPIRED: '该优惠券不在有效期内',
  COUPON_MIN_SPEND_NOT_MET: '未达到优惠券的最低消费',
  REFUND_AMOUNT_EXCEEDED: '退款金额超过可退金额',
  CREDIT_LIMIT_EXCEEDED: '超出挂账额度',
  CREDIT_LINE_FROZEN: '挂账额度已冻结',
  CREDIT_OVERPAYMENT: '还款金额超过欠款',
  CREDIT_SALE_REPAID: '该笔挂账已部分还款，不能取消',
  ACCOUNT_LOCKED: '登录失败次数过多，请稍后再试',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  WECHAT_UNAVAILABLE: '微信服务暂时不可用，请稍后重试',
  WECHAT_PAY_REJECTED: '微信支付暂时无法下单，请稍后重试',
  WECHAT_CODE_REFUSED: '微信未能生成小程序码，请改用其他方式收款并联系管理员',
  MANAGER_APPROVAL_REQUIRED: '金额超过店长审批额度，请提交店长审批',
  APPROVAL_SELF_DECISION: '不能审批自己提交的申请',
  APPROVAL_NOT_PENDING: '该申请已处理',
  APPROVAL_PENDING: '已有待审批的申请，请等待店长处理',
  DISCOUNT_APPROVAL_REQUIRED: '折扣超过店长审批额度，请提交店长审批',
  APPROVAL_NOT_APPROVED: '店长尚未批准该申请',
  APPROVAL_USED: '该审批已用于另一张账单',
  APPROVAL_STALE: '次卡已变动（已使用或已转出），请重新提交申请',
  APPROVAL_EXPIRED: '该折扣审批已过期（当日有效），请重新提交店长审批',
  APPROVAL_DRAFT_MISMATCH: '账单与店长批准的内容不一致，请按批准内容开单',
  SHOP_OUT_OF_STOCK: '库存不足，请减少数量或换个门店',
  PICKUP_CODE_INVALID: '核销码无效：不是本店订单、已核销或不存在',
  VOUCHER_NOT_USABLE: '该服务券已使用或已退款',
  SHOP_WALLET_ITEM_USED: '订单中的次卡、充值或服务券已使用，不能整单退款',
  VOUCHER_ON_OPEN_BILL: '该服务券正在门店一张未结账单中使用，该账单结账或取消后才能办理售后',
  SERVICE_UNAVAILABLE: '服务暂时不可用，请稍后重试',
  DATABASE_UNAVAILABLE: '系统繁忙，请稍后重试',
  INTERNAL: '服务器开小差了，请稍后重试',
  TOP_UP_PLAN_TERMS_FIXED: '该充值方案已有顾客使用，金额和赠送不能再改：请下架后新建方案',
  TOP_UP_PLAN_WITHDRAWN: '该充值方案已下架，不能再修改',
  VOUCHER_GIVEN_BACK: '该服务券已随商城订单退款，不能再开单使用',
  SHOP_IMAGE_TOO_LARGE: '图片太大，请选择 2MB 以内的图片',
  SHOP_IMAGE_TYPE_UNSUPPORTED: '仅支持 JPG、PNG、WebP 格式的图片',
};

const CLIENT_MESSAGES: Record<ClientErrorCode, string> = {
  LOGIN_REQUIRED: '请先登录',
  NETWORK_ERROR: '网络连接失败，请稍后重试',
  BAD_RESPONSE: '服务器响应异常，请稍后重试',
  WECHAT_LOGIN_FAILED: '微信登录失败，请重试',
  PAYMENT_CANCELLED: '已取消支付',
  PAYMENT_FAILED: '支付失败，请重试',
  PAYMENT_PENDING: '暂未确认到支付结果，请勿重复支付，稍后可在明细中查看',
  PAYMENT_CLOSED: '订单已失效，请重新支付',
};

const MESSAGES: Record<string, string> = { ...API_MESSAGES, ...CLIENT_MESSAGES };

/** For a code this build does not know: what kind of failure it is, in words a customer understands. */
function messageForStatus(status: number): string {
  if (status === 401) return '登录已失效，请重新登录';
  if (status === 403) return '没有权限执行此操作';
  if (status === 404) return '没有找到相关内容';
  if (status >= 400 && status < 500) return '当前无法办理，请检查后重试';
  return '操作失败，请稍后重试';
}

/** Codes whose words name something the error's details carry (the bill a voucher sits on), when they carry it. */
const DETAILED_MESSAGES: Partial<Record<ErrorCode, (details: Record<string, unknown>) => string | null>> = {
  VOUCHER_ON_OPEN_BILL: ({ billNumber }) =>
    typeof billNumber === 'string' ? `该服务券正在门店账单 ${billNumber} 中使用，该账单结账或取消后才能办理售后` : null,
};

/**
 * What to tell a person about an error code. A code this build does not know yet (a newer API) falls back to
 * `fallback` only when that is already Chinese text a page chose, never to the API's developer message, and
 * otherwise to a sentence for its HTTP status.
 */
export function userMessage(code: AnyErrorCode, fallback?: string, status = 0, details?: unknown): string {
  const detailed = Object.hasOwn(DETAILED_MESSAGES, code) ? DETAILED_MESSAGES[code as ErrorCode] : undefined;
  const named =
    detailed && details && typeof details === 'object' ? detailed(details as Record<string, unknown>) : null;
  if (named) return named;
  const known = Object.hasOwn(MESSAGES, code) ? MESSAGES[code] : undefined;
  if (known) return known;
  return fallback && /[\u4e00-\u9fff]/.test(fallback) ? fallback : messageForStatus(status);
}

/**
 * Whether trying the same request again may help: no answer, a server or capacity failure. A 4xx (not found,
 * not allowed, invalid) fails the same way every time, so a page offers a way back instead of 重试.
 */
export function isRetryable(error: { status?: number } | null | undefined): boolean {
  const status = error?.status ?? 0;
  return status === 0 || status === 429 || status >= 500;
}
