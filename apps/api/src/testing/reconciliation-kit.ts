/**
 * Test support for the reconciliation tests (imported only by *.test.ts): payments made the ordinary way, made
 * only at WeChat (a row Lumi lost), and refunds — each waited for until WeChat and Lumi have settled it.
 */
import { expect } from 'vitest';
import {
  type CreatedOrder,
  getOrder,
  idempotencyKey,
  orderTopUp,
  type PaymentsKit,
  payInWechat,
  waitUntil,
} from './payments-kit.ts';

export const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** A top-up the customer paid in WeChat, once Lumi has it as paid. */
export async function paidTopUp(kit: PaymentsKit, amountFen: number): Promise<CreatedOrder> {
  const order = await orderTopUp(kit, { amountFen });
  payInWechat(kit, order);
  await waitUntil(async () => (await getOrder(kit, order.outTradeNo)).state === 'SUCCESS');
  return order;
}

/**
 * An order placed at WeChat whose row Lumi lost (as if the process died mid-way): only WeChat's bills know it.
 * `attach` names the salon as Lumi would (default the kit's tenant).
 */
export async function paidOnlyAtWechat(kit: PaymentsKit, amountFen: number, attach = kit.t.tenantId): Promise<string> {
  const outTradeNo = `LTLOST${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const { prepay_id } = await kit.gateway.createJsapiOrder({
    appid: kit.gateway.appId,
    mchid: kit.gateway.mchid,
    description: '会员储值',
    out_trade_no: outTradeNo,
    time_expire: new Date(Date.now() + 30 * 60_000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    attach,
    notify_url: kit.notifyUrl,
    amount: { total: amountFen, currency: 'CNY' },
    payer: { openid: kit.t.customers[0]?.openid ?? '' },
  });
  const params = kit.gateway.requestPayment(prepay_id, new Date());
  expect(kit.sim.pay({ ...params, appid: params.appId })).toMatchObject({ ok: true });
  return outTradeNo;
}

/** A manager's refund through the API, once WeChat has finished it. */
export async function refundAndWait(kit: PaymentsKit, outTradeNo: string, amountFen: number): Promise<string> {
  const res = await kit.app.inject({
    method: 'POST',
    url: `/staff/payments/${outTradeNo}/refunds`,
    headers: { ...kit.managerHeaders(), 'idempotency-key': idempotencyKey('refund') },
    payload: { amountFen, reason: '顾客不想要了' },
  });
  expect(res.statusCode, res.body).toBe(201);
  const { outRefundNo } = res.json() as { outRefundNo: string };
  await waitUntil(async () => {
    const order = await getOrder(kit, outTradeNo);
    return order.refunds.find((r) => r.outRefundNo === outRefundNo)?.state === 'SUCCESS';
  });
  return outRefundNo;
}
