import type { PaymentOrder } from '@lumi/shared';
import { ApiError, userMessage } from './errors.ts';
import { createAttemptKeys } from './idempotency.ts';
import { requestPayment } from './payment.ts';

/**
 * Paying a Lumi order with WeChat, for any purpose (top-ups now; bills and repayments later):
 * create the order under an idempotency key → the payment sheet (`requestPayment`) → poll the order until the
 * API has WeChat's confirmation. Only then has money arrived: closing the sheet proves nothing.
 */

/** The part of a PaymentOrder this flow reads. */
export type PayableOrder = Pick<PaymentOrder, 'outTradeNo' | 'state' | 'requestPayment'>;

export interface PollOptions {
  /** Gap between order reads; default 1 s. */
  intervalMs?: number;
  /**
   * Give up after this long; default 30 s. The API asks WeChat itself when a notification is 10 s late, so
   * 30 s covers a lost notification; past that the user is told to check later rather than to pay again.
   */
  timeoutMs?: number;
  /** For tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const DEFAULT_INTERVAL_MS = 1_000;
const DEFAULT_TIMEOUT_MS = 30_000;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Paid (REFUND means paid, then partly or wholly refunded — still paid as far as this flow goes). */
const isPaid = (order: PayableOrder) => order.state === 'SUCCESS' || order.state === 'REFUND';

/** A failed read that a later read may well get past; anything else (404, 403, …) will not change. */
function isTransient(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return error.code === 'NETWORK_ERROR' || error.status >= 500 || error.status === 429;
}

function closedError(order: PayableOrder): ApiError {
  return new ApiError('PAYMENT_CLOSED', userMessage('PAYMENT_CLOSED'), 0, { outTradeNo: order.outTradeNo });
}

/**
 * Reads the order until it is paid. Rejects with PAYMENT_CLOSED when it can no longer be paid, and with
 * PAYMENT_PENDING when no confirmation came in time (the payment may still succeed: the user must not pay
 * again, only look later). Transient read failures are retried until the deadline.
 */
export async function waitForPaymentSuccess<O extends PayableOrder>(
  outTradeNo: string,
  getOrder: (outTradeNo: string) => Promise<O>,
  options: PollOptions = {},
): Promise<O> {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const deadline = now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  for (;;) {
    const order = await getOrder(outTradeNo).catch((error: unknown) => {
      if (isTransient(error)) return null;
      throw error;
    });
    if (order && isPaid(order)) return order;
    if (order?.state === 'CLOSED') throw closedError(order);
    if (now() + interval > deadline) {
      throw new ApiError('PAYMENT_PENDING', userMessage('PAYMENT_PENDING'), 0, { outTradeNo });
    }
    await sleep(interval);
  }
}

export interface PayHooks {
  /** The sheet closed after paying; the wait for WeChat's confirmation begins (a page says "确认中"). */
  onConfirming?: () => void;
}

/** The payment sheet for an order the API just created (or replayed), then the wait for WeChat's confirmation. */
export async function payAndConfirm<O extends PayableOrder>(
  order: O,
  getOrder: (outTradeNo: string) => Promise<O>,
  poll?: PollOptions,
  hooks: PayHooks = {},
): Promise<O> {
  // A replayed attempt may already be paid (its confirmation came after the user gave up waiting).
  if (isPaid(order)) return order;
  const params = order.requestPayment;
  if (order.state !== 'NOTPAY' || !params) throw closedError(order);
  await requestPayment({
    timeStamp: params.timeStamp,
    nonceStr: params.nonceStr,
    package: params.package,
    signType: params.signType,
    paySign: params.paySign,
  });
  hooks.onConfirming?.();
  return waitForPaymentSuccess(order.outTradeNo, getOrder, poll);
}

export interface WechatPayerOptions<Request, O extends PayableOrder> {
  /** Prefix of the idempotency keys, e.g. "topup". */
  keyPrefix: string;
  /** POSTs the order with the key; under a key the API already saw it answers with that same order. */
  createOrder: (request: Request, idempotencyKey: string) => Promise<O>;
  getOrder: (outTradeNo: string) => Promise<O>;
  poll?: PollOptions;
}

export interface WechatPayer<Request, O extends PayableOrder> {
  /**
   * Pays for `request`; resolves with the paid order. Paying for the same request again after a failure,
   * a timeout or a cancelled sheet reuses the attempt's idempotency key, so the API hands back the same order
   * instead of opening a second one. Once paid (or closed), the next call is a new attempt.
   */
  pay(request: Request, hooks?: PayHooks): Promise<O>;
}

export function createWechatPayer<Request, O extends PayableOrder>(
  options: WechatPayerOptions<Request, O>,
): WechatPayer<Request, O> {
  const keys = createAttemptKeys(options.keyPrefix);
  return {
    async pay(request, hooks) {
      const key = keys.keyFor(request);
      try {
        const order = await options.createOrder(request, key);
        const paid = await payAndConfirm(order, options.getOrder, options.poll, hooks);
        keys.finish();
        return paid;
      } catch (error) {
        // A closed order cannot be paid under its key any more; a new attempt opens a new order.
        if (error instanceof ApiError && error.code === 'PAYMENT_CLOSED') keys.finish();
        throw error;
      }
    },
  };
}
