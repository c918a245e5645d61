import { describe, expect, it } from 'vitest';
import { verifyLedger } from '../ledger/index.ts';
import {
  type CounterTopUpOptions,
  entries,
  getOrder,
  idempotencyKey,
  openCounterTopUp as openCounterTopUpFor,
  payInWechat,
  usePaymentsKit,
  wallet,
} from '../../testing/payments-kit.ts';

const kit = usePaymentsKit();

const customerId = (index = 0) => kit.t.customers[index]?.id ?? '';
const openCounterTopUp = (body: Record<string, unknown>, options: CounterTopUpOptions = {}) =>
  openCounterTopUpFor(kit, body, options);

async function staffReads(outTradeNo: string, headers = kit.beauticianHeaders(), customer = 0) {
  return kit.app.inject({
    method: 'GET',
    url: `/staff/customers/${customerId(customer)}/wechat-top-ups/${outTradeNo}`,
    headers,
  });
}

describe('到店微信充值: staff open the order, the customer pays on her phone', () => {
  it('credits the wallet once WeChat confirms, as the staff member and store who opened it', async () => {
    const store = kit.t.storeIds[0];
    const order = await openCounterTopUp({ storeId: store, amountFen: 30_000 });
    // The staff phone never holds the customer's payment parameters; the customer's app reads them.
    expect(order).toMatchObject({ state: 'NOTPAY', amountFen: 30_000, requestPayment: null });
    const mine = await getOrder(kit, order.outTradeNo);
    expect(mine.requestPayment?.package).toMatch(/^prepay_id=/);
    expect((await staffReads(order.outTradeNo)).json()).toMatchObject({ state: 'NOTPAY' });
    expect((await wallet(kit)).principalFen).toBe(0);

    payInWechat(kit, mine);
    await kit.sim.waitForNotification({ outTradeNo: order.outTradeNo, until: ['acked'] });
    const followed = await staffReads(order.outTradeNo);
    expect(followed.json()).toMatchObject({ state: 'SUCCESS', transferId: expect.any(Number), requestPayment: null });
    expect((await wallet(kit)).principalFen).toBe(30_000);
    const topUp = (await entries(kit)).find((e) => e.kind === 'top_up');
    expect(topUp).toBeDefined();
    const { rows } = await kit.db.rawQuery('select staff_id, store_id from transfers where id = $1', [
      followed.json().transferId,
    ]);
    const [transfer] = rows;
    expect(transfer).toEqual({ staff_id: kit.t.beautician.id, store_id: store });
    expect((await verifyLedger(kit.db.db, kit.t.tenantId)).ok).toBe(true);
  });

  it('answers a retry with the same order and refuses the key for another body', async () => {
    const key = idempotencyKey();
    const body = { storeId: kit.t.storeIds[0], amountFen: 10_000 };
    const first = await openCounterTopUp(body, { key });
    const again = await openCounterTopUp(body, { key, status: 200 });
    expect(again.outTradeNo).toBe(first.outTradeNo);
    const reused = await openCounterTopUp({ ...body, amountFen: 10_001 }, { key, status: 422 });
    expect(reused.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('refuses a store the staff member does not work at, and hides orders she did not open at the counter', async () => {
    const refused = await openCounterTopUp({ storeId: kit.t.storeIds[1], amountFen: 10_000 }, { status: 403 });
    expect(refused.error?.code).toBe('FORBIDDEN');
    // The customer's own online top-up is not a counter order.
    const online = await kit.app.inject({
      method: 'POST',
      url: '/me/payments/top-ups',
      headers: { ...kit.customerHeaders(), 'idempotency-key': idempotencyKey() },
      payload: { amountFen: 1_000 },
    });
    expect(online.statusCode).toBe(201);
    const read = await staffReads(online.json().outTradeNo);
    expect(read.statusCode).toBe(404);
    // Another customer's path does not reach this customer's order.
    const counter = await openCounterTopUp({ storeId: kit.t.storeIds[0], amountFen: 2_000 });
    expect((await staffReads(counter.outTradeNo, kit.beauticianHeaders(), 1)).statusCode).toBe(404);
  });
});
