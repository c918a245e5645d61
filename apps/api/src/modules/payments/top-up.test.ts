import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../ledger/index.ts';
import {
  entries,
  getOrder,
  idempotencyKey,
  notificationLog,
  orderTopUp,
  payInWechat,
  usePaymentsKit,
  wallet,
} from '../../testing/payments-kit.ts';
import { settledOrWaiting } from '../../testing/lock-waits.ts';

const kit = usePaymentsKit();
let plans: { id: string; name: string; payFen: number; bonusFen: number; bonusPoints: number }[];

beforeAll(async () => {
  const res = await kit.app.inject({ method: 'GET', url: '/me/top-up-plans', headers: kit.customerHeaders() });
  plans = res.json();
});

describe('online top-up with WeChat Pay', () => {
  it('orders, is paid in WeChat, is notified, and credits principal, bonus and points once', async () => {
    const plan = plans.find((p) => p.bonusPoints > 0);
    if (!plan) throw new Error('fixture plan missing');
    const order = await orderTopUp(kit, { planId: plan.id });
    expect(order).toMatchObject({ amountFen: plan.payFen, state: 'NOTPAY', transferId: null });
    expect(order.outTradeNo).toMatch(/^[0-9A-Za-z_\-|*]{6,32}$/);
    expect(order.requestPayment).toMatchObject({ signType: 'RSA', package: expect.stringMatching(/^prepay_id=wx/) });
    expect(order.requestPayment?.timeStamp).toMatch(/^\d{10}$/);

    // What WeChat holds: the same amount, a time_expire, our notify URL, the customer's openid.
    const atWechat = kit.sim.order(order.outTradeNo);
    expect(atWechat?.transaction).toMatchObject({ trade_state: 'NOTPAY', amount: { total: plan.payFen } });
    expect(atWechat?.notify_url).toBe(kit.notifyUrl);
    expect(atWechat?.transaction.payer.openid).toBe(kit.t.customers[0]?.openid);

    // The wallet does not move on the front end's word.
    expect((await wallet(kit)).principalFen).toBe(0);

    payInWechat(kit, order);
    const delivered = await kit.sim.waitForNotification({ outTradeNo: order.outTradeNo, until: ['acked'] });
    expect(delivered.attempts).toHaveLength(1);

    const paid = await getOrder(kit, order.outTradeNo);
    expect(paid).toMatchObject({ state: 'SUCCESS', requestPayment: null });
    expect(paid.transferId).toEqual(expect.any(Number));
    expect(await wallet(kit)).toMatchObject({
      principalFen: plan.payFen,
      bonusFen: plan.bonusFen,
      points: plan.bonusPoints,
    });
    const topUps = (await entries(kit)).filter((e) => e.kind === 'top_up');
    expect(topUps.map((e) => e.bucket).sort()).toEqual(['bonus', 'points', 'principal']);
    expect(await notificationLog(kit, order.outTradeNo)).toEqual([
      { outcome: 'completed', verified: true, eventType: 'TRANSACTION.SUCCESS', outTradeNo: order.outTradeNo },
    ]);
    expect((await verifyLedger(kit.db.db, kit.t.tenantId)).ok).toBe(true);
  });

  it('tops up an amount without a plan (the best tier it reaches applies) for the second customer', async () => {
    const order = await orderTopUp(kit, { amountFen: 12_345 }, { customer: 1 });
    expect(order.amountFen).toBe(12_345);
    payInWechat(kit, order);
    await kit.sim.waitForNotification({ outTradeNo: order.outTradeNo, until: ['acked'] });
    expect(await wallet(kit, 1)).toMatchObject({ principalFen: 12_345, bonusFen: 0 });
  });

  it('answers a retried request with the same order and refuses the key for another body', async () => {
    const key = idempotencyKey();
    const first = await orderTopUp(kit, { amountFen: 5_000 }, { key });
    const again = await orderTopUp(kit, { amountFen: 5_000 }, { key, status: 200 });
    expect(again.outTradeNo).toBe(first.outTradeNo);
    expect(again.requestPayment?.package).toBe(first.requestPayment?.package);
    expect(kit.sim.orders().filter((o) => o.transaction.out_trade_no === first.outTradeNo)).toHaveLength(1);

    const other = await kit.app.inject({
      method: 'POST',
      url: '/me/payments/top-ups',
      headers: { ...kit.customerHeaders(), 'idempotency-key': key },
      payload: { amountFen: 6_000 },
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('checks the request: a key, a plan or an amount, a plan in force at its price', async () => {
    const noKey = await kit.app.inject({
      method: 'POST',
      url: '/me/payments/top-ups',
      headers: kit.customerHeaders(),
      payload: { amountFen: 100 },
    });
    expect(noKey.json().error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const empty = await kit.app.inject({
      method: 'POST',
      url: '/me/payments/top-ups',
      headers: { ...kit.customerHeaders(), 'idempotency-key': idempotencyKey() },
      payload: {},
    });
    expect(empty.statusCode).toBe(400);
    const [plan] = plans;
    const wrongPrice = await kit.app.inject({
      method: 'POST',
      url: '/me/payments/top-ups',
      headers: { ...kit.customerHeaders(), 'idempotency-key': idempotencyKey() },
      payload: { planId: plan?.id, amountFen: 1 },
    });
    expect(wrongPrice.statusCode).toBe(422);
    const unknownPlan = await kit.app.inject({
      method: 'POST',
      url: '/me/payments/top-ups',
      headers: { ...kit.customerHeaders(), 'idempotency-key': idempotencyKey() },
      payload: { planId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknownPlan.json().error).toMatchObject({ code: 'BUSINESS_RULE_VIOLATED' });
    const staff = await kit.app.inject({
      method: 'POST',
      url: '/me/payments/top-ups',
      headers: { ...kit.managerHeaders(), 'idempotency-key': idempotencyKey() },
      payload: { amountFen: 100 },
    });
    expect(staff.statusCode).toBe(403);
  });

  it("keeps customers out of each other's payments", async () => {
    const order = await orderTopUp(kit, { amountFen: 800 });
    const res = await kit.app.inject({
      method: 'GET',
      url: `/me/payments/${order.outTradeNo}`,
      headers: kit.customerHeaders(1),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('PAYMENT_NOT_FOUND');
  });

  it('credits the offer the customer ordered even when it ends before WeChat confirms', async () => {
    const plan = plans.find((p) => p.bonusFen > 0 && p.bonusPoints === 0);
    if (!plan) throw new Error('fixture plan missing');
    const before = await wallet(kit, 1);
    const order = await orderTopUp(kit, { planId: plan.id }, { customer: 1 });
    await kit.db.rawQuery('update top_up_plans set valid_to = now() where id = $1', [plan.id]);
    try {
      payInWechat(kit, order);
      await kit.sim.waitForNotification({ outTradeNo: order.outTradeNo, until: ['acked'] });
      const after = await wallet(kit, 1);
      expect(after.principalFen - before.principalFen).toBe(plan.payFen);
      expect(after.bonusFen - before.bonusFen).toBe(plan.bonusFen);
    } finally {
      await kit.db.rawQuery('update top_up_plans set valid_to = null where id = $1', [plan.id]);
    }
  });

  it('still credits every fen paid when the offer was switched off meanwhile', async () => {
    const plan = plans.find((p) => p.bonusFen > 0 && p.bonusPoints === 0);
    if (!plan) throw new Error('fixture plan missing');
    const before = await wallet(kit, 1);
    const order = await orderTopUp(kit, { planId: plan.id }, { customer: 1 });
    await kit.db.rawQuery('update top_up_plans set active = false where id = $1', [plan.id]);
    try {
      payInWechat(kit, order);
      await kit.sim.waitForNotification({ outTradeNo: order.outTradeNo, until: ['acked'] });
      const after = await wallet(kit, 1);
      expect(after.principalFen - before.principalFen).toBe(plan.payFen);
      expect(after.bonusFen).toBe(before.bonusFen);
      expect((await getOrder(kit, order.outTradeNo, 1)).state).toBe('SUCCESS');
    } finally {
      await kit.db.rawQuery('update top_up_plans set active = true where id = $1', [plan.id]);
    }
  });

  it('keeps the offer an order names as it read it: an edit meanwhile waits, then finds its terms fixed', async () => {
    const created = await kit.app.inject({
      method: 'POST',
      url: '/staff/settings/top-up-plans',
      headers: kit.managerHeaders(),
      payload: { name: '并发 充300送30', payFen: 30_000, bonusFen: 3_000, bonusPoints: 0 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const planId = created.json().id as string;
    const before = await wallet(kit, 1);
    // Holding the orders table stops the order after it read its offer and before it is stored.
    const { ordered, edit } = await kit.db.db.transaction(async (tx) => {
      await tx.execute(sql`lock table payment_orders in share mode`);
      const ordered = orderTopUp(kit, { planId }, { customer: 1 });
      await settledOrWaiting(kit.db.db, ordered, 'insert into "payment_orders"%');
      const edit = kit.app.inject({
        method: 'PUT',
        url: `/staff/settings/top-up-plans/${planId}`,
        headers: kit.managerHeaders(),
        payload: { bonusFen: 9_000 },
      });
      // Before, the edit committed here: the order then named an offer that gave another bonus than it read.
      await settledOrWaiting(kit.db.db, edit, 'select % from "top_up_plans" %for update');
      return { ordered, edit };
    });
    const order = await ordered;
    const refused = await edit;
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().error.code).toBe('TOP_UP_PLAN_TERMS_FIXED');

    payInWechat(kit, order);
    await kit.sim.waitForNotification({ outTradeNo: order.outTradeNo, until: ['acked'] });
    const after = await wallet(kit, 1);
    expect(after.principalFen - before.principalFen).toBe(30_000);
    expect(after.bonusFen - before.bonusFen).toBe(3_000);
  });
});
