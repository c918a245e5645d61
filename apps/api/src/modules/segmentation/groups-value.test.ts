import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, type TestApi } from '../../testing/harness.ts';
import { products, services } from '../catalog/index.ts';
import { getWallet } from '../ledger/index.ts';
import { recomputeSegmentation } from './index.ts';
import { addCustomers, client, DAY_MS, history } from '../../testing/segmentation-support.ts';

/** Custom group rules, customer value analysis and the dashboard on a small salon with known purchases. */
let api: TestApi;
let t: TenantFixture;
const asOf = new Date(Date.UTC(2030, 5, 30, 4));
const daysAgo = (n: number) => new Date(asOf.getTime() - n * DAY_MS);
const ids: Record<string, string> = {};

const HYDRA = '深层补水护理'; // the fixture's service, 面部护理, ¥388
const IPL = '光子嫩肤';
const NECK = '肩颈舒缓按摩';
const SERUM = '玻尿酸保湿精华';
const PRICE: Record<string, number> = { [HYDRA]: 38_800, [IPL]: 128_000, [NECK]: 26_800, [SERUM]: 36_800 };

beforeAll(async () => {
  api = await createTestApi({}, { now: () => asOf });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  await api.db.db.insert(services).values([
    { tenantId: t.tenantId, name: IPL, category: '医美项目', priceFen: PRICE[IPL] as number },
    { tenantId: t.tenantId, name: NECK, category: '身体护理', priceFen: PRICE[NECK] as number },
  ]);
  await api.db.db
    .insert(products)
    .values({ tenantId: t.tenantId, name: SERUM, category: '护肤品', priceFen: PRICE[SERUM] as number });
  const people = [
    { name: 'G1', gender: 'female', birthday: '1990-03-15', tags: ['VIP', '抗衰'], homeStore: 0 },
    { name: 'G2', gender: 'male', birthday: '1985-07-01', tags: [], homeStore: 1 },
    { name: 'G3', gender: 'female', birthday: '2000-03-02', tags: ['VIP'], homeStore: 0 },
    { name: 'G4', gender: 'female', birthday: '1995-11-20', tags: ['敏感肌'], homeStore: 1 },
    { name: 'G5', gender: 'female', birthday: '1992-03-30', tags: ['抗衰'], homeStore: 0 },
    { name: 'G6', gender: 'female', birthday: '1980-08-08', tags: [], homeStore: 0 },
  ] as const;
  const created = await addCustomers(
    api.db.db,
    t,
    people.map((p) => ({ ...p, tags: [...p.tags], createdAt: daysAgo(600) })),
  );
  people.forEach((p, i) => {
    ids[p.name] = created[i] as string;
  });
  const h = history(api.db.db, t);
  const buys: [string, string, number][] = [
    ['G1', HYDRA, 50],
    ['G1', HYDRA, 40],
    ['G1', HYDRA, 30],
    ['G1', IPL, 20],
    ['G1', SERUM, 5],
    ['G2', NECK, 230],
    ['G2', NECK, 200],
    ['G4', HYDRA, 90],
    ['G4', HYDRA, 60],
    ['G4', IPL, 15],
    ['G5', HYDRA, 45],
    ['G5', IPL, 35],
    ['G5', IPL, 25],
    ['G5', SERUM, 8],
    ['G6', HYDRA, 160],
    ['G6', HYDRA, 130],
    ['G6', HYDRA, 100],
    ['G6', HYDRA, 70],
  ];
  for (const [who, item, day] of buys.sort((a, b) => b[2] - a[2])) {
    await h.spend(ids[who] as string, PRICE[item] as number, daysAgo(day), item);
  }
  await recomputeSegmentation(api.db.db, t.tenantId, ['rfm', 'tiers', 'preferences'], asOf);
}, 60_000);

afterAll(async () => {
  await api?.close();
});

const names = (items: { customerId: string }[]) =>
  items.map((i) => Object.entries(ids).find(([, id]) => id === i.customerId)?.[0] ?? 'other').sort();

describe('custom groups', () => {
  const preview = async (rules: unknown) => {
    const res = await client(api).asManager(t).post('/staff/segmentation/groups/preview', { rules });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { count: number; sample: { customerId: string }[] };
  };

  it('matches each rule, and all of them together', async () => {
    expect(names((await preview({ genders: ['male'] })).sample)).toEqual(['G2']);
    expect(names((await preview({ birthdayMonths: [3] })).sample)).toEqual(['G1', 'G3', 'G5']);
    expect(names((await preview({ age: { min: 30, max: 40 } })).sample)).toEqual(['G1', 'G3', 'G4', 'G5']);
    expect(names((await preview({ tagsAny: ['VIP'] })).sample)).toEqual(['G1', 'G3']);
    expect(names((await preview({ tagsAll: ['VIP', '抗衰'] })).sample)).toEqual(['G1']);
    expect(names((await preview({ preferredCategories: ['医美项目'] })).sample)).toEqual(['G5']);
    expect(names((await preview({ preferredCategories: ['身体护理'] })).sample)).toEqual(['G2']);
    expect(names((await preview({ visits: { min: 4 } })).sample)).toEqual(['G1', 'G5', 'G6']);
    expect(names((await preview({ spendFen: { min: 200_000 } })).sample)).toEqual(['G1', 'G4', 'G5']);
    expect(names((await preview({ lastVisitDaysAgo: { min: 60 } })).sample)).toEqual(['G2', 'G6']);
    expect(names((await preview({ storeIds: [t.storeIds[1]] })).sample)).toEqual(['G2', 'G4']);
    const never = await preview({ neverVisited: true });
    expect(never.count).toBe(3); // G3 and the fixture's two customers
    expect(names((await preview({ genders: ['female'], birthdayMonths: [3], tagsAny: ['VIP'] })).sample)).toEqual([
      'G1',
      'G3',
    ]);
    expect((await preview({ tierIds: [null] })).count).toBe(8);
    expect((await preview({})).count).toBe(8);
  });

  it('binds values, never splices them', async () => {
    expect((await preview({ tagsAny: ["x' or '1'='1"] })).count).toBe(0);
    expect((await preview({ preferredCategories: ["面部护理'); drop table customers; --"] })).count).toBe(0);
    const bad = await client(api)
      .asManager(t)
      .post('/staff/segmentation/groups/preview', { rules: { age: { min: 50, max: 20 } } });
    expect(bad.statusCode).toBe(400);
    const unknown = await client(api)
      .asManager(t)
      .post('/staff/segmentation/groups/preview', { rules: { sql: 'true' } });
    expect(unknown.statusCode).toBe(400);
  });

  it('saves a group and evaluates it live', async () => {
    const manager = client(api).asManager(t);
    const created = await manager.post('/staff/segmentation/groups', {
      name: '三月寿星',
      rules: { birthdayMonths: [3] },
    });
    expect(created.statusCode).toBe(201);
    const group = created.json();
    const members = await manager.get(`/staff/segmentation/groups/${group.id}/customers?limit=2`);
    expect(members.json().items).toHaveLength(2);
    const rest = await manager.get(
      `/staff/segmentation/groups/${group.id}/customers?limit=2&cursor=${members.json().nextCursor}`,
    );
    expect(names([...members.json().items, ...rest.json().items])).toEqual(['G1', 'G3', 'G5']);
    // Live: a new customer born in March is a member at once.
    await addCustomers(api.db.db, t, [{ name: 'G7', createdAt: asOf, birthday: '1999-03-08' }]);
    const now = await manager.get(`/staff/segmentation/groups/${group.id}/customers?limit=50`);
    expect(now.json().items).toHaveLength(4);
    const updated = await manager.put(`/staff/segmentation/groups/${group.id}`, {
      name: '三月寿星VIP',
      rules: { birthdayMonths: [3], tagsAny: ['VIP'] },
    });
    expect(updated.json().rules).toEqual({ birthdayMonths: [3], tagsAny: ['VIP'] });
    expect((await manager.get('/staff/segmentation/groups')).json().items).toHaveLength(1);
    expect((await manager.delete(`/staff/segmentation/groups/${group.id}`)).statusCode).toBe(200);
    expect((await manager.get(`/staff/segmentation/groups/${group.id}`)).statusCode).toBe(404);
  });
});

describe('customer value analysis', () => {
  it('shows spend, cadence, churn risk, favourites, balances and recommendations', async () => {
    const c = client(api);
    const res = await c.send('GET', `/staff/customers/${ids.G6}/value`, c.staffToken(t, 'beautician'));
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json();
    expect(v).toMatchObject({
      lifetimeSpendFen: 4 * 38_800,
      paidVisits: 4,
      averageTicketFen: 38_800,
      cadence: { averageIntervalDays: 30, daysSinceLastVisit: 70, overdueDays: 40 },
      churnRisk: 'high',
      credit: { owedFen: 0, overdueFen: 0, frozen: false },
      rfm: { segment: expect.any(String), frequency: 4, monetaryFen: 155_200 },
      tier: { tierId: null },
    });
    expect(v.cadence.expectedNextVisitOn).toBe(daysAgo(40).toISOString().slice(0, 10));
    expect(v.favourites).toEqual([
      expect.objectContaining({ name: HYDRA, type: 'service', category: '面部护理', quantity: 4, amountFen: 155_200 }),
    ]);
    const wallet = await getWallet(api.db.db, t.tenantId, ids.G6 as string, asOf, { verify: false });
    expect(v.balances).toMatchObject({
      principalFen: wallet.principalFen,
      bonusFen: wallet.bonusFen,
      points: wallet.points,
    });
    expect(wallet.principalFen + wallet.bonusFen).toBe(500_000 + 80_000 - 155_200);
    // Of the 4 customers who had 补水, 3 also had 光子嫩肤 and 2 the serum.
    expect(v.recommendations.map((r: { name: string }) => r.name)).toEqual([IPL, SERUM]);
    expect(v.recommendations[0]).toMatchObject({
      basedOn: HYDRA,
      support: { numerator: 3, denominator: 4, basisPoints: 7_500 },
    });
    expect(v.recommendations[0].reason).toContain('3/4');

    const fresh = await c.send('GET', `/staff/customers/${ids.G3}/value`, c.staffToken(t, 'beautician'));
    expect(fresh.json()).toMatchObject({ paidVisits: 0, averageTicketFen: null, churnRisk: 'unknown', favourites: [] });
  });
});

describe('dashboard', () => {
  it('adds up: segments, spend shares, tiers, top customers, stored-value liability', async () => {
    const res = await client(api).asManager(t).get('/staff/segmentation/dashboard?top=3');
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.asOf).toBe(asOf.toISOString());
    const segments = d.segments as {
      customers: number;
      spendFen: number;
      spendShare: { numerator: number; denominator: number };
    }[];
    expect(segments.reduce((s, x) => s + x.customers, 0)).toBe(8);
    const total = segments.reduce((s, x) => s + x.spendFen, 0);
    expect(total).toBe(
      3 * 38_800 + 128_000 + 36_800 + 2 * 26_800 + 2 * 38_800 + 128_000 + 38_800 + 2 * 128_000 + 36_800 + 4 * 38_800,
    );
    for (const s of segments.filter((x) => x.spendFen > 0)) {
      expect(s.spendShare.numerator * total).toBe(s.spendFen * s.spendShare.denominator);
    }
    expect(d.topCustomers.map((x: { customerId: string }) => x.customerId)).toEqual([ids.G5, ids.G1, ids.G4]);
    expect(d.tiers).toEqual([{ tierId: null, name: null, customers: 9 }]);
    let liability = 0;
    for (const id of Object.values(ids)) {
      const w = await getWallet(api.db.db, t.tenantId, id, asOf, { verify: false });
      liability += w.principalFen + w.bonusFen;
    }
    expect(d.storedValueLiability.totalFen).toBe(liability);
    expect(d.storedValueLiability.customers).toBe(5);
  });
});
