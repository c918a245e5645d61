import { request } from '@lumi/mini';
import type { CreditRepaymentPaymentRequest, CustomerCredit, PaymentOrder } from '@lumi/shared';

/** What I owe: limit, owed, overdue, the next due date, and the open credit sales with their instalments. */
export function getMyCredit(): Promise<CustomerCredit> {
  return request<CustomerCredit>('/me/credit', { toast: false });
}

/**
 * Opens (or, under a key the API has seen, replays) a WeChat Pay order repaying `amountFen` of what I owe;
 * the API applies it to the oldest due first once WeChat confirms the payment.
 */
export function createCreditRepaymentOrder(
  body: CreditRepaymentPaymentRequest,
  idempotencyKey: string,
): Promise<PaymentOrder> {
  return request<PaymentOrder>('/me/payments/credit-repayments', {
    method: 'POST',
    data: body,
    idempotencyKey,
    toast: false,
  });
}
