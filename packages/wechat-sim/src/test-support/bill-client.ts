import { randomBytes } from 'node:crypto';
import type { WechatSim } from '../wechat-sim.ts';
import { buildAuthorization, buildRequestPayment, callPay } from './merchant-client.ts';
import { jsapiOrder, merchantOf } from './sim-fixture.ts';

/** What a merchant does around WeChat Pay's bills (trade and fund-flow): apply, download, and pay orders to fill them. */

/** Today in Beijing, the day bills are dated by. */
export const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** A signed GET of one of the bill APIs. */
export const callBill = (target: WechatSim, path: string) =>
  callPay(target.url, merchantOf(target), { method: 'GET', path });

/** GET of a download address the merchant signs like any request; bytes, since the file may be gzip. */
export async function download(target: WechatSim, downloadUrl: string, signed = true) {
  const url = new URL(downloadUrl);
  const path = `${url.pathname}${url.search}`;
  // Signed at WeChat's time, so a test that moves the simulator's clock still passes the timestamp check.
  const timestamp = Math.floor(target.clock.now() / 1000);
  const authorization = buildAuthorization(
    merchantOf(target),
    'GET',
    path,
    '',
    timestamp,
    randomBytes(8).toString('hex'),
  );
  const response = await fetch(downloadUrl, { headers: signed ? { Authorization: authorization } : {} });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

/** A JSAPI order placed and paid by the customer; answers its out_trade_no. */
export async function paidOrder(target: WechatSim, total: number, description = '面部护理 60 分钟') {
  const order = jsapiOrder(target, { amount: { total, currency: 'CNY' }, description, attach: 'tenant-1' });
  const created = await callPay(target.url, merchantOf(target), {
    method: 'POST',
    path: '/v3/pay/transactions/jsapi',
    body: order,
  });
  const paid = target.pay(buildRequestPayment(order.appid, created.json.prepay_id, target.keys.merchantPrivateKeyPem));
  if (!paid.ok) throw new Error(paid.message);
  return order.out_trade_no;
}

/** A refund of part of a paid order, numbered `R<out_trade_no>`; answers WeChat's reply. */
export const refundPart = (target: WechatSim, outTradeNo: string, refund: number, total: number) =>
  callPay(target.url, merchantOf(target), {
    method: 'POST',
    path: '/v3/refund/domestic/refunds',
    body: { out_trade_no: outTradeNo, out_refund_no: `R${outTradeNo}`, amount: { refund, total, currency: 'CNY' } },
  });
