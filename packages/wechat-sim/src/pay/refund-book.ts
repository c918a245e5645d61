import { compactBeijingStamp, formatBeijingTime } from '../beijing-time.ts';
import type { SimClock } from '../clock.ts';
import { randomDigits } from '../random-ids.ts';
import type { SimTimers } from '../sim-timers.ts';
import type { Notifier } from './notifier.ts';
import type { Order, OrderBook } from './order-book.ts';
import type { RefundRequest } from './order-schemas.ts';
import { invalidRequest, orderNotExist, PayError } from './pay-error.ts';

export type RefundStatus = 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL';

/** Real refunds settle in seconds to days; the simulator takes this long times timeScale. */
export const REFUND_PROCESSING_SECONDS = 5;
const MAX_REFUNDS_PER_ORDER = 50;
const USER_RECEIVED_ACCOUNT = '支付用户零钱';

interface Refund {
  refundId: string;
  request: RefundRequest;
  order: Order;
  status: RefundStatus;
  createTime: number;
  successTime?: number;
}

/** The body of the create and query refund APIs. */
export interface RefundView {
  refund_id: string;
  out_refund_no: string;
  transaction_id: string;
  out_trade_no: string;
  channel: 'ORIGINAL';
  user_received_account: string;
  success_time?: string;
  create_time: string;
  status: RefundStatus;
  funds_account: 'AVAILABLE';
  amount: {
    total: number;
    refund: number;
    from: unknown[];
    payer_total: number;
    payer_refund: number;
    settlement_refund: number;
    settlement_total: number;
    discount_refund: number;
    currency: 'CNY';
    refund_fee: number;
  };
  promotion_detail: unknown[];
}

export interface RefundBook {
  create(request: RefundRequest): RefundView;
  get(outRefundNo: string): RefundView;
  all(): RefundView[];
}

export interface RefundDeps {
  clock: SimClock;
  orders: OrderBook;
  notifier: Notifier;
  timers: SimTimers;
  timeScale: number;
  mchid: string;
}

export function createRefundBook(deps: RefundDeps): RefundBook {
  const refunds = new Map<string, Refund>();

  const view = (refund: Refund): RefundView => ({
    refund_id: refund.refundId,
    out_refund_no: refund.request.out_refund_no,
    transaction_id: refund.order.transactionId ?? '',
    out_trade_no: refund.order.request.out_trade_no,
    channel: 'ORIGINAL',
    user_received_account: USER_RECEIVED_ACCOUNT,
    ...(refund.successTime === undefined ? {} : { success_time: formatBeijingTime(refund.successTime) }),
    create_time: formatBeijingTime(refund.createTime),
    status: refund.status,
    funds_account: 'AVAILABLE',
    amount: {
      total: refund.request.amount.total,
      refund: refund.request.amount.refund,
      from: [],
      payer_total: refund.request.amount.total,
      payer_refund: refund.request.amount.refund,
      settlement_refund: refund.request.amount.refund,
      settlement_total: refund.request.amount.total,
      discount_refund: 0,
      currency: 'CNY',
      refund_fee: 0,
    },
    promotion_detail: [],
  });

  const complete = (refund: Refund) => {
    refund.status = 'SUCCESS';
    refund.successTime = deps.clock.now();
    const notifyUrl = refund.request.notify_url;
    if (notifyUrl === undefined) return;
    deps.notifier.notify({
      eventType: 'REFUND.SUCCESS',
      summary: '退款成功',
      originalType: 'refund',
      url: notifyUrl,
      outTradeNo: refund.order.request.out_trade_no,
      outRefundNo: refund.request.out_refund_no,
      resource: {
        mchid: deps.mchid,
        transaction_id: refund.order.transactionId,
        out_trade_no: refund.order.request.out_trade_no,
        refund_id: refund.refundId,
        out_refund_no: refund.request.out_refund_no,
        refund_status: 'SUCCESS',
        success_time: formatBeijingTime(refund.successTime),
        user_received_account: USER_RECEIVED_ACCOUNT,
        amount: {
          total: refund.request.amount.total,
          refund: refund.request.amount.refund,
          payer_total: refund.request.amount.total,
          payer_refund: refund.request.amount.refund,
        },
      },
    });
  };

  const findOrder = (request: RefundRequest): Order => {
    const order =
      request.transaction_id !== undefined
        ? deps.orders.byTransactionId(request.transaction_id)
        : deps.orders.byOutTradeNo(request.out_trade_no ?? '');
    if (!order) throw orderNotExist();
    if (
      request.transaction_id !== undefined &&
      request.out_trade_no !== undefined &&
      order.request.out_trade_no !== request.out_trade_no
    ) {
      throw invalidRequest('transaction_id 与 out_trade_no 不属于同一笔订单');
    }
    return order;
  };

  return {
    create: (request) => {
      const existing = refunds.get(request.out_refund_no);
      if (existing) {
        // The same out_refund_no is the same refund: a retry must not refund twice.
        const sameOrder = findOrder(request) === existing.order;
        if (!sameOrder || existing.request.amount.refund !== request.amount.refund) {
          throw invalidRequest('out_refund_no 已被使用，且请求参数与原退款不一致');
        }
        return view(existing);
      }
      const order = findOrder(request);
      if (order.state !== 'SUCCESS' && order.state !== 'REFUND') throw invalidRequest('订单未支付成功，不能退款');
      if (request.amount.total !== order.request.amount.total)
        throw invalidRequest('订单金额 amount.total 与原订单不一致');
      const siblings = [...refunds.values()].filter(
        (refund) => refund.order === order && refund.status !== 'CLOSED' && refund.status !== 'ABNORMAL',
      );
      if (siblings.length >= MAX_REFUNDS_PER_ORDER)
        throw invalidRequest(`一笔订单最多退款 ${MAX_REFUNDS_PER_ORDER} 次`);
      const refunded = siblings.reduce((sum, refund) => sum + refund.request.amount.refund, 0);
      if (refunded + request.amount.refund > order.request.amount.total) {
        throw new PayError(
          403,
          'NOT_ENOUGH',
          `可退金额不足：订单 ${order.request.amount.total} 分，已退 ${refunded} 分`,
        );
      }
      const refund: Refund = {
        refundId: `50${randomDigits(8)}${compactBeijingStamp(deps.clock.now()).slice(0, 8)}${randomDigits(11)}`,
        request,
        order,
        status: 'PROCESSING',
        createTime: deps.clock.now(),
      };
      refunds.set(request.out_refund_no, refund);
      deps.orders.markRefunded(order);
      deps.timers.after(REFUND_PROCESSING_SECONDS * 1000 * deps.timeScale, () => complete(refund));
      return view(refund);
    },
    get: (outRefundNo) => {
      const refund = refunds.get(outRefundNo);
      if (!refund) throw new PayError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
      return view(refund);
    },
    all: () => [...refunds.values()].map(view),
  };
}
