import { startWechatSim, type WechatSim } from '@lumi/wechat-sim';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, type TestApi } from '../../testing/harness.ts';
import { customerIdentities } from '../customers/index.ts';
import {
  computeUplift,
  isHoldout,
  quietUntil,
  redeemCoupon,
  reserveCoupon,
  runCampaignSend,
  type SegmentationDeps,
  segmentationDeps,
} from './index.ts';
import { roundDiv } from './uplift.ts';
import { addCustomers, client, DAY_MS, history } from '../../testing/segmentation-support.ts';

/**
 * Wake-up campaigns end to end against the WeChat simulator: exactly one record and at most one message per
 * customer across crashes and restarts, holdout excluded, frequency cap, quiet hours on a moved clock,
 * feedback and the results with their uplift.
 */
let sim: WechatSim;
let api: TestApi;
let t: TenantFixture;
let deps: SegmentationDeps;
let clock = new Date('2030-03-01T04:00:00Z'); // 12:00 in Shanghai
const TEMPLATE = 'sim-wakeup';
const who: Record<string, { id: string; openid: string | null; phone: string | null }> = {};

const CAMPAIGN = {
  name: '三月唤醒',
  audience: { type: 'segments', segments: ['no_purchase', 'new'] },
  offer: {
    default: { kind: 'amount_off', title: '回归礼', amountOffFen: 5_000, validDays: 14 },
    byCategory: [],
  },
  message: {
    wechat: {
      templateId: TEMPLATE,
      page: 'pages/campaign/index',
      data: { thing1: '{name}，好久不见', thing2: '{coupon}' },
    },
    sms: { template: 'wakeup', text: '{name}您好，送您{coupon}，欢迎回来' },
    banner: { title: '{name}，我们想您了', body: '{coupon} 已放入卡包' },
  },
  channels: ['wechat', 'sms', 'in_app'],
  quietHours: { start: '21:00', end: '09:00' },
  frequencyCap: { maxMessages: 1, perDays: 30 },
  holdoutBasisPoints: 2_000,
  returnWindowDays: 30,
  survey: { questions: [{ id: 'why', text: '最近没来的原因？', options: ['太忙', '价格', '效果'] }] },
};

async function messagesFor(campaignId: string) {
  return queryRows<{ customer_id: string; channel: string; status: string; reason: string | null }>(
    api.db.db,
    sql`select customer_id, channel, status, reason from outbound_messages where campaign_id = ${campaignId} order by id`,
  );
}

beforeAll(async () => {
  sim = await startWechatSim({ port: 0, timeScale: 0.001 });
  api = await createTestApi({ WECHAT_API_BASE: sim.url }, { now: () => clock });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  deps = { ...segmentationDeps(api.config, api.app.messaging), campaignBatchSize: 7 };
  // 10 customers reachable on WeChat, 10 by SMS only, 10 by neither (the in-app banner still shows).
  const names = [...Array(10).keys()].flatMap((i) => [`W${i}`, `S${i}`, `N${i}`]);
  const created = await addCustomers(
    api.db.db,
    t,
    names.map((name, i) => ({
      name,
      createdAt: new Date(clock.getTime() - 400 * DAY_MS),
      phone: name.startsWith('N') ? undefined : `1390000${String(i).padStart(4, '0')}`,
      consents: name.startsWith('S') ? { marketing: true, sms: true } : { marketing: true, sms: false },
    })),
  );
  const c = client(api);
  for (const [i, name] of names.entries()) {
    const id = created[i] as string;
    const openid = name.startsWith('W') ? `openid-wakeup-${i}` : null;
    who[name] = { id, openid, phone: name.startsWith('N') ? null : `1390000${String(i).padStart(4, '0')}` };
    if (openid) {
      await api.db.db
        .insert(customerIdentities)
        .values({ tenantId: t.tenantId, customerId: id, appId: api.config.WECHAT_CUSTOMER_APPID, openid });
      sim.issueLoginCode(api.config.WECHAT_CUSTOMER_APPID, openid);
      sim.grantSubscription({ openid, templateId: TEMPLATE, count: 3 });
      for (let k = 0; k < 3; k++) {
        const res = await c.send('POST', '/me/subscriptions', c.customerToken(t, id), { templateId: TEMPLATE });
        expect(res.statusCode).toBe(201);
      }
    }
  }
  const res = await c.asManager(t).post('/staff/segmentation/recompute', { parts: ['rfm', 'preferences'] });
  expect(res.statusCode).toBe(200);
}, 60_000);

afterAll(async () => {
  await api?.close();
  await sim?.close();
});

class Crash extends Error {}

describe('sending a campaign', () => {
  let campaignId: string;

  it('records every customer exactly once across crashes and restarts, and sends nothing twice', async () => {
    const manager = client(api).asManager(t);
    const created = await manager.post('/staff/segmentation/campaigns', CAMPAIGN);
    expect(created.statusCode, created.body).toBe(201);
    campaignId = created.json().id;
    expect(created.json().status).toBe('draft');
    expect((await runCampaignSend(api.db.db, deps, t.tenantId, campaignId)).state).toBe('not_due');
    expect((await manager.post(`/staff/segmentation/campaigns/${campaignId}/schedule`, {})).json().status).toBe(
      'scheduled',
    );

    // Run 1 dies after recording a few customers, right before calling WeChat or the SMS provider for one.
    let handled = 0;
    await expect(
      runCampaignSend(api.db.db, deps, t.tenantId, campaignId, {
        hooks: {
          afterRecord: async (customerId) => {
            handled++;
            const [mine] = await queryRows<{ status: string }>(
              api.db.db,
              sql`select status from outbound_messages where campaign_id = ${campaignId} and customer_id = ${customerId}`,
            );
            if (handled >= 3 && mine?.status === 'sending') throw new Crash('killed');
          },
        },
      }),
    ).rejects.toBeInstanceOf(Crash);
    const interrupted = (await messagesFor(campaignId)).at(-1) as { customer_id: string; status: string };
    expect(interrupted.status).toBe('sending');

    // While the dead run's lease lasts, nobody else sends the campaign.
    expect((await runCampaignSend(api.db.db, deps, t.tenantId, campaignId)).state).toBe('busy');

    // Run 2, after the lease expired, dies after its 9th customer's message went out.
    clock = new Date(clock.getTime() + 3 * 60_000);
    handled = 0;
    await expect(
      runCampaignSend(api.db.db, deps, t.tenantId, campaignId, {
        hooks: {
          afterDeliver: () => {
            handled++;
            if (handled === 9) throw new Crash('killed again');
          },
        },
      }),
    ).rejects.toBeInstanceOf(Crash);

    // Run 3 finishes.
    clock = new Date(clock.getTime() + 3 * 60_000);
    const done = await runCampaignSend(api.db.db, deps, t.tenantId, campaignId);
    expect(done.state).toBe('completed');
    expect((await runCampaignSend(api.db.db, deps, t.tenantId, campaignId)).state).toBe('not_due');

    const records = await messagesFor(campaignId);
    const audience = Object.values(who);
    expect(records).toHaveLength(audience.length + 2); // + the fixture's two customers (no purchase either)
    expect(new Set(records.map((r) => r.customer_id)).size).toBe(records.length);

    const interruptedNow = records.find((r) => r.customer_id === interrupted.customer_id);
    expect(interruptedNow).toMatchObject({ status: 'failed' });
    expect(interruptedNow?.reason).toMatch(/^DELIVERY_UNKNOWN/);

    for (const [name, person] of Object.entries(who)) {
      const record = records.find((r) => r.customer_id === person.id);
      const held = isHoldout(campaignId, person.id, 2_000);
      const wechat = person.openid ? sim.messages({ openid: person.openid, templateId: TEMPLATE }) : [];
      const sms = await queryRows<{ body: string }>(
        api.db.db,
        sql`select body from sms_messages where customer_id = ${person.id}`,
      );
      expect(wechat.length + sms.length, name).toBeLessThanOrEqual(1);
      if (held) {
        expect(record, name).toMatchObject({ status: 'skipped', reason: 'holdout', channel: 'none' });
        expect(wechat.length + sms.length, name).toBe(0);
      } else if (person.id === interrupted.customer_id) {
        expect(wechat.length + sms.length).toBe(0);
      } else if (name.startsWith('W')) {
        expect(record, name).toMatchObject({ status: 'sent', channel: 'wechat' });
        expect((wechat[0] as { data: Record<string, { value: string }> }).data.thing1?.value).toBe(`${name}，好久不见`);
      } else if (name.startsWith('S')) {
        expect(record, name).toMatchObject({ status: 'sent', channel: 'sms' });
        expect(sms[0]?.body).toBe(`${name}您好，送您回归礼（立减50元），欢迎回来`);
      } else {
        expect(record, name).toMatchObject({ status: 'skipped', reason: 'no_consent: in-app banner only' });
      }
    }

    // Coupons: one for each treated customer, none for the holdout.
    const coupons = await queryRows<{ customer_id: string }>(
      api.db.db,
      sql`select customer_id from coupons where campaign_id = ${campaignId}`,
    );
    const treated = [...audience.map((p) => p.id), ...t.customers.map((c) => c.id)].filter(
      (id) => !isHoldout(campaignId, id, 2_000),
    );
    expect(coupons.map((c) => c.customer_id).sort()).toEqual(treated.sort());
    const view = (await client(api).asManager(t).get(`/staff/segmentation/campaigns/${campaignId}`)).json();
    expect(view.status).toBe('completed');
    expect(view.progress).toMatchObject({ recipients: 32, pending: 0, holdout: 32 - treated.length });
    // The holdout is left out on purpose: its skipped records are not counted as skipped (not delivered).
    const notDelivered = records.filter((r) => r.status === 'skipped' && r.reason !== 'holdout').length;
    expect(notDelivered).toBeGreaterThan(0);
    expect(view.progress.skipped).toBe(notDelivered);
  });

  it('keeps quiet hours and the frequency cap', async () => {
    const manager = client(api).asManager(t);
    clock = new Date('2030-03-05T14:00:00Z'); // 22:00 in Shanghai
    const second = (
      await manager.post('/staff/segmentation/campaigns', {
        ...CAMPAIGN,
        name: '第二波',
        scheduledAt: clock.toISOString(),
      })
    ).json();
    expect(second.status).toBe('scheduled');
    const quiet = await runCampaignSend(api.db.db, deps, t.tenantId, second.id);
    expect(quiet).toMatchObject({ state: 'quiet', processed: 0, resumeAt: '2030-03-06T01:00:00.000Z' });
    expect(await messagesFor(second.id)).toEqual([]);
    expect(quietUntil({ start: '09:00', end: '21:00' }, clock)).toBeNull();

    clock = new Date('2030-03-06T01:05:00Z'); // 09:05
    expect((await runCampaignSend(api.db.db, deps, t.tenantId, second.id)).state).toBe('completed');
    const records = await messagesFor(second.id);
    const firstRecords = await queryRows<{ customer_id: string; status: string; reason: string | null }>(
      api.db.db,
      sql`select m.customer_id, m.status, m.reason from outbound_messages m join campaigns c on c.id = m.campaign_id
          where c.name = '三月唤醒' and c.tenant_id = ${t.tenantId}`,
    );
    // Sent, or interrupted mid-call (she may have it): either counts against the cap.
    const mayHaveReached = (r: { status: string; reason: string | null }) =>
      r.status === 'sent' || (r.status === 'failed' && r.reason?.startsWith('DELIVERY_UNKNOWN') === true);
    const reachedBefore = new Set(firstRecords.filter(mayHaveReached).map((r) => r.customer_id));
    expect(firstRecords.filter((r) => r.status === 'failed')).toHaveLength(1);
    for (const r of records) {
      if (isHoldout(second.id, r.customer_id, 2_000)) expect(r.reason).toBe('holdout');
      else if (reachedBefore.has(r.customer_id))
        expect(r).toMatchObject({ status: 'skipped', reason: 'frequency_cap' });
      else expect(r.reason).not.toBe('frequency_cap');
    }
    expect(records.some((r) => r.reason === 'frequency_cap')).toBe(true);
  });

  it('takes feedback, counts opens and measures treated against holdout', async () => {
    const c = client(api);
    const people = Object.values(who);
    const treatedW = people.filter((p) => p.openid && !isHoldout(campaignId, p.id, 2_000));
    const holdout = people.filter((p) => isHoldout(campaignId, p.id, 2_000));
    const someone = treatedW[0] as { id: string };
    expect(holdout.length).toBeGreaterThan(0);

    const banners = await c.send('GET', '/me/campaigns', c.customerToken(t, someone.id));
    const banner = banners.json().items.find((b: { id: string }) => b.id === campaignId);
    expect(banner.title).toMatch(/，我们想您了$/);
    expect(banner.couponId).toBeTruthy();
    expect(
      (await c.send('POST', `/me/campaigns/${campaignId}/opened`, c.customerToken(t, someone.id))).statusCode,
    ).toBe(200);
    expect(
      (await c.send('POST', `/me/campaigns/${campaignId}/opened`, c.customerToken(t, someone.id))).statusCode,
    ).toBe(200);
    const heldOut = holdout[0] as { id: string };
    expect(
      (await c.send('POST', `/me/campaigns/${campaignId}/opened`, c.customerToken(t, heldOut.id))).statusCode,
    ).toBe(404);

    const answer = (payload: unknown) =>
      c.send('POST', `/me/campaigns/${campaignId}/feedback`, c.customerToken(t, someone.id), payload);
    expect((await answer({ type: 'survey', answers: { why: '太忙' } })).statusCode).toBe(201);
    expect((await answer({ type: 'survey', answers: { why: '不知道' } })).statusCode).toBe(400);
    expect(
      (await answer({ type: 'consultation', message: '想了解光子嫩肤', preferredContact: 'wechat' })).statusCode,
    ).toBe(201);
    const feedback = await c.send(
      'GET',
      `/staff/segmentation/campaigns/${campaignId}/feedback`,
      c.staffToken(t, 'beautician'),
    );
    expect(
      feedback
        .json()
        .items.map((f: { type: string }) => f.type)
        .sort(),
    ).toEqual(['consultation', 'survey']);

    // Two treated customers come back (one with the coupon), one holdout customer too.
    const h = history(api.db.db, t);
    const back = new Date('2030-03-10T04:00:00Z');
    await h.spend(someone.id, 30_000, back);
    const second = treatedW[1] as { id: string };
    await h.spend(second.id, 45_000, back);
    await h.spend(heldOut.id, 20_000, back);
    const [coupon] = await queryRows<{ id: string }>(
      api.db.db,
      sql`select id from coupons where campaign_id = ${campaignId} and customer_id = ${second.id}`,
    );
    await api.db.db.transaction(async (tx) => {
      await reserveCoupon(tx, {
        tenantId: t.tenantId,
        customerId: second.id,
        couponId: coupon?.id as string,
        eligibleTotalFen: 50_000,
        now: back,
      });
      await redeemCoupon(tx, {
        tenantId: t.tenantId,
        couponId: coupon?.id as string,
        reference: { type: 'bill', id: 'b-1' },
      });
    });
    clock = new Date('2030-03-20T04:00:00Z');

    const res = await client(api).asManager(t).get(`/staff/segmentation/campaigns/${campaignId}/results`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    const nT = r.treated.customers;
    const nH = r.holdout.customers;
    expect(nT + nH).toBe(32);
    expect(r.treated).toMatchObject({ opened: 1, couponsRedeemed: 1, returned: 2, revenueFen: 75_000 });
    expect(r.holdout).toMatchObject({ delivered: 0, opened: 0, couponsRedeemed: 0, returned: 1, revenueFen: 20_000 });
    expect(r.treated.delivered).toBe((await messagesFor(campaignId)).filter((m) => m.status === 'sent').length);
    expect(r.uplift).toEqual(computeUplift(r.treated, r.holdout));
    // 2/nT − 1/nH, exactly.
    const diff = r.uplift.returnRateDifference;
    expect(diff.numerator * nT * nH).toBe((2 * nH - nT) * diff.denominator);
    expect(r.feedback).toEqual({ surveys: 1, consultations: 1 });
  });
});

describe('uplift arithmetic', () => {
  const arm = (customers: number, returned: number, revenueFen: number) => ({
    customers,
    delivered: 0,
    opened: 0,
    couponsRedeemed: 0,
    returned,
    revenueFen,
  });

  it('keeps rates as reduced fractions and rounds money once, half away from zero', () => {
    // 9 of 30 treated (3/10) against 2 of 10 holdout (1/5): +1/10, i.e. 1,000 bp; 3 extra returns.
    expect(computeUplift(arm(30, 9, 450_000), arm(10, 2, 100_000))).toEqual({
      returnRateDifference: { numerator: 1, denominator: 10, basisPoints: 1_000 },
      incrementalRevenueFen: 450_000 - 300_000,
      incrementalReturns: { numerator: 3, denominator: 1 },
    });
    // 1/3 vs 1/2: −1/6 → floor(−1,666.67) = −1,667 bp; revenue 100 − 3·101/2 = −51.5 → −52.
    expect(computeUplift(arm(3, 1, 100), arm(2, 1, 101))).toEqual({
      returnRateDifference: { numerator: -1, denominator: 6, basisPoints: -1_667 },
      incrementalRevenueFen: -52,
      incrementalReturns: { numerator: -1, denominator: 2 },
    });
    // No holdout: nothing to compare.
    expect(computeUplift(arm(5, 1, 10), arm(0, 0, 0))).toEqual({
      returnRateDifference: { numerator: 0, denominator: 0, basisPoints: null },
      incrementalRevenueFen: null,
      incrementalReturns: null,
    });
    expect([roundDiv(5n, 2n), roundDiv(-5n, 2n), roundDiv(7n, 3n), roundDiv(-7n, 3n)]).toEqual([3n, -3n, 2n, -2n]);
    // Large revenues stay exact (beyond 2^53 in the intermediate product).
    expect(
      computeUplift(arm(999_999, 1, 9_000_000_000_001), arm(999_998, 0, 9_000_000_000_000)).incrementalRevenueFen,
    ).toBe(Number(roundDiv(9_000_000_000_001n * 999_998n - 9_000_000_000_000n * 999_999n, 999_998n)));
  });

  it('puts the same customers in the holdout every time', () => {
    const a = isHoldout('c1', 'x', 1_000);
    expect(isHoldout('c1', 'x', 1_000)).toBe(a);
    const share = [...Array(10_000).keys()].filter((i) => isHoldout('campaign', `customer-${i}`, 1_000)).length;
    expect(share).toBeGreaterThan(900);
    expect(share).toBeLessThan(1_100);
  });
});
