import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, type TestApi } from '../../testing/harness.ts';
import { runCampaignSend, segmentationDeps } from './index.ts';
import { client, DAY_MS, history } from '../../testing/segmentation-support.ts';

/** Every segmentation route, called by another salon's staff and customers with this salon's ids. */
let api: TestApi;
let a: TenantFixture;
let b: TenantFixture;
const clock = new Date(Date.UTC(2030, 2, 1, 4));
let groupId: string;
let campaignId: string;
let couponId: string;
let levelId: string;

beforeAll(async () => {
  api = await createTestApi({ WECHAT_API_BASE: 'http://127.0.0.1:9' }, { now: () => clock });
  a = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  b = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  const A = client(api).asManager(a);
  const h = history(api.db.db, a);
  await h.spend(a.customers[0]!.id, 200_000, new Date(clock.getTime() - 3 * DAY_MS));
  const tiers = await A.put('/staff/segmentation/tiers', {
    basis: 'spend',
    windowDays: 365,
    levels: [{ name: '金卡', thresholdFen: 100_000, discountBasisPoints: 500, pointsMultiplierPercent: 150 }],
  });
  levelId = tiers.json().levels[0].id;
  expect((await A.post('/staff/segmentation/recompute', {})).statusCode).toBe(200);
  groupId = (await A.post('/staff/segmentation/groups', { name: '全部', rules: {} })).json().id;
  couponId = (
    await A.post(`/staff/customers/${a.customers[1]!.id}/coupons`, {
      offer: { kind: 'amount_off', title: '礼', amountOffFen: 1_000, validDays: 30 },
      reason: '测试',
    })
  ).json().id;
  const campaign = await A.post('/staff/segmentation/campaigns', {
    name: 'A 店唤醒',
    audience: { type: 'group', groupId },
    offer: { default: { kind: 'amount_off', title: '回归礼', amountOffFen: 2_000, validDays: 7 }, byCategory: [] },
    message: { banner: { title: '想您了', body: '{coupon}' } },
    channels: ['in_app'],
    scheduledAt: clock.toISOString(),
    holdoutBasisPoints: 0,
    quietHours: null,
  });
  campaignId = campaign.json().id;
  const deps = segmentationDeps(api.config, api.app.messaging);
  expect((await runCampaignSend(api.db.db, deps, a.tenantId, campaignId)).state).toBe('completed');
}, 60_000);

afterAll(async () => {
  await api?.close();
});

describe('tenant isolation', () => {
  it("keeps another salon's staff out of this salon's groups, campaigns, customers and coupons", async () => {
    const B = client(api).asManager(b);
    const aCustomer = a.customers[0]!.id;
    const notFound = [
      await B.get(`/staff/segmentation/groups/${groupId}`),
      await B.put(`/staff/segmentation/groups/${groupId}`, { name: 'x', rules: {} }),
      await B.delete(`/staff/segmentation/groups/${groupId}`),
      await B.get(`/staff/segmentation/groups/${groupId}/customers`),
      await B.get(`/staff/segmentation/campaigns/${campaignId}`),
      await B.post(`/staff/segmentation/campaigns/${campaignId}/schedule`, {}),
      await B.post(`/staff/segmentation/campaigns/${campaignId}/cancel`),
      await B.get(`/staff/segmentation/campaigns/${campaignId}/results`),
      await B.get(`/staff/segmentation/campaigns/${campaignId}/messages`),
      await B.get(`/staff/segmentation/campaigns/${campaignId}/feedback`),
      await B.get(`/staff/customers/${aCustomer}/value`),
      await B.get(`/staff/customers/${aCustomer}/coupons`),
      await B.post(`/staff/customers/${aCustomer}/coupons`, {
        offer: { kind: 'amount_off', title: 'x', amountOffFen: 1, validDays: 1 },
        reason: '越权发券',
      }),
      await B.post('/staff/segmentation/campaigns', {
        name: '借用别人的分组',
        audience: { type: 'group', groupId },
        offer: { default: null },
        message: { banner: { title: 'x', body: 'y' } },
        channels: ['in_app'],
      }),
      await B.put('/staff/segmentation/tiers', {
        basis: 'spend',
        windowDays: 365,
        levels: [{ id: levelId, name: '改名', thresholdFen: 1, discountBasisPoints: 0, pointsMultiplierPercent: 100 }],
      }),
    ];
    expect(notFound.map((r) => r.statusCode)).toEqual(notFound.map(() => 404));

    // Lists and aggregates show only B's own data.
    expect((await B.get('/staff/segmentation/groups')).json().items).toEqual([]);
    expect((await B.get('/staff/segmentation/campaigns')).json().items).toEqual([]);
    expect((await B.get('/staff/segmentation/tiers')).json().levels).toEqual([]);
    expect((await B.get('/staff/segmentation/settings')).json().tiers.levels).toEqual([]);
    const dashboard = (await B.get('/staff/segmentation/dashboard')).json();
    expect(dashboard.asOf).toBeNull();
    expect(dashboard.storedValueLiability.totalFen).toBe(0);
    expect((await B.get('/staff/segmentation/transitions')).json()).toEqual({
      counts: [],
      items: [],
      nextCursor: null,
    });
    expect((await B.get('/staff/segmentation/segments/high_value/customers')).json().items).toEqual([]);
    const preview = (await B.post('/staff/segmentation/groups/preview', { rules: {} })).json();
    expect(preview.count).toBe(2);
    expect(preview.sample.map((s: { customerId: string }) => s.customerId).sort()).toEqual(
      b.customers.map((c) => c.id).sort(),
    );
    const recompute = (await B.post('/staff/segmentation/recompute', {})).json();
    expect(recompute).toMatchObject({ rfm: { customers: 2, scored: 0 }, tiers: { evaluated: 0 } });
    expect((await B.patch('/staff/segmentation/settings/rfm', { windowDays: 90 })).statusCode).toBe(200);
    expect((await client(api).asManager(a).get('/staff/segmentation/settings')).json().rfm.windowDays).toBe(365);
  });

  it("keeps another salon's customers out of this salon's coupons, tiers and campaigns", async () => {
    const c = client(api);
    const stranger = c.customerToken(b, b.customers[0]!.id);
    expect((await c.send('GET', '/me/coupons?status=all', stranger)).json().items).toEqual([]);
    expect((await c.send('GET', '/me/tier', stranger)).json()).toMatchObject({ tierId: null });
    expect((await c.send('GET', '/me/campaigns', stranger)).json().items).toEqual([]);
    expect((await c.send('POST', `/me/campaigns/${campaignId}/opened`, stranger)).statusCode).toBe(404);
    expect(
      (
        await c.send('POST', `/me/campaigns/${campaignId}/feedback`, stranger, {
          type: 'consultation',
          message: '你好',
        })
      ).statusCode,
    ).toBe(404);

    // A's own customers do see theirs.
    const own = c.customerToken(a, a.customers[1]!.id);
    const coupons = (await c.send('GET', '/me/coupons', own)).json().items.map((x: { id: string }) => x.id);
    expect(coupons).toContain(couponId);
    expect((await c.send('GET', '/me/campaigns', own)).json().items.map((x: { id: string }) => x.id)).toEqual([
      campaignId,
    ]);
    expect((await c.send('GET', '/me/tier', c.customerToken(a, a.customers[0]!.id))).json()).toMatchObject({
      name: '金卡',
    });
  });

  it('lets beauticians read customer value and coupons but not run segmentation', async () => {
    const c = client(api);
    const beautician = c.staffToken(a, 'beautician');
    expect((await c.send('GET', `/staff/customers/${a.customers[0]!.id}/value`, beautician)).statusCode).toBe(200);
    expect((await c.send('GET', `/staff/customers/${a.customers[1]!.id}/coupons`, beautician)).statusCode).toBe(200);
    // Valid bodies, so the guard (not validation) answers.
    for (const [method, url, body] of [
      ['GET', '/staff/segmentation/dashboard', undefined],
      ['POST', '/staff/segmentation/recompute', {}],
      ['GET', '/staff/segmentation/campaigns', undefined],
      ['POST', '/staff/segmentation/groups/preview', { rules: {} }],
      [
        'POST',
        `/staff/customers/${a.customers[1]!.id}/coupons`,
        { offer: { kind: 'amount_off', title: 'x', amountOffFen: 1, validDays: 1 }, reason: '美容师发券' },
      ],
    ] as const) {
      expect((await c.send(method, url, beautician, body)).statusCode, url).toBe(403);
    }
    const customer = c.customerToken(a, a.customers[0]!.id);
    expect((await c.send('GET', `/staff/customers/${a.customers[0]!.id}/value`, customer)).statusCode).toBe(403);
  });
});
