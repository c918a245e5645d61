import { ApiError, formatFen } from '@lumi/mini';

/**
 * What a checkout page says when the API refused: a 403 here is a beautician going past what the salon lets
 * them do alone (a large discount, a void or refund above the threshold), so it names who can; a 422 with
 * `differenceFen` is the server's own sum of the tenders disagreeing with the bill.
 */
export function checkoutErrorMessage(error: unknown, fallback: string): string {
  if (!(error instanceof ApiError)) return fallback;
  if (error.status === 403) return '需要店长操作';
  const difference = (error.details as { differenceFen?: unknown } | null | undefined)?.differenceFen;
  if (typeof difference === 'number' && difference !== 0) {
    return difference > 0
      ? `支付金额与账单不符：还差 ${formatFen(difference)}`
      : `支付金额与账单不符：多了 ${formatFen(-difference)}`;
  }
  return error.message;
}
