import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, type TestApi } from '../../testing/harness.ts';
import { seedCheckoutCatalogue } from '../../testing/checkout-support.ts';
import { evaluateTiers, recomputeRfm } from './index.ts';
import { daysBackStart, rfmAggregate } from './rfm.ts';
import { paidEntryRows, resolveSets } from './spend.ts';
import { addCustomers, client, DAY_MS, history, till } from '../../testing/segmentation-support.ts';

/**
 * A paid visit and net spend, one definition for RFM, tiers and the value analysis — on history posted through
 * checkout's routes and the ledger's operations: voided bills, partial refunds (a line, part of a line's money,
 * every line one by one), a 冲正'd spend, a package-card session as the whole bill, a bill paid with points.
 */
let api: TestApi;
let t: TenantFixture;
let productId: string;
// Checkout posts at the database's clock, so this history is built around the real present: the ledger's own
// operations back-date the older visits, the bills happen now, and the runs look at the moment after.
const start = Date.now();
let asOf = new Date(start);
const daysAgo = (n: number) => new Date(start - n * DAY_MS);
/** When each customer's bill was posted (its transfer's time). */
const billedAt = {} as Record<string, Date>;

const NAMES = ['VOID', 'DORM', 'PART', 'MONEY', 'LINES', 'CARD', 'POINTS', 'REV', 'TWICE'] as const;
const ids = {} as Record<(typeof NAMES)[number], string>;
const cash = (totalFen: number) => [{ method: 'cash', amountFen: totalFen }];
const service = { type: 'service' } as const;

beforeAll(async () => {
  api = await createTestApi();
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  productId = await seedCheckoutCatalogue(api.db.db, t.tenantId, 10);
  const created = await addCustomers(
    api.db.db,
    t,
    NAMES.map((name) => ({ name, createdAt: daysAgo(500) })),
  );
  NAMES.forEach((name, i) => {
    ids[name] = created[i] as string;
  });
  const h = history(api.db.db, t);
  const bills = till(api, t);
  const serviceLine = { ...service, serviceId: t.serviceId }; // 深层补水护理 ¥388

  // A single ¥388 bill, voided.
  const voided = await bills.bill(ids.VOID, [serviceLine], cash);
  await bills.void(voided.id);

  // Dormant: two ¥100 visits 300+ days ago; today a ¥388 bill, voided the same day.
  await h.spend(ids.DORM, 10_000, daysAgo(330));
  await h.spend(ids.DORM, 10_000, daysAgo(300));
  const today = await bills.bill(ids.DORM, [serviceLine], cash);
  await bills.void(today.id);

  // ¥516: the ¥388 service and a ¥128 product; the product comes back.
  const part = await bills.bill(ids.PART, [serviceLine, { type: 'product', productId, unitPriceFen: 12_800 }], cash);
  const product = part.lines.find((l) => l.name === '玻尿酸精华');
  await bills.refund(part.id, [{ lineId: product?.id, quantity: 1 }]);

  // ¥88 of a ¥388 service given back as goodwill.
  const money = await bills.bill(ids.MONEY, [serviceLine], cash);
  await bills.refund(money.id, [{ lineId: money.lines[0]?.id, amountFen: 8_800 }]);

  // Refunded to the end line by line (no void): as good as voided.
  const lines = await bills.bill(ids.LINES, [serviceLine], cash);
  await bills.refund(lines.id, [{ lineId: lines.lines[0]?.id, quantity: 1 }]);

  // A ¥1,000 card 100 days ago; now a bill that is one of its sessions and nothing else (total 0).
  await h.sellCard(ids.CARD, daysAgo(100));
  const [card] = await queryRows<{ id: string }>(
    api.db.db,
    sql`select id from package_cards where tenant_id = ${t.tenantId} and customer_id = ${ids.CARD}`,
  );
  await bills.bill(ids.CARD, [{ type: 'package_session', packageCardId: card?.id, sessions: 1 }], () => []);

  // A ¥388 bill paid entirely with points (1 point = 1 fen).
  const adjusted = await client(api)
    .asManager(t)
    .post(`/staff/customers/${ids.POINTS}/points-adjustments`, { points: 50_000, reason: '老顾客积分补录' });
  expect(adjusted.statusCode, adjusted.body).toBe(201);
  await bills.bill(ids.POINTS, [serviceLine], (total) => [{ method: 'points', points: total }]);

  // A ¥300 spend keyed in by mistake and 冲正'd the next day; a real ¥200 one after.
  const mistake = await h.spend(ids.REV, 30_000, daysAgo(30));
  await h.reverse(mistake, daysAgo(29));
  await h.spend(ids.REV, 20_000, daysAgo(25));

  // Two ¥100 visits at the very same moment (one day, two visits), and one more later.
  await h.spend(ids.TWICE, 10_000, daysAgo(40));
  await h.spend(ids.TWICE, 10_000, daysAgo(40));
  await h.spend(ids.TWICE, 10_000, daysAgo(20));

  const settled = await queryRows<{ customer_id: string; created_at: Date }>(
    api.db.db,
    sql`select customer_id, created_at from transfers where tenant_id = ${t.tenantId} and kind = 'bill'`,
  );
  for (const row of settled) billedAt[row.customer_id] = new Date(row.created_at);
  asOf = new Date();
}, 120_000);

afterAll(async () => {
  await api?.close();
});

/** What each customer should show: paid visits (all time, all in the window here), net spend, last visit. */
const expected = (): Record<(typeof NAMES)[number], { visits: number; spendFen: number; last: Date | null }> => ({
  VOID: { visits: 0, spendFen: 0, last: null },
  DORM: { visits: 2, spendFen: 20_000, last: daysAgo(300) },
  PART: { visits: 1, spendFen: 38_800, last: billedAt[ids.PART] as Date },
  MONEY: { visits: 1, spendFen: 30_000, last: billedAt[ids.MONEY] as Date },
  LINES: { visits: 0, spendFen: 0, last: null },
  CARD: { visits: 2, spendFen: 100_000, last: billedAt[ids.CARD] as Date },
  POINTS: { visits: 1, spendFen: 0, last: billedAt[ids.POINTS] as Date },
  REV: { visits: 1, spendFen: 20_000, last: daysAgo(25) },
  TWICE: { visits: 3, spendFen: 30_000, last: daysAgo(20) },
});

describe('a paid visit and net spend', () => {
  it('RFM: voids and full refunds are no visit, partial refunds lower M, sessions and points are visits', async () => {
    await recomputeRfm(api.db.db, t.tenantId, { asOf });
    const rows = await queryRows<{
      customer_id: string;
      frequency: number;
      monetary_fen: string;
      last_paid_at: Date | null;
      r_score: number | null;
      segment: string;
    }>(
      api.db.db,
      sql`select customer_id, frequency, monetary_fen, last_paid_at, r_score, segment from rfm_scores
          where tenant_id = ${t.tenantId}`,
    );
    const got = Object.fromEntries(
      NAMES.map((name) => {
        const row = rows.find((r) => r.customer_id === ids[name]);
        return [
          name,
          {
            visits: row?.frequency,
            spendFen: Number(row?.monetary_fen),
            last: row?.last_paid_at ? new Date(row.last_paid_at) : null,
          },
        ];
      }),
    );
    expect(got).toEqual(expected());
    const segmentOf = (name: (typeof NAMES)[number]) => rows.find((r) => r.customer_id === ids[name])?.segment;
    expect(segmentOf('VOID')).toBe('no_purchase');
    expect(segmentOf('LINES')).toBe('no_purchase');
    // The bill voided today does not make the dormant customer the most recent one.
    expect(rows.find((r) => r.customer_id === ids.DORM)?.r_score).toBe(1);
  });

  it('RFM counts each visit and each visit day once, as count(distinct …) over the same rows does', async () => {
    const sets = await resolveSets(api.db.db, t.tenantId, asOf.toISOString());
    const windowStart = daysBackStart(asOf, 365);
    const reference = sql`
      select p.customer_id, max(p.created_at) filter (where p.paid) as last_paid_at,
             min(p.created_at) filter (where p.paid) as first_paid_at,
             (count(distinct (p.created_at at time zone 'Asia/Shanghai')::date) filter (where p.paid))::int as visit_days,
             (count(distinct p.id) filter (where p.paid and p.created_at >= ${windowStart}::timestamptz))::int as frequency,
             coalesce(sum(p.amount_fen) filter (where p.created_at >= ${windowStart}::timestamptz), 0)::bigint as monetary_fen
      from ${paidEntryRows(t.tenantId, asOf.toISOString(), undefined, sets)} p group by p.customer_id`;
    const ordered = (q: ReturnType<typeof sql>) => sql`select * from (${q}) x order by customer_id`;
    const got = await queryRows<{ customer_id: string; visit_days: number; frequency: number }>(
      api.db.db,
      ordered(rfmAggregate(t.tenantId, asOf.toISOString(), windowStart, sets)),
    );
    expect(got).toEqual(await queryRows(api.db.db, ordered(reference)));
    const twice = got.find((r) => r.customer_id === ids.TWICE);
    expect([twice?.frequency, twice?.visit_days]).toEqual([3, 2]);
    // PART's bill has a service and a product row, then the product's refund: one visit, one day.
    expect(got.find((r) => r.customer_id === ids.PART)?.frequency).toBe(1);
  });

  it('the value analysis counts the same visits, spend and last visit', async () => {
    const manager = client(api).asManager(t);
    for (const name of NAMES) {
      const res = await manager.get(`/staff/customers/${ids[name]}/value`);
      expect(res.statusCode, res.body).toBe(200);
      const value = res.json();
      const want = expected()[name];
      expect({ visits: value.paidVisits, spendFen: value.lifetimeSpendFen, last: value.lastVisitAt }, name).toEqual({
        ...want,
        last: want.last?.toISOString() ?? null,
      });
    }
    // Favourite items net of refunds: PART's product came back in full, MONEY kept her treatment for less.
    const favourites = async (name: (typeof NAMES)[number]) =>
      (await manager.get(`/staff/customers/${ids[name]}/value`))
        .json()
        .favourites.map((f: { name: string; quantity: number; amountFen: number }) => [
          f.name,
          f.quantity,
          f.amountFen,
        ]);
    expect(await favourites('PART')).toEqual([['深层补水护理', 1, 38_800]]);
    expect(await favourites('MONEY')).toEqual([['深层补水护理', 1, 30_000]]);
    expect(await favourites('LINES')).toEqual([]);
  });

  it('tiers qualify on the same net spend', async () => {
    const put = await client(api)
      .asManager(t)
      .put('/staff/segmentation/tiers', {
        basis: 'spend',
        windowDays: 365,
        levels: [
          { name: '银卡', thresholdFen: 35_000, discountBasisPoints: 200, pointsMultiplierPercent: 100 },
          { name: '金卡', thresholdFen: 40_000, discountBasisPoints: 500, pointsMultiplierPercent: 100 },
        ],
      });
    expect(put.statusCode, put.body).toBe(200);
    await evaluateTiers(api.db.db, t.tenantId, asOf);
    const tiered = await queryRows<{ customer_id: string; name: string; qualifying_fen: string }>(
      api.db.db,
      sql`select ct.customer_id, l.name, ct.qualifying_fen from customer_tiers ct
          join tier_levels l on l.id = ct.tier_id where ct.tenant_id = ${t.tenantId}`,
    );
    const byName = Object.fromEntries(
      NAMES.flatMap((name) => {
        const row = tiered.find((r) => r.customer_id === ids[name]);
        return row ? [[name, [row.name, Number(row.qualifying_fen)]]] : [];
      }),
    );
    // Counted gross, DORM (¥200 + a voided ¥388) and PART (¥516) would be 金卡, VOID and MONEY (¥388) 银卡.
    expect(byName).toEqual({ PART: ['银卡', 38_800], CARD: ['金卡', 100_000] });
  });
});
