import { ledgerDeps } from '../../ledger-deps.ts';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, type TestApi } from '../../testing/harness.ts';
import { type LedgerDeps, postTransfer, requestHash, verifyLedger } from '../ledger/index.ts';
import { authorizeCreditCharge, recordCreditSale, reduceCreditSale } from './index.ts';
import { outstandingByCustomer } from './sales.ts';
import { creditClient, DAY_MS } from '../../testing/credit-support.ts';

let api: TestApi;
let t: TenantFixture;
let c: ReturnType<typeof creditClient>;
let clock = new Date('2026-05-10T02:00:00Z'); // 10:00 in Shanghai
const deps: LedgerDeps = ledgerDeps(() => clock);

beforeAll(async () => {
  api = await createTestApi({}, { now: () => clock });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  c = creditClient(api);
});
afterAll(async () => {
  await api?.close();
});

/** Ledger owed must always equal what the items still expect. */
async function expectItemsMatchLedger(customerId: string) {
  const [row] = await queryRows<{ balance: number }>(
    api.db.db,
    sql`select balance from accounts where tenant_id = ${t.tenantId} and customer_id = ${customerId} and kind = 'credit_receivable'`,
  );
  const items = (await outstandingByCustomer(api.db.db, t.tenantId)).get(customerId) ?? 0;
  expect(items).toBe(Number(row?.balance ?? 0));
}

describe('credit sales within the limit', () => {
  it('refuses with limit 0 by default, then posts receivable +amount / revenue −amount with a due date', async () => {
    const customer = t.customers[0]!.id;
    const refused = await c.sale(t, customer, { amountFen: 10_000 });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({
      code: 'CREDIT_LIMIT_EXCEEDED',
      details: { limitFen: 0, owedFen: 0, availableFen: 0 },
    });

    await c.setLimit(t, customer, 100_000);
    const ok = await c.sale(t, customer, {
      amountFen: 38_800,
      items: [{ name: '深层补水护理', quantity: 1, amountFen: 38_800 }],
      dueDate: '2026-06-10',
    });
    expect(ok.statusCode).toBe(201);
    const body = ok.json();
    expect(body.sale).toMatchObject({
      principalFen: 38_800,
      outstandingFen: 38_800,
      plan: 'due_date',
      instalmentCount: 1,
      status: 'open',
      items: [{ seq: 1, of: 1, dueDate: '2026-06-10', amountFen: 38_800, outstandingFen: 38_800, status: 'open' }],
    });
    expect(body.credit).toMatchObject({ limitFen: 100_000, owedFen: 38_800, availableFen: 61_200, usagePercent: 38 });

    const [revenue] = await queryRows<{ total: string }>(
      api.db.db,
      sql`select sum(e.amount) as total from entries e join accounts a on a.id = e.account_id
          where e.transfer_id = ${body.transferId} and a.kind = 'service_revenue'`,
    );
    expect(Number(revenue?.total)).toBe(-38_800);

    const over = await c.sale(t, customer, { amountFen: 61_201 });
    expect(over.json().error).toMatchObject({
      code: 'CREDIT_LIMIT_EXCEEDED',
      details: { limitFen: 100_000, owedFen: 38_800, availableFen: 61_200 },
    });
    expect((await c.sale(t, customer, { amountFen: 61_200, revenue: 'product' })).statusCode).toBe(201);
    await expectItemsMatchLedger(customer);
  });

  it('defaults the due date from the tenant setting and refuses a past due date', async () => {
    const customer = t.customers[1]!.id;
    await c.setLimit(t, customer, 50_000);
    const res = await c.sale(t, customer, { amountFen: 1_000 });
    expect(res.json().sale.items[0].dueDate).toBe('2026-06-09'); // 30 days after 2026-05-10
    const past = await c.sale(t, customer, { amountFen: 1_000, dueDate: '2026-05-09' });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.code).toBe('VALIDATION_FAILED');
    const both = await c.sale(t, customer, { amountFen: 1_000, dueDate: '2026-07-01', instalments: { count: 2 } });
    expect(both.statusCode).toBe(400);
  });

  it('replays an Idempotency-Key with the first answer and refuses it for another body', async () => {
    const customer = t.customers[1]!.id;
    const key = `credit-sale-${randomUUID()}`;
    const first = await c.sale(t, customer, { amountFen: 2_000 }, key);
    const again = await c.sale(t, customer, { amountFen: 2_000 }, key);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().sale.id).toBe(first.json().sale.id);
    const other = await c.sale(t, customer, { amountFen: 2_001 }, key);
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const missing = await c.send('POST', `/staff/customers/${customer}/credit-sales`, {
      f: t,
      payload: { storeId: t.storeIds[0], amountFen: 100 },
      key: false,
    });
    expect(missing.json().error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  it('refuses a store the beautician does not work at', async () => {
    const res = await c.send('POST', `/staff/customers/${t.customers[1]!.id}/credit-sales`, {
      f: t,
      payload: { storeId: t.storeIds[1], amountFen: 100 },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('concurrent tab charges against one limit', () => {
  it('30 parallel charges of 100 against a limit of 1,000: exactly 10 succeed, owed never above the limit', async () => {
    const f = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
    const customer = f.customers[0]!.id;
    await c.setLimit(f, customer, 1_000);
    const results = await Promise.all(Array.from({ length: 30 }, () => c.sale(f, customer, { amountFen: 100 })));
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((s) => s === 201)).toHaveLength(10);
    expect(codes.filter((s) => s === 422)).toHaveLength(20);
    for (const r of results.filter((x) => x.statusCode === 422)) {
      expect(r.json().error.code).toBe('CREDIT_LIMIT_EXCEEDED');
    }
    // Every successful answer saw owed within the limit, and the ledger agrees at the end.
    for (const r of results.filter((x) => x.statusCode === 201)) {
      expect(r.json().credit.owedFen).toBeLessThanOrEqual(1_000);
    }
    const credit = await c.get(`/staff/customers/${customer}/credit`, f);
    expect(credit.json()).toMatchObject({ limitFen: 1_000, owedFen: 1_000, availableFen: 0 });
    expect(credit.json().openSales).toHaveLength(10);
  });

  it('holds under checkout-style use too: authorizeCreditCharge + postTransfer + recordCreditSale in parallel transactions', async () => {
    const f = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
    const customer = f.customers[0]!.id;
    await c.setLimit(f, customer, 1_000);
    const charge = (amount: number) =>
      api.db.db.transaction(async (tx) => {
        const leg = await authorizeCreditCharge(tx, deps, {
          tenantId: f.tenantId,
          customerId: customer,
          amountFen: amount,
        });
        const key = randomUUID();
        const posted = await postTransfer(tx, {
          tenantId: f.tenantId,
          kind: 'bill_settlement',
          idempotencyKey: key,
          requestHash: requestHash({ key }),
          customerId: customer,
          storeId: f.storeIds[0],
          legs: [
            leg,
            { accountId: await deps.house.id(tx, f.tenantId, 'service_revenue', f.storeIds[0]), amount: -amount },
          ],
        });
        await recordCreditSale(tx, {
          tenantId: f.tenantId,
          customerId: customer,
          transferId: posted.transferId,
          amountFen: amount,
          reference: { type: 'bill', id: key },
          instalments: { count: 2, interestFree: true },
          at: clock,
        });
      });
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => charge(150)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(6); // 6 × 150 = 900 ≤ 1,000 < 1,050
    for (const o of outcomes) {
      if (o.status === 'rejected') expect((o.reason as { code: string }).code).toBe('CREDIT_LIMIT_EXCEEDED');
    }
    const credit = (await c.get(`/staff/customers/${customer}/credit`, f)).json();
    expect(credit.owedFen).toBe(900);
    expect(credit.openSales[0].reference).toMatchObject({ type: 'bill' });
    expect((await verifyLedger(api.db.db, f.tenantId)).ok).toBe(true);
  });
});

describe('instalment plans', () => {
  it('posts once and schedules N monthly items that sum exactly to the principal', async () => {
    const f = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
    const customer = f.customers[0]!.id;
    await c.setLimit(f, customer, 1_000_000);
    for (const [amount, count] of [
      [100_000, 3],
      [99_999, 7],
      [12, 12],
      [500_001, 36],
    ] as const) {
      const res = await c.sale(f, customer, { amountFen: amount, instalments: { count, interestFree: true } });
      expect(res.statusCode).toBe(201);
      const sale = res.json().sale;
      expect(sale).toMatchObject({ plan: 'instalments', instalmentCount: count, interestFree: true });
      expect(sale.items.reduce((s: number, i: { amountFen: number }) => s + i.amountFen, 0)).toBe(amount);
      expect(sale.items[0].dueDate).toBe('2026-06-10');
      expect(sale.items[1].dueDate).toBe('2026-07-10');
    }
    const tooSmall = await c.sale(f, customer, { amountFen: 5, instalments: { count: 6 } });
    expect(tooSmall.statusCode).toBe(400);
  });
});

describe('repayments', () => {
  let f: TenantFixture;
  let customer: string;
  beforeAll(async () => {
    f = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
    customer = f.customers[0]!.id;
    await c.setLimit(f, customer, 200_000);
    clock = new Date('2026-05-10T02:00:00Z');
    await c.sale(f, customer, { amountFen: 30_000, dueDate: '2026-07-01' }); // B, due later
    await c.sale(f, customer, { amountFen: 20_000, dueDate: '2026-06-01' }); // A, due first
    await c.sale(f, customer, { amountFen: 30_001, instalments: { count: 3, firstDueDate: '2026-05-20' } }); // C1..C3
  });

  it('allocates to the oldest due items first, partially when the money runs out', async () => {
    // Due order: C1 05-20 (10,001), A 06-01 (20,000), C2 06-20 (10,000), B 07-01 (30,000), C3 07-20 (10,000)
    const res = await c.repay(f, customer, { amountFen: 35_000 });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.allocations.map((a: { dueDate: string; amountFen: number }) => [a.dueDate, a.amountFen])).toEqual([
      ['2026-05-20', 10_001],
      ['2026-06-01', 20_000],
      ['2026-06-20', 4_999],
    ]);
    expect(body.credit.owedFen).toBe(80_001 - 35_000);

    const credit = (await c.get(`/staff/customers/${customer}/credit`, f)).json();
    const items = credit.openSales.flatMap((s: { items: { dueDate: string; status: string; paidFen: number }[] }) =>
      s.items.map((i) => [i.dueDate, i.status, i.paidFen]),
    );
    expect(items).toEqual(
      expect.arrayContaining([
        ['2026-05-20', 'paid', 10_001],
        ['2026-06-20', 'open', 4_999],
        ['2026-07-20', 'open', 0],
        ['2026-07-01', 'open', 0],
      ]),
    );
    // Sale A is fully repaid and no longer open.
    expect(credit.openSales.map((s: { principalFen: number }) => s.principalFen).sort()).toEqual([30_000, 30_001]);
    await expectItemsMatchLedgerFor(f, customer);
  });

  it('refuses an overpayment and leaves everything as it was', async () => {
    const before = (await c.get(`/staff/customers/${customer}/credit`, f)).json();
    const res = await c.repay(f, customer, { amountFen: before.owedFen + 1 });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'CREDIT_OVERPAYMENT',
      details: { owedFen: before.owedFen, amountFen: before.owedFen + 1 },
    });
    expect((await c.get(`/staff/customers/${customer}/credit`, f)).json()).toEqual(before);
  });

  it('takes card and stored value (split principal/bonus by the ledger rule) and settles the rest exactly', async () => {
    const card = await c.repay(f, customer, { amountFen: 15_001, method: 'card', cardReference: 'POS-9' });
    expect(card.statusCode).toBe(201);
    expect(card.json().method).toBe('card');
    // 充1000送200: principal 100,000, bonus 20,000.
    const top = await c.post(`/staff/customers/${customer}/top-ups`, f, {
      storeId: f.storeIds[0],
      amountFen: 100_000,
      method: 'cash',
    });
    expect(top.statusCode).toBe(201);
    const owed = (await c.get(`/staff/customers/${customer}/credit`, f)).json().owedFen;
    expect(owed).toBe(30_000);
    const sv = await c.repay(f, customer, { amountFen: owed, method: 'stored_value' });
    expect(sv.statusCode).toBe(201);
    expect(sv.json().credit).toMatchObject({ owedFen: 0, availableFen: 200_000 });
    const wallet = (await c.get(`/staff/customers/${customer}/wallet`, f)).json();
    // 30,000 × 100,000 / 120,000 = 25,000 principal, 5,000 bonus.
    expect(wallet).toMatchObject({ principalFen: 75_000, bonusFen: 15_000, credit: { owedFen: 0, limitFen: 200_000 } });
    const credit = (await c.get(`/staff/customers/${customer}/credit`, f)).json();
    expect(credit.openSales).toEqual([]);
    const nothing = await c.repay(f, customer, { amountFen: 1 });
    expect(nothing.json().error.code).toBe('CREDIT_OVERPAYMENT');
    expect((await verifyLedger(api.db.db, f.tenantId)).ok).toBe(true);
  });

  it('replays a repayment key without paying twice', async () => {
    await c.sale(f, customer, { amountFen: 1_000 });
    const key = `repay-${randomUUID()}`;
    const first = await c.repay(f, customer, { amountFen: 400 }, key);
    const again = await c.repay(f, customer, { amountFen: 400 }, key);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ transferId: first.json().transferId, amountFen: 400, method: 'cash' });
    expect(again.json().allocations).toEqual(first.json().allocations);
    expect(again.json().credit.owedFen).toBe(600);
  });
});

async function expectItemsMatchLedgerFor(f: TenantFixture, customerId: string) {
  const [row] = await queryRows<{ balance: number }>(
    api.db.db,
    sql`select balance from accounts where tenant_id = ${f.tenantId} and customer_id = ${customerId} and kind = 'credit_receivable'`,
  );
  expect((await outstandingByCustomer(api.db.db, f.tenantId)).get(customerId) ?? 0).toBe(Number(row?.balance ?? 0));
}

describe('voids and the customer side', () => {
  it('reduces a credit sale for a refund, latest instalment first, and refuses more than is still owed', async () => {
    const f = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
    const customer = f.customers[0]!.id;
    await c.setLimit(f, customer, 10_000);
    const a = (await c.sale(f, customer, { amountFen: 3_000, dueDate: '2026-06-01' })).json();
    const b = (await c.sale(f, customer, { amountFen: 4_000, dueDate: '2026-07-01' })).json();
    await c.repay(f, customer, { amountFen: 1_000 }); // goes to a, due first
    const reduce = (transferId: number, amountFen: number) =>
      api.db.db.transaction(async (tx) => {
        const leg = await reduceCreditSale(tx, { tenantId: f.tenantId, transferId, amountFen, at: clock });
        // What a bill refund does with the leg: the receivable goes down against the revenue it paid for.
        await postTransfer(tx, {
          tenantId: f.tenantId,
          kind: 'bill_refund',
          idempotencyKey: `refund-${transferId}-${amountFen}`,
          requestHash: 'refund',
          customerId: customer,
          legs: [
            leg,
            { accountId: await deps.house.id(tx, f.tenantId, 'service_revenue', f.storeIds[0]), amount: amountFen },
          ],
        });
        return leg;
      });
    await expect(reduce(a.transferId, 2_500)).rejects.toMatchObject({
      code: 'CREDIT_SALE_REPAID',
      details: { outstandingFen: 2_000 },
    });
    expect(await reduce(a.transferId, 2_000)).toMatchObject({
      accountId: await receivableOf(f, customer),
      amount: -2_000,
    });
    await reduce(b.transferId, 1_500);
    await expect(reduce(1, 100)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const credit = (await c.get(`/staff/customers/${customer}/credit`, f)).json();
    expect(credit).toMatchObject({ owedFen: 2_500, availableFen: 7_500 });
    expect(credit.openSales).toHaveLength(1);
    expect(credit.openSales[0].items[0]).toMatchObject({ amountFen: 2_500, paidFen: 0 });
    await expectItemsMatchLedgerFor(f, customer);
  });

  it('shows the customer limit, owed, available and instalments in GET /me/credit and a true wallet limit', async () => {
    const f = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
    const customer = f.customers[0]!.id;
    expect((await c.get('/me/wallet', f, 'customer')).json().credit).toEqual({ owedFen: 0, limitFen: 0 });
    await c.setLimit(f, customer, 50_000);
    await c.sale(f, customer, { amountFen: 10_000, instalments: { count: 4 } });
    clock = new Date(clock.getTime() + 45 * DAY_MS); // 06-24: the first instalment (06-10) is 14 days overdue
    const me = await c.get('/me/credit', f, 'customer');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      limitFen: 50_000,
      owedFen: 10_000,
      availableFen: 40_000,
      usagePercent: 20,
      status: 'active',
      overdueFen: 2_500,
      nextDue: { dueDate: '2026-07-10', amountFen: 2_500 },
    });
    expect(me.json().openSales[0].items.map((i: { of: number; overdueDays: number }) => [i.of, i.overdueDays])).toEqual(
      [
        [4, 14],
        [4, 0],
        [4, 0],
        [4, 0],
      ],
    );
    expect((await c.get('/me/wallet', f, 'customer')).json().credit).toEqual({ owedFen: 10_000, limitFen: 50_000 });
    // The transfer results of the ledger's money routes carry the true limit too.
    const top = await c.post(`/staff/customers/${customer}/top-ups`, f, {
      storeId: f.storeIds[0],
      amountFen: 100,
      method: 'cash',
    });
    expect(top.json().wallet.credit).toEqual({ owedFen: 10_000, limitFen: 50_000 });
    clock = new Date('2026-05-10T02:00:00Z');
  });
});

async function receivableOf(f: TenantFixture, customerId: string): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    api.db.db,
    sql`select id from accounts where tenant_id = ${f.tenantId} and customer_id = ${customerId} and kind = 'credit_receivable'`,
  );
  return Number(row?.id);
}
