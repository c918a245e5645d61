import type { SegmentCode } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, type TestApi } from '../../testing/harness.ts';
import { quintileScore, recomputeRfm } from './index.ts';
import { addCustomers, client, DAY_MS, history } from '../../testing/segmentation-support.ts';

/**
 * RFM on hand-built history with known answers: ties on quintile borders, customers who never paid, a
 * reversed spend, package cards (sold and used), visits outside the window — and a second run whose
 * segment changes become transitions.
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

/** An independent reference: the documented rules applied in TypeScript to the plan above. */
function reference(at: Date, plan: Record<string, Visit[]>, extra: Record<string, { visits: number; fen: number }>) {
  const shanghaiDay = (d: Date) => Math.floor((d.getTime() + 8 * 3_600_000) / DAY_MS);
  const people = Object.entries(plan).map(([name, visits]) => {
    const inWindow = visits.filter((v) => daysAgo(v.day, at).getTime() > at.getTime() - 365 * DAY_MS);
    const last = Math.min(...visits.map((v) => v.day));
    return {
      name,
      r: shanghaiDay(at) - shanghaiDay(daysAgo(last, at)),
      f: inWindow.length + (extra[name]?.visits ?? 0),
      m: inWindow.reduce((s, v) => s + v.fen, 0) + (extra[name]?.fen ?? 0),
      first: Math.max(...visits.map((v) => v.day)),
    };
  });
  const rank = (value: (p: (typeof people)[number]) => number, p: (typeof people)[number]) =>
    1 + people.filter((q) => value(q) < value(p)).length;
  return Object.fromEntries(
    people.map((p) => {
      const r = quintileScore(
        rank((q) => -q.r, p),
        people.length,
      );
      const f = quintileScore(
        rank((q) => q.f, p),
        people.length,
      );
      const m = quintileScore(
        rank((q) => q.m, p),
        people.length,
      );
      const firstAt = daysAgo(p.first, at).getTime();
      const segment: SegmentCode =
        firstAt > at.getTime() - 30 * DAY_MS
          ? 'new'
          : r >= 4 && f >= 4 && m >= 4
            ? 'high_value'
            : r >= 4
              ? 'potential'
              : r >= 2 && (f >= 4 || m >= 4)
                ? 'at_risk'
                : r === 1 && (f >= 4 || m >= 4)
                  ? 'potential'
                  : r <= 2 && f <= 2 && m <= 2
                    ? 'dormant'
                    : 'regular';
      return [p.name, { r, f, m, segment, frequency: p.f, monetary: p.m }];
    }),
  );
}

describe('RFM scores and segments', () => {
  it('quintile scores: ⌊5(k−1)/N⌋ + 1', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => quintileScore(k, 10))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(quintileScore(1, 1)).toBe(1);
  });

  it('computes the known answers', async () => {
    const run = await recomputeRfm(api.db.db, t.tenantId, { asOf });
    expect(run).toMatchObject({ customers: 14, scored: 10, transitions: 0 });
    const s = await scores();
    const table = Object.fromEntries(
      Object.entries(s).map(([name, r]) => [
        name,
        [r.frequency, Number(r.monetary_fen), r.r_score, r.f_score, r.m_score, r.segment],
      ]),
    );
    expect(table).toEqual({
      // F, M (fen), R, F, M scores, segment
      C1: [12, 200_000, 5, 5, 5, 'high_value'], // 10 spends + card sold (¥1,000 counted once) + a session used
      C2: [10, 100_000, 5, 5, 5, 'high_value'],
      C3: [8, 80_000, 4, 4, 4, 'high_value'], // R tied with C10 at 10 days: both rank 7 → 4
      C4: [6, 60_000, 3, 4, 4, 'at_risk'], // the reversed ¥500 on day 15 is neither a visit, spend nor recency
      C5: [4, 40_000, 2, 2, 3, 'regular'], // R tied with C6 across the 2|3 border (ranks 4–5): both 2
      C6: [4, 40_000, 2, 2, 3, 'regular'], // F tied 3 ways (ranks 4–6): all 2
      C7: [4, 30_000, 2, 2, 2, 'dormant'],
      C8: [2, 20_000, 1, 2, 2, 'dormant'],
      C9: [0, 0, 1, 1, 1, 'dormant'], // visits only outside the 365-day window
      C10: [1, 10_000, 4, 1, 1, 'new'], // first paid visit 10 days ago
      C11: [0, 0, null, null, null, 'no_purchase'],
      C12: [0, 0, null, null, null, 'new'], // signed up 5 days ago, nothing bought yet
    });
    expect(s.C4?.last_paid_at && new Date(s.C4.last_paid_at).toISOString()).toBe(daysAgo(20).toISOString());
    const expected = reference(asOf, PLAN, { C1: { visits: 2, fen: 100_000 } });
    for (const name of Object.keys(PLAN)) {
      expect([s[name]?.r_score, s[name]?.f_score, s[name]?.m_score, s[name]?.segment]).toEqual([
        expected[name]?.r,
        expected[name]?.f,
        expected[name]?.m,
        expected[name]?.segment,
      ]);
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
      Object.entries(PLAN).map(([name, visits]) => [name, visits.map((v) => ({ ...v, day: v.day + 45 }))]),
    );
    shifted.C7 = [...(shifted.C7 ?? []), { day: 2, fen: 7_500 }, { day: 1, fen: 7_500 }];
    const expected = reference(later, shifted, { C1: { visits: 2, fen: 100_000 } });
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
    expect(again.transitions).toBe(0);
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
    expect(res.json()).toMatchObject({ rfm: { customers: 14, scored: 10 }, tiers: null, preferences: null });
  });
});
