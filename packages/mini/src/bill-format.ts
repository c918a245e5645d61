import { type Bill, type RefundTender, TENDER_LABELS, type Tender } from '@lumi/shared';
import { formatFen } from './money.ts';
import { formatCount } from './numbers.ts';

type BillStatus = Bill['status'];

const STATUS_LABELS: Readonly<Record<BillStatus, string>> = {
  open: '待结账',
  awaiting_customer: '待顾客确认',
  settled: '已结账',
  voided: '已撤销',
  cancelled: '已取消',
};

/**
 * A bill's state in Chinese. A waiting bill with a WeChat tender waits for the customer's payment, not for a
 * confirmation, and the staff tell the customer different things for each.
 */
export function billStatusLabel(bill: Pick<Bill, 'status' | 'tenders' | 'refundedFen'>): string {
  if (bill.status === 'awaiting_customer' && bill.tenders.some((t) => t.method === 'wechat')) return '待微信支付';
  if (bill.status === 'settled' && bill.refundedFen > 0) return '已结账（部分退款）';
  return STATUS_LABELS[bill.status];
}

/** "储值 ¥100.00", "积分 500", "银行卡 ¥88.00（凭证 A1234）"; refunds name no card slip. */
export function tenderText(tender: Tender | RefundTender): string {
  const label = TENDER_LABELS[tender.method];
  if (tender.method === 'points') return `${label} ${formatCount(tender.points)}`;
  if (tender.method === 'card' && 'reference' in tender) {
    return `${label} ${formatFen(tender.amountFen)}（凭证 ${tender.reference}）`;
  }
  return `${label} ${formatFen(tender.amountFen)}`;
}
