import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, staffTokenFor, type TestApi } from '../../testing/harness.ts';
import { commissionRules } from '../checkout/index.ts';
import { paymentReconciliationReports } from '../payments/index.ts';
import { periodDays, shanghaiDate, tenderAmounts } from './service.ts';

/** 报表 on real PostgreSQL, on bills, refunds, a void and a top-up made here, so every figure is known. */
let api: TestApi;
let t: TenantFixture;
let other: TenantFixture;
type Who = 'beautician' | 'manager' | 'owner';

async function call(method: 'GET' | 'POST', url: string, payload?: unknown, who: Who = 'owner', f?: TenantFixture) {
  const headers: Record<string, string> = { ...bearer(staffTokenFor(api.app, f ?? t, who)) };
  if (method === 'POST') headers['idempotency-key'] = randomUUID();
  const res = await api.app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return res;
}

/** A settled bill of `quantity` facials (¥388 each) for customer 0. */
async function settledBill(store: 0 | 1, quantity: number, tenders: unknown[], performerIds: string[] = []) {
  const opened = await call('POST', '/staff/bills', {
    storeId: t.storeIds[store],
    customerId: t.customers[0]!.id,
    lines: [{ type: 'service', serviceId: t.serviceId, quantity, performerIds }],
  });
  expect(opened.statusCode, opened.body).toBe(201);
  const bill = opened.json();
  const settled = await call('POST', `/staff/bills/${bill.id}/settlement`, { tenders });
  expect(settled.statusCode, settled.body).toBe(200);
  return settled.json() as { id: string; totalFen: number; lines: { id: string }[] };
}

const report = async (query: string, who: Who = 'owner') => {
  const res = await call('GET', `/staff/reports${query}`, undefined, who);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

beforeAll(async () => {
  api = await createTestApi();
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  other = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  // 10% of every service line to its performer.
  await api.db.db
    .insert(commissionRules)
    .values({ tenantId: t.tenantId, lineType: 'service', itemId: null, role: null, kind: 'percent', value: 1_000 });

  // ¥1000 top-up at store 1 (充1000送200): principal 100,000, bonus 20,000.
  const top = await call('POST', `/staff/customers/${t.customers[0]!.id}/top-ups`, {
    storeId: t.storeIds[0],
    amountFen: 100_000,
    method: 'cash',
  });
  expect(top.statusCode, top.body).toBe(201);
  // Store 1: ¥388 from stored value (performed by the beautician), ¥388 in cash refunded ¥100 the same day.
  await settledBill(0, 1, [{ method: 'stored_value', amountFen: 38_800 }], [t.beautician.id]);
  const cash = await settledBill(0, 1, [{ method: 'cash', amountFen: 38_800 }]);
  const refund = await call('POST', `/staff/bills/${cash.id}/refunds`, {
    lines: [{ lineId: cash.lines[0]!.id, amountFen: 10_000 }],
    reason: '顾客不满意',
  });
  expect(refund.statusCode, refund.body).toBe(201);
  // Store 2: ¥776 in cash and by card, then voided whole.
  const voided = await settledBill(1, 2, [
    { method: 'cash', amountFen: 50_000 },
    { method: 'card', amountFen: 27_600, reference: 'POS-1' },
  ]);
  const voiding = await call('POST', `/staff/bills/${voided.id}/void`, { reason: '重复开单' });
  expect(voiding.statusCode, voiding.body).toBe(200);
  // A WeChat Pay comparison that found one order off by a fen today.
  await api.db.db.insert(paymentReconciliationReports).values({
    tenantId: t.tenantId,
    businessDate: shanghaiDate(new Date()),
    ordersChecked: 3,
    refundsChecked: 0,
    source: 'bill',
    mismatches: [
      {
        outTradeNo: 'LUMI-RECON-1',
        outRefundNo: null,
        kind: 'amount',
        localState: 'SUCCESS',
        wechatState: 'SUCCESS',
        localAmountFen: 10_000,
        wechatAmountFen: 9_999,
      },
    ],
    // WeChat took a fen less than Lumi recorded for that order.
    settlement: SETTLEMENT,
    generatedAt: new Date(),
  });
});
afterAll(async () => {
  await api?.close();
});

const SETTLEMENT = { receivedFen: 29_999, refundedFen: 0, feesFen: 180, netFen: 29_819, expectedNetFen: 29_820 };

describe('报表', () => {
  it("nets refunds and voids into the owner's day by tender, store and day", async () => {
    const today = shanghaiDate(new Date());
    const day = await report('');
    expect(day).toMatchObject({ period: 'day', from: today, to: today });
    expect(day.revenue).toEqual({ salesFen: 155_200, refundsFen: 87_600, netFen: 67_600, bills: 3, refunds: 2 });
    const tender = (m: string) => day.byTender.find((x: { method: string }) => x.method === m);
    expect(tender('stored_value')).toMatchObject({ salesFen: 38_800, refundsFen: 0, netFen: 38_800 });
    expect(tender('cash')).toMatchObject({ salesFen: 88_800, refundsFen: 60_000, netFen: 28_800 });
    expect(tender('card')).toMatchObject({ salesFen: 27_600, refundsFen: 27_600, netFen: 0 });
    expect(tender('wechat')).toMatchObject({ salesFen: 0, refundsFen: 0, netFen: 0 });
    expect(day.byStore).toEqual([
      { storeId: t.storeIds[0], storeName: expect.any(String), salesFen: 77_600, refundsFen: 10_000, netFen: 67_600 },
      { storeId: t.storeIds[1], storeName: expect.any(String), salesFen: 77_600, refundsFen: 77_600, netFen: 0 },
    ]);
    expect(day.byDay).toEqual([{ date: today, netFen: 67_600 }]);
    expect(day.topUps).toEqual({ count: 1, principalFen: 100_000, bonusFen: 20_000, refundedFen: 0 });
    // Stored value: ¥1200 in, ¥388 spent.
    expect(day.liabilities.storedPrincipalFen + day.liabilities.storedBonusFen).toBe(120_000 - 38_800);
    expect(day.commissions).toEqual([{ staffId: t.beautician.id, name: '美容师', amountFen: 3_880, lines: 1 }]);
    expect(day.reconciliation).toEqual({
      daysChecked: 1,
      daysWithBill: 1,
      days: [{ date: today, source: 'bill', billProblem: null, settlement: SETTLEMENT, settlementProblem: null }],
      mismatches: [
        {
          date: today,
          kind: 'amount',
          outTradeNo: 'LUMI-RECON-1',
          outRefundNo: null,
          localAmountFen: 10_000,
          wechatAmountFen: 9_999,
        },
      ],
    });
  });

  it('gives the month day by day with the same totals', async () => {
    const today = shanghaiDate(new Date());
    const month = await report(`?period=month&date=${today}`);
    expect(month.from).toBe(`${today.slice(0, 8)}01`);
    expect(month.byDay).toHaveLength(periodDays('month', today).length);
    expect(month.byDay.find((d: { date: string }) => d.date === today).netFen).toBe(67_600);
    expect(month.byDay.reduce((s: number, d: { netFen: number }) => s + d.netFen, 0)).toBe(67_600);
    expect(month.revenue.netFen).toBe(67_600);
    // A day with nothing is all zeros, the liabilities still what is owed now.
    const empty = await report('?date=2020-01-01');
    expect(empty.revenue).toEqual({ salesFen: 0, refundsFen: 0, netFen: 0, bills: 0, refunds: 0 });
    expect(empty.liabilities.storedPrincipalFen + empty.liabilities.storedBonusFen).toBe(81_200);
  });

  it('keeps a store manager to their store and refuses beauticians and other salons', async () => {
    const mine = await report('', 'manager');
    expect(mine.storeIds).toEqual([t.storeIds[0]]);
    expect(mine.revenue).toMatchObject({ salesFen: 77_600, refundsFen: 10_000, netFen: 67_600 });
    expect(mine.byStore).toHaveLength(1);
    const elsewhere = await call('GET', `/staff/reports?storeId=${t.storeIds[1]}`, undefined, 'manager');
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().error.code).toBe('FORBIDDEN');
    const owner2 = await report(`?storeId=${t.storeIds[1]}`);
    expect(owner2.revenue.netFen).toBe(0);
    expect(owner2.topUps.count).toBe(0);
    expect((await call('GET', '/staff/reports', undefined, 'beautician')).statusCode).toBe(403);
    const stranger = (await call('GET', '/staff/reports', undefined, 'owner', other)).json();
    expect(stranger.revenue.salesFen).toBe(0);
    expect(stranger.reconciliation.daysChecked).toBe(0);
  });

  it('values a points tender at what the other tenders leave of the total', () => {
    const split = tenderAmounts(38_800, [{ method: 'cash', amountFen: 30_000 }, { method: 'points' }]);
    expect(Object.fromEntries(split)).toEqual({ cash: 30_000, points: 8_800 });
    expect(periodDays('month', '2028-02-10')).toHaveLength(29);
  });
});
