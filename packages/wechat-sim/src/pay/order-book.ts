import { compactBeijingStamp, formatBeijingTime, parseRfc3339 } from '../beijing-time.ts';
import type { SimClock } from '../clock.ts';
import { randomDigits, randomUpperHex } from '../random-ids.ts';
import type { JsapiOrderRequest } from './order-schemas.ts';
import { mchNotExists, orderClosed, orderNotExist, orderPaid, PayError } from './pay-error.ts';

/** REVOKED, USERPAYING and PAYERROR only happen for payment-code (MICROPAY) orders, never JSAPI. */
export type TradeState = 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';

const TRADE_STATE_DESC: Record<TradeState, string> = {
  NOTPAY: '订单未支付',
  SUCCESS: '支付成功',
  CLOSED: '订单已关闭',
  REFUND: '转入退款',
};

/** The official docs give a prepay_id two hours. */
const PREPAY_LIFETIME_MS = 2 * 3600 * 1000;

export interface Order {
  request: JsapiOrderRequest;
  /** Canonical JSON of the request: the same out_trade_no may only be re-posted with identical fields. */
  fingerprint: string;
  prepayId: string;
  prepayExpiresAt: number;
  timeExpireAt?: number;
  createdAt: number;
  state: TradeState;
  transactionId?: string;
  successTime?: number;
}

/** The Transaction object of the query API and the payment notify (wechatpay-go payments.Transaction). */
export interface Transaction {
  appid: string;
  mchid: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_type?: 'JSAPI';
  trade_state: TradeState;
  trade_state_desc: string;
  bank_type?: string;
  attach?: string;
  success_time?: string;
  payer: { openid: string };
  amount: { total: number; payer_total?: number; currency: 'CNY'; payer_currency: 'CNY' };
  promotion_detail?: unknown[];
}

export interface OrderBook {
  create(request: JsapiOrderRequest, mchid: string): { prepay_id: string };
  byOutTradeNo(outTradeNo: string): Order | undefined;
  byTransactionId(transactionId: string): Order | undefined;
  byPrepayId(prepayId: string): Order | undefined;
  /** Throws ORDER_NOT_EXIST; applies time_expire first, so an expired order reads CLOSED. */
  get(outTradeNo: string): Order;
  close(outTradeNo: string): void;
  markPaid(order: Order): void;
  /**
   * An order paid before this simulator started (it keeps orders in memory only): taken back as it was — its
   * transaction id and success time — without a notification. One it knows already is left as it is.
   */
  remember(request: JsapiOrderRequest, paid: { transactionId: string; successTime: number }): Order;
  markRefunded(order: Order): void;
  all(): Order[];
  view(order: Order): Transaction;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function createOrderBook(clock: SimClock): OrderBook {
  const byOutTradeNo = new Map<string, Order>();
  const byTransactionId = new Map<string, Order>();
  const byPrepayId = new Map<string, Order>();

  const newPrepayId = () => `wx${compactBeijingStamp(clock.now())}${randomUpperHex(20).toLowerCase()}`;
  const applyExpiry = (order: Order) => {
    if (order.state === 'NOTPAY' && order.timeExpireAt !== undefined && clock.now() >= order.timeExpireAt)
      order.state = 'CLOSED';
    return order;
  };
  const issuePrepay = (order: Order) => {
    order.prepayId = newPrepayId();
    order.prepayExpiresAt = clock.now() + PREPAY_LIFETIME_MS;
    byPrepayId.set(order.prepayId, order);
  };

  const book: OrderBook = {
    create: (request, mchid) => {
      if (request.mchid !== mchid) throw mchNotExists();
      const fingerprint = canonicalJson(request);
      const existing = byOutTradeNo.get(request.out_trade_no);
      if (existing) {
        applyExpiry(existing);
        if (existing.state === 'SUCCESS' || existing.state === 'REFUND') throw orderPaid();
        if (existing.state === 'CLOSED') throw orderClosed();
        if (existing.fingerprint !== fingerprint) throw new PayError(403, 'OUT_TRADE_NO_USED', '商户订单号重复');
        if (clock.now() >= existing.prepayExpiresAt) issuePrepay(existing);
        return { prepay_id: existing.prepayId };
      }
      const timeExpireAt = request.time_expire === undefined ? undefined : parseRfc3339(request.time_expire);
      if (timeExpireAt !== undefined && timeExpireAt <= clock.now()) {
        throw new PayError(400, 'PARAM_ERROR', 'time_expire 不能早于当前时间', {
          field: 'time_expire',
          location: 'body',
        });
      }
      const order: Order = {
        request,
        fingerprint,
        prepayId: '',
        prepayExpiresAt: 0,
        ...(timeExpireAt === undefined ? {} : { timeExpireAt }),
        createdAt: clock.now(),
        state: 'NOTPAY',
      };
      issuePrepay(order);
      byOutTradeNo.set(request.out_trade_no, order);
      return { prepay_id: order.prepayId };
    },
    byOutTradeNo: (outTradeNo) => {
      const order = byOutTradeNo.get(outTradeNo);
      return order && applyExpiry(order);
    },
    byTransactionId: (transactionId) => {
      const order = byTransactionId.get(transactionId);
      return order && applyExpiry(order);
    },
    byPrepayId: (prepayId) => {
      const order = byPrepayId.get(prepayId);
      return order && applyExpiry(order);
    },
    get: (outTradeNo) => {
      const order = book.byOutTradeNo(outTradeNo);
      if (!order) throw orderNotExist();
      return order;
    },
    close: (outTradeNo) => {
      const order = book.byOutTradeNo(outTradeNo);
      // Closing an unknown order answers 204 on the real service too (community report), so no 404 here.
      if (!order) return;
      if (order.state === 'SUCCESS' || order.state === 'REFUND') throw orderPaid();
      order.state = 'CLOSED';
    },
    markPaid: (order) => {
      // 28 digits starting 42000, like real JSAPI transaction ids.
      const transactionId = `42000${randomDigits(5)}${compactBeijingStamp(clock.now()).slice(0, 8)}${randomDigits(10)}`;
      order.state = 'SUCCESS';
      order.transactionId = transactionId;
      order.successTime = clock.now();
      byTransactionId.set(transactionId, order);
    },
    remember: (request, paid) => {
      const known = byOutTradeNo.get(request.out_trade_no);
      if (known) return known;
      const order: Order = {
        request,
        fingerprint: canonicalJson(request),
        prepayId: '',
        prepayExpiresAt: 0,
        createdAt: paid.successTime,
        state: 'SUCCESS',
        transactionId: paid.transactionId,
        successTime: paid.successTime,
      };
      byOutTradeNo.set(request.out_trade_no, order);
      byTransactionId.set(paid.transactionId, order);
      return order;
    },
    markRefunded: (order) => {
      order.state = 'REFUND';
    },
    all: () => [...byOutTradeNo.values()].map(applyExpiry),
    view: (order) => {
      const { request } = order;
      const paid = order.state === 'SUCCESS' || order.state === 'REFUND';
      return {
        appid: request.appid,
        mchid: request.mchid,
        out_trade_no: request.out_trade_no,
        ...(paid ? { transaction_id: order.transactionId, trade_type: 'JSAPI' as const, bank_type: 'OTHERS' } : {}),
        trade_state: order.state,
        trade_state_desc: TRADE_STATE_DESC[order.state],
        ...(request.attach === undefined ? {} : { attach: request.attach }),
        ...(paid && order.successTime !== undefined ? { success_time: formatBeijingTime(order.successTime) } : {}),
        payer: { openid: request.payer.openid },
        amount: {
          total: request.amount.total,
          ...(paid ? { payer_total: request.amount.total } : {}),
          currency: 'CNY',
          payer_currency: 'CNY',
        },
        promotion_detail: [],
      };
    },
  };
  return book;
}
