import {
  ApiError,
  createWechatPayer,
  formatFen,
  MoneyFormatError,
  parseYuan,
  type PollOptions,
  type WechatPayer,
} from '@lumi/mini';
import type { PaymentOrder, TopUpPaymentRequest } from '@lumi/shared';
import { createTopUpOrder, getPaymentOrder } from '../../services/payments.ts';

/** The API's ceiling for one online top-up (TopUpPaymentRequestSchema: amountFen ≤ 5,000,000). */
export const MAX_TOP_UP_FEN = 5_000_000;

export type AmountCheck = { ok: true; amountFen: number } | { ok: false; message: string };

/** The custom amount the customer typed, in yuan ("500", "99.9"), as fen — or why it cannot be paid. */
export function parseTopUpAmount(input: string): AmountCheck {
  const text = input.trim();
  if (text === '') return { ok: false, message: '请输入充值金额' };
  let amountFen: number;
  try {
    amountFen = parseYuan(text);
  } catch (error) {
    if (error instanceof MoneyFormatError) return { ok: false, message: '请输入正确的金额，最多两位小数' };
    throw error;
  }
  if (amountFen <= 0) return { ok: false, message: '充值金额须大于 0' };
  if (amountFen > MAX_TOP_UP_FEN) return { ok: false, message: `单笔充值不能超过 ${formatFen(MAX_TOP_UP_FEN)}` };
  return { ok: true, amountFen };
}

export type TopUpPayer = WechatPayer<TopUpPaymentRequest, PaymentOrder>;

/**
 * One per top-up page: paying for the same choice again (after a cancelled sheet or a failed request) reuses
 * the attempt's Idempotency-Key, so the API returns the order already opened instead of a second one.
 */
export function createTopUpPayer(poll?: PollOptions): TopUpPayer {
  return createWechatPayer({ keyPrefix: 'topup', createOrder: createTopUpOrder, getOrder: getPaymentOrder, poll });
}

/** What the page says when paying failed; the API's own messages are for developers. */
export function topUpErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return '充值失败，请稍后重试';
  switch (error.code) {
    case 'BUSINESS_RULE_VIOLATED':
      return '该充值方案已下架，请返回刷新后重试';
    case 'VALIDATION_FAILED':
      return '充值金额不正确，请检查后重试';
    default:
      return error.message;
  }
}
