import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { verifyLedger } from '../ledger/index.ts';
import {
  type CreatedOrder,
  idempotencyKey,
  payInWechat,
  usePaymentsKit,
  waitUntil,
  wallet,
} from '../../testing/payments-kit.ts';

const kit = usePaymentsKit();

async function asManager(method: 'GET' | 'POST', url: string, payload?: object) {
  return kit.app.inject({
    method,
    url,
    headers: { ...kit.managerHeaders(), 'idempotency-key': idempotencyKey('m') },
    ...(payload ? { payload } : {}),
  });
}

/** A one-service bill paid with `storedValueFen` of stored value and the rest by WeChat on the customer's phone. */
async function billPaidInWechat(storedValueFen: number) {
  const customer = kit.t.customers[0]!.id;
  if (storedValueFen > 0) {
    const top = await asManager('POST', `/staff/customers/${customer}/top-ups`, {
      storeId: kit.t.storeIds[0],
      amountFen: storedValueFen,
      method: 'cash',
    });
    expect(top.statusCode).toBe(201);
  }
  const bill = (
    await asManager('POST', '/staff/bills', {
      storeId: kit.t.storeIds[0],
      customerId: customer,
      lines: [{ type: 'service', serviceId: kit.t.serviceId, quantity: 1, performerIds: [] }],
    })
  ).json();
  const tenders = [{ method: 'wechat', amountFen: bill.totalFen - storedValueFen }];
  if (storedValueFen > 0) tenders.unshift({ method: 'stored_value', amountFen: storedValueFen });
  expect((await asManager('POST', `/staff/bills/${bill.id}/settlement`, { tenders })).statusCode).toBe(200);
  const pay = await kit.app.inject({
    method: 'POST',
    url: `/me/bills/${bill.id}/payments`,
    headers: { ...kit.customerHeaders(), 'idempotency-key': idempotencyKey('billpay') },
  });
  expect(pay.statusCode, pay.body).toBe(201);
  const order = pay.json() as CreatedOrder;
  payInWechat(kit, order);
  await waitUntil(async () => (await asManager('GET', `/staff/bills/${bill.id}`)).json().status === 'settled');
  return { bill: (await asManager('GET', `/staff/bills/${bill.id}`)).json(), order };
}

async function paymentOf(outTradeNo: string) {
  const list = (await asManager('GET', '/staff/payments?purpose=bill&limit=100')).json();
  return list.items.find((o: { outTradeNo: string }) => o.outTradeNo === outTradeNo);
}

const refundSettled = (outRefundNo: string) =>
  kit.sim.waitForNotification({ outRefundNo, eventType: 'REFUND.SUCCESS', until: ['acked'] });

async function refundsPendingBalance(): Promise<number> {
  const [row] = await queryRows<{ total: number }>(
    kit.db.db,
    sql`select coalesce(sum(e.amount), 0) as total from entries e join accounts a on a.id = e.account_id
        where a.tenant_id = ${kit.t.tenantId} and a.kind = 'refunds_pending'`,
  );
  return Number(row?.total);
}

describe('refunding a bill paid partly with WeChat', () => {
  it('refunds part through WeChat and the rest by a void, each tender back to its source', async () => {
    const { bill, order } = await billPaidInWechat(10_000);
    const before = await wallet(kit);
    // A bill's payment is refunded from the bill, not on its own.
    const direct = await asManager('POST', `/staff/payments/${order.outTradeNo}/refunds`, {
      amountFen: 100,
      reason: '直接退',
    });
    expect(direct.statusCode).toBe(422);
    expect(direct.json().error.code).toBe('REFUND_NOT_ALLOWED');
    const res = await asManager('POST', `/staff/bills/${bill.id}/refunds`, {
      lines: [{ lineId: bill.lines[0].id, amountFen: 8_800 }],
      reason: '服务时间缩短，部分退款',
    });
    expect(res.statusCode, res.body).toBe(201);
    const [part] = res.json().refunds;
    const wechatPart = part.tenders.find((t: { method: string }) => t.method === 'wechat').amountFen;
    const storedPart = part.tenders.find((t: { method: string }) => t.method === 'stored_value').amountFen;
    expect(wechatPart + storedPart).toBe(8_800);
    // In proportion to what each paid: 10,000 of stored value and 28,800 by WeChat.
    expect(storedPart).toBe(Math.round((8_800 * 10_000) / 38_800));
    expect(part.wechatOutRefundNo).toMatch(/\S+/);
    await refundSettled(part.wechatOutRefundNo);
    const afterPart = await waitUntil(async () => {
      const payment = await paymentOf(order.outTradeNo);
      return payment?.refundedFen === wechatPart ? payment : null;
    });
    expect(afterPart.refunds).toEqual([expect.objectContaining({ state: 'SUCCESS', amountFen: wechatPart })]);
    expect((await wallet(kit)).principalFen + (await wallet(kit)).bonusFen).toBe(
      before.principalFen + before.bonusFen + storedPart,
    );

    const voided = await asManager('POST', `/staff/bills/${bill.id}/void`, { reason: '顾客要求全部退款' });
    expect(voided.statusCode, voided.body).toBe(200);
    const rest = voided.json().refunds[1];
    await refundSettled(rest.wechatOutRefundNo);
    await waitUntil(async () => (await paymentOf(order.outTradeNo))?.refundedFen === 28_800);
    expect((await wallet(kit)).principalFen + (await wallet(kit)).bonusFen).toBe(
      before.principalFen + before.bonusFen + 10_000,
    );
    expect(await refundsPendingBalance()).toBe(0);
    expect((await verifyLedger(kit.db.db, kit.t.tenantId)).ok).toBe(true);
  });

  it('credits the WeChat part to stored value when WeChat refuses to pay it out', async () => {
    const { bill, order } = await billPaidInWechat(0);
    const before = await wallet(kit);
    kit.sim.faults.add({
      kind: 'response-error',
      path: '/v3/refund/domestic/refunds',
      method: 'POST',
      status: 403,
      code: 'NOT_ENOUGH',
      times: 1,
    });
    const res = await asManager('POST', `/staff/bills/${bill.id}/refunds`, {
      lines: [{ lineId: bill.lines[0].id, amountFen: 10_000 }],
      tenders: [{ method: 'wechat', amountFen: 10_000 }],
      reason: '部分退款',
    });
    // The refund itself is done; only WeChat's part of it took another way.
    expect(res.statusCode, res.body).toBe(201);
    const payment = await paymentOf(order.outTradeNo);
    expect(payment.refunds).toEqual([expect.objectContaining({ state: 'CLOSED', amountFen: 10_000 })]);
    expect((await wallet(kit)).principalFen).toBe(before.principalFen + 10_000);
    expect(await refundsPendingBalance()).toBe(0);
    expect((await verifyLedger(kit.db.db, kit.t.tenantId)).ok).toBe(true);
  });

  it('lists payments only for managers, a page at a time', async () => {
    const page = await asManager('GET', '/staff/payments?limit=1');
    expect(page.statusCode).toBe(200);
    expect(page.json().items).toHaveLength(1);
    expect(page.json().items[0].requestPayment).toBeNull();
    const next = await asManager('GET', `/staff/payments?limit=1&cursor=${page.json().nextCursor}`);
    expect(next.json().items[0].outTradeNo).not.toBe(page.json().items[0].outTradeNo);
    const bad = await asManager('GET', '/staff/payments?cursor=bm9wZQ');
    expect(bad.statusCode).toBe(400);
    const beautician = await kit.app.inject({
      method: 'GET',
      url: '/staff/payments',
      headers: kit.beauticianHeaders(),
    });
    expect(beautician.statusCode).toBe(403);
  });
});
