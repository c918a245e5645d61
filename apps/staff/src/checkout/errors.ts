import { ApiError, formatFen } from '@lumi/mini';

/**
 * What a checkout page says when the API refused: a 403 here is a beautician going past what the salon lets
 * them do alone (a large discount, a void or refund above the threshold), so it names who can; a 422 with
 * `differenceFen` is the server's own sum of the tenders disagreeing with the bill; a shop voucher that cannot be
 * a line says why (and which bill already has it).
 */
export function checkoutErrorMessage(error: unknown, fallback: string): string {
  if (!(error instanceof ApiError)) return fallback;
  if (error.status === 403) return '需要店长操作';
  if (error.code === 'VOUCHER_NOT_USABLE') return voucherMessage(error.details) ?? error.message;
  const difference = (error.details as { differenceFen?: unknown } | null | undefined)?.differenceFen;
  if (typeof difference === 'number' && difference !== 0) {
    return difference > 0
      ? `支付金额与账单不符：还差 ${formatFen(difference)}`
      : `支付金额与账单不符：多了 ${formatFen(-difference)}`;
  }
  return error.message;
}

const VOUCHER_REASONS: Record<string, string> = {
  repeated: '同一张服务券不能加两次',
  not_hers: '这张服务券不属于该顾客',
  used: '该服务券已使用',
};

function voucherMessage(details: unknown): string | null {
  const { reason, billNumber, billStatus } = (details ?? {}) as Record<string, unknown>;
  if (reason === 'on_another_bill' && typeof billNumber === 'string') {
    const where = billStatus === 'awaiting_customer' ? '等待顾客确认' : '尚未结账';
    return `该服务券已在账单 ${billNumber} 中（${where}），请先处理该账单`;
  }
  return typeof reason === 'string' ? (VOUCHER_REASONS[reason] ?? null) : null;
}
