import { formatBeijingTime } from '../beijing-time.ts';
import type { Order } from './order-book.ts';
import type { RefundView } from './refund-book.ts';

/**
 * The trade bill (交易账单) file WeChat Pay serves through /v3/billdownload/file: a header line, one line per payment
 * that succeeded that day and per refund started that day, then a summary header and one summary line. Fields are
 * comma-separated and every data and summary field starts with a backquote (so spreadsheets keep long numbers
 * as text); amounts are yuan with two decimals, the fee five ("…000"), times Beijing "yyyy-MM-dd HH:mm:ss".
 */
export type TradeBillType = 'ALL' | 'SUCCESS' | 'REFUND';

/** One line of the bill: a payment (交易状态 SUCCESS) or a refund of it (交易状态 REFUND). */
export interface BillEntry {
  order: Order;
  refund?: RefundView;
}

/** The merchant's fee rate the simulator charges, shown as 费率 (0.60% is WeChat's usual rate for services). */
const FEE_RATE_PERMILLE = 6;

export const yuan = (fen: number) =>
  `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
/** WeChat's fee on an amount, rounded to the fen; a refund returns the fee of the amount refunded. */
export const feeOf = (fen: number) => Math.round((fen * FEE_RATE_PERMILLE) / 1000);
export const billTime = (rfc3339OrMs: string | number) =>
  (typeof rfc3339OrMs === 'number' ? formatBeijingTime(rfc3339OrMs) : rfc3339OrMs).slice(0, 19).replace('T', ' ');

type Column = [header: string, value: (entry: BillEntry) => string];

const paidFen = (e: BillEntry) => (e.refund ? 0 : e.order.request.amount.total);
const refundFen = (e: BillEntry) => e.refund?.amount.refund ?? 0;

const COLUMNS: Record<string, Column> = {
  time: ['交易时间', (e) => (e.refund ? billTime(e.refund.create_time) : billTime(e.order.successTime ?? 0))],
  appid: ['公众账号ID', (e) => e.order.request.appid],
  mchid: ['商户号', (e) => e.order.request.mchid],
  subMchid: ['特约商户号', () => '0'],
  device: ['设备号', () => ''],
  transactionId: ['微信订单号', (e) => e.order.transactionId ?? ''],
  outTradeNo: ['商户订单号', (e) => e.order.request.out_trade_no],
  openid: ['用户标识', (e) => e.order.request.payer.openid],
  tradeType: ['交易类型', () => 'JSAPI'],
  tradeState: ['交易状态', (e) => (e.refund ? 'REFUND' : 'SUCCESS')],
  bank: ['付款银行', () => 'OTHERS'],
  currency: ['货币种类', () => 'CNY'],
  settlement: ['应结订单金额', (e) => yuan(paidFen(e))],
  coupon: ['代金券金额', () => '0.00'],
  refundApplied: ['退款申请时间', (e) => (e.refund ? billTime(e.refund.create_time) : '')],
  refundSucceeded: ['退款成功时间', (e) => (e.refund?.success_time ? billTime(e.refund.success_time) : '')],
  refundId: ['微信退款单号', (e) => e.refund?.refund_id ?? '0'],
  outRefundNo: ['商户退款单号', (e) => e.refund?.out_refund_no ?? '0'],
  refund: ['退款金额', (e) => yuan(refundFen(e))],
  couponRefund: ['充值券退款金额', () => '0.00'],
  refundType: ['退款类型', (e) => (e.refund ? 'ORIGINAL' : '')],
  refundStatus: ['退款状态', (e) => e.refund?.status ?? ''],
  description: ['商品名称', (e) => e.order.request.description],
  attach: ['商户数据包', (e) => e.order.request.attach ?? ''],
  fee: ['手续费', (e) => `${yuan(e.refund ? -feeOf(refundFen(e)) : feeOf(paidFen(e)))}000`],
  rate: ['费率', () => `${(FEE_RATE_PERMILLE / 10).toFixed(2)}%`],
  total: ['订单金额', (e) => yuan(paidFen(e))],
  refundRequested: ['申请退款金额', (e) => yuan(refundFen(e))],
  rateNote: ['费率备注', () => ''],
};

const BEFORE_REFUND = ['time', 'appid', 'mchid', 'subMchid', 'device', 'transactionId', 'outTradeNo', 'openid'];
const TRADE = ['tradeType', 'tradeState', 'bank', 'currency', 'settlement', 'coupon'];
const REFUND = ['refundId', 'outRefundNo', 'refund', 'couponRefund', 'refundType', 'refundStatus'];

/** The detail columns of each bill type, as the format page lists them. */
const DETAIL_COLUMNS: Record<TradeBillType, string[]> = {
  ALL: [
    ...BEFORE_REFUND,
    ...TRADE,
    ...REFUND,
    'description',
    'attach',
    'fee',
    'rate',
    'total',
    'refundRequested',
    'rateNote',
  ],
  SUCCESS: [...BEFORE_REFUND, ...TRADE, 'description', 'attach', 'fee', 'rate', 'total', 'rateNote'],
  REFUND: [
    ...BEFORE_REFUND,
    ...TRADE,
    'refundApplied',
    'refundSucceeded',
    ...REFUND,
    'description',
    'attach',
    'fee',
    'rate',
    'total',
    'refundRequested',
    'rateNote',
  ],
};

type Summary = [header: string, value: (entries: BillEntry[]) => string];
const sum = (entries: BillEntry[], of: (e: BillEntry) => number) => entries.reduce((s, e) => s + of(e), 0);
const SUMMARY: Record<string, Summary> = {
  count: ['总交易单数', (es) => String(es.length)],
  settlement: ['应结订单总金额', (es) => yuan(sum(es, paidFen))],
  refund: ['退款总金额', (es) => yuan(sum(es, refundFen))],
  couponRefund: ['充值券退款总金额', () => '0.00'],
  fee: ['手续费总金额', (es) => `${yuan(sum(es, (e) => (e.refund ? -feeOf(refundFen(e)) : feeOf(paidFen(e)))))}000`],
  total: ['订单总金额', (es) => yuan(sum(es, paidFen))],
  refundRequested: ['申请退款总金额', (es) => yuan(sum(es, refundFen))],
};
const SUMMARY_COLUMNS: Record<TradeBillType, string[]> = {
  ALL: ['count', 'settlement', 'refund', 'couponRefund', 'fee', 'total', 'refundRequested'],
  SUCCESS: ['count', 'settlement', 'fee', 'total'],
  REFUND: ['count', 'settlement', 'refund', 'couponRefund', 'fee', 'total', 'refundRequested'],
};

const line = (fields: string[], quoted: boolean) => fields.map((f) => (quoted ? `\`${f}` : f)).join(',');

/** The bill text for one type; entries in time order. */
export function renderTradeBill(type: TradeBillType, entries: BillEntry[]): string {
  const kept = entries.filter((e) => type === 'ALL' || (type === 'REFUND') === (e.refund !== undefined));
  const columns = DETAIL_COLUMNS[type].map((key) => COLUMNS[key] as Column);
  const summary = SUMMARY_COLUMNS[type].map((key) => SUMMARY[key] as Summary);
  const lines = [
    line(
      columns.map(([header]) => header),
      false,
    ),
    ...kept.map((entry) =>
      line(
        columns.map(([, value]) => value(entry)),
        true,
      ),
    ),
    line(
      summary.map(([header]) => header),
      false,
    ),
    line(
      summary.map(([, value]) => value(kept)),
      true,
    ),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** The Beijing calendar day (yyyy-MM-dd) of an RFC 3339 time or epoch ms. */
export function beijingDay(rfc3339OrMs: string | number): string {
  return billTime(rfc3339OrMs).slice(0, 10);
}
