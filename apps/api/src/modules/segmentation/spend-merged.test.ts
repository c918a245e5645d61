import { randomUUID } from 'node:crypto';
import { startWechatSim, type WechatSim } from '@lumi/wechat-sim';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, type TestApi } from '../../testing/harness.ts';
import { client, DAY_MS, goldTierQualifiers, history, till } from '../../testing/segmentation-support.ts';
import { previewGroup, recomputeRfm, refreshPreferences, segmentListing } from './index.ts';

/**
 * A merged customer: 林女士 was registered at the desk and paid ¥100 for an eye treatment 10 days ago; today her
 * own WeChat sign-up paid a ¥388 bill (深层补水护理) at the till. When the sign-up shares the same phone she is
 * merged into the walk-in (merging's phone binding), and then ¥88 of her bill is given back. Her bill keeps her
 * own customer_id in the ledger, yet it is the survivor's, net of the later refund: F = 2, M = ¥100 + ¥300; the
 * sign-up has no RFM row, tier or value analysis.
 */
let sim: WechatSim;
let api: TestApi;
let t: TenantFixture;
const start = Date.now();
const daysAgo = (n: number) => new Date(start - n * DAY_MS);
let walkIn: string;
let signUp: string;
let billedAt: Date;

const rfmRow = async (customerId: string) =>
  (
    await queryRows<{ frequency: number; monetary_fen: string; first_paid_at: Date; last_paid_at: Date }>(
      api.db.db,
      sql`select frequency, monetary_fen, first_paid_at, last_paid_at from rfm_scores
          where tenant_id = ${t.tenantId} and customer_id = ${customerId}`,
    )
  )[0];

beforeAll(async () => {
  sim = await startWechatSim({ port: 0, timeScale: 0.001 });
  api = await createTestApi({ WECHAT_API_BASE: sim.url, WECHAT_TIMEOUT_MS: '5000', LOG_LEVEL: 'error' });
  const appId = api.config.WECHAT_CUSTOMER_APPID;
  t = await createTenantFixture(api.db.db, appId);
  const phone = `1392${String(process.pid % 10_000_000).padStart(7, '0')}`;
  const manager = client(api).asManager(t);

  const front = await manager.post('/staff/customers', { phone, name: '林女士' });
  expect(front.statusCode, front.body).toBe(201);
  walkIn = front.json().id;
  const { code } = sim.issueLoginCode(appId, `o${randomUUID().replace(/-/g, '').slice(0, 27)}`);
  const login = await api.app.inject({
    method: 'POST',
    url: '/auth/customer/wechat',
    payload: { tenant: t.slug, code },
  });
  expect(login.statusCode, login.body).toBe(200);
  signUp = login.json().customer.id;

  await history(api.db.db, t).spend(walkIn, 10_000, daysAgo(10), '眼部护理');
  const bills = till(api, t);
  const bill = await bills.bill(signUp, [{ type: 'service', serviceId: t.serviceId }], (total) => [
    { method: 'cash', amountFen: total },
  ]);
  const [settled] = await queryRows<{ created_at: Date }>(
    api.db.db,
    sql`select created_at from transfers where customer_id = ${signUp} and kind = 'bill'`,
  );
  billedAt = new Date(settled?.created_at as Date);

  // Before the merge each is a customer of her own with one visit.
  await recomputeRfm(api.db.db, t.tenantId, { asOf: new Date() });
  expect((await rfmRow(signUp))?.frequency).toBe(1);

  const bound = await api.app.inject({
    method: 'POST',
    url: '/me/phone',
    headers: bearer(login.json().accessToken),
    payload: { code: sim.issuePhoneCode(appId, phone).code },
  });
  expect(bound.statusCode, bound.body).toBe(200);
  expect(bound.json()).toMatchObject({ merged: true, customer: { id: walkIn } });
  // After the merge: ¥88 of her bill given back as goodwill.
  await bills.refund(bill.id, [{ lineId: bill.lines[0]?.id, amountFen: 8_800 }]);
}, 120_000);

afterAll(async () => {
  await api?.close();
  await sim?.close();
});

describe('a customer merged into another', () => {
  it('counts her visits for the survivor in RFM, and has no row of her own once recomputed', async () => {
    // Her pre-merge transfer is still hers in the ledger.
    const [mine] = await queryRows<{ n: number }>(
      api.db.db,
      sql`select count(*)::int as n from transfers where customer_id = ${signUp} and kind = 'bill'`,
    );
    expect(mine?.n).toBe(1);

    const run = await recomputeRfm(api.db.db, t.tenantId, { asOf: new Date() });
    // The survivor's row changed and the sign-up's stale row went.
    expect(run.written).toBe(2);
    // The fixture's two customers (no visits) and the walk-in; the sign-up is no customer of her own.
    expect([run.customers, run.scored]).toEqual([t.customers.length + 1, 1]);
    const survivor = await rfmRow(walkIn);
    expect({
      frequency: survivor?.frequency,
      monetary: Number(survivor?.monetary_fen),
      first: new Date(survivor?.first_paid_at as Date).getTime(),
      last: new Date(survivor?.last_paid_at as Date).getTime(),
    }).toEqual({ frequency: 2, monetary: 40_000, first: daysAgo(10).getTime(), last: billedAt.getTime() });
    expect(await rfmRow(signUp)).toBeUndefined();

    // Nothing new: nothing written.
    expect((await recomputeRfm(api.db.db, t.tenantId, { asOf: new Date() })).written).toBe(0);
  });

  it('leaves her out of segment totals and audiences', async () => {
    const listing = await segmentListing(api.db.db, t.tenantId);
    expect(listing.segments.reduce((n, s) => n + s.customers, 0)).toBe(t.customers.length + 1);
    expect(listing.segments.reduce((n, s) => n + s.spendFen, 0)).toBe(40_000);
    const everyone = await previewGroup(api.db.db, t.tenantId, {}, new Date());
    expect(everyone.count).toBe(t.customers.length + 1);
    expect(everyone.sample.map((m) => m.customerId)).not.toContain(signUp);
    // Without a row of her own she would look like a customer who never visited.
    const neverVisited = await previewGroup(api.db.db, t.tenantId, { neverVisited: true }, new Date());
    expect(neverVisited.sample.map((m) => m.customerId).sort()).toEqual(t.customers.map((c) => c.id).sort());
  });

  it('qualifies the survivor for a tier with both spends; the sign-up has none', async () => {
    expect(await goldTierQualifiers(api, t, 30_000)).toEqual([[walkIn, 40_000]]);
  });

  it('gives the survivor her visits, spend and favourites in the value analysis and in preferences', async () => {
    const manager = client(api).asManager(t);
    const res = await manager.get(`/staff/customers/${walkIn}/value`);
    expect(res.statusCode, res.body).toBe(200);
    const value = res.json();
    expect([value.paidVisits, value.lifetimeSpendFen, value.firstVisitAt, value.lastVisitAt]).toEqual([
      2,
      40_000,
      daysAgo(10).toISOString(),
      billedAt.toISOString(),
    ]);
    // Her bill's treatment, net of what the refund gave back.
    expect(value.favourites.map((f: { name: string; amountFen: number }) => [f.name, f.amountFen]).sort()).toEqual([
      ['深层补水护理', 30_000],
      ['眼部护理', 10_000],
    ]);
    expect((await manager.get(`/staff/customers/${signUp}/value`)).statusCode).toBe(404);

    await refreshPreferences(api.db.db, t.tenantId, new Date());
    const stats = await queryRows<{ customer_id: string; item_name: string }>(
      api.db.db,
      sql`select customer_id, item_name from customer_item_stats where tenant_id = ${t.tenantId}`,
    );
    expect(stats.map((s) => [s.customer_id, s.item_name]).sort()).toEqual([
      [walkIn, '深层补水护理'],
      [walkIn, '眼部护理'],
    ]);
  });
});
