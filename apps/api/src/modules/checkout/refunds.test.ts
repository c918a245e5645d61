import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, customerTokenFor, staffTokenFor, type TestApi } from '../../testing/harness.ts';
import { products } from '../catalog/index.ts';
import { verifyLedger } from '../ledger/index.ts';
import { seedCheckoutCatalogue } from '../../testing/checkout-support.ts';

let api: TestApi;
let t: TenantFixture;
let other: TenantFixture;
let productId: string;
const clock = new Date('2026-05-01T04:00:00Z');

type Who = 'beautician' | 'manager' | 'owner';
const staffToken = (f: TenantFixture, who: Who = 'beautician') => staffTokenFor(api.app, f, who);

async function call(
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  payload?: unknown,
  opts: { who?: Who; key?: string; f?: TenantFixture } = {},
) {
  return api.app.inject({
    method,
    url,
    headers: { ...bearer(staffToken(opts.f ?? t, opts.who)), 'idempotency-key': opts.key ?? randomUUID() },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

const customerId = (i = 0) => t.customers[i]!.id;
const wallet = async (i = 0) => (await call('GET', `/staff/customers/${customerId(i)}/wallet`)).json();
const stock = async () =>
  (await api.db.db.select({ stock: products.stock }).from(products).where(sql`id = ${productId}`))[0]?.stock;
const commissionOf = async (billId: string) => {
  const [row] = await queryRows<{ total: number }>(
    api.db.db,
    sql`select coalesce(sum(amount_fen), 0) as total from commissions where bill_id = ${billId}`,
  );
  return Number(row?.total);
};
const transfers = async () => {
  const [row] = await queryRows<{ n: number }>(
    api.db.db,
    sql`select count(*) as n from transfers where tenant_id = ${t.tenantId}`,
  );
  return Number(row?.n);
};

/** Opens (as a manager, so discounts pass) and settles a bill with the tenders `pay` picks for its total. */
async function settledBill(
  lines: object[],
  pay: (totalFen: number) => object[],
  opts: { customer?: number; manualDiscountFen?: number } = {},
) {
  const opened = await call(
    'POST',
    '/staff/bills',
    {
      storeId: t.storeIds[0],
      customerId: customerId(opts.customer),
      lines,
      ...(opts.manualDiscountFen
        ? { manualDiscountFen: opts.manualDiscountFen, manualDiscountReason: '老顾客优惠' }
        : {}),
    },
    { who: 'manager' },
  );
  expect(opened.statusCode, opened.body).toBe(201);
  const bill = opened.json();
  const settled = await call('POST', `/staff/bills/${bill.id}/settlement`, { tenders: pay(bill.totalFen) });
  expect(settled.statusCode, settled.body).toBe(200);
  return (await call('GET', `/staff/bills/${bill.id}`)).json();
}

const refund = (billId: string, body: object, opts: { who?: Who; key?: string; f?: TenantFixture } = {}) =>
  call('POST', `/staff/bills/${billId}/refunds`, body, { who: 'manager', ...opts });

beforeAll(async () => {
  api = await createTestApi({}, { now: () => clock });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  other = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  productId = await seedCheckoutCatalogue(api.db.db, t.tenantId, 50);
  for (const i of [0, 1]) {
    // 充3000送800 and 300 points: principal 300,000, bonus 80,000.
    const top = await call('POST', `/staff/customers/${customerId(i)}/top-ups`, {
      storeId: t.storeIds[0],
      amountFen: 300_000,
      method: 'cash',
    });
    expect(top.statusCode).toBe(201);
  }
});

afterAll(async () => {
  await api?.close();
});

const serviceLine = (quantity = 1) => ({
  type: 'service',
  serviceId: t.serviceId,
  quantity,
  performerIds: [t.beautician.id],
});
const productLine = (quantity = 1) => ({ type: 'product', productId, quantity, performerIds: [t.beautician.id] });
type BillLine = {
  id: string;
  type: string;
  quantity: number;
  unitPriceFen: number;
  discountFen: number;
  amountFen: number;
};
const lineOf = (bill: { lines: BillLine[] }, type: string) => bill.lines.find((l) => l.type === type) as BillLine;

describe('partial refunds', () => {
  it('refunds a returned product back to the tenders, then a void returns exactly the rest', async () => {
    const before = await wallet();
    const stockBefore = await stock();
    const bill = await settledBill(
      [productLine(2), serviceLine()],
      (total) => [
        { method: 'stored_value', amountFen: 50_000 },
        { method: 'cash', amountFen: total - 50_000 },
      ],
      { manualDiscountFen: 8_801 },
    );
    const earned = await commissionOf(bill.id);
    const product = lineOf(bill, 'product');
    expect(product.discountFen).toBeGreaterThan(0);

    const res = await refund(bill.id, { lines: [{ lineId: product.id, quantity: 1 }], reason: '未开封退货' });
    expect(res.statusCode, res.body).toBe(201);
    const refunded = res.json();
    // One unit back: its price less its share of the discount, split over stored value and cash.
    const money = product.unitPriceFen - Math.floor(product.discountFen / 2);
    expect(refunded.refundedFen).toBe(money);
    expect(refunded.status).toBe('settled');
    const [first] = refunded.refunds;
    expect(first).toMatchObject({ kind: 'refund', amountFen: money, lines: [{ lineId: product.id, quantity: 1 }] });
    expect(first.tenders.map((x: { method: string }) => x.method).sort()).toEqual(['cash', 'stored_value']);
    expect(first.tenders.reduce((sum: number, x: { amountFen: number }) => sum + x.amountFen, 0)).toBe(money);
    expect(await stock()).toBe((stockBefore ?? 0) - 1);
    const afterPart = await commissionOf(bill.id);
    expect(afterPart).toBeGreaterThan(0);
    expect(afterPart).toBeLessThan(earned);

    const voided = await call('POST', `/staff/bills/${bill.id}/void`, { reason: '整单作废' }, { who: 'manager' });
    expect(voided.statusCode, voided.body).toBe(200);
    expect(voided.json()).toMatchObject({ status: 'voided', refundedFen: bill.totalFen });
    expect(voided.json().refunds.map((r: { kind: string }) => r.kind)).toEqual(['refund', 'void']);
    const after = await wallet();
    expect({ principal: after.principalFen, bonus: after.bonusFen, points: after.points }).toEqual({
      principal: before.principalFen,
      bonus: before.bonusFen,
      points: before.points,
    });
    expect(await stock()).toBe(stockBefore);
    expect(await commissionOf(bill.id)).toBe(0);
    expect(
      (
        await call(
          'POST',
          `/staff/bills/${bill.id}/refunds`,
          { lines: [{ lineId: product.id, quantity: 1 }], reason: '再退' },
          { who: 'manager' },
        )
      ).statusCode,
    ).toBe(409);
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });

  it('gives package sessions and points back, takes back the points the money earned, and lets a void finish', async () => {
    const sold = await call('POST', `/staff/customers/${customerId(1)}/package-cards`, {
      storeId: t.storeIds[0],
      planId: t.packagePlanId,
      method: 'stored_value',
    });
    expect(sold.statusCode, sold.body).toBe(201);
    const before = await wallet(1);
    const card = before.packageCards[0];
    const bill = await settledBill(
      [{ type: 'package_session', packageCardId: card.id, sessions: 2, performerIds: [] }, serviceLine()],
      (total) => [
        { method: 'points', points: 300 },
        { method: 'stored_value', amountFen: total - 300 },
      ],
      { customer: 1 },
    );
    const settledWallet = await wallet(1);
    const earned = settledWallet.points - before.points + 300;
    expect(earned).toBeGreaterThan(0);
    const pkg = lineOf(bill, 'package_session');
    const service = lineOf(bill, 'service');

    const res = await refund(bill.id, {
      lines: [
        { lineId: pkg.id, quantity: 1 },
        { lineId: service.id, amountFen: 10_000 },
      ],
      tenders: [
        { method: 'points', points: 100 },
        { method: 'stored_value', amountFen: 9_900 },
      ],
      reason: '少做一次，部分退款',
    });
    expect(res.statusCode, res.body).toBe(201);
    const clawedBack = Math.floor((earned * 10_000) / bill.totalFen);
    expect(res.json().refunds[0]).toMatchObject({
      pointsClawedBack: clawedBack,
      lines: [{ sessions: 1 }, { amountFen: 10_000 }],
    });
    const afterPart = await wallet(1);
    expect(afterPart.points).toBe(settledWallet.points + 100 - clawedBack);
    expect(afterPart.packageCards[0].sessionsLeft).toBe(card.sessionsLeft - 1);
    expect(afterPart.principalFen + afterPart.bonusFen).toBe(
      settledWallet.principalFen + settledWallet.bonusFen + 9_900,
    );

    const voided = await call('POST', `/staff/bills/${bill.id}/void`, { reason: '整单作废' }, { who: 'manager' });
    expect(voided.statusCode, voided.body).toBe(200);
    // A bill of sessions alone costs nothing and settles without a tender; a void gives the session back.
    const sessionsOnly = await settledBill(
      [{ type: 'package_session', packageCardId: card.id, sessions: 1, performerIds: [] }],
      () => [],
      { customer: 1 },
    );
    expect(sessionsOnly).toMatchObject({ status: 'settled', totalFen: 0 });
    expect((await wallet(1)).packageCards[0].sessionsLeft).toBe(card.sessionsLeft - 1);
    expect(
      (await call('POST', `/staff/bills/${sessionsOnly.id}/void`, { reason: '作废' }, { who: 'manager' })).statusCode,
    ).toBe(200);
    const after = await wallet(1);
    expect({
      p: after.principalFen,
      b: after.bonusFen,
      pts: after.points,
      s: after.packageCards[0].sessionsLeft,
    }).toEqual({
      p: before.principalFen,
      b: before.bonusFen,
      pts: before.points,
      s: card.sessionsLeft,
    });
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });

  it('sends money back in proportion by default, points in whole points and the rest as money', async () => {
    const bill = await settledBill([serviceLine()], (total) => [
      { method: 'points', points: 200 },
      { method: 'cash', amountFen: total - 200 },
    ]);
    const res = await refund(bill.id, { lines: [{ lineId: bill.lines[0].id, amountFen: 10_000 }], reason: '部分退款' });
    expect(res.statusCode, res.body).toBe(201);
    const { tenders } = res.json().refunds[0];
    const points = tenders.find((x: { method: string }) => x.method === 'points');
    const cash = tenders.find((x: { method: string }) => x.method === 'cash');
    // 10,000 of 38,800 back: the points' share is 10,000 × 200 ÷ 38,800 = 51.5… fen, 52 by largest remainder,
    // i.e. 52 points at 1 fen each; cash takes the rest.
    expect(points).toEqual({ method: 'points', points: 52 });
    expect(cash).toEqual({ method: 'cash', amountFen: 10_000 - 52 });
  });

  it('takes a refunded tab amount off what the customer owes', async () => {
    const limit = await call(
      'PUT' as 'POST',
      `/staff/customers/${customerId(1)}/credit-line/limit`,
      {
        limitFen: 30_000,
        reason: '老顾客信用良好',
      },
      { who: 'manager' },
    );
    expect(limit.statusCode, limit.body).toBe(200);
    const bill = await settledBill(
      [serviceLine()],
      (total) => [
        { method: 'credit', amountFen: 30_000, dueDate: '2026-06-01' },
        { method: 'cash', amountFen: total - 30_000 },
      ],
      { customer: 1 },
    );
    const owed = async () => (await call('GET', `/staff/customers/${customerId(1)}/credit`)).json().owedFen;
    expect(await owed()).toBe(30_000);
    const res = await refund(bill.id, {
      lines: [{ lineId: bill.lines[0].id, amountFen: 10_000 }],
      tenders: [{ method: 'credit', amountFen: 10_000 }],
      reason: '服务不满意，减免',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(await owed()).toBe(20_000);
    // The customer's history shows the refund of money without a return as a line with quantity 0.
    const history = await api.app.inject({
      method: 'GET',
      url: '/me/entries?limit=5',
      headers: bearer(customerTokenFor(api.app, t, 1)),
    });
    expect(history.statusCode, history.body).toBe(200);
    const refundEntry = history.json().items.find((e: { kind: string }) => e.kind === 'bill_refund');
    expect(refundEntry.items).toEqual([expect.objectContaining({ quantity: 0, amountFen: 10_000 })]);
    expect(
      (await call('POST', `/staff/bills/${bill.id}/void`, { reason: '作废' }, { who: 'manager' })).statusCode,
    ).toBe(200);
    expect(await owed()).toBe(0);
    // The void reads as 撤销账单 in her history, apart from the partial refund before it.
    const after = await api.app.inject({
      method: 'GET',
      url: '/me/entries?limit=10',
      headers: bearer(customerTokenFor(api.app, t, 1)),
    });
    const kinds = after.json().items.map((e: { kind: string }) => e.kind);
    expect(kinds).toContain('bill_void');
    expect(kinds).toContain('bill_refund');
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });
});

describe('refusals', () => {
  it('refuses refunds that exceed what is left, do not add up or name other tenders, and writes nothing', async () => {
    const bill = await settledBill([productLine(1), serviceLine()], (total) => [
      { method: 'stored_value', amountFen: 30_000 },
      { method: 'cash', amountFen: total - 30_000 },
    ]);
    const product = lineOf(bill, 'product');
    const count = await transfers();
    const cases: [object, number, string][] = [
      [{ lines: [{ lineId: product.id, quantity: 2 }], reason: '太多' }, 422, 'REFUND_AMOUNT_EXCEEDED'],
      [{ lines: [{ lineId: randomUUID(), quantity: 1 }], reason: '没有这行' }, 400, 'VALIDATION_FAILED'],
      [{ lines: [{ lineId: product.id, quantity: 1, amountFen: 100 }], reason: '两样都给' }, 400, 'VALIDATION_FAILED'],
      [
        {
          lines: [{ lineId: product.id, amountFen: 5_000 }],
          tenders: [{ method: 'card', amountFen: 5_000 }],
          reason: '刷卡没付过',
        },
        400,
        'VALIDATION_FAILED',
      ],
      [
        {
          lines: [{ lineId: product.id, amountFen: 5_000 }],
          tenders: [{ method: 'cash', amountFen: 4_000 }],
          reason: '对不上',
        },
        422,
        'BUSINESS_RULE_VIOLATED',
      ],
      [
        {
          lines: [{ lineId: lineOf(bill, 'service').id, quantity: 1 }],
          tenders: [{ method: 'cash', amountFen: lineOf(bill, 'service').amountFen }],
          reason: '现金不够退',
        },
        422,
        'REFUND_AMOUNT_EXCEEDED',
      ],
    ];
    for (const [body, status, code] of cases) {
      const res = await refund(bill.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    const mismatch = await refund(bill.id, {
      lines: [{ lineId: product.id, amountFen: 5_000 }],
      tenders: [{ method: 'cash', amountFen: 4_000 }],
      reason: '对不上',
    });
    expect(mismatch.json().error.details).toMatchObject({ refundFen: 5_000, tenderedFen: 4_000, differenceFen: 1_000 });
    expect(await transfers()).toBe(count);
    expect((await call('GET', `/staff/bills/${bill.id}`)).json().refunds).toEqual([]);
  });

  it('needs a manager above the threshold, keeps other tenants out, and refunds only settled bills', async () => {
    const bill = await settledBill([serviceLine(2)], (total) => [{ method: 'cash', amountFen: total }]);
    const line = bill.lines[0].id;
    const big = await refund(
      bill.id,
      { lines: [{ lineId: line, quantity: 2 }], reason: '全退' },
      { who: 'beautician' },
    );
    expect(big.statusCode).toBe(403);
    const small = await refund(
      bill.id,
      { lines: [{ lineId: line, amountFen: 5_000 }], reason: '小额补偿' },
      { who: 'beautician' },
    );
    expect(small.statusCode, small.body).toBe(201);
    const outsider = await refund(bill.id, { lines: [{ lineId: line, amountFen: 100 }], reason: '别家' }, { f: other });
    expect(outsider.statusCode).toBe(404);
    const open = await call('POST', '/staff/bills', {
      storeId: t.storeIds[0],
      customerId: customerId(),
      lines: [serviceLine()],
    });
    const notSettled = await refund(open.json().id, {
      lines: [{ lineId: open.json().lines[0].id, quantity: 1 }],
      reason: '未结账',
    });
    expect(notSettled.statusCode).toBe(409);
  });

  it('replays a refund under the same key and refuses the key for another refund', async () => {
    const bill = await settledBill([serviceLine()], (total) => [{ method: 'cash', amountFen: total }]);
    const key = randomUUID();
    const body = { lines: [{ lineId: bill.lines[0].id, amountFen: 1_000 }], reason: '补偿' };
    const first = await refund(bill.id, body, { key });
    expect(first.statusCode).toBe(201);
    const again = await refund(bill.id, body, { key });
    expect(again.statusCode).toBe(200);
    expect(again.json().refunds).toEqual(first.json().refunds);
    const other = await refund(bill.id, { ...body, lines: [{ lineId: bill.lines[0].id, amountFen: 2_000 }] }, { key });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});

describe('refunds in any steps', () => {
  it('returns exactly what was paid once a void follows any sequence of partial refunds (property)', async () => {
    const step = fc.record({
      line: fc.constantFrom('product', 'service'),
      by: fc.constantFrom('quantity', 'amount'),
      n: fc.integer({ min: 1, max: 30_000 }),
      toCash: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 4 }),
        fc.integer({ min: 0, max: 9_999 }),
        async (steps, discount) => {
          const before = await wallet();
          const stockBefore = await stock();
          const bill = await settledBill(
            [productLine(3), serviceLine(2)],
            (total) => [
              { method: 'stored_value', amountFen: Math.floor(total / 2) },
              { method: 'cash', amountFen: total - Math.floor(total / 2) - 1_000 },
              { method: 'card', amountFen: 1_000, reference: 'POS-1' },
            ],
            { manualDiscountFen: discount },
          );
          for (const s of steps) {
            const line = lineOf(bill, s.line);
            const lines = [
              s.by === 'quantity'
                ? { lineId: line.id, quantity: 1 + (s.n % line.quantity) }
                : { lineId: line.id, amountFen: s.n },
            ];
            const res = await refund(bill.id, {
              lines,
              reason: '部分退款',
              // Some money-only refunds name the till; the rest go back in proportion.
              ...(s.by === 'amount' && s.toCash ? { tenders: [{ method: 'cash', amountFen: s.n }] } : {}),
            });
            // A step may ask for more than is left; that is a clear refusal, never a failure.
            expect([201, 422], res.body).toContain(res.statusCode);
          }
          const voided = await call('POST', `/staff/bills/${bill.id}/void`, { reason: '作废' }, { who: 'manager' });
          const refunded = (await call('GET', `/staff/bills/${bill.id}`)).json();
          if (voided.statusCode === 200) expect(refunded.status).toBe('voided');
          else expect(voided.json().error.code).toBe('BUSINESS_RULE_VIOLATED'); // everything was already refunded
          expect(refunded.refundedFen).toBe(bill.totalFen);
          const after = await wallet();
          expect([after.principalFen, after.bonusFen, after.points]).toEqual([
            before.principalFen,
            before.bonusFen,
            before.points,
          ]);
          expect(await stock()).toBe(stockBefore);
          expect(await commissionOf(bill.id)).toBe(0);
        },
      ),
      { numRuns: 6 },
    );
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });
});

describe('receipts', () => {
  it('prints the itemised receipt with its refunds for staff and the customer, and only for them', async () => {
    const bill = await settledBill([productLine(1), serviceLine()], (total) => [{ method: 'cash', amountFen: total }]);
    await refund(bill.id, { lines: [{ lineId: lineOf(bill, 'product').id, quantity: 1 }], reason: '<b>退货</b>' });
    const staffReceipt = await call('GET', `/staff/bills/${bill.id}/receipt`);
    expect(staffReceipt.statusCode).toBe(200);
    expect(staffReceipt.headers['content-type']).toContain('text/html');
    for (const text of [bill.number, '玻尿酸精华', '现金', '退款', '&lt;b&gt;退货&lt;/b&gt;']) {
      expect(staffReceipt.body).toContain(text);
    }
    expect(staffReceipt.body).not.toContain('<b>退货</b>');
    const mine = await api.app.inject({
      method: 'GET',
      url: `/me/bills/${bill.id}/receipt`,
      headers: bearer(customerTokenFor(api.app, t, 0)),
    });
    expect(mine.body).toBe(staffReceipt.body);
    const someoneElse = await api.app.inject({
      method: 'GET',
      url: `/me/bills/${bill.id}/receipt`,
      headers: bearer(customerTokenFor(api.app, t, 1)),
    });
    expect(someoneElse.statusCode).toBe(404);
  });

  it("keeps a store's bills from staff of other stores", async () => {
    const opened = await call(
      'POST',
      '/staff/bills',
      { storeId: t.storeIds[1], customerId: customerId(), lines: [serviceLine()] },
      { who: 'owner' },
    );
    expect(opened.statusCode, opened.body).toBe(201);
    expect((await call('GET', `/staff/bills/${opened.json().id}`, undefined, { who: 'owner' })).statusCode).toBe(200);
    expect((await call('GET', `/staff/bills/${opened.json().id}`)).statusCode).toBe(404);
    expect((await call('GET', `/staff/bills/${opened.json().id}/receipt`)).statusCode).toBe(404);
  });
});
