import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, customerTokenFor, staffTokenFor, type TestApi } from '../../testing/harness.ts';
import { products } from '../catalog/index.ts';
import { HouseAccounts, verifyLedger } from '../ledger/index.ts';
import { releaseExpiredBillHolds } from './customer-actions.ts';
import { seedCheckoutCatalogue } from '../../testing/checkout-support.ts';

let api: TestApi;
let t: TenantFixture;
let other: TenantFixture;
let productId: string;
let clock = new Date('2026-05-01T04:00:00Z');

type Who = 'beautician' | 'manager' | 'owner';
const staffToken = (f: TenantFixture, who: Who = 'beautician') => staffTokenFor(api.app, f, who);
const customerToken = (i = 0, f = t) => customerTokenFor(api.app, f, i);

async function call(
  method: 'GET' | 'POST',
  url: string,
  payload?: unknown,
  opts: { who?: Who; token?: string; key?: string | null } = {},
) {
  const headers: Record<string, string> = { ...bearer(opts.token ?? staffToken(t, opts.who)) };
  if (opts.key !== null) headers['idempotency-key'] = opts.key ?? randomUUID();
  return api.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
}

const wallet = async (i = 0) => (await call('GET', `/staff/customers/${t.customers[i]!.id}/wallet`)).json();
const stock = async () =>
  (await api.db.db.select({ stock: products.stock }).from(products).where(sql`id = ${productId}`))[0]?.stock;

async function setTenantSettings(settings: object) {
  await api.db.db.execute(
    sql`update tenants set settings = ${JSON.stringify(settings)}::jsonb where id = ${t.tenantId}`,
  );
}

async function openBill(body: Partial<Record<string, unknown>> = {}, who: Who = 'beautician') {
  const res = await call(
    'POST',
    '/staff/bills',
    {
      storeId: t.storeIds[0],
      customerId: t.customers[0]!.id,
      lines: [{ type: 'service', serviceId: t.serviceId, quantity: 1, performerIds: [t.beautician.id] }],
      ...body,
    },
    { who, key: null },
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

beforeAll(async () => {
  api = await createTestApi({}, { now: () => clock });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  other = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  productId = await seedCheckoutCatalogue(api.db.db, t.tenantId, 5);
  await new HouseAccounts().id(api.db.db, t.tenantId, 'discounts', null);
  // 充3000送800 and 300 points: principal 300,000, bonus 80,000.
  const top = await call('POST', `/staff/customers/${t.customers[0]!.id}/top-ups`, {
    storeId: t.storeIds[0],
    amountFen: 300_000,
    method: 'cash',
  });
  expect(top.statusCode).toBe(201);
});

afterAll(async () => {
  await api?.close();
});

describe('opening a bill', () => {
  it('prices lines from the catalogue, never from the client', async () => {
    const bill = await openBill({
      lines: [
        { type: 'service', serviceId: t.serviceId, quantity: 2, performerIds: [] },
        { type: 'product', productId, quantity: 1, performerIds: [] },
      ],
    });
    expect(bill).toMatchObject({ status: 'open', subtotalFen: 2 * 38_800 + 20_000, totalFen: 2 * 38_800 + 20_000 });
    const forged = await call(
      'POST',
      '/staff/bills',
      { storeId: t.storeIds[0], customerId: t.customers[0]!.id, lines: [], totalFen: 1 },
      { key: null },
    );
    expect(forged.statusCode).toBe(400);
  });

  it('audits a manual price and keeps large discounts for managers', async () => {
    const priced = await openBill({
      lines: [{ type: 'service', serviceId: t.serviceId, quantity: 1, performerIds: [], unitPriceFen: 30_000 }],
    });
    expect(priced.totalFen).toBe(30_000);
    const big = { manualDiscountFen: 20_000, manualDiscountReason: '老客户生日' };
    const byBeautician = await call(
      'POST',
      '/staff/bills',
      {
        storeId: t.storeIds[0],
        customerId: t.customers[0]!.id,
        lines: [{ type: 'service', serviceId: t.serviceId, quantity: 1, performerIds: [] }],
        ...big,
      },
      { key: null },
    );
    expect(byBeautician.statusCode).toBe(403);
    const byManager = await openBill(big, 'manager');
    expect(byManager.totalFen).toBe(18_800);
    expect(byManager.lines[0]).toMatchObject({ discountFen: 20_000, amountFen: 18_800 });
    const audit = await call('GET', '/staff/audit?subjectType=bill', undefined, { who: 'manager', key: null });
    const actions = audit.json().items.map((e: { action: string; subjectId: string }) => `${e.action}:${e.subjectId}`);
    expect(actions).toContain(`bill.price_changed:${priced.id}`);
    expect(actions).toContain(`bill.large_discount:${byManager.id}`);
  });
});

describe('settling with split tenders', () => {
  it('posts one transfer across stored value, points, cash and card, with stock, commissions and points earned', async () => {
    const bill = await openBill({
      lines: [
        { type: 'service', serviceId: t.serviceId, quantity: 1, performerIds: [t.beautician.id] },
        { type: 'product', productId, quantity: 2, performerIds: [t.beautician.id] },
      ],
    });
    const total = 38_800 + 40_000;
    expect(bill.totalFen).toBe(total);
    const before = await wallet();
    const stockBefore = await stock();
    const res = await call('POST', `/staff/bills/${bill.id}/settlement`, {
      tenders: [
        { method: 'stored_value', amountFen: 50_000 },
        { method: 'points', points: 200 },
        { method: 'cash', amountFen: 20_000 },
        { method: 'card', amountFen: total - 50_000 - 200 - 20_000, reference: 'POS-88' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'settled' });
    const after = await wallet();
    expect(before.totalFen - after.totalFen).toBe(50_000);
    // Points: −200 redeemed, + one per whole yuan of what was not paid by points.
    expect(after.points - before.points).toBe(-200 + Math.floor((total - 200) / 100));
    expect(await stock()).toBe((stockBefore ?? 0) - 2);
    const commissions = await call('GET', '/staff/commissions?from=2000-01-01&to=2100-01-01', undefined, { key: null });
    expect(commissions.json().staff[0]).toMatchObject({
      staffId: t.beautician.id,
      amountFen: Math.floor((38_800 * 1_000) / 10_000) + 2 * 500,
    });
    const transfers = await queryRows<{ n: number }>(
      api.db.db,
      sql`select count(*)::int as n from transfers where reference_id = ${bill.id}`,
    );
    expect(transfers[0]?.n).toBe(1);
  });

  it('refuses tenders that do not add up, naming the difference, and writes nothing', async () => {
    const bill = await openBill();
    const res = await call('POST', `/staff/bills/${bill.id}/settlement`, {
      tenders: [{ method: 'cash', amountFen: 38_000 }],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toMatchObject({ totalFen: 38_800, tenderedFen: 38_000, differenceFen: 800 });
    expect((await call('GET', `/staff/bills/${bill.id}`, undefined, { key: null })).json().status).toBe('open');
  });

  it('is atomic: a failing tender leaves no trace of the others', async () => {
    const bill = await openBill({ lines: [{ type: 'product', productId, quantity: 1, performerIds: [] }] });
    const before = await wallet();
    const stockBefore = await stock();
    // More stored value than the customer has: the whole settlement fails, cash and stock included.
    const res = await call('POST', `/staff/bills/${bill.id}/settlement`, {
      tenders: [
        { method: 'stored_value', amountFen: 10_000 },
        { method: 'cash', amountFen: 10_000 },
      ],
    });
    expect(res.statusCode).toBe(200);
    const drained = await openBill({
      lines: [{ type: 'service', serviceId: t.serviceId, quantity: 20, performerIds: [] }],
    });
    const fail = await call('POST', `/staff/bills/${drained.id}/settlement`, {
      tenders: [{ method: 'stored_value', amountFen: drained.totalFen }],
    });
    expect(fail.statusCode).toBe(422);
    expect(fail.json().error.code).toBe('LEDGER_INSUFFICIENT_BALANCE');
    const after = await wallet();
    expect(before.totalFen - after.totalFen).toBe(10_000);
    expect(await stock()).toBe((stockBefore ?? 0) - 1);
    expect((await call('GET', `/staff/bills/${drained.id}`, undefined, { key: null })).json().status).toBe('open');
  });

  it('replays a settlement under the same key and refuses a second settlement', async () => {
    const bill = await openBill();
    const key = randomUUID();
    const body = { tenders: [{ method: 'cash', amountFen: 38_800 }] };
    const first = await call('POST', `/staff/bills/${bill.id}/settlement`, body, { key });
    const again = await call('POST', `/staff/bills/${bill.id}/settlement`, body, { key });
    expect(first.statusCode).toBe(200);
    expect(again.statusCode).toBe(200);
    expect(again.json().transferId).toBe(first.json().transferId);
    const other = await call('POST', `/staff/bills/${bill.id}/settlement`, body);
    expect(other.statusCode).toBe(409);
  });

  it('accepts exactly the splits that add up (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: -2, max: 2 }),
        async (parts, skew) => {
          const bill = await openBill({
            lines: [
              {
                type: 'service',
                serviceId: t.serviceId,
                quantity: 1,
                performerIds: [],
                unitPriceFen: parts.reduce((a, b) => a + b, 0),
              },
            ],
          });
          const tenders = parts.map((amountFen, i) =>
            i % 2 ? { method: 'card', amountFen, reference: `R${i}` } : { method: 'cash', amountFen },
          );
          const last = tenders.at(-1)!;
          if (last.amountFen + skew > 0) last.amountFen += skew;
          const res = await call('POST', `/staff/bills/${bill.id}/settlement`, { tenders });
          const adds = tenders.reduce((sum, x) => sum + x.amountFen, 0) === bill.totalFen;
          expect(res.statusCode).toBe(adds ? 200 : 422);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('customer confirmation (confirm_first) and holds', () => {
  it('holds the deduction until the customer confirms, then posts exactly what was held', async () => {
    await setTenantSettings({ checkout: { confirmationMode: 'confirm_first', holdMinutes: 30 } });
    try {
      const before = await wallet();
      const bill = await openBill();
      const res = await call('POST', `/staff/bills/${bill.id}/settlement`, {
        tenders: [{ method: 'stored_value', amountFen: 38_800 }],
      });
      expect(res.json()).toMatchObject({ status: 'awaiting_customer', confirmationRequired: true });
      // The hold makes the held value unavailable to anything else.
      const available = before.totalFen - 38_800;
      const grab = await call('POST', `/staff/customers/${t.customers[0]!.id}/spends`, {
        storeId: t.storeIds[0],
        amountFen: available + 1,
      });
      expect(grab.statusCode).toBe(422);
      const mine = await api.app.inject({ method: 'GET', url: '/me/bills', headers: bearer(customerToken()) });
      expect(mine.json()[0]).toMatchObject({ id: bill.id, status: 'awaiting_customer' });
      const inStatus = async (status: string) => {
        const res = await api.app.inject({
          method: 'GET',
          url: `/me/bills?status=${status}`,
          headers: bearer(customerToken()),
        });
        return {
          code: res.statusCode,
          bills: res.statusCode === 200 ? (res.json() as { id: string; status: string }[]) : [],
        };
      };
      const waitingOnly = await inStatus('awaiting_customer');
      expect(waitingOnly.bills.map((b) => b.id)).toContain(bill.id);
      expect(new Set(waitingOnly.bills.map((b) => b.status))).toEqual(new Set(['awaiting_customer']));
      const settledOnly = await inStatus('settled');
      expect(settledOnly.bills.length).toBeGreaterThan(0);
      expect(new Set(settledOnly.bills.map((b) => b.status))).toEqual(new Set(['settled']));
      expect((await inStatus('paid')).code).toBe(400);
      const confirmed = await api.app.inject({
        method: 'POST',
        url: `/me/bills/${bill.id}/confirmation`,
        headers: bearer(customerToken()),
      });
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      expect(confirmed.json().status).toBe('settled');
      expect(before.totalFen - (await wallet()).totalFen).toBe(38_800);
      // Another customer cannot confirm or see it.
      const stranger = await api.app.inject({
        method: 'POST',
        url: `/me/bills/${bill.id}/confirmation`,
        headers: bearer(customerToken(1)),
      });
      expect(stranger.statusCode).toBe(404);
    } finally {
      await setTenantSettings({});
    }
  });

  it('releases holds when the customer declines or the hold expires', async () => {
    await setTenantSettings({ checkout: { confirmationMode: 'confirm_first', holdMinutes: 30 } });
    try {
      const before = await wallet();
      const declined = await openBill();
      await call('POST', `/staff/bills/${declined.id}/settlement`, {
        tenders: [{ method: 'stored_value', amountFen: 38_800 }],
      });
      const no = await api.app.inject({
        method: 'POST',
        url: `/me/bills/${declined.id}/decline`,
        headers: bearer(customerToken()),
        payload: { reason: '不是我做的项目' },
      });
      expect(no.json().status).toBe('open');

      const timedOut = await openBill();
      await call('POST', `/staff/bills/${timedOut.id}/settlement`, {
        tenders: [{ method: 'stored_value', amountFen: 38_800 }],
      });
      expect(await releaseExpiredBillHolds(api.db.db, clock)).toBe(0);
      clock = new Date(clock.getTime() + 31 * 60_000);
      expect(await releaseExpiredBillHolds(api.db.db, clock)).toBe(1);
      const late = await api.app.inject({
        method: 'POST',
        url: `/me/bills/${timedOut.id}/confirmation`,
        headers: bearer(customerToken()),
      });
      expect(late.statusCode).toBe(409);
      // Everything held is spendable again.
      const all = await call('POST', `/staff/customers/${t.customers[0]!.id}/spends`, {
        storeId: t.storeIds[0],
        amountFen: before.totalFen,
      });
      expect(all.statusCode).toBe(201);
      const back = await call('POST', `/staff/customers/${t.customers[0]!.id}/top-ups`, {
        storeId: t.storeIds[0],
        amountFen: 300_000,
        method: 'cash',
      });
      expect(back.statusCode).toBe(201);
    } finally {
      await setTenantSettings({});
    }
  });
});

describe('取消账单: cancelling a bill that was never paid', () => {
  const countOf = async (query: ReturnType<typeof sql>) =>
    Number((await queryRows<{ n: number }>(api.db.db, query))[0]?.n);
  const transfers = () => countOf(sql`select count(*) as n from transfers where tenant_id = ${t.tenantId}`);
  const cancel = (billId: string, reason = '顾客临时有事离店') =>
    call('POST', `/staff/bills/${billId}/cancel`, { reason }, { key: null });

  it('closes an open bill on the record, moves no money, and gives its coupon back', async () => {
    const issued = await call(
      'POST',
      `/staff/customers/${t.customers[0]!.id}/coupons`,
      { offer: { kind: 'amount_off', title: '回店礼', amountOffFen: 2_000, validDays: 30 }, reason: '老客回馈' },
      { who: 'manager' },
    );
    expect(issued.statusCode, issued.body).toBe(201);
    const couponId = issued.json().id as string;
    const bill = await openBill({ couponId });
    expect(bill.couponDiscountFen).toBe(2_000);
    // While the bill is open the coupon is reserved: a second bill cannot take it.
    const taken = await call('POST', '/staff/bills', {
      storeId: t.storeIds[0],
      customerId: t.customers[0]!.id,
      lines: [{ type: 'service', serviceId: t.serviceId, quantity: 1, performerIds: [] }],
      couponId,
    });
    expect(taken.statusCode).toBe(422);
    const before = await transfers();

    expect((await cancel(bill.id, ' ')).statusCode).toBe(400);
    const cancelled = await cancel(bill.id);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ id: bill.id, status: 'cancelled' });
    expect((await cancel(bill.id)).json()).toMatchObject({ status: 'cancelled' });
    expect(await transfers()).toBe(before);
    expect(
      await countOf(
        sql`select count(*) as n from audit_log where tenant_id = ${t.tenantId} and action = 'bill.cancelled'
            and subject_id = ${bill.id} and reason = '顾客临时有事离店'`,
      ),
    ).toBe(1);
    const settle = await call('POST', `/staff/bills/${bill.id}/settlement`, {
      tenders: [{ method: 'cash', amountFen: bill.totalFen }],
    });
    expect(settle.statusCode).toBe(409);

    // The coupon is hers again: the next bill takes it.
    const next = await openBill({ couponId });
    expect(next.couponDiscountFen).toBe(2_000);
    expect((await cancel(next.id)).statusCode).toBe(200);
  });

  it('releases what a bill waiting for the customer held, and refuses a settled bill', async () => {
    await setTenantSettings({ checkout: { confirmationMode: 'confirm_first', holdMinutes: 30 } });
    try {
      const waiting = await openBill();
      const held = await call('POST', `/staff/bills/${waiting.id}/settlement`, {
        tenders: [{ method: 'stored_value', amountFen: 38_800 }],
      });
      expect(held.json()).toMatchObject({ status: 'awaiting_customer' });
      const activeHolds = () =>
        countOf(
          sql`select count(*) as n from holds where tenant_id = ${t.tenantId} and reference_id = ${waiting.id}
              and status = 'active'`,
        );
      expect(await activeHolds()).toBeGreaterThan(0);
      expect((await cancel(waiting.id)).json()).toMatchObject({ status: 'cancelled' });
      expect(await activeHolds()).toBe(0);
      const late = await api.app.inject({
        method: 'POST',
        url: `/me/bills/${waiting.id}/confirmation`,
        headers: bearer(customerToken()),
      });
      expect(late.statusCode).toBe(409);
    } finally {
      await setTenantSettings({});
    }
    const paid = await openBill();
    await call('POST', `/staff/bills/${paid.id}/settlement`, {
      tenders: [{ method: 'cash', amountFen: paid.totalFen }],
    });
    const refused = await cancel(paid.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'CONFLICT', details: { status: 'settled' } });
    expect(await verifyLedger(api.db.db, t.tenantId)).toMatchObject({ ok: true });
  });
});

describe('voids and disputes', () => {
  it('voids a settled bill back to every source, with stock and commissions, and audits it', async () => {
    const bill = await openBill({
      lines: [{ type: 'product', productId, quantity: 1, performerIds: [t.beautician.id] }],
    });
    const before = await wallet();
    const stockBefore = await stock();
    await call('POST', `/staff/bills/${bill.id}/settlement`, {
      tenders: [
        { method: 'stored_value', amountFen: 15_000 },
        { method: 'cash', amountFen: 5_000 },
      ],
    });
    const byBeautician = await call('POST', `/staff/bills/${bill.id}/void`, { reason: '录错顾客' });
    expect(byBeautician.statusCode).toBe(200);
    expect(byBeautician.json().status).toBe('voided');
    const after = await wallet();
    expect(after.totalFen).toBe(before.totalFen);
    expect(after.points).toBe(before.points);
    expect(await stock()).toBe(stockBefore);
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });

  it('needs a manager to void a large bill', async () => {
    const bill = await openBill({
      lines: [{ type: 'service', serviceId: t.serviceId, quantity: 2, performerIds: [] }],
    });
    await call('POST', `/staff/bills/${bill.id}/settlement`, {
      tenders: [{ method: 'cash', amountFen: bill.totalFen }],
    });
    expect((await call('POST', `/staff/bills/${bill.id}/void`, { reason: '重复开单' })).statusCode).toBe(403);
    expect(
      (await call('POST', `/staff/bills/${bill.id}/void`, { reason: '重复开单' }, { who: 'manager' })).statusCode,
    ).toBe(200);
  });

  it('lets the customer question a bill within the window and a manager answer or reverse it', async () => {
    const bill = await openBill();
    await call('POST', `/staff/bills/${bill.id}/settlement`, {
      tenders: [{ method: 'stored_value', amountFen: 38_800 }],
    });
    const asked = await api.app.inject({
      method: 'POST',
      url: `/me/bills/${bill.id}/disputes`,
      headers: bearer(customerToken()),
      payload: { reason: '这次没有做补水' },
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const queue = await call('GET', '/staff/disputes?status=open', undefined, { who: 'manager', key: null });
    const dispute = queue.json().find((d: { billId: string }) => d.billId === bill.id);
    expect(dispute).toMatchObject({ reason: '这次没有做补水', staffId: t.beautician.id });
    expect((await call('GET', '/staff/disputes', undefined, { key: null })).statusCode).toBe(403);
    const before = await wallet();
    const resolved = await call(
      'POST',
      `/staff/disputes/${dispute.id}/resolution`,
      { resolution: 'reverse', answer: '核实后已退回' },
      { who: 'manager', key: null },
    );
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect((await wallet()).totalFen - before.totalFen).toBe(38_800);
    const mine = await api.app.inject({ method: 'GET', url: '/me/disputes', headers: bearer(customerToken()) });
    expect(mine.json()[0]).toMatchObject({ status: 'reversed', answer: '核实后已退回' });

    const old = await openBill();
    await call('POST', `/staff/bills/${old.id}/settlement`, { tenders: [{ method: 'cash', amountFen: 38_800 }] });
    clock = new Date(clock.getTime() + 8 * 86_400_000);
    const tooLate = await api.app.inject({
      method: 'POST',
      url: `/me/bills/${old.id}/disputes`,
      headers: bearer(customerToken()),
      payload: { reason: '有疑问' },
    });
    expect(tooLate.statusCode).toBe(422);
  });
});

describe('tab and credit tenders', () => {
  it('puts part of a bill on the customer tab within the limit, and a void cancels the credit sale', async () => {
    const customer = t.customers[1]!.id;
    const limit = await api.app.inject({
      method: 'PUT',
      url: `/staff/customers/${customer}/credit-line/limit`,
      headers: bearer(staffToken(t, 'manager')),
      payload: { limitFen: 30_000, reason: '老顾客信用良好' },
    });
    expect(limit.statusCode, limit.body).toBe(200);
    const over = await openBill({ customerId: customer });
    const refused = await call('POST', `/staff/bills/${over.id}/settlement`, {
      tenders: [{ method: 'credit', amountFen: 38_800 }],
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('CREDIT_LIMIT_EXCEEDED');

    const bill = await openBill({ customerId: customer });
    const settled = await call('POST', `/staff/bills/${bill.id}/settlement`, {
      tenders: [
        { method: 'credit', amountFen: 30_000, dueDate: '2026-06-01' },
        { method: 'cash', amountFen: 8_800 },
      ],
    });
    expect(settled.statusCode, settled.body).toBe(200);
    const owed = await api.app.inject({
      method: 'GET',
      url: `/staff/customers/${customer}/credit`,
      headers: bearer(staffToken(t)),
    });
    expect(owed.json()).toMatchObject({ owedFen: 30_000, availableFen: 0 });
    const voided = await call('POST', `/staff/bills/${bill.id}/void`, { reason: '顾客取消' }, { who: 'manager' });
    expect(voided.statusCode, voided.body).toBe(200);
    const after = await api.app.inject({
      method: 'GET',
      url: `/staff/customers/${customer}/credit`,
      headers: bearer(staffToken(t)),
    });
    expect(after.json()).toMatchObject({ owedFen: 0, availableFen: 30_000 });
  });
});

describe('isolation', () => {
  it("keeps another tenant's staff and customers away from bills", async () => {
    const bill = await openBill();
    expect(
      (await call('GET', `/staff/bills/${bill.id}`, undefined, { token: staffToken(other), key: null })).statusCode,
    ).toBe(404);
    expect(
      (
        await call(
          'POST',
          `/staff/bills/${bill.id}/settlement`,
          { tenders: [{ method: 'cash', amountFen: 38_800 }] },
          { token: staffToken(other) },
        )
      ).statusCode,
    ).toBe(404);
    const res = await api.app.inject({
      method: 'GET',
      url: `/me/bills/${bill.id}`,
      headers: bearer(customerToken(0, other)),
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('checkout settings', () => {
  it('lets a manager change one rule at a time, audited, and keeps everyone else to reading them', async () => {
    const put = (body: object, who: Who) =>
      api.app.inject({
        method: 'PUT',
        url: '/staff/checkout/settings',
        headers: bearer(staffToken(t, who)),
        payload: body,
      });
    expect((await put({ holdMinutes: 120 }, 'beautician')).statusCode).toBe(403);
    expect((await put({ holdMinutes: 120 }, 'manager')).json()).toMatchObject({
      holdMinutes: 120,
      confirmationMode: 'notify',
    });
    const changed = await put({ confirmationMode: 'confirm_first' }, 'manager');
    // Only the rule given changes: the hold set a moment ago stays.
    expect(changed.json()).toMatchObject({ confirmationMode: 'confirm_first', holdMinutes: 120, disputeWindowDays: 7 });
    const bad = await put({ confirmationMode: 'sometimes' }, 'manager');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toContain('confirmationMode');
    const read = await call('GET', '/staff/checkout/settings', undefined, { key: null });
    expect(read.json()).toMatchObject({ confirmationMode: 'confirm_first', holdMinutes: 120 });
    const elsewhere = await call('GET', '/staff/checkout/settings', undefined, { key: null, token: staffToken(other) });
    expect(elsewhere.json()).toMatchObject({ confirmationMode: 'notify', holdMinutes: 30 });
    const audit = await call('GET', '/staff/audit?action=checkout.settings_changed', undefined, {
      who: 'manager',
      key: null,
    });
    expect(audit.json().items.map((e: { after: { confirmationMode: string } }) => e.after.confirmationMode)).toEqual([
      'confirm_first',
      'notify',
    ]);
    await setTenantSettings({});
  });
});
