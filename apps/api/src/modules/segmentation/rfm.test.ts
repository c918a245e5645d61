import { SEGMENT_CODES, type SegmentCode } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, type TestApi } from '../../testing/harness.ts';
import { shanghaiDay, shanghaiDayNumber, shanghaiDayNumberOf } from './cadence.ts';
import { quintileScore, recomputeRfm } from './index.ts';
import { addCustomers, client, DAY_MS, history } from '../../testing/segmentation-support.ts';

/**
 * RFM on hand-built history with known answers: ties, customers who never paid, a reversed spend, package
 * cards (sold and used), visits outside the window, customers overdue against their own rhythm — a second run
 * whose segment changes become transitions, and runs that must change nothing.
 */
let api: TestApi;
let t: TenantFixture;
const asOf = new Date(Date.UTC(2030, 5, 30, 4)); // noon in Shanghai
const daysAgo = (n: number, from = asOf) => new Date(from.getTime() - n * DAY_MS);

type Visit = { day: number; fen: number };
const spends = (days: number[], fen = 10_000): Visit[] => days.map((day) => ({ day, fen }));
const every30 = (first: number, count: number) => Array.from({ length: count }, (_, i) => first + 30 * i);

/** Each customer's paid visits (days before asOf); C1 also buys a ¥1,000 card and uses a session. */
const PLAN: Record<string, Visit[]> = {
  C1: spends([2, 60, 90, 120, 150, 180, 210, 240, 270, 300]),
  C2: spends(every30(3, 10)),
  C3: spends(every30(10, 8)),
  C4: spends(every30(20, 6)),
  C5: spends(every30(30, 4)),
  C6: spends(every30(30, 4)),
  C7: spends([200, 230, 260, 290], 7_500),
  C8: spends([250, 280]),
  C9: spends([380, 400]),
  C10: spends([10]),
  // Comes every 10 days and spends well; 25 days now: overdue against her own rhythm, still fairly recent.
  C13: spends(Array.from({ length: 10 }, (_, i) => 25 + 10 * i)),
  // Spent the most, monthly, but gone 150 days: a big spender to win back.
  C14: spends(every30(150, 7), 30_000),
  // Spends big every 90 days; 40 days since the last: on her rhythm, whatever the salon's quintiles say.
  C15: spends([40, 130, 220, 310], 50_000),
};
/** C1's package card: sold 100 days ago (¥1,000), one session used 50 days ago (a visit worth ¥0). */
const CARD_VISITS: Record<string, Visit[]> = {
  C1: [
    { day: 100, fen: 100_000 },
    { day: 50, fen: 0 },
  ],
};
const ids: Record<string, string> = {};

beforeAll(async () => {
  api = await createTestApi({}, { now: () => asOf });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  const names = [...Object.keys(PLAN), 'C11', 'C12'];
  const created = await addCustomers(
    api.db.db,
    t,
    names.map((name) => ({
      name,
      createdAt: name === 'C12' ? daysAgo(5) : name === 'C10' ? daysAgo(12) : daysAgo(500),
    })),
  );
  names.forEach((name, i) => {
    ids[name] = created[i] as string;
  });
  const h = history(api.db.db, t);
  for (const [name, visits] of Object.entries(PLAN)) {
    for (const v of [...visits].sort((a, b) => b.day - a.day)) await h.spend(ids[name]!, v.fen, daysAgo(v.day));
  }
  await h.sellCard(ids.C1!, daysAgo(100));
  await h.useCard(ids.C1!, daysAgo(50));
  // C4's spend on day 15 was keyed in by mistake and reversed the next day: neither a visit nor spend.
  const mistake = await h.spend(ids.C4!, 50_000, daysAgo(15));
  await h.reverse(mistake, daysAgo(14));
}, 60_000);

afterAll(async () => {
  await api?.close();
});

interface Row {
  customer_id: string;
  frequency: number;
  monetary_fen: string | number;
  r_score: number | null;
  f_score: number | null;
  m_score: number | null;
  segment: SegmentCode;
  last_paid_at: Date | null;
}

async function scores(): Promise<Record<string, Row>> {
  const rows = await queryRows<Row>(
    api.db.db,
    sql`select customer_id, frequency, monetary_fen, r_score, f_score, m_score, segment, last_paid_at
        from rfm_scores where tenant_id = ${t.tenantId}`,
  );
  const byId = new Map(rows.map((r) => [r.customer_id, r]));
  return Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, byId.get(id) as Row]));
}

/**
 * An independent reference: the documented rules applied in TypeScript to a plan — dense ranks over distinct
 * values, ⌊5·(d − ½)/D⌋ + 1, the rhythm over distinct visit days, the segment rules in order.
 */
function reference(at: Date, plan: Record<string, Visit[]>) {
  const shanghaiDay = (d: Date) => Math.floor((d.getTime() + 8 * 3_600_000) / DAY_MS);
  const today = shanghaiDay(at);
  const people = Object.entries(plan).map(([name, visits]) => {
    const days = visits.map((v) => shanghaiDay(daysAgo(v.day, at)));
    const inWindow = visits.filter((_, i) => today - (days[i] as number) < 365);
    const distinct = [...new Set(days)];
    const [first, last] = [Math.min(...days), Math.max(...days)];
    const interval = distinct.length >= 2 ? Math.max(1, Math.floor((last - first) / (distinct.length - 1))) : null;
    const r = today - last;
    return {
      name,
      r,
      f: inWindow.length,
      m: inWindow.reduce((s, v) => s + v.fen, 0),
      firstDaysAgo: today - first,
      churn: interval === null ? 'unknown' : r <= interval ? 'low' : r <= 2 * interval ? 'medium' : 'high',
    };
  });
  const score = (value: (p: (typeof people)[number]) => number, p: (typeof people)[number]) => {
    const distinct = [...new Set(people.map(value))].sort((x, y) => x - y);
    return quintileScore(distinct.indexOf(value(p)) + 1, distinct.length);
  };
  return Object.fromEntries(
    people.map((p) => {
      const [r, f, m] = [score((q) => -q.r, p), score((q) => q.f, p), score((q) => q.m, p)];
      const valuable = f >= 4 || m >= 4;
      const overdue = p.churn === 'medium' || p.churn === 'high';
      const segment: SegmentCode =
        p.firstDaysAgo < 30
          ? 'new'
          : valuable && r >= 3 && overdue
            ? 'at_risk'
            : valuable && r <= 2 && p.churn !== 'low'
              ? 'win_back'
              : r >= 4 && f >= 4 && m >= 4
                ? 'high_value'
                : r >= 4
                  ? 'potential'
                  : r <= 2 && f <= 2 && m <= 2
                    ? 'dormant'
                    : 'regular';
      return [p.name, { r, f, m, segment, frequency: p.f, monetary: p.m }];
    }),
  );
}

/** The plan with C1's card visits, as the ledger holds it. */
const withCards = (plan: Record<string, Visit[]>) =>
  Object.fromEntries(Object.entries(plan).map(([name, visits]) => [name, [...visits, ...(CARD_VISITS[name] ?? [])]]));

describe('RFM scores and segments', () => {
  it('quintile scores over distinct values: ⌊5(d − ½)/D⌋ + 1', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((d) => quintileScore(d, 10))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect([1, 2, 3].map((d) => quintileScore(d, 3))).toEqual([1, 3, 5]);
    expect([1, 2].map((d) => quintileScore(d, 2))).toEqual([2, 4]);
    expect(quintileScore(1, 1)).toBe(3);
  });

  it('counts Shanghai days by arithmetic exactly as the time-zone conversion does, around midnight too', async () => {
    // Shanghai midnight is 16:00 UTC: the instants just before, at and after it, and asOf's own noon.
    const instants = [
      '2030-06-29T15:59:59.999999Z',
      '2030-06-29T16:00:00Z',
      '2030-06-29T16:00:00.000001Z',
      asOf.toISOString(),
    ];
    const rows = await queryRows<{ at: string; by_zone: number; by_number: number }>(
      api.db.db,
      sql`select at::text, (${shanghaiDay(sql`at`)} - date '1970-01-01') as by_zone, ${shanghaiDayNumber(sql`at`)} as by_number
          from unnest(${`{${instants.join(',')}}`}::timestamptz[]) as at`,
    );
    expect(rows.map((r) => Number(r.by_number))).toEqual(rows.map((r) => Number(r.by_zone)));
    expect(rows.map((r) => Number(r.by_number))).toEqual([22094, 22095, 22095, 22095]);
    // Milliseconds are all a Date holds; asOf (noon of the same Shanghai day) counts the same.
    expect(shanghaiDayNumberOf(new Date('2030-06-29T15:59:59.999Z'))).toBe(22094);
    expect(shanghaiDayNumberOf(new Date('2030-06-29T16:00:00Z'))).toBe(22095);
    expect(shanghaiDayNumberOf(asOf)).toBe(22095);
  });

  it('computes the known answers', async () => {
    const run = await recomputeRfm(api.db.db, t.tenantId, { asOf });
    expect(run).toMatchObject({ customers: 17, scored: 13, transitions: 0, written: 17 });
    const s = await scores();
    const table = Object.fromEntries(
      Object.entries(s).map(([name, r]) => [
        name,
        [r.frequency, Number(r.monetary_fen), r.r_score, r.f_score, r.m_score, r.segment],
      ]),
    );
    // Distinct values: R (days) 380 250 200 150 40 30 25 20 10 3 2 → 1 1 2 2 3 3 3 4 4 5 5; F 0 1 2 4 6 7 8 10 12
    // → 1 1 2 2 3 4 4 5 5; M (¥) 0 100 200 300 400 600 800 1,000 2,000 2,100 → 1 1 2 2 3 3 4 4 5 5.
    expect(table).toEqual({
      // F, M (fen), R, F, M scores, segment
      C1: [12, 200_000, 5, 5, 5, 'high_value'], // 10 spends + card sold (¥1,000 counted once) + a session used
      C2: [10, 100_000, 5, 5, 4, 'high_value'],
      C3: [8, 80_000, 4, 4, 4, 'high_value'], // R tied with C10 at 10 days: one value, one score
      C4: [6, 60_000, 4, 3, 3, 'potential'], // the reversed ¥500 on day 15 is neither a visit, spend nor recency;
      // 20 days since her last visit is within her monthly rhythm: not 流失风险
      C5: [4, 40_000, 3, 2, 3, 'regular'], // R, F and M tied with C6
      C6: [4, 40_000, 3, 2, 3, 'regular'],
      C7: [4, 30_000, 2, 2, 2, 'dormant'],
      C8: [2, 20_000, 1, 2, 2, 'dormant'],
      C9: [0, 0, 1, 1, 1, 'dormant'], // visits only outside the 365-day window
      C10: [1, 10_000, 4, 1, 1, 'new'], // first paid visit 10 days ago
      C11: [0, 0, null, null, null, 'no_purchase'],
      C12: [0, 0, null, null, null, 'new'], // signed up 5 days ago, nothing bought yet
      C13: [10, 100_000, 3, 5, 4, 'at_risk'], // every 10 days, 25 days since the last: overdue (beyond 2 × 10)
      C14: [7, 210_000, 2, 4, 5, 'win_back'], // the biggest spender, monthly, gone 150 days
      C15: [4, 200_000, 3, 2, 5, 'regular'], // valuable but not overdue: no 流失风险 (rank quintiles said so)
    });
    expect(s.C4?.last_paid_at && new Date(s.C4.last_paid_at).toISOString()).toBe(daysAgo(20).toISOString());
    const expected = reference(asOf, withCards(PLAN));
    for (const name of Object.keys(PLAN)) {
      expect([s[name]?.r_score, s[name]?.f_score, s[name]?.m_score, s[name]?.segment]).toEqual([
        expected[name]?.r,
        expected[name]?.f,
        expected[name]?.m,
        expected[name]?.segment,
      ]);
    }
  });

  it('never contradicts the value page: 流失风险 is overdue there, 高价值 is not', async () => {
    const manager = client(api).asManager(t);
    const s = await scores();
    for (const [name, row] of Object.entries(s)) {
      const res = await manager.get(`/staff/customers/${ids[name]}/value`);
      expect(res.statusCode, res.body).toBe(200);
      const { churnRisk, cadence } = res.json();
      const overdue = churnRisk === 'medium' || churnRisk === 'high';
      const valuable = (row.f_score ?? 0) >= 4 || (row.m_score ?? 0) >= 4;
      if (row.segment === 'at_risk') expect([name, overdue, cadence.overdueDays > 0]).toEqual([name, true, true]);
      if (row.segment === 'high_value') expect([name, overdue]).toEqual([name, false]);
      if (row.segment === 'win_back') expect([name, churnRisk]).not.toEqual([name, 'low']);
      if (valuable && overdue && row.segment !== 'new') {
        expect([name, ['at_risk', 'win_back'].includes(row.segment)]).toEqual([name, true]);
      }
    }
  });

  it('records segment changes as transitions and rewrites only changed rows', async () => {
    const later = new Date(asOf.getTime() + 45 * DAY_MS);
    const h = history(api.db.db, t);
    await h.spend(ids.C7!, 7_500, daysAgo(2, later));
    await h.spend(ids.C7!, 7_500, daysAgo(1, later));
    const before = await scores();
    const run = await recomputeRfm(api.db.db, t.tenantId, { asOf: later });
    const after = await scores();

    const shifted: Record<string, Visit[]> = Object.fromEntries(
      Object.entries(withCards(PLAN)).map(([name, visits]) => [name, visits.map((v) => ({ ...v, day: v.day + 45 }))]),
    );
    shifted.C7 = [...(shifted.C7 ?? []), { day: 2, fen: 7_500 }, { day: 1, fen: 7_500 }];
    const expected = reference(later, shifted);
    for (const name of Object.keys(PLAN)) {
      expect([
        after[name]?.r_score,
        after[name]?.f_score,
        after[name]?.m_score,
        after[name]?.segment,
        after[name]?.frequency,
      ]).toEqual([
        expected[name]?.r,
        expected[name]?.f,
        expected[name]?.m,
        expected[name]?.segment,
        expected[name]?.frequency,
      ]);
    }
    const moved = Object.keys(ids).filter((name) => before[name]?.segment !== after[name]?.segment);
    expect(moved.length).toBeGreaterThan(0);
    expect(run.transitions).toBe(moved.length);
    expect(after.C7?.segment).toBe('potential'); // came back: recent, not yet frequent
    expect(after.C10?.segment).not.toBe('new'); // the first visit is now 55 days ago
    expect(after.C3?.segment).toBe('at_risk'); // monthly, and now 55 days since her last visit
    expect(after.C14?.segment).toBe('win_back');

    const transitions = await queryRows<{
      customer_id: string;
      from_segment: string;
      to_segment: string;
      from_since: Date;
    }>(
      api.db.db,
      sql`select customer_id, from_segment, to_segment, from_since from segment_transitions where tenant_id = ${t.tenantId}`,
    );
    expect(transitions).toHaveLength(moved.length);
    const c7 = transitions.find((x) => x.customer_id === ids.C7);
    expect(c7).toMatchObject({ from_segment: 'dormant', to_segment: 'potential' });
    expect(new Date(c7?.from_since as Date).toISOString()).toBe(asOf.toISOString());

    // Through the API: the transitions are listed and counted, and the segment lists follow.
    const manager = client(api).asManager(t);
    const listed = await manager.get('/staff/segmentation/transitions?fromSegment=dormant&toSegment=potential');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().counts).toEqual([{ fromSegment: 'dormant', toSegment: 'potential', count: 1 }]);
    expect(listed.json().items[0]).toMatchObject({ customerId: ids.C7, customerName: 'C7' });
    const members = await manager.get('/staff/segmentation/segments/potential/customers?limit=50');
    expect(members.statusCode).toBe(200);
    expect(members.json().items.map((m: { customerId: string }) => m.customerId)).toContain(ids.C7);

    // A third run with nothing new changes nothing.
    const again = await recomputeRfm(api.db.db, t.tenantId, { asOf: later });
    expect(again).toMatchObject({ transitions: 0, written: 0 });
  });

  it('scores by the tenant’s thresholds when it sets them', async () => {
    const manager = client(api).asManager(t);
    const bad = await manager.patch('/staff/segmentation/settings/rfm', { method: 'thresholds' });
    expect(bad.statusCode).toBe(400);
    const res = await manager.patch('/staff/segmentation/settings/rfm', {
      method: 'thresholds',
      thresholds: {
        recencyDays: [7, 30, 90, 180],
        frequency: [2, 4, 8, 12],
        monetaryFen: [20_000, 50_000, 100_000, 200_000],
      },
    });
    expect(res.statusCode).toBe(200);
    await recomputeRfm(api.db.db, t.tenantId, { asOf });
    const s = await scores();
    // C1: 2 days, 12 visits, ¥2,000 → 5/5/5. C5: 30 days, 4 visits, ¥400 → 4/3/2. C9: 380 days, none → 1/1/1.
    expect([s.C1?.r_score, s.C1?.f_score, s.C1?.m_score]).toEqual([5, 5, 5]);
    expect([s.C5?.r_score, s.C5?.f_score, s.C5?.m_score]).toEqual([4, 3, 2]);
    expect([s.C9?.r_score, s.C9?.f_score, s.C9?.m_score]).toEqual([1, 1, 1]);
    await manager.patch('/staff/segmentation/settings/rfm', { method: 'quintiles' });
  });

  it('recomputes on demand through the manager route, and only for managers', async () => {
    const c = client(api);
    const denied = await c.send('POST', '/staff/segmentation/recompute', c.staffToken(t, 'beautician'), {
      parts: ['rfm'],
    });
    expect(denied.statusCode).toBe(403);
    const res = await c.asManager(t).post('/staff/segmentation/recompute', { parts: ['rfm'] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ rfm: { customers: 17, scored: 13 }, tiers: null, preferences: null });
  });

  it('lists every segment with its rule in one Chinese sentence, for the manager’s screens', async () => {
    const c = client(api);
    const denied = await c.send('GET', '/staff/segmentation/segments', c.staffToken(t, 'beautician'));
    expect(denied.statusCode).toBe(403);
    const res = await c.asManager(t).get('/staff/segmentation/segments');
    expect(res.statusCode, res.body).toBe(200);
    const listing = res.json() as { segments: { segment: string; label: string; rule: string; customers: number }[] };
    expect(listing.segments.map((x) => x.segment)).toEqual([...SEGMENT_CODES]);
    for (const x of listing.segments)
      expect([x.segment, /^[^a-z]*[\u4e00-\u9fff][^。]*。$/.test(x.rule)]).toEqual([x.segment, true]);
    expect(listing.segments.find((x) => x.segment === 'win_back')).toMatchObject({ label: '重要挽回', customers: 1 });
    expect(listing.segments.find((x) => x.segment === 'new')?.rule).toContain('近30天');
    const total = listing.segments.reduce((sum, x) => sum + x.customers, 0);
    expect(total).toBe(17);
    const dashboard = await c.asManager(t).get('/staff/segmentation/dashboard');
    expect(dashboard.json().segments).toEqual(listing.segments);
  });
});

describe('ties and reruns', () => {
  let u: TenantFixture;
  const people: Record<string, string> = {};
  const run = (at: Date) => recomputeRfm(api.db.db, u.tenantId, { asOf: at });
  const rows = async () =>
    Object.fromEntries(
      (
        await queryRows<{ customer_id: string; r_score: number; f_score: number; m_score: number; segment: string }>(
          api.db.db,
          sql`select customer_id, r_score, f_score, m_score, segment from rfm_scores where tenant_id = ${u.tenantId}`,
        )
      ).map((r) => [r.customer_id, [r.r_score, r.f_score, r.m_score, r.segment]]),
    );

  beforeAll(async () => {
    u = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
    // Six customers share the last visit day (as 67 did in the demo); three came earlier; one came 30 days
    // ago less two hours — new for some hours of today by the clock, never by the calendar.
    const names = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9', 'EDGE'];
    const created = await addCustomers(
      api.db.db,
      u,
      names.map((name) => ({ name, createdAt: daysAgo(400) })),
    );
    names.forEach((name, i) => {
      people[name] = created[i] as string;
    });
    const h = history(api.db.db, u);
    const day: Record<string, number> = { S1: 1, S2: 1, S3: 1, S4: 1, S5: 1, S6: 1, S7: 10, S8: 20, S9: 40 };
    for (const [name, n] of Object.entries(day)) await h.spend(people[name]!, 10_000, daysAgo(n));
    await h.spend(people.EDGE!, 10_000, new Date(daysAgo(30).getTime() + 2 * 3_600_000));
  });

  it('gives the customers who share the last visit day R = 5', async () => {
    await run(asOf);
    const r = await rows();
    expect(['S1', 'S2', 'S3', 'S4', 'S5', 'S6'].map((name) => r[people[name]!]?.[0])).toEqual([5, 5, 5, 5, 5, 5]);
    expect(r[people.S9!]?.[0]).toBe(1);
  });

  it('changes nothing when rerun later the same day with no new transfers', async () => {
    const before = await rows();
    const again = await run(new Date(asOf.getTime() + 5 * 3_600_000)); // 17:00 in Shanghai
    expect(await rows()).toEqual(before);
    expect(again).toMatchObject({ transitions: 0, written: 0 });
  });

  it('moves nobody when a new customer ties with existing values', async () => {
    const before = await rows();
    const [twin] = await addCustomers(api.db.db, u, [{ name: 'S7 的朋友', createdAt: daysAgo(400) }]);
    await history(api.db.db, u).spend(twin as string, 10_000, daysAgo(10)); // the same day and spend as S7
    const again = await run(asOf);
    const after = await rows();
    expect(after[twin as string]).toEqual(after[people.S7!]);
    delete after[twin as string];
    expect(after).toEqual(before);
    expect(again).toMatchObject({ transitions: 0, written: 1 });
  });
});
