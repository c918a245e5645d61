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

const credit = async () =>
  (await kit.app.inject({ method: 'GET', url: '/me/credit', headers: kit.customerHeaders() })).json() as {
    owedFen: number;
  };

async function orderRepayment(amountFen: number, status = 201) {
  const res = await kit.app.inject({
    method: 'POST',
    url: '/me/payments/credit-repayments',
    headers: { ...kit.customerHeaders(), 'idempotency-key': idempotencyKey('repay') },
    payload: { amountFen },
  });
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as CreatedOrder;
}

describe('repaying credit with WeChat Pay', () => {
  it('reduces what is owed when the payment is confirmed, and refuses more than is owed', async () => {
    const customer = kit.t.customers[0]!.id;
    const limit = await kit.app.inject({
      method: 'PUT',
      url: `/staff/customers/${customer}/credit-line/limit`,
      headers: kit.managerHeaders(),
      payload: { limitFen: 50_000, reason: '老顾客' },
    });
    expect(limit.statusCode, limit.body).toBe(200);
    const sale = await kit.app.inject({
      method: 'POST',
      url: `/staff/customers/${customer}/credit-sales`,
      headers: { ...kit.beauticianHeaders(), 'idempotency-key': idempotencyKey('sale') },
      payload: { storeId: kit.t.storeIds[0], amountFen: 30_000, revenue: 'service', items: [], dueDate: '2027-01-31' },
    });
    expect(sale.statusCode, sale.body).toBe(201);
    expect((await credit()).owedFen).toBe(30_000);

    const tooMuch = await kit.app.inject({
      method: 'POST',
      url: '/me/payments/credit-repayments',
      headers: { ...kit.customerHeaders(), 'idempotency-key': idempotencyKey('over') },
      payload: { amountFen: 30_001 },
    });
    expect(tooMuch.statusCode).toBe(422);

    const order = await orderRepayment(12_000);
    payInWechat(kit, order);
    await waitUntil(async () => (await credit()).owedFen === 18_000);
    expect((await verifyLedger(kit.db.db, kit.t.tenantId)).ok).toBe(true);
  });

  it('credits the payment to stored value when the debt was settled meanwhile', async () => {
    const owed = (await credit()).owedFen;
    const order = await orderRepayment(owed);
    // Repaid in cash at the store before WeChat confirms the online payment.
    const cash = await kit.app.inject({
      method: 'POST',
      url: `/staff/customers/${kit.t.customers[0]!.id}/credit-repayments`,
      headers: { ...kit.beauticianHeaders(), 'idempotency-key': idempotencyKey('cash') },
      payload: { storeId: kit.t.storeIds[0], amountFen: owed, method: 'cash' },
    });
    expect(cash.statusCode, cash.body).toBe(201);
    const before = await wallet(kit);
    payInWechat(kit, order);
    await waitUntil(async () => (await wallet(kit)).principalFen === before.principalFen + owed);
    expect((await credit()).owedFen).toBe(0);
    expect((await verifyLedger(kit.db.db, kit.t.tenantId)).ok).toBe(true);
  });
});
