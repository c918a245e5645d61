import { startWechatSim, type WechatSim } from '@lumi/wechat-sim';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, type TestApi } from '../../testing/harness.ts';
import {
  couponDiscountFen,
  describeOffer,
  evaluateTiers,
  redeemCoupon,
  releaseCoupon,
  reserveCoupon,
  segmentationDeps,
  sendTierNotifications,
  tierBenefits,
} from './index.ts';
import { client, DAY_MS, history } from '../../testing/segmentation-support.ts';

let sim: WechatSim;
let api: TestApi;
let t: TenantFixture;
let other: TenantFixture;
let clock = new Date(Date.UTC(2030, 2, 1, 4));
const TEMPLATE = 'sim-tier-change';

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
};

beforeAll(async () => {
  sim = await startWechatSim({ port: 0, timeScale: 0.001 });
  api = await createTestApi({ WECHAT_API_BASE: sim.url }, { now: () => clock });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  other = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  for (const c of t.customers) sim.issueLoginCode(api.config.WECHAT_CUSTOMER_APPID, c.openid);
});

afterAll(async () => {
  await api?.close();
  await sim?.close();
});

describe('tiers (会员等级)', () => {
  it('upgrades and downgrades by spend in the sliding window, with a notification when the customer consented', async () => {
    const manager = client(api).asManager(t);
    const ladder = await manager.put('/staff/segmentation/tiers', {
      basis: 'spend',
      windowDays: 365,
      levels: [
        { name: '银卡', thresholdFen: 100_000, discountBasisPoints: 300, pointsMultiplierPercent: 120 },
        { name: '金卡', thresholdFen: 500_000, discountBasisPoints: 800, pointsMultiplierPercent: 150 },
      ],
    });
    expect(ladder.statusCode).toBe(200);
    const [silver, gold] = ladder.json().levels as { id: string; name: string }[];
    const A = t.customers[0]!;
    const deps = segmentationDeps(api.config, api.app.messaging);

    // A consents once to the tier template in the mini-program.
    sim.grantSubscription({ openid: A.openid, templateId: TEMPLATE });
    const consent = await client(api).send('POST', '/me/subscriptions', client(api).customerToken(t, A.id), {
      templateId: TEMPLATE,
    });
    expect(consent.statusCode).toBe(201);

    const h = history(api.db.db, t);
    await h.spend(A.id, 150_000, new Date(clock.getTime() - DAY_MS));
    expect(await evaluateTiers(api.db.db, t.tenantId, clock)).toEqual({ evaluated: 1, upgrades: 1, downgrades: 0 });
    expect(await tierBenefits(api.db.db, t.tenantId, A.id)).toEqual({
      tierId: silver?.id,
      name: '银卡',
      discountBasisPoints: 300,
      pointsMultiplierPercent: 120,
    });
    expect(await sendTierNotifications(api.db.db, deps)).toEqual({ sent: 1, skipped: 0, failed: 0 });
    const messages = sim.messages({ openid: A.openid, templateId: TEMPLATE }) as {
      data: Record<string, { value: string }>;
    }[];
    expect(messages).toHaveLength(1);
    expect(messages[0]?.data.thing1?.value).toBe('银卡');

    // Evaluating again changes nothing and notifies nobody.
    expect(await evaluateTiers(api.db.db, t.tenantId, clock)).toMatchObject({ upgrades: 0, downgrades: 0 });
    expect(await sendTierNotifications(api.db.db, deps)).toEqual({ sent: 0, skipped: 0, failed: 0 });

    // More spend: 金卡. The consent was used up and A never agreed to SMS: recorded as skipped.
    await h.spend(A.id, 400_000, new Date(clock.getTime() - DAY_MS / 2));
    expect(await evaluateTiers(api.db.db, t.tenantId, clock)).toMatchObject({ upgrades: 1 });
    expect((await tierBenefits(api.db.db, t.tenantId, A.id)).tierId).toBe(gold?.id);
    expect(await sendTierNotifications(api.db.db, deps)).toEqual({ sent: 0, skipped: 1, failed: 0 });

    // A year later with no spend the window is empty: down to no tier.
    clock = new Date(clock.getTime() + 400 * DAY_MS);
    expect(await evaluateTiers(api.db.db, t.tenantId, clock)).toMatchObject({ upgrades: 0, downgrades: 1 });
    expect(await tierBenefits(api.db.db, t.tenantId, A.id)).toEqual({
      tierId: null,
      name: null,
      discountBasisPoints: 0,
      pointsMultiplierPercent: 100,
    });
    const changes = await queryRows<{ direction: string; to_tier_id: string | null }>(
      api.db.db,
      sql`select direction, to_tier_id from tier_changes where tenant_id = ${t.tenantId} and customer_id = ${A.id} order by id`,
    );
    expect(changes).toEqual([
      { direction: 'up', to_tier_id: silver?.id },
      { direction: 'up', to_tier_id: gold?.id },
      { direction: 'down', to_tier_id: null },
    ]);
    const records = await queryRows<{ status: string; channel: string; reason: string | null }>(
      api.db.db,
      sql`select status, channel, reason from outbound_messages where tenant_id = ${t.tenantId} and purpose = 'tier_change' order by id`,
    );
    expect(records.slice(0, 2)).toEqual([
      { status: 'sent', channel: 'wechat', reason: null },
      { status: 'skipped', channel: 'none', reason: 'no_consent' },
    ]);
    const mine = await client(api).send('GET', '/me/tier', client(api).customerToken(t, A.id));
    expect(mine.json()).toMatchObject({ tierId: null, discountBasisPoints: 0 });
  });

  it('can count top-ups instead of spend', async () => {
    const manager = client(api).asManager(t);
    const current = (await manager.get('/staff/segmentation/tiers')).json();
    const res = await manager.put('/staff/segmentation/tiers', { ...current, basis: 'top_up' });
    expect(res.statusCode).toBe(200);
    const B = t.customers[1]!;
    await history(api.db.db, t).topUp(B.id, 300_000, new Date(clock.getTime() - DAY_MS));
    await evaluateTiers(api.db.db, t.tenantId, clock);
    expect((await tierBenefits(api.db.db, t.tenantId, B.id)).name).toBe('银卡');
    // The ladder is the tenant's own: another salon's customer has no tier.
    expect((await tierBenefits(api.db.db, other.tenantId, B.id)).tierId).toBeNull();
  });
});

describe('coupons', () => {
  const offer = {
    kind: 'amount_off',
    title: '回归礼',
    amountOffFen: 3_000,
    minSpendFen: 20_000,
    validDays: 7,
  } as const;

  it('describes and prices offers in integer fen', () => {
    expect(describeOffer({ ...offer })).toBe('满200减30元');
    expect(
      describeOffer({ kind: 'percent_off', percentOffBasisPoints: 1_000, maxDiscountFen: 5_000, minSpendFen: 0 }),
    ).toBe('9折（最高减50元）');
    expect(describeOffer({ kind: 'free_addon', addonName: '眼部护理', minSpendFen: 0 })).toBe('赠送：眼部护理');
    const pct = { kind: 'percent_off', amountOffFen: null, percentOffBasisPoints: 1_000, maxDiscountFen: 5_000 };
    expect(couponDiscountFen(pct, 33_333)).toBe(3_333);
    expect(couponDiscountFen(pct, 80_000)).toBe(5_000);
    expect(couponDiscountFen({ ...pct, kind: 'amount_off', amountOffFen: 3_000 }, 2_000)).toBe(2_000);
  });

  it('is reserved, redeemed once, released, and refused when expired, too small or someone else’s', async () => {
    const c = client(api);
    const A = t.customers[0]!;
    const B = t.customers[1]!;
    const issued = await c.asManager(t).post(`/staff/customers/${A.id}/coupons`, { offer, reason: '老客回馈' });
    expect(issued.statusCode).toBe(201);
    const coupon = issued.json();
    expect(coupon).toMatchObject({ status: 'issued', usable: true, description: '满200减30元' });
    const mine = await c.send('GET', '/me/coupons', c.customerToken(t, A.id));
    expect(mine.json().items.map((x: { id: string }) => x.id)).toEqual([coupon.id]);

    const reserve = (over: Partial<{ customerId: string; eligibleTotalFen: number; tenantId: string }> = {}) =>
      api.db.db.transaction((tx) =>
        reserveCoupon(tx, {
          tenantId: t.tenantId,
          customerId: A.id,
          couponId: coupon.id,
          eligibleTotalFen: 25_000,
          now: clock,
          ...over,
        }),
      );
    expect(await codeOf(reserve({ eligibleTotalFen: 19_999 }))).toBe('COUPON_MIN_SPEND_NOT_MET');
    expect(await codeOf(reserve({ customerId: B.id }))).toBe('COUPON_NOT_FOUND');
    expect(await codeOf(reserve({ tenantId: other.tenantId }))).toBe('COUPON_NOT_FOUND');
    expect(await reserve()).toEqual({ discountFen: 3_000, description: '回归礼：满200减30元' });
    expect(await codeOf(reserve())).toBe('COUPON_NOT_USABLE');
    await api.db.db.transaction((tx) => releaseCoupon(tx, { tenantId: t.tenantId, couponId: coupon.id }));
    expect((await reserve()).discountFen).toBe(3_000);

    const bill = { type: 'bill', id: 'bill-1' };
    await api.db.db.transaction((tx) =>
      redeemCoupon(tx, { tenantId: t.tenantId, couponId: coupon.id, reference: bill }),
    );
    await api.db.db.transaction((tx) =>
      redeemCoupon(tx, { tenantId: t.tenantId, couponId: coupon.id, reference: bill }),
    );
    expect(
      await codeOf(
        api.db.db.transaction((tx) =>
          redeemCoupon(tx, { tenantId: t.tenantId, couponId: coupon.id, reference: { type: 'bill', id: 'bill-2' } }),
        ),
      ),
    ).toBe('COUPON_NOT_USABLE');
    expect(await codeOf(reserve())).toBe('COUPON_NOT_USABLE');
    await api.db.db.transaction((tx) => releaseCoupon(tx, { tenantId: t.tenantId, couponId: coupon.id }));
    const all = await c.send('GET', '/me/coupons?status=all', c.customerToken(t, A.id));
    expect(all.json().items[0]).toMatchObject({ status: 'redeemed', usable: false });

    // Expiry: valid for 7 days from issue.
    const second = (await c.asManager(t).post(`/staff/customers/${A.id}/coupons`, { offer, reason: '补发' })).json();
    const later = new Date(clock.getTime() + 8 * DAY_MS);
    expect(
      await codeOf(
        api.db.db.transaction((tx) =>
          reserveCoupon(tx, {
            tenantId: t.tenantId,
            customerId: A.id,
            couponId: second.id,
            eligibleTotalFen: 50_000,
            now: later,
          }),
        ),
      ),
    ).toBe('COUPON_EXPIRED');
    clock = later;
    const usable = await c.send('GET', '/me/coupons', c.customerToken(t, A.id));
    expect(usable.json().items).toEqual([]);

    // Another salon's customer sees none of them; another salon's manager cannot issue to A.
    const theirs = await c.send('GET', '/me/coupons?status=all', c.customerToken(other, other.customers[0]!.id));
    expect(theirs.json().items).toEqual([]);
    const foreign = await c.asManager(other).post(`/staff/customers/${A.id}/coupons`, { offer, reason: '越权' });
    expect(foreign.statusCode).toBe(404);
    expect(
      await codeOf(
        api.db.db.transaction((tx) =>
          reserveCoupon(tx, {
            tenantId: t.tenantId,
            customerId: A.id,
            couponId: 'not-a-uuid',
            eligibleTotalFen: 1,
            now: clock,
          }),
        ),
      ),
    ).toBe('COUPON_NOT_FOUND');
  });
});
