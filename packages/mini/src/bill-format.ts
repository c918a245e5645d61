import { type Bill, type BillRefund, type Dispute, type RefundTender, TENDER_LABELS, type Tender } from '@lumi/shared';
import { formatDateTime } from './date.ts';
import { formatFen } from './money.ts';
import { formatCount } from './numbers.ts';

/**
 * How a bill (GET /me/bills, and later the staff app's receipts) reads in Chinese, and what its customer may
 * still do with it. Pure: the time is passed in, so a page and its tests agree on "now".
 */

type TenderMethod = Tender['method'];

export function tenderLabel(method: TenderMethod): string {
  return TENDER_LABELS[method];
}

/** A tender of a bill, or of one of its refunds. */
type TenderAmount = Tender | RefundTender;

/** What one tender paid or got back: fen as "¥100.00", points as "1,200 积分". */
export function tenderAmountText(tender: TenderAmount): string {
  return tender.method === 'points' ? `${formatCount(tender.points)} 积分` : formatFen(tender.amountFen);
}

/** "储值 ¥100.00", "积分 500", "银行卡 ¥88.00（凭证 A1234）"; refunds name no card slip. */
export function tenderText(tender: TenderAmount): string {
  const label = tenderLabel(tender.method);
  if (tender.method === 'points') return `${label} ${formatCount(tender.points)}`;
  if (tender.method === 'card' && 'reference' in tender) {
    return `${label} ${formatFen(tender.amountFen)}（凭证 ${tender.reference}）`;
  }
  return `${label} ${formatFen(tender.amountFen)}`;
}

/** "储值 ¥100.00 · 微信支付 ¥88.00" */
export function tendersText(tenders: readonly TenderAmount[]): string {
  return tenders.map(tenderText).join(' · ');
}

/** A waiting bill whose hold ran out can no longer be confirmed or paid; staff must check it out again. */
function holdExpired(bill: Pick<Bill, 'holdExpiresAt'>, now: Date): boolean {
  return bill.holdExpiresAt !== null && Date.parse(bill.holdExpiresAt) <= now.getTime();
}

/** The bill waits for this customer (待确认) and still can be confirmed or paid. */
export function awaitsCustomer(bill: Pick<Bill, 'status' | 'holdExpiresAt'>, now: Date): boolean {
  return bill.status === 'awaiting_customer' && !holdExpired(bill, now);
}

export type BillTone = 'waiting' | 'done' | 'refunded' | 'muted';

/** The status word on a bill: 待确认, 已完成, 部分退款, 已退款, 已撤销 … (撤销 is the one word for a void in both apps) */
export function billStatus(bill: Bill, now: Date): { label: string; tone: BillTone } {
  switch (bill.status) {
    case 'awaiting_customer':
      return holdExpired(bill, now) ? { label: '已超时', tone: 'muted' } : { label: '待确认', tone: 'waiting' };
    case 'settled':
      if (bill.refundedFen <= 0) return { label: '已完成', tone: 'done' };
      return bill.refundedFen >= bill.totalFen
        ? { label: '已退款', tone: 'refunded' }
        : { label: '部分退款', tone: 'refunded' };
    case 'voided':
      return { label: '已撤销', tone: 'muted' };
    case 'cancelled':
      return { label: '已取消', tone: 'muted' };
    case 'open':
      // A declined bill goes back to the beautician, open again: nothing is asked of the customer now.
      return { label: '待结账', tone: 'muted' };
  }
}

/** Waiting bills (待确认) first, the rest newest first; the API's order, made explicit so the page never relies on it. */
export function sortBillsForCustomer(bills: readonly Bill[], now: Date): Bill[] {
  return [...bills].sort(
    (a, b) =>
      Number(awaitsCustomer(b, now)) - Number(awaitsCustomer(a, now)) ||
      Date.parse(b.createdAt) - Date.parse(a.createdAt),
  );
}

export type DisputeWindow =
  | { state: 'none' }
  | { state: 'open'; untilText: string }
  | { state: 'closed'; untilText: string };

/**
 * Whether the customer may still question (有疑问) a bill. Only settled bills have a window, and only in
 * salons that settle without asking first: a customer who confirmed the deductions agreed to them.
 */
export function disputeWindow(bill: Pick<Bill, 'status' | 'disputeUntil'>, now: Date): DisputeWindow {
  if (bill.status !== 'settled' || !bill.disputeUntil) return { state: 'none' };
  const untilText = formatDateTime(bill.disputeUntil);
  return Date.parse(bill.disputeUntil) > now.getTime() ? { state: 'open', untilText } : { state: 'closed', untilText };
}

export interface BillActions {
  /** 确认扣款: the bill waits for the customer's word and has nothing to pay by WeChat. */
  confirm: boolean;
  /** 拒绝: any bill waiting for the customer. */
  decline: boolean;
  /** The WeChat part to pay, in fen; paying it confirms the bill too, so no 确认扣款 beside it. */
  wechatFen: number | null;
  /** 有疑问: the window is open and no question of theirs is still waiting for an answer. */
  dispute: boolean;
}

export function billActions(bill: Bill, disputes: readonly Dispute[], now: Date): BillActions {
  const waiting = awaitsCustomer(bill, now);
  const wechat = bill.tenders.find((t) => t.method === 'wechat');
  const wechatFen = waiting && wechat ? wechat.amountFen : null;
  const asking = disputes.some((d) => d.billId === bill.id && d.status === 'open');
  return {
    confirm: waiting && bill.confirmationRequired && wechatFen === null,
    decline: waiting,
    wechatFen,
    dispute: disputeWindow(bill, now).state === 'open' && !asking,
  };
}

type BillLine = Bill['lines'][number];

export interface BillLineView {
  /** The line at the bill's price (unit price × quantity): the lines add up to 小计. */
  amountText: string;
  /**
   * For a line whose price was cut or that carries part of the bill's discounts: 原价 (list price × quantity),
   * 优惠 (all it came down by) and 实付 (what the line cost in the end), so the lines and the totals agree on screen.
   */
  detailText: string | null;
}

export function billLineView(line: BillLine): BillLineView {
  if (line.type === 'package_session') return { amountText: '次卡抵扣', detailText: null };
  if (line.type === 'shop_voucher') return { amountText: '服务券抵扣', detailText: null };
  const listFen = line.listPriceFen * line.quantity;
  const grossFen = line.unitPriceFen * line.quantity;
  const offFen = listFen - line.amountFen;
  return {
    amountText: formatFen(grossFen),
    detailText:
      offFen > 0 ? `原价 ${formatFen(listFen)} · 优惠 -${formatFen(offFen)} · 实付 ${formatFen(line.amountFen)}` : null,
  };
}

const DISPUTE_STATUS_LABELS: Record<Dispute['status'], string> = {
  open: '处理中',
  answered: '已答复',
  reversed: '已撤销账单',
};

export function disputeStatusLabel(status: Dispute['status']): string {
  return DISPUTE_STATUS_LABELS[status];
}

export interface RefundView {
  id: string;
  /** 退款 or 撤销 */
  kindLabel: string;
  amountText: string;
  timeText: string;
  reason: string;
  /** Where the money went back: "储值 ¥50.00 · 微信支付 ¥38.00" */
  tendersText: string;
}

export function refundView(refund: BillRefund): RefundView {
  return {
    id: refund.id,
    kindLabel: refund.kind === 'void' ? '撤销' : '退款',
    amountText: formatFen(refund.amountFen),
    timeText: formatDateTime(refund.createdAt),
    reason: refund.reason,
    tendersText: tendersText(refund.tenders),
  };
}

const STAFF_STATUS_LABELS: Readonly<Record<Bill['status'], string>> = {
  open: '待结账',
  awaiting_customer: '待顾客确认',
  settled: '已结账',
  voided: '已撤销',
  cancelled: '已取消',
};

/**
 * A bill's state as staff read it. A waiting bill with a WeChat tender waits for the customer's payment, not for
 * a confirmation, and the staff tell the customer different things for each.
 */
export function billStatusLabel(bill: Pick<Bill, 'status' | 'tenders' | 'refundedFen'>): string {
  if (bill.status === 'awaiting_customer' && bill.tenders.some((t) => t.method === 'wechat')) return '待微信支付';
  if (bill.status === 'settled' && bill.refundedFen > 0) return '已结账（部分退款）';
  return STAFF_STATUS_LABELS[bill.status];
}
