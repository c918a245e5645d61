/**
 * The ledger under concurrent load, through the real HTTP routes on real PostgreSQL: parallel debits of one
 * account that together exceed its balance, concurrent top-ups, spends and redemptions across customers, and
 * storms of retried requests under a few Idempotency-Keys. After each: a bank-style check — no balance ever
 * went below zero, every balance equals its entries, versions are gap-free, every unit sums to zero — and
 * verifyLedger reports no problem.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, testConfig } from '../../testing/harness.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/postgres.ts';
import { customers } from '../customers/index.ts';
import { verifyLedger } from './verify.ts';

let app: FastifyInstance;
let database: TestDatabase;

beforeAll(async () => {
  // More connections than the default 10, so more postings really run at the same time in PostgreSQL.
  database = await createTestDatabase(inject('templateDatabase'), 32);
  app = await buildApp({ config: testConfig(), database });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await database?.destroy();
});

const db = () => database.db;

interface Response {
  status: number;
  body: {
    transferId: number;
    entries: { bucket: string; amount: number; balanceAfter: number }[];
    details: Record<string, unknown>;
    wallet: { principalFen: number; bonusFen: number; points: number } | null;
    error?: { code: string };
  };
  replayed: string | undefined;
}

function client(f: TenantFixture) {
  const token = app.jwt.sign({
    kind: 'staff',
    sub: f.owner.id,
    tenantId: f.tenantId,
    role: f.owner.role,
    storeIds: f.owner.storeIds,
  });
  return {
    async post(url: string, payload: object, key = `k-${randomUUID()}`): Promise<Response> {
      const res = await app.inject({
        method: 'POST',
        url,
        payload,
        headers: { ...bearer(token), 'idempotency-key': key },
      });
      return {
        status: res.statusCode,
        body: res.json(),
        replayed: res.headers['idempotent-replayed'] as string | undefined,
      };
    },
    async wallet(customerId: string) {
      const res = await app.inject({
        method: 'GET',
        url: `/staff/customers/${customerId}/wallet`,
        headers: bearer(token),
      });
      expect(res.statusCode).toBe(200);
      return res.json() as { principalFen: number; bonusFen: number; points: number; chainVerified: boolean };
    },
  };
}

async function moreCustomers(f: TenantFixture, n: number): Promise<string[]> {
  const rows = await db()
    .insert(customers)
    .values(Array.from({ length: n }, (_, i) => ({ tenantId: f.tenantId, name: `并发顾客${i}` })))
    .returning({ id: customers.id });
  return [...f.customers.map((c) => c.id), ...rows.map((r) => r.id)];
}

/**
 * The bank-style checker over one tenant: every materialised account's entries have versions 1..n without a
 * gap, a balance that never went past zero on the wrong side at any version, and a sum equal to the balance;
 * every transfer and the whole tenant sum to zero per unit; verifyLedger (hash chains, lots, …) is clean.
 */
async function checkTenant(tenantId: string) {
  const accounts = await queryRows<{
    id: number;
    kind: string;
    balance: number;
    version: number;
    total: number;
    versions: number[];
    never_overdrawn: boolean;
  }>(
    db(),
    sql`select a.id, a.kind, a.balance, a.version, coalesce(sum(e.amount), 0)::bigint as total,
               coalesce(array_agg(e.account_version::int order by e.account_version) filter (where e.id is not null), '{}') as versions,
               coalesce(bool_and(case when a.normal_side = 'credit' then e.balance_after <= 0 else e.balance_after >= 0 end), true)
                 as never_overdrawn
        from accounts a left join entries e on e.account_id = a.id
        where a.tenant_id = ${tenantId} and a.materialized
        group by a.id`,
  );
  for (const a of accounts) {
    const label = `account ${a.id} (${a.kind})`;
    expect(a.versions, `${label}: versions gap-free`).toEqual(
      Array.from({ length: a.versions.length }, (_, i) => i + 1),
    );
    expect(Number(a.version), `${label}: version`).toBe(a.versions.length);
    expect(Number(a.balance), `${label}: balance equals entries`).toBe(Number(a.total));
    expect(a.never_overdrawn, `${label}: never overdrawn`).toBe(true);
  }
  const unbalanced = await queryRows<{ transfer_id: number | null; unit: string }>(
    db(),
    sql`select transfer_id, unit from entries where tenant_id = ${tenantId} group by grouping sets ((transfer_id, unit), (unit))
        having sum(amount) <> 0`,
  );
  expect(unbalanced).toEqual([]);
  const report = await verifyLedger(db(), tenantId);
  expect(report.problems).toEqual([]);
  expect(report.ok).toBe(true);
}

/** Sum of the entries of a house account (house accounts keep no balance row). */
async function houseTotal(tenantId: string, kind: string): Promise<number> {
  const [row] = await queryRows<{ total: number }>(
    db(),
    sql`select coalesce(sum(e.amount), 0)::bigint as total from entries e join accounts a on a.id = e.account_id
        where a.tenant_id = ${tenantId} and a.kind = ${kind}`,
  );
  return Number(row?.total ?? 0);
}

const proportional = (total: number, p: number, b: number) => {
  const principal = Math.max(Math.min(Math.round((total * p) / (p + b)), p), total - b);
  return { principal, bonus: total - principal };
};

describe('parallel debits of one account', () => {
  it('lets exactly the affordable 40 of 60 parallel spends through, split on the balances under the lock', async () => {
    const f = await createTenantFixture(db(), testConfig().WECHAT_CUSTOMER_APPID);
    const api = client(f);
    const c = f.customers[0]!.id;
    const store = f.storeIds[0];
    // 8,000 principal + 2,000 bonus = 10,000 fen: 40 spends of 250.
    expect(
      (await api.post(`/staff/customers/${c}/top-ups`, { storeId: store, amountFen: 8_000, method: 'cash' })).status,
    ).toBe(201);
    expect(
      (
        await api.post(`/staff/customers/${c}/stored-value-adjustments`, {
          account: 'bonus',
          amountFen: 2_000,
          reason: '开业赠送',
        })
      ).status,
    ).toBe(201);

    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        api.post(`/staff/customers/${c}/spends`, { storeId: store, amountFen: 250 }, `drain-${i}-${randomUUID()}`),
      ),
    );
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(ok).toHaveLength(40);
    expect(refused).toHaveLength(20);
    for (const r of refused) {
      expect(r.status).toBe(422);
      expect(r.body.error?.code).toBe('LEDGER_INSUFFICIENT_BALANCE');
    }
    expect(new Set(ok.map((r) => r.body.transferId)).size).toBe(40);

    const wallet = await api.wallet(c);
    expect(wallet).toMatchObject({ principalFen: 0, bonusFen: 0, points: 40 * 2, chainVerified: true });

    // Replaying the spends in the order they took the lock, each split is the proportional rule applied to the
    // balances left by the one before: no spend saw a stale balance.
    const spends = await queryRows<{ transfer_id: number; kind: string; amount: number }>(
      db(),
      sql`select e.transfer_id, a.kind, e.amount from entries e join accounts a on a.id = e.account_id
          join transfers t on t.id = e.transfer_id
          where a.customer_id = ${c} and t.kind = 'spend' and a.kind in ('stored_principal', 'stored_bonus')
          order by e.id`,
    );
    const byTransfer = new Map<number, { principal: number; bonus: number }>();
    for (const e of spends) {
      const split = byTransfer.get(e.transfer_id) ?? { principal: 0, bonus: 0 };
      if (e.kind === 'stored_principal') split.principal += Number(e.amount);
      else split.bonus += Number(e.amount);
      byTransfer.set(e.transfer_id, split);
    }
    expect(byTransfer.size).toBe(40);
    let p = 8_000;
    let b = 2_000;
    const held: number[] = [];
    for (const split of byTransfer.values()) {
      expect(split).toEqual(proportional(250, p, b));
      p -= split.principal;
      b -= split.bonus;
      held.push(p + b);
    }
    expect(held).toEqual(Array.from({ length: 40 }, (_, i) => 10_000 - 250 * (i + 1)));
    await checkTenant(f.tenantId);
  });
});

describe('concurrent top-ups, spends and redemptions on several customers', () => {
  it('conserves money and points: every customer ends with exactly what the accepted requests say', async () => {
    const f = await createTenantFixture(db(), testConfig().WECHAT_CUSTOMER_APPID);
    const api = client(f);
    const ids = await moreCustomers(f, 3);
    const store = f.storeIds[0];
    for (const c of ids) {
      expect(
        (await api.post(`/staff/customers/${c}/top-ups`, { storeId: store, amountFen: 20_000, method: 'cash' })).status,
      ).toBe(201);
    }
    // A fixed pseudo-random mix, so a failure can be rerun as it was.
    let seed = 20_260_301;
    const rand = (n: number) => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) % n;
    };
    const ops = Array.from({ length: 240 }, () => {
      const c = rand(ids.length);
      const roll = rand(100);
      if (roll < 25) {
        // Mostly small top-ups; one in eight reaches the ¥1,000 offer (+¥200 bonus).
        const amountFen = rand(8) === 0 ? 100_000 : 1_000 + rand(9_000);
        return { c, op: 'top-up' as const, amountFen, method: rand(2) ? ('cash' as const) : ('card' as const) };
      }
      if (roll < 90) return { c, op: 'spend' as const, amountFen: 1_000 + rand(15_000) };
      return { c, op: 'redeem' as const, points: 1 + rand(80) };
    });
    const results = await Promise.all(
      ops.map((o) => {
        const base = `/staff/customers/${ids[o.c]}`;
        if (o.op === 'top-up')
          return api.post(`${base}/top-ups`, { storeId: store, amountFen: o.amountFen, method: o.method });
        if (o.op === 'spend') return api.post(`${base}/spends`, { storeId: store, amountFen: o.amountFen });
        return api.post(`${base}/points-redemptions`, { storeId: store, points: o.points });
      }),
    );

    const expected = ids.map(() => ({ stored: 20_000, points: 0 }));
    let cash = 20_000 * ids.length;
    let card = 0;
    let revenue = 0;
    let accepted = 0;
    for (const [i, o] of ops.entries()) {
      const r = results[i]!;
      if (r.status !== 201) {
        expect({ status: r.status, code: r.body.error?.code }, `${o.op} refused`).toEqual({
          status: 422,
          code: 'LEDGER_INSUFFICIENT_BALANCE',
        });
        expect(o.op, 'top-ups are never refused').not.toBe('top-up');
        continue;
      }
      accepted++;
      const e = expected[o.c]!;
      if (o.op === 'top-up') {
        e.stored += o.amountFen + Number(r.body.details.bonusFen);
        if (o.method === 'cash') cash += o.amountFen;
        else card += o.amountFen;
      } else if (o.op === 'spend') {
        e.stored -= o.amountFen;
        e.points += Number(r.body.details.pointsEarned);
        expect(r.body.details.pointsEarned).toBe(Math.floor(o.amountFen / 100));
        revenue += o.amountFen;
      } else {
        e.points -= o.points;
        revenue += o.points; // one point is worth one fen by default
      }
    }
    // The mix must really have contended: both outcomes happened.
    expect(accepted).toBeGreaterThan(60);
    expect(accepted).toBeLessThan(ops.length);
    for (const [i, c] of ids.entries()) {
      const w = await api.wallet(c);
      expect({ stored: w.principalFen + w.bonusFen, points: w.points }, `customer ${i}`).toEqual(expected[i]);
      expect(w.chainVerified).toBe(true);
    }
    expect(await houseTotal(f.tenantId, 'cash')).toBe(cash);
    expect(await houseTotal(f.tenantId, 'card_clearing')).toBe(card);
    expect(await houseTotal(f.tenantId, 'service_revenue')).toBe(-revenue);
    await checkTenant(f.tenantId);
  });
});

describe('retry storms', () => {
  it('turns 200 concurrent requests over 10 Idempotency-Keys into exactly 10 transfers', async () => {
    const f = await createTenantFixture(db(), testConfig().WECHAT_CUSTOMER_APPID);
    const api = client(f);
    const [a, b] = [f.customers[0]!.id, f.customers[1]!.id];
    const store = f.storeIds[0];
    expect(
      (await api.post(`/staff/customers/${b}/top-ups`, { storeId: store, amountFen: 50_000, method: 'card' })).status,
    ).toBe(201);
    const requests = Array.from({ length: 10 }, (_, k) => ({
      key: `storm-${k}-${randomUUID()}`,
      ...(k < 5
        ? {
            url: `/staff/customers/${a}/top-ups`,
            payload: { storeId: store, amountFen: 1_000 * (k + 1), method: 'cash' },
          }
        : { url: `/staff/customers/${b}/spends`, payload: { storeId: store, amountFen: 700 * (k - 4) } }),
    }));
    const storm = Array.from({ length: 200 }, (_, i) => requests[i % 10]!);
    // Shuffle so duplicates of one key arrive interleaved with the others.
    for (let i = storm.length - 1; i > 0; i--) {
      const j = (i * 7_919) % (i + 1);
      [storm[i], storm[j]] = [storm[j]!, storm[i]!];
    }
    const results = await Promise.all(storm.map((r) => api.post(r.url, r.payload, r.key)));

    const answers = new Map<string, Response[]>();
    for (const [i, r] of storm.entries()) answers.set(r.key, [...(answers.get(r.key) ?? []), results[i]!]);
    for (const [key, rs] of answers) {
      expect(rs).toHaveLength(20);
      for (const r of rs) expect([200, 201], `${key}: ${JSON.stringify(r.body)}`).toContain(r.status);
      // Every retry gets the one transfer, with the same entries and details.
      const first = rs[0]!.body;
      for (const r of rs) {
        expect(r.body.transferId).toBe(first.transferId);
        expect(r.body.entries).toEqual(first.entries);
        expect(r.body.details).toEqual(first.details);
      }
    }
    const [count] = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from transfers where tenant_id = ${f.tenantId}
          and idempotency_key = any(${`{${requests.map((r) => r.key).join(',')}}`}::text[])`,
    );
    expect(count?.n).toBe(10);
    const [all] = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from transfers where tenant_id = ${f.tenantId}`,
    );
    expect(all?.n).toBe(11);
    expect((await api.wallet(a)).principalFen).toBe(1_000 * (1 + 2 + 3 + 4 + 5));
    const wb = await api.wallet(b);
    expect(wb.principalFen + wb.bonusFen).toBe(50_000 - 700 * (1 + 2 + 3 + 4 + 5));
    await checkTenant(f.tenantId);
  });

  // Every retry passes the route's look-up of the key before any of them commits; ledger_post's claim decides
  // which one posted, and only that one may say it created the transfer.
  it('answers 201 to exactly one of concurrent duplicates and 200 (replayed) to the rest', async () => {
    const f = await createTenantFixture(db(), testConfig().WECHAT_CUSTOMER_APPID);
    const api = client(f);
    const key = `dup-${randomUUID()}`;
    const url = `/staff/customers/${f.customers[0]!.id}/top-ups`;
    const payload = { storeId: f.storeIds[0], amountFen: 1_000, method: 'cash' };
    const rs = await Promise.all(Array.from({ length: 20 }, () => api.post(url, payload, key)));
    expect(new Set(rs.map((r) => r.body.transferId)).size).toBe(1);
    expect(rs.filter((r) => r.status === 201 && r.replayed === 'false')).toHaveLength(1);
    expect(rs.filter((r) => r.status === 200 && r.replayed === 'true')).toHaveLength(19);
  });

  it('gives concurrent retries of a reversal, a refund, a last-sessions consumption and a card transfer one answer, and one 201', async () => {
    const f = await createTenantFixture(db(), testConfig().WECHAT_CUSTOMER_APPID);
    const api = client(f);
    const [a, b] = [f.customers[0]!.id, f.customers[1]!.id];
    const store = f.storeIds[0];
    expect(
      (await api.post(`/staff/customers/${a}/top-ups`, { storeId: store, amountFen: 30_000, method: 'cash' })).status,
    ).toBe(201);
    const sold = await api.post(`/staff/customers/${b}/package-cards`, {
      storeId: store,
      planId: f.packagePlanId,
      method: 'card',
    });
    const sold2 = await api.post(`/staff/customers/${b}/package-cards`, {
      storeId: store,
      planId: f.packagePlanId,
      method: 'card',
    });
    expect([sold.status, sold2.status]).toEqual([201, 201]);
    const card1 = sold.body.details.packageCardId as string;
    const card2 = sold2.body.details.packageCardId as string;

    const reversible = await api.post(`/staff/customers/${b}/top-ups`, {
      storeId: store,
      amountFen: 500,
      method: 'cash',
    });
    expect(reversible.status).toBe(201);

    const cases = [
      { url: `/staff/transfers/${reversible.body.transferId}/reversal`, payload: { reason: '录错金额' } },
      { url: `/staff/customers/${a}/top-up-refunds`, payload: { storeId: store, method: 'cash', reason: '顾客搬家' } },
      { url: `/staff/customers/${b}/package-cards/${card1}/consumptions`, payload: { storeId: store, sessions: 10 } },
      {
        url: `/staff/customers/${b}/package-cards/${card2}/transfers`,
        payload: { toCustomerId: a, reason: '转给家人' },
      },
    ];
    const failures: string[] = [];
    for (const c of cases) {
      const key = `retry-${randomUUID()}`;
      const rs = await Promise.all(Array.from({ length: 12 }, () => api.post(c.url, c.payload, key)));
      const answers = new Set(
        rs.map((r) => (r.status < 300 ? `transfer ${r.body.transferId}` : `${r.status} ${r.body.error?.code}`)),
      );
      if (answers.size !== 1 || !rs.every((r) => r.status < 300)) failures.push(`${c.url}: ${[...answers].join(', ')}`);
      const created = rs.filter((r) => r.status === 201 && r.replayed === 'false').length;
      const replayed = rs.filter((r) => r.status === 200 && r.replayed === 'true').length;
      if (created !== 1 || replayed !== rs.length - 1)
        failures.push(`${c.url}: ${created} created, ${replayed} replayed`);
    }
    expect(failures).toEqual([]);
    await checkTenant(f.tenantId);
  });
});
