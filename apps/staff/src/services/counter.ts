import { request } from '@lumi/mini';
import type { CounterPaymentCode, CounterWechatTopUpRequest, MyCommissions, PaymentOrder, Takings } from '@lumi/shared';

const customerPath = (id: string, rest: string) => `/staff/customers/${encodeURIComponent(id)}${rest}`;

/** 到店微信充值: opens the order the customer then pays on her own phone. */
export function openWechatTopUp(
  customerId: string,
  body: CounterWechatTopUpRequest,
  idempotencyKey: string,
): Promise<PaymentOrder> {
  return request<PaymentOrder>(customerPath(customerId, '/wechat-top-ups'), {
    method: 'POST',
    data: body,
    idempotencyKey,
    toast: false,
  });
}

export function getWechatTopUp(customerId: string, outTradeNo: string): Promise<PaymentOrder> {
  return request<PaymentOrder>(customerPath(customerId, `/wechat-top-ups/${encodeURIComponent(outTradeNo)}`), {
    toast: false,
  });
}

/** The 小程序码 WeChat drew for the order: the customer scans it to open her payment page. */
export function getCounterPaymentCode(customerId: string, outTradeNo: string): Promise<CounterPaymentCode> {
  return request<CounterPaymentCode>(
    customerPath(customerId, `/wechat-top-ups/${encodeURIComponent(outTradeNo)}/code`),
    { toast: false },
  );
}

/** 我的业绩 over Shanghai days `from`..`to`. */
export function getMyCommissions(from: string, to: string): Promise<MyCommissions> {
  return request<MyCommissions>('/staff/commissions/mine', { data: { from, to }, toast: false });
}

/** 交班/日结 of a store (today unless `date`). */
export function getTakings(storeId: string, date?: string): Promise<Takings> {
  return request<Takings>('/staff/takings', { data: date ? { storeId, date } : { storeId }, toast: false });
}
