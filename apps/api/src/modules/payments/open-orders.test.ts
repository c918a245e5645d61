/**
 * A bill, and a customer's credit repayment, have at most one WeChat order that can be paid: a new request for
 * the same amount answers with the open order, one for another amount closes it at WeChat first — however many
 * Idempotency-Keys, and however the requests race.
 */
import { describe, expect, it } from 'vitest';
import { type CreatedOrder, idempotencyKey, payInWechat, usePaymentsKit } from '../../testing/payments-kit.ts';

const kit = usePaymentsKit();

async function staff(url: string, payload: object, headers = kit.beauticianHeaders()) {
  const res = await kit.app.inject({
    method: 'POST',
    url,
    headers: { ...headers, 'idempotency-key': idempotencyKey('staff') },
    payload,
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
}

/** A bill waiting for the customer to pay `wechatFen` of it in WeChat (the rest in cash). */
async function billAwaitingWechat(wechatFen?: number) {
  const bill = await staff('/staff/bills', {
    storeId: kit.t.storeIds[0],
    customerId: kit.t.customers[0]!.id,
    lines: [{ type: 'service', serviceId: kit.t.serviceId, quantity: 1, performerIds: [] }],
  });
  await settleWithWechat(bill, wechatFen ?? bill.totalFen);
  return bill as { id: string; totalFen: number };
}

async function settleWithWechat(bill: { id: string; totalFen: number }, wechatFen: number) {
  const tenders = [{ method: 'wechat', amountFen: wechatFen }];
  if (wechatFen < bill.totalFen) tenders.push({ method: 'cash', amountFen: bill.totalFen - wechatFen });
  expect(await staff(`/staff/bills/${bill.id}/settlement`, { tenders })).toMatchObject({
    status: 'awaiting_customer',
  });
}

async function pay(url: string, payload?: object) {
  const res = await kit.app.inject({
    method: 'POST',
    url,
    headers: { ...kit.customerHeaders(), 'idempotency-key': idempotencyKey('pay') },
    ...(payload ? { payload } : {}),
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json() as CreatedOrder;
}

async function openOrders(purpose: string, reference: string) {
  const result = (await kit.db.rawQuery(
    `select out_trade_no as "outTradeNo", amount_fen::int as "amountFen" from payment_orders
      where tenant_id = $1 and purpose = $2 and purpose_ref = $3 and state = 'NOTPAY'`,
    [kit.t.tenantId, purpose, reference],
  )) as { rows: { outTradeNo: string; amountFen: number }[] };
  return result.rows;
}

const atWechat = (outTradeNo: string) => kit.sim.order(outTradeNo)?.transaction.trade_state;

describe("a bill's WeChat part", () => {
  it('has one payable order, whatever the keys of the requests', async () => {
    const bill = await billAwaitingWechat();
    const first = await pay(`/me/bills/${bill.id}/payments`);
    const second = await pay(`/me/bills/${bill.id}/payments`);
    expect(second.outTradeNo).toBe(first.outTradeNo);
    expect(second.requestPayment).not.toBeNull();
    expect(await openOrders('bill', bill.id)).toEqual([{ outTradeNo: first.outTradeNo, amountFen: bill.totalFen }]);
  });

  it('has one payable order when two requests arrive at once', async () => {
    const bill = await billAwaitingWechat();
    const [a, b] = await Promise.all([pay(`/me/bills/${bill.id}/payments`), pay(`/me/bills/${bill.id}/payments`)]);
    expect(b.outTradeNo).toBe(a.outTradeNo);
    expect(await openOrders('bill', bill.id)).toHaveLength(1);
  });

  it('closes the open order at WeChat before making one for a new amount, so only the new one can be paid', async () => {
    const bill = await billAwaitingWechat();
    const before = await pay(`/me/bills/${bill.id}/payments`);
    const declined = await kit.app.inject({
      method: 'POST',
      url: `/me/bills/${bill.id}/decline`,
      headers: kit.customerHeaders(),
      payload: { reason: '改成部分现金' },
    });
    expect(declined.statusCode, declined.body).toBe(200);
    await settleWithWechat(bill, bill.totalFen - 8_800);

    const after = await pay(`/me/bills/${bill.id}/payments`);
    expect(after.outTradeNo).not.toBe(before.outTradeNo);
    expect(after.amountFen).toBe(bill.totalFen - 8_800);
    expect(atWechat(before.outTradeNo)).toBe('CLOSED');
    expect(() => payInWechat(kit, before)).toThrow();
    expect(await openOrders('bill', bill.id)).toEqual([{ outTradeNo: after.outTradeNo, amountFen: after.amountFen }]);
  });
});

describe('a credit repayment in WeChat', () => {
  it('has one payable order per customer: the same amount answers it, another amount replaces it', async () => {
    const customer = kit.t.customers[0]!.id;
    const limit = await kit.app.inject({
      method: 'PUT',
      url: `/staff/customers/${customer}/credit-line/limit`,
      headers: kit.managerHeaders(),
      payload: { limitFen: 50_000, reason: '老顾客' },
    });
    expect(limit.statusCode, limit.body).toBe(200);
    await staff(`/staff/customers/${customer}/credit-sales`, {
      storeId: kit.t.storeIds[0],
      amountFen: 30_000,
      revenue: 'service',
      items: [],
      dueDate: '2027-01-31',
    });

    const [first, again] = await Promise.all([
      pay('/me/payments/credit-repayments', { amountFen: 12_000 }),
      pay('/me/payments/credit-repayments', { amountFen: 12_000 }),
    ]);
    expect(again.outTradeNo).toBe(first.outTradeNo);
    const other = await pay('/me/payments/credit-repayments', { amountFen: 5_000 });
    expect(other.outTradeNo).not.toBe(first.outTradeNo);
    expect(atWechat(first.outTradeNo)).toBe('CLOSED');
    expect(await openOrders('credit_repayment', customer)).toEqual([
      { outTradeNo: other.outTradeNo, amountFen: 5_000 },
    ]);
  });
});
