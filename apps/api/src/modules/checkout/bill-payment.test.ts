import { describe, expect, it } from 'vitest';
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

async function staff(method: 'GET' | 'POST', url: string, payload?: object) {
  const res = await kit.app.inject({
    method,
    url,
    headers: { ...kit.beauticianHeaders(), 'idempotency-key': idempotencyKey('bill') },
    ...(payload ? { payload } : {}),
  });
  return res;
}

describe('the WeChat part of a bill, paid on the customer phone', () => {
  it('settles the bill when the payment notification arrives, exactly once', async () => {
    const customer = kit.t.customers[0]!.id;
    const top = await staff('POST', `/staff/customers/${customer}/top-ups`, {
      storeId: kit.t.storeIds[0],
      amountFen: 10_000,
      method: 'cash',
    });
    expect(top.statusCode).toBe(201);
    const opened = await staff('POST', '/staff/bills', {
      storeId: kit.t.storeIds[0],
      customerId: customer,
      lines: [{ type: 'service', serviceId: kit.t.serviceId, quantity: 1, performerIds: [] }],
    });
    const bill = opened.json();
    const settle = await staff('POST', `/staff/bills/${bill.id}/settlement`, {
      tenders: [
        { method: 'stored_value', amountFen: 10_000 },
        { method: 'wechat', amountFen: bill.totalFen - 10_000 },
      ],
    });
    expect(settle.json()).toMatchObject({ status: 'awaiting_customer' });
    // The stored value is held while the customer pays: nothing else can spend it.
    expect((await wallet(kit)).principalFen).toBe(10_000);
    const spendHeld = await staff('POST', `/staff/customers/${customer}/spends`, {
      storeId: kit.t.storeIds[0],
      amountFen: 1,
    });
    expect(spendHeld.statusCode).toBe(422);

    const key = idempotencyKey('billpay');
    const pay = await kit.app.inject({
      method: 'POST',
      url: `/me/bills/${bill.id}/payments`,
      headers: { ...kit.customerHeaders(), 'idempotency-key': key },
    });
    expect(pay.statusCode, pay.body).toBe(201);
    const order = pay.json() as CreatedOrder;
    expect(order.amountFen).toBe(bill.totalFen - 10_000);
    payInWechat(kit, order);

    const settled = await waitUntil(async () => {
      const res = await staff('GET', `/staff/bills/${bill.id}`);
      const body = res.json() as { status: string; transferId: number | null };
      return body.status === 'settled' ? body : null;
    });
    expect(settled.transferId).toBeGreaterThan(0);
    expect((await wallet(kit)).principalFen + (await wallet(kit)).bonusFen).toBe(0);
    // A second order for the same bill is refused: nothing is left to pay.
    const again = await kit.app.inject({
      method: 'POST',
      url: `/me/bills/${bill.id}/payments`,
      headers: { ...kit.customerHeaders(), 'idempotency-key': idempotencyKey('x') },
    });
    expect(again.statusCode).toBe(409);
    expect((await verifyLedger(kit.db.db, kit.t.tenantId)).ok).toBe(true);
  });

  it('refuses to pay someone else’s bill', async () => {
    const opened = await staff('POST', '/staff/bills', {
      storeId: kit.t.storeIds[0],
      customerId: kit.t.customers[0]!.id,
      lines: [{ type: 'service', serviceId: kit.t.serviceId, quantity: 1, performerIds: [] }],
    });
    const bill = opened.json();
    await staff('POST', `/staff/bills/${bill.id}/settlement`, {
      tenders: [{ method: 'wechat', amountFen: bill.totalFen }],
    });
    const res = await kit.app.inject({
      method: 'POST',
      url: `/me/bills/${bill.id}/payments`,
      headers: { ...kit.customerHeaders(1), 'idempotency-key': idempotencyKey('y') },
    });
    expect(res.statusCode).toBe(404);
  });
});
