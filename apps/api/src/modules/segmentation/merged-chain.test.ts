import { randomUUID } from 'node:crypto';
import { startWechatSim, type WechatSim } from '@lumi/wechat-sim';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, type TestApi } from '../../testing/harness.ts';
import { addCustomers, client, DAY_MS, goldTierQualifiers, history } from '../../testing/segmentation-support.ts';
import {
  recomputeRfm,
  redeemCoupon,
  reserveCoupon,
  runCampaignSend,
  segmentationDeps,
  segmentListing,
} from './index.ts';

/**
 * A chain of merges A → B → C, and the campaigns sent before it.
 *
 * 周女士 was registered at the desk twice over the years: C (phone P2, ¥100 forty days ago) and B (phone P1,
 * ¥200 thirty-five days ago). Her WeChat sign-up A paid ¥50 thirty days ago. Twenty days ago two campaigns
 * started: 回访 to A and to 何女士 (D, no merge), 双账户 to A and B. Then A came back (¥80, fifteen days ago),
 * shared P1 and was merged into B; B paid ¥300 ten days ago, shared her new number P2 and was merged into C;
 * C paid ¥120 five days ago and redeemed 回访's coupon, which had followed her from A through B. D paid ¥70
 * twelve days ago.
 *
 * One person, C: F = 6, M = ¥850, a tier on ¥850, no RFM row for A or B. 回访: two people returned, ¥500 of
 * hers since the start (¥80 + ¥300 + ¥120) and D's ¥70. 双账户: A and B are one person, counted once.
 */
let sim: WechatSim;
let api: TestApi;
let t: TenantFixture;
const realStart = Date.now();
let clock: Date | null = null;
const daysAgo = (n: number) => new Date(realStart - n * DAY_MS);
const ids = { A: '', B: '', C: '', D: '' };
const campaigns = { revisit: '', twoAccounts: '' };
const TEMPLATE = 'sim-wakeup';
const P1 = `1391${String(process.pid % 10_000_000).padStart(7, '0')}`;
const P2 = `1393${String(process.pid % 10_000_000).padStart(7, '0')}`;

const rfmRow = async (customerId: string) =>
  (
    await queryRows<{ frequency: number; monetary_fen: string; first_paid_at: Date; last_paid_at: Date }>(
      api.db.db,
      sql`select frequency, monetary_fen, first_paid_at, last_paid_at from rfm_scores
          where tenant_id = ${t.tenantId} and customer_id = ${customerId}`,
    )
  )[0];

const campaign = (name: string, tag: string, groupId: string) => ({
  name,
  audience: { type: 'group', groupId },
  offer: { default: { kind: 'amount_off', title: `${tag}礼`, amountOffFen: 2_000, validDays: 60 }, byCategory: [] },
  message: {
    wechat: { templateId: TEMPLATE, page: 'pages/campaign/index', data: { thing1: '{name}，好久不见' } },
    banner: { title: '{name}，我们想您了', body: '{coupon} 已放入卡包' },
  },
  channels: ['wechat', 'in_app'],
  quietHours: null,
  frequencyCap: null,
  holdoutBasisPoints: 0,
  returnWindowDays: 30,
});

beforeAll(async () => {
  sim = await startWechatSim({ port: 0, timeScale: 0.001 });
  api = await createTestApi(
    { WECHAT_API_BASE: sim.url, WECHAT_TIMEOUT_MS: '5000', LOG_LEVEL: 'error' },
    { now: () => clock ?? new Date() },
  );
  const appId = api.config.WECHAT_CUSTOMER_APPID;
  t = await createTenantFixture(api.db.db, appId);
  const c = client(api);
  const manager = c.asManager(t);
  const h = history(api.db.db, t);

  for (const [key, phone] of [
    ['C', P2],
    ['B', P1],
  ] as const) {
    const res = await manager.post('/staff/customers', { phone, name: '周女士' });
    expect(res.statusCode, res.body).toBe(201);
    ids[key] = res.json().id;
  }
  const openid = `o${randomUUID().replace(/-/g, '').slice(0, 27)}`;
  const login = async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/auth/customer/wechat',
      payload: { tenant: t.slug, code: sim.issueLoginCode(appId, openid).code },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { accessToken: string; customer: { id: string } };
  };
  const signUp = await login();
  ids.A = signUp.customer.id;
  [ids.D] = (await addCustomers(api.db.db, t, [{ name: '何女士', createdAt: daysAgo(400) }])) as [string];

  await h.spend(ids.C, 10_000, daysAgo(40));
  await h.spend(ids.B, 20_000, daysAgo(35));
  await h.spend(ids.A, 5_000, daysAgo(30));

  // A may be sent two campaign messages on WeChat.
  sim.grantSubscription({ openid, templateId: TEMPLATE, count: 2 });
  for (let k = 0; k < 2; k++) {
    const res = await c.send('POST', '/me/subscriptions', signUp.accessToken, { templateId: TEMPLATE });
    expect(res.statusCode, res.body).toBe(201);
  }
  await api.db.db.execute(sql`update customers set tags = array['回访'] where id in (${ids.A}, ${ids.D})`);
  await api.db.db.execute(sql`update customers set tags = array['双账户'] where id = ${ids.B}`);
  await api.db.db.execute(sql`update customers set tags = array['回访', '双账户'] where id = ${ids.A}`);

  // Twenty days ago both campaigns start.
  clock = daysAgo(20);
  const deps = segmentationDeps(api.config, api.app.messaging);
  for (const [key, tag] of [
    ['revisit', '回访'],
    ['twoAccounts', '双账户'],
  ] as const) {
    const group = await manager.post('/staff/segmentation/groups', { name: tag, rules: { tagsAny: [tag] } });
    expect(group.statusCode, group.body).toBe(201);
    const created = await manager.post('/staff/segmentation/campaigns', campaign(tag, tag, group.json().id));
    expect(created.statusCode, created.body).toBe(201);
    campaigns[key] = created.json().id;
    expect((await manager.post(`/staff/segmentation/campaigns/${campaigns[key]}/schedule`, {})).statusCode).toBe(200);
    expect((await runCampaignSend(api.db.db, deps, t.tenantId, campaigns[key])).state).toBe('completed');
  }
  const opened = await c.send('POST', `/me/campaigns/${campaigns.revisit}/opened`, signUp.accessToken, {});
  expect(opened.statusCode, opened.body).toBeLessThan(300);
  clock = null;

  await h.spend(ids.A, 8_000, daysAgo(15));
  await h.spend(ids.D, 7_000, daysAgo(12));
  const bindPhone = async (accessToken: string, phone: string, into: string) => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/me/phone',
      headers: bearer(accessToken),
      payload: { code: sim.issuePhoneCode(appId, phone).code },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ merged: true, customer: { id: into } });
  };
  await bindPhone(signUp.accessToken, P1, ids.B);
  await h.spend(ids.B, 30_000, daysAgo(10));
  // Her WeChat now signs in as B; WeChat vouches for her new number, which the desk registered as C.
  const asB = await login();
  expect(asB.customer.id).toBe(ids.B);
  await bindPhone(asB.accessToken, P2, ids.C);
  await h.spend(ids.C, 12_000, daysAgo(5));

  const [coupon] = await queryRows<{ id: string; customer_id: string }>(
    api.db.db,
    sql`select id, customer_id from coupons where campaign_id = ${campaigns.revisit} and customer_id <> ${ids.D}`,
  );
  expect(coupon?.customer_id).toBe(ids.C);
  await api.db.db.transaction(async (tx) => {
    await reserveCoupon(tx, {
      tenantId: t.tenantId,
      customerId: ids.C,
      couponId: coupon?.id as string,
      eligibleTotalFen: 12_000,
      now: daysAgo(5),
    });
    await redeemCoupon(tx, {
      tenantId: t.tenantId,
      couponId: coupon?.id as string,
      reference: { type: 'bill', id: 'b-1' },
    });
  });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await sim?.close();
});

describe('a chain of merges A → B → C', () => {
  it('gives the final survivor every visit and all the spend in RFM; A and B have no row', async () => {
    const run = await recomputeRfm(api.db.db, t.tenantId, { asOf: new Date() });
    // The fixture's two customers, C and D; A and B are no customers of their own.
    expect([run.customers, run.scored]).toEqual([t.customers.length + 2, 2]);
    const survivor = await rfmRow(ids.C);
    expect({
      frequency: survivor?.frequency,
      monetary: Number(survivor?.monetary_fen),
      first: new Date(survivor?.first_paid_at as Date).getTime(),
      last: new Date(survivor?.last_paid_at as Date).getTime(),
    }).toEqual({ frequency: 6, monetary: 85_000, first: daysAgo(40).getTime(), last: daysAgo(5).getTime() });
    expect(await rfmRow(ids.A)).toBeUndefined();
    expect(await rfmRow(ids.B)).toBeUndefined();
    expect((await recomputeRfm(api.db.db, t.tenantId, { asOf: new Date() })).written).toBe(0);

    const listing = await segmentListing(api.db.db, t.tenantId);
    expect(listing.segments.reduce((n, s) => n + s.customers, 0)).toBe(t.customers.length + 2);
    expect(listing.segments.reduce((n, s) => n + s.spendFen, 0)).toBe(85_000 + 7_000);
  });

  it('shows the survivor her visits and spend in the value analysis; A and B have none', async () => {
    const manager = client(api).asManager(t);
    const res = await manager.get(`/staff/customers/${ids.C}/value`);
    expect(res.statusCode, res.body).toBe(200);
    expect([res.json().paidVisits, res.json().lifetimeSpendFen, res.json().lastVisitAt]).toEqual([
      6,
      85_000,
      daysAgo(5).toISOString(),
    ]);
    expect((await manager.get(`/staff/customers/${ids.A}/value`)).statusCode).toBe(404);
    expect((await manager.get(`/staff/customers/${ids.B}/value`)).statusCode).toBe(404);
  });

  it('puts the survivor in the tier her whole spend reaches', async () => {
    expect(await goldTierQualifiers(api, t, 80_000)).toEqual([[ids.C, 85_000]]);
  });
});

describe('campaign results after the recipients were merged', () => {
  const results = async (campaignId: string) => {
    const res = await client(api).asManager(t).get(`/staff/segmentation/campaigns/${campaignId}/results`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('follows a recipient to the survivor: her visits, spend, message and coupon since the start', async () => {
    const r = await results(campaigns.revisit);
    // A (now C): ¥80 as A, ¥300 as B, ¥120 as C after the start; D: ¥70. C's ¥100 and B's ¥200 came before.
    expect(r.treated).toMatchObject({
      customers: 2,
      delivered: 1,
      opened: 1,
      couponsRedeemed: 1,
      returned: 2,
      revenueFen: 57_000,
    });
    expect(r.holdout).toMatchObject({ customers: 0, returned: 0, revenueFen: 0 });
  });

  it('counts recipients who became one person once', async () => {
    const r = await results(campaigns.twoAccounts);
    expect(r.treated).toMatchObject({ customers: 1, delivered: 1, returned: 1, revenueFen: 50_000 });
  });

  it('keeps to the return window', async () => {
    // Seven days from the start (twenty days ago) take in only A's ¥80 of fifteen days ago, and none of D's.
    const res = await client(api)
      .asManager(t)
      .get(`/staff/segmentation/campaigns/${campaigns.revisit}/results?returnWindowDays=7`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().treated).toMatchObject({ customers: 2, returned: 1, revenueFen: 8_000 });
  });
});
