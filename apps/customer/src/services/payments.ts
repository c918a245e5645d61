import { request } from '@lumi/mini';
import type { PaymentOrder, TopUpPaymentRequest } from '@lumi/shared';

/**
 * Creates a WeChat Pay order for a top-up. Under an Idempotency-Key the API has already seen, it answers with
 * that same order, so a retry can never open a second order for one tap.
 */
export function createTopUpOrder(body: TopUpPaymentRequest, idempotencyKey: string): Promise<PaymentOrder> {
  return request<PaymentOrder>('/me/payments/top-ups', { method: 'POST', data: body, idempotencyKey, toast: false });
}

/** One of my payments; its state turns SUCCESS once WeChat has confirmed it to the API. */
export function getPaymentOrder(outTradeNo: string): Promise<PaymentOrder> {
  return request<PaymentOrder>(`/me/payments/${encodeURIComponent(outTradeNo)}`, { toast: false });
}
