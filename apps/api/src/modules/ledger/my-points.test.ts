import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, customerTokenFor, staffTokenFor, type TestApi } from '../../testing/harness.ts';

/** What the customer app's 积分 and 次卡 read: points by expiry, their worth, and a card's value per session. */
let api: TestApi;
let t: TenantFixture;
let other: TenantFixture;
let clock = new Date('2026-03-01T04:00:00Z');
const DAY_MS = 86_400_000;

async function asManager(url: string, payload: object) {
  const res = await api.app.inject({
    method: 'POST',
    url,
    payload,
    headers: { ...bearer(staffTokenFor(api.app, t, 'manager')), 'idempotency-key': randomUUID() },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const mine = async (url: string, f = t) =>
  (await api.app.inject({ method: 'GET', url, headers: bearer(customerTokenFor(api.app, f, 0)) })).json();

beforeAll(async () => {
  api = await createTestApi({}, { now: () => clock });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  other = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
});
afterAll(async () => {
  await api?.close();
});

describe('GET /me/points', () => {
  it('shows the balance, its worth, and the lots by expiry day with redemptions taken from the earliest', async () => {
    const c = t.customers[0]!.id;
    expect(await mine('/me/points')).toEqual({ points: 0, pointValueFen: 1, valueFen: 0, expiring: [] });

    await asManager(`/staff/customers/${c}/points-adjustments`, { points: 500, reason: '开业活动赠送' });
    clock = new Date(clock.getTime() + 10 * DAY_MS);
    await asManager(`/staff/customers/${c}/points-adjustments`, { points: 300, reason: '生日礼遇' });
    await asManager(`/staff/customers/${c}/points-redemptions`, { storeId: t.storeIds[0], points: 100 });

    // The default period is 365 days from each award, in Beijing days.
    expect(await mine('/me/points')).toEqual({
      points: 700,
      pointValueFen: 1,
      valueFen: 700,
      expiring: [
        { expiresOn: '2027-03-01', points: 400 },
        { expiresOn: '2027-03-11', points: 300 },
      ],
    });
    expect((await mine('/me/points', other)).points).toBe(0);
  });

  it('no longer counts a lot past its expiry as to come', async () => {
    clock = new Date('2027-03-02T04:00:00Z');
    expect((await mine('/me/points')).expiring).toEqual([{ expiresOn: '2027-03-11', points: 300 }]);
  });
});

describe('package cards in the wallet', () => {
  it('carry the value of one session, as fixed at sale', async () => {
    const c = t.customers[0]!.id;
    await asManager(`/staff/customers/${c}/package-cards`, {
      storeId: t.storeIds[0],
      planId: t.packagePlanId,
      method: 'cash',
    });
    const [card] = (await mine('/me/wallet')).packageCards;
    // The fixture's plan: 10 sessions for ¥1,000.00.
    expect(card).toMatchObject({ sessionsTotal: 10, sessionsLeft: 10, valuePerSessionFen: 10_000 });
  });
});

describe('GET /me/tier/ladder', () => {
  it('is the ladder staff see', async () => {
    const staffView = await api.app.inject({
      method: 'GET',
      url: '/staff/segmentation/tiers',
      headers: bearer(staffTokenFor(api.app, t, 'manager')),
    });
    expect(await mine('/me/tier/ladder')).toEqual(staffView.json());
  });
});
