import { randomUUID } from 'node:crypto';
import type { MyCommissions, Takings } from '@lumi/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCheckoutCatalogue } from '../../testing/checkout-support.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, staffTokenFor, type TestApi } from '../../testing/harness.ts';
import { shanghaiDate } from '../ledger/index.ts';

// 我的业绩 and 交班/日结, on postings made through the real operations; they are stamped by the database's clock, so
// "today" is the real Shanghai day.
const TODAY = shanghaiDate(new Date());
const YESTERDAY = shanghaiDate(new Date(Date.now() - 86_400_000));
const MONTH_START = `${TODAY.slice(0, 8)}01`;
let api: TestApi;
let t: TenantFixture;
let productId: string;

type Who = 'beautician' | 'manager' | 'owner';
async function call(method: 'GET' | 'POST', url: string, payload?: unknown, who: Who = 'beautician') {
  const headers: Record<string, string> = { ...bearer(staffTokenFor(api.app, t, who)) };
  if (method === 'POST') headers['idempotency-key'] = randomUUID();
  const res = await api.app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return res;
}
const ok = async <T>(method: 'GET' | 'POST', url: string, payload?: unknown, who: Who = 'beautician') => {
  const res = await call(method, url, payload, who);
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json() as T;
};

let billId = '';
let billNumber = '';
let walletBillId = '';
let walletBillTotal = 0;

beforeAll(async () => {
  api = await createTestApi();
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  productId = await seedCheckoutCatalogue(api.db.db, t.tenantId, 5);
  const store = t.storeIds[0];
  // The beautician takes a ¥3,000 cash top-up, then a bill: a service (10%) and a product (¥5), paid cash + card.
  await ok('POST', `/staff/customers/${t.customers[0]?.id}/top-ups`, {
    storeId: store,
    amountFen: 300_000,
    method: 'cash',
  });
  const bill = await ok<{ id: string; number: string; totalFen: number }>('POST', '/staff/bills', {
    storeId: store,
    customerId: t.customers[0]?.id,
    lines: [
      { type: 'service', serviceId: t.serviceId, quantity: 1, performerIds: [t.beautician.id] },
      { type: 'product', productId, quantity: 1, performerIds: [t.beautician.id] },
    ],
  });
  billId = bill.id;
  billNumber = bill.number;
  await ok('POST', `/staff/bills/${bill.id}/settlement`, {
    tenders: [
      { method: 'cash', amountFen: 20_000 },
      { method: 'card', amountFen: bill.totalFen - 20_000, reference: 'POS-1' },
    ],
  });
  // A second bill paid from her stored value: money taken nothing, stored value consumed.
  const paidFromWallet = await ok<{ id: string; totalFen: number }>('POST', '/staff/bills', {
    storeId: store,
    customerId: t.customers[0]?.id,
    lines: [{ type: 'service', serviceId: t.serviceId, quantity: 1, performerIds: [t.owner.id] }],
  });
  walletBillId = paidFromWallet.id;
  walletBillTotal = paidFromWallet.totalFen;
  await ok('POST', `/staff/bills/${paidFromWallet.id}/settlement`, {
    tenders: [{ method: 'stored_value', amountFen: paidFromWallet.totalFen }],
  });
  // The manager takes a ¥100 card top-up from the other customer.
  await ok(
    'POST',
    `/staff/customers/${t.customers[1]?.id}/top-ups`,
    { storeId: store, amountFen: 10_000, method: 'card' },
    'manager',
  );
});

afterAll(async () => {
  await api?.close();
});

describe('交班/日结', () => {
  it("gives a manager the store's takings per tender and per staff member, each figure with its postings", async () => {
    const day = await ok<Takings>('GET', `/staff/takings?storeId=${t.storeIds[0]}`, undefined, 'manager');
    const billTotal = 38_800 + 20_000;
    expect(day).toMatchObject({ date: TODAY, scope: 'store' });
    expect(day.byTender).toEqual({ cash: 320_000, card: billTotal - 20_000 + 10_000, wechat: 0 });
    expect(day.totalFen).toBe(300_000 + billTotal + 10_000);
    expect(day.byStaff.map(({ usage: _usage, ...money }) => money)).toEqual([
      { staffId: t.beautician.id, name: '美容师', totalFen: 300_000 + billTotal, count: 3 },
      { staffId: t.manager.id, name: '店长', totalFen: 10_000, count: 1 },
    ]);
    // 日结 beyond money: the wallet bill consumed stored value (principal and bonus in the wallet's proportion:
    // the ¥3,000 top-up came with the tenant's bonus offer); the top-ups taken, per staff member.
    const [beautician, manager] = day.byStaff;
    expect(beautician?.usage.principalFen).toBeGreaterThan(0);
    expect(beautician?.usage.bonusFen).toBeGreaterThan(0);
    expect((beautician?.usage.principalFen ?? 0) + (beautician?.usage.bonusFen ?? 0)).toBe(walletBillTotal);
    expect(beautician?.usage).toMatchObject({ topUpFen: 300_000, sessions: 0, points: 0, creditFen: 0 });
    expect(manager?.usage).toMatchObject({ topUpFen: 10_000, principalFen: 0, bonusFen: 0 });
    expect(day.usage.topUpFen).toBe(310_000);
    expect(day.usage.principalFen + day.usage.bonusFen).toBe(walletBillTotal);
    const walletBill = day.items.find((i) => i.billId === walletBillId);
    expect(walletBill?.totalFen).toBe(0);
    expect((walletBill?.usage.principalFen ?? 0) + (walletBill?.usage.bonusFen ?? 0)).toBe(walletBillTotal);
    const billItem = day.items.find((i) => i.billId === billId);
    expect(billItem).toMatchObject({ billNumber, tenders: { cash: 20_000, card: billTotal - 20_000, wechat: 0 } });
    // Every figure is the sum of the items behind it.
    const sum = (pick: (i: Takings['items'][number]) => number) => day.items.reduce((s, i) => s + pick(i), 0);
    expect(sum((i) => i.tenders.cash)).toBe(day.byTender.cash);
    expect(sum((i) => i.totalFen)).toBe(day.totalFen);
    expect(sum((i) => i.usage.principalFen)).toBe(day.usage.principalFen);
    expect(sum((i) => i.usage.topUpFen)).toBe(day.usage.topUpFen);
  });

  it('gives a beautician only what she took, refuses another store, and is empty on another day', async () => {
    const mine = await ok<Takings>('GET', `/staff/takings?storeId=${t.storeIds[0]}&date=${TODAY}`);
    expect(mine.scope).toBe('own');
    expect(mine.items.every((i) => i.staffId === t.beautician.id)).toBe(true);
    expect(mine.byStaff.map((s) => s.staffId)).toEqual([t.beautician.id]);
    expect((await call('GET', `/staff/takings?storeId=${t.storeIds[1]}`)).statusCode).toBe(403);
    const before = await ok<Takings>(
      'GET',
      `/staff/takings?storeId=${t.storeIds[0]}&date=${YESTERDAY}`,
      undefined,
      'manager',
    );
    expect(before).toMatchObject({ totalFen: 0, items: [], byStaff: [] });
  });
});

describe('我的业绩', () => {
  it("shows a beautician her own commissions per day and per bill line, and a void's take-back", async () => {
    const mine = await ok<MyCommissions>('GET', `/staff/commissions/mine?from=${TODAY}&to=${TODAY}`);
    const earned = Math.floor((38_800 * 1_000) / 10_000) + 500;
    expect(mine.totalFen).toBe(earned);
    expect(mine.days).toEqual([{ date: TODAY, amountFen: earned, lines: 2 }]);
    expect(mine.lines.map((l) => [l.billNumber, l.amountFen, l.reversal]).sort()).toEqual(
      [
        [billNumber, 3_880, false],
        [billNumber, 500, false],
      ].sort(),
    );
    expect(mine.lines.every((l) => l.billId === billId && l.item.length > 0)).toBe(true);
    // The manager performed nothing: her own figures are empty.
    const managers = await ok<MyCommissions>(
      'GET',
      `/staff/commissions/mine?from=${TODAY}&to=${TODAY}`,
      undefined,
      'manager',
    );
    expect(managers).toMatchObject({ totalFen: 0, days: [], lines: [] });

    await ok('POST', `/staff/bills/${billId}/void`, { reason: '录错项目' }, 'manager');
    const after = await ok<MyCommissions>('GET', `/staff/commissions/mine?from=${MONTH_START}&to=${TODAY}`);
    expect(after.totalFen).toBe(0);
    expect(after.lines.filter((l) => l.reversal).reduce((s, l) => s + l.amountFen, 0)).toBe(-earned);
    const day = await ok<Takings>('GET', `/staff/takings?storeId=${t.storeIds[0]}`, undefined, 'manager');
    // The void gives the bill's money back: the day keeps the top-ups only.
    expect(day.totalFen).toBe(310_000);
    expect(day.usage.principalFen + day.usage.bonusFen).toBe(walletBillTotal);
  });
});
