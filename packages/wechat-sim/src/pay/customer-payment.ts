import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import type { SimClock } from '../clock.ts';
import { joinSignedLines, verifyRsaSha256 } from '../crypto/rsa-sha256.ts';
import type { Notifier } from './notifier.ts';
import type { OrderBook } from './order-book.ts';
import { orderClosed, orderNotExist, orderPaid, PayError, paramError } from './pay-error.ts';

/** What wx.requestPayment receives, plus the appid the mini-program runs as (it is part of paySign). */
export const CustomerPaymentSchema = z
  .object({
    appid: z.string().min(1).optional(),
    appId: z.string().min(1).optional(),
    timeStamp: z.string().regex(/^\d{10}$/, 'timeStamp 须为 10 位秒级时间戳字符串'),
    nonceStr: z.string().min(1).max(32),
    package: z.string().regex(/^prepay_id=.+$/, 'package 须为 prepay_id=…'),
    signType: z.literal('RSA'),
    paySign: z.string().min(1),
    /** When given, must be the order's payer, as only that WeChat user can pay it. */
    openid: z.string().min(1).optional(),
  })
  .refine((body) => body.appid !== undefined || body.appId !== undefined, { message: 'appid 必填', path: ['appid'] });
export type CustomerPayment = z.input<typeof CustomerPaymentSchema>;

export type CustomerPaymentResult = { ok: true; transaction_id: string };

export interface CustomerPaymentDeps {
  clock: SimClock;
  orders: OrderBook;
  notifier: Notifier;
  merchantPublicKeyPem: string;
}

export interface CustomerPayments {
  /** Throws PayError for every refusal, as wx.requestPayment's fail callback would. */
  pay(input: unknown): CustomerPaymentResult;
}

export function createCustomerPayments(deps: CustomerPaymentDeps): CustomerPayments {
  const merchantKey = createPublicKey(deps.merchantPublicKeyPem);
  return {
    pay: (input) => {
      const parsed = CustomerPaymentSchema.safeParse(input);
      if (!parsed.success)
        throw paramError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
      const body = parsed.data;
      const appid = body.appid ?? body.appId ?? '';
      const order = deps.orders.byPrepayId(body.package.slice('prepay_id='.length));
      if (!order) throw orderNotExist();
      const signed = joinSignedLines(appid, body.timeStamp, body.nonceStr, body.package);
      if (!verifyRsaSha256(signed, body.paySign, merchantKey))
        throw new PayError(401, 'SIGN_ERROR', 'paySign 验签失败');
      if (appid !== order.request.appid) throw paramError('appid 与下单时的 appid 不一致');
      if (body.openid !== undefined && body.openid !== order.request.payer.openid)
        throw paramError('付款用户与下单 payer.openid 不一致');
      if (order.state === 'SUCCESS' || order.state === 'REFUND') throw orderPaid();
      if (order.state === 'CLOSED') throw orderClosed();
      if (deps.clock.now() >= order.prepayExpiresAt)
        throw new PayError(400, 'PREPAY_EXPIRED', 'prepay_id 已失效，请重新下单');
      deps.orders.markPaid(order);
      const transaction = deps.orders.view(order);
      deps.notifier.notify({
        eventType: 'TRANSACTION.SUCCESS',
        summary: '支付成功',
        originalType: 'transaction',
        url: order.request.notify_url,
        outTradeNo: order.request.out_trade_no,
        resource: { ...transaction },
      });
      return { ok: true, transaction_id: transaction.transaction_id ?? '' };
    },
  };
}
