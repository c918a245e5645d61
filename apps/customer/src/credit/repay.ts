import {
  ApiError,
  createWechatPayer,
  fenToYuanString,
  formatFen,
  MoneyFormatError,
  parseYuan,
  type PollOptions,
} from '@lumi/mini';
import type { CreditRepaymentPaymentRequest, CustomerCredit, PaymentOrder } from '@lumi/shared';
import { createCreditRepaymentOrder } from '../services/credit.ts';
import { getPaymentOrder } from '../services/payments.ts';

export type RepayAmount = { ok: true; amountFen: number } | { ok: false; message: string };

/** What to offer first: what is overdue, else the next instalment, else everything she owes. */
export function suggestedRepayment(credit: Pick<CustomerCredit, 'owedFen' | 'overdueFen' | 'nextDue'>): number {
  if (credit.overdueFen > 0) return Math.min(credit.overdueFen, credit.owedFen);
  if (credit.nextDue) return Math.min(credit.nextDue.amountFen, credit.owedFen);
  return credit.owedFen;
}

/** The repayment field before she types: the suggestion in yuan, by integer arithmetic ("" when she owes nothing). */
export function repaymentPrefill(credit: Pick<CustomerCredit, 'owedFen' | 'overdueFen' | 'nextDue'>): string {
  return credit.owedFen > 0 ? fenToYuanString(suggestedRepayment(credit)) : '';
}

/** The amount she typed, in yuan, as fen — or why it cannot be repaid (never more than she owes). */
export function parseRepayment(input: string, owedFen: number): RepayAmount {
  const text = input.trim();
  if (text === '') return { ok: false, message: '请输入还款金额' };
  let amountFen: number;
  try {
    amountFen = parseYuan(text);
  } catch (error) {
    if (error instanceof MoneyFormatError) return { ok: false, message: '请输入正确的金额，最多两位小数' };
    throw error;
  }
  if (amountFen <= 0) return { ok: false, message: '还款金额须大于 0' };
  if (amountFen > owedFen) return { ok: false, message: `最多还 ${formatFen(owedFen)}` };
  return { ok: true, amountFen };
}

/** One per visit: paying again after a cancelled sheet reuses the attempt's Idempotency-Key. */
export function createRepayer(poll?: PollOptions) {
  return createWechatPayer<CreditRepaymentPaymentRequest, PaymentOrder>({
    keyPrefix: 'repay',
    createOrder: createCreditRepaymentOrder,
    getOrder: getPaymentOrder,
    poll,
  });
}

export const isCancelled = (error: unknown) => error instanceof ApiError && error.code === 'PAYMENT_CANCELLED';
