import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, type TestApi } from '../../testing/harness.ts';

let api: TestApi;
let t: TenantFixture;
let other: TenantFixture;
let clock = new Date('2026-03-01T04:00:00Z');

const staffToken = (f: TenantFixture, who: 'beautician' | 'manager' | 'owner' = 'beautician') =>
  api.app.jwt.sign({
    kind: 'staff',
    sub: f[who].id,
    tenantId: f.tenantId,
    role: f[who].role,
    storeIds: f[who].storeIds,
  });
const customerToken = (f: TenantFixture, i = 0) =>
  api.app.jwt.sign({ kind: 'customer', sub: f.customers[i]!.id, tenantId: f.tenantId });

async function post(
  url: string,
  payload: unknown,
  opts: { key?: string; who?: 'beautician' | 'manager' | 'owner'; f?: TenantFixture } = {},
) {
  const f = opts.f ?? t;
  return api.app.inject({
    method: 'POST',
    url,
    payload: payload as object,
    headers: { ...bearer(staffToken(f, opts.who)), 'idempotency-key': opts.key ?? randomUUID() },
  });
}

const wallet = async (customer = t.customers[0]!.id) =>
  (
    await api.app.inject({ method: 'GET', url: `/staff/customers/${customer}/wallet`, headers: bearer(staffToken(t)) })
  ).json();

beforeAll(async () => {
  api = await createTestApi({}, { now: () => clock });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  other = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
});

afterAll(async () => {
  await api?.close();
});

describe('top-up and spend', () => {
  it('tops up with the best tier bonus and spends proportionally from principal and bonus', async () => {
    const c = t.customers[0]!.id;
    const top = await post(`/staff/customers/${c}/top-ups`, {
      storeId: t.storeIds[0],
      amountFen: 100_000,
      method: 'cash',
    });
    expect(top.statusCode).toBe(201);
    expect(top.json().wallet).toMatchObject({ principalFen: 100_000, bonusFen: 20_000, totalFen: 120_000 });

    const spend = await post(`/staff/customers/${c}/spends`, {
      storeId: t.storeIds[0],
      amountFen: 60_000,
      items: [{ name: '深层补水护理', quantity: 1, amountFen: 60_000 }],
    });
    expect(spend.statusCode).toBe(201);
    const body = spend.json();
    // 60,000 × 100,000 / 120,000 = 50,000 from principal, 10,000 from bonus.
    expect(body.entries).toEqual(
      expect.arrayContaining([
        { bucket: 'principal', amount: -50_000, balanceAfter: 50_000 },
        { bucket: 'bonus', amount: -10_000, balanceAfter: 10_000 },
        { bucket: 'points', amount: 600, balanceAfter: 600 },
      ]),
    );
    expect(body.wallet).toMatchObject({ principalFen: 50_000, bonusFen: 10_000, points: 600 });
  });

  it('spends by the ledger settings in force when it posts, though the process keeps the ones it read before', async () => {
    const f = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
    const c = f.customers[0]!.id;
    const settle = (ledger: object) =>
      api.db.db.execute(
        sql`update tenants set settings = ${JSON.stringify({ ledger })}::jsonb where id = ${f.tenantId}`,
      );
    const spend = async () => {
      const res = await post(`/staff/customers/${c}/spends`, { storeId: f.storeIds[0], amountFen: 1_200 }, { f });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      const moved = (bucket: string) => body.entries.find((e: { bucket: string }) => e.bucket === bucket)?.amount ?? 0;
      return { principal: moved('principal'), bonus: moved('bonus'), points: body.details.pointsEarned };
    };
    await settle({ pointsPerYuan: 0 });
    expect(
      (
        await post(
          `/staff/customers/${c}/top-ups`,
          { storeId: f.storeIds[0], amountFen: 100_000, method: 'cash' },
          { f },
        )
      ).statusCode,
    ).toBe(201);
    expect(await spend()).toEqual({ principal: -1_000, bonus: -200, points: 0 });
    await settle({ pointsPerYuan: 0, spendRule: 'principal_first' });
    expect(await spend()).toEqual({ principal: -1_200, bonus: 0, points: 0 });
    await settle({ pointsPerYuan: 2, spendRule: 'principal_first' });
    expect(await spend()).toEqual({ principal: -1_200, bonus: 0, points: 24 });
  });

  it('refuses to overdraw with a clear error and writes nothing', async () => {
    const c = t.customers[0]!.id;
    const before = await wallet(c);
    const res = await post(`/staff/customers/${c}/spends`, { storeId: t.storeIds[0], amountFen: before.totalFen + 1 });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('LEDGER_INSUFFICIENT_BALANCE');
    expect(await wallet(c)).toEqual(before);
  });

  it('shows the customer their own entries with store, staff and items, and their chain verifies', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/me/entries?limit=10', headers: bearer(customerToken(t)) });
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    const spendEntry = items.find(
      (e: { kind: string; bucket: string }) => e.kind === 'spend' && e.bucket === 'principal',
    );
    expect(spendEntry).toMatchObject({
      amount: -50_000,
      balanceAfter: 50_000,
      store: { id: t.storeIds[0] },
      staff: { id: t.beautician.id },
    });
    expect(spendEntry.items).toEqual([{ name: '深层补水护理', quantity: 1, amountFen: 60_000 }]);
    const me = await api.app.inject({ method: 'GET', url: '/me/wallet', headers: bearer(customerToken(t)) });
    expect(me.json()).toMatchObject({ principalFen: 50_000, bonusFen: 10_000, chainVerified: true });
  });
});

describe('idempotency', () => {
  it('replays the same request and refuses the same key with another body', async () => {
    const c = t.customers[1]!.id;
    const key = `topup-${randomUUID()}`;
    const payload = { storeId: t.storeIds[0], amountFen: 5_000, method: 'card', cardReference: 'POS-1' };
    const first = await post(`/staff/customers/${c}/top-ups`, payload, { key });
    const again = await post(`/staff/customers/${c}/top-ups`, payload, { key });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().transferId).toBe(first.json().transferId);
    expect((await wallet(c)).principalFen).toBe(5_000);

    const different = await post(`/staff/customers/${c}/top-ups`, { ...payload, amountFen: 6_000 }, { key });
    expect(different.statusCode).toBe(422);
    expect(different.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('answers a replay with the first answer, wallet included, after the wallet moved and the offer ended', async () => {
    const f = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
    const c = f.customers[0]!.id;
    const [offer] = await queryRows<{ id: string }>(
      api.db.db,
      sql`select id from top_up_plans where tenant_id = ${f.tenantId} and pay_fen = 300000`,
    );
    const topUpKey = `offer-${randomUUID()}`;
    const topUp = { storeId: f.storeIds[0], amountFen: 300_000, method: 'cash', planId: offer!.id };
    const topUpFirst = await post(`/staff/customers/${c}/top-ups`, topUp, { key: topUpKey, f });
    expect(topUpFirst.statusCode).toBe(201);
    expect(topUpFirst.json().wallet).toMatchObject({ principalFen: 300_000, bonusFen: 80_000, points: 300 });

    const saleKey = `sale-${randomUUID()}`;
    const sale = { storeId: f.storeIds[0], planId: f.packagePlanId, method: 'stored_value' };
    const saleFirst = await post(`/staff/customers/${c}/package-cards`, sale, { key: saleKey, f });
    expect(saleFirst.statusCode).toBe(201);
    const card = saleFirst.json().details.packageCardId as string;
    const used = await post(
      `/staff/customers/${c}/package-cards/${card}/consumptions`,
      { storeId: f.storeIds[0], sessions: 1 },
      { f },
    );
    expect(used.statusCode).toBe(201);
    await api.db.db.execute(sql`update top_up_plans set active = false where id = ${offer!.id}`);
    // The wallet has moved on since both first answers.
    expect(saleFirst.json().wallet.totalFen).toBeLessThan(topUpFirst.json().wallet.totalFen);
    expect(used.json().wallet.packageCards[0].sessionsLeft).toBeLessThan(
      saleFirst.json().wallet.packageCards[0].sessionsLeft,
    );

    for (const [url, payload, key, first] of [
      [`/staff/customers/${c}/top-ups`, topUp, topUpKey, topUpFirst],
      [`/staff/customers/${c}/package-cards`, sale, saleKey, saleFirst],
    ] as const) {
      const again = await post(url, payload, { key, f });
      expect(again.statusCode).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.json());
    }
  });

  it('turns concurrent requests with one key into one transfer', async () => {
    const c = t.customers[1]!.id;
    const key = `storm-${randomUUID()}`;
    const payload = { storeId: t.storeIds[0], amountFen: 1_000, method: 'cash' };
    const before = (await wallet(c)).principalFen;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => post(`/staff/customers/${c}/top-ups`, payload, { key })),
    );
    expect(results.every((r) => r.statusCode === 200 || r.statusCode === 201)).toBe(true);
    expect(new Set(results.map((r) => r.json().transferId)).size).toBe(1);
    expect((await wallet(c)).principalFen).toBe(before + 1_000);
  });

  it('requires the header on money routes', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: `/staff/customers/${t.customers[1]!.id}/top-ups`,
      payload: { storeId: t.storeIds[0], amountFen: 100, method: 'cash' },
      headers: bearer(staffToken(t)),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });
});

describe('package cards', () => {
  it('sells a card, consumes sessions recognising revenue, and refuses an expired card', async () => {
    const c = t.customers[1]!.id;
    const sold = await post(`/staff/customers/${c}/package-cards`, {
      storeId: t.storeIds[0],
      planId: t.packagePlanId,
      method: 'cash',
    });
    expect(sold.statusCode).toBe(201);
    const card = sold.json().wallet.packageCards[0];
    expect(card).toMatchObject({ sessionsTotal: 10, sessionsLeft: 10, expired: false });

    const used = await post(`/staff/customers/${c}/package-cards/${card.id}/consumptions`, {
      storeId: t.storeIds[0],
      sessions: 3,
    });
    expect(used.statusCode).toBe(201);
    expect(used.json().details.recognisedFen).toBe(30_000);
    expect(used.json().entries).toEqual([{ bucket: 'sessions', amount: -3, balanceAfter: 7 }]);

    const tooMany = await post(`/staff/customers/${c}/package-cards/${card.id}/consumptions`, {
      storeId: t.storeIds[0],
      sessions: 8,
    });
    expect(tooMany.statusCode).toBe(422);

    const saved = clock;
    clock = new Date('2027-06-01T04:00:00Z');
    try {
      const expired = await post(`/staff/customers/${c}/package-cards/${card.id}/consumptions`, {
        storeId: t.storeIds[0],
        sessions: 1,
      });
      expect(expired.statusCode).toBe(422);
      expect(expired.json().error.code).toBe('PACKAGE_CARD_EXPIRED');
    } finally {
      clock = saved;
    }
  });
});

describe('manager-only operations and corrections', () => {
  it('lets only a manager reverse, and a reversal can happen once', async () => {
    const c = t.customers[1]!.id;
    const top = await post(`/staff/customers/${c}/top-ups`, {
      storeId: t.storeIds[0],
      amountFen: 2_000,
      method: 'cash',
    });
    const id = top.json().transferId;
    const byBeautician = await post(`/staff/transfers/${id}/reversal`, { reason: '录错金额' });
    expect(byBeautician.statusCode).toBe(403);
    const before = (await wallet(c)).principalFen;
    const reversed = await post(`/staff/transfers/${id}/reversal`, { reason: '录错金额' }, { who: 'manager' });
    expect(reversed.statusCode).toBe(201);
    expect((await wallet(c)).principalFen).toBe(before - 2_000);
    const twice = await post(`/staff/transfers/${id}/reversal`, { reason: '再冲一次' }, { who: 'manager' });
    expect(twice.statusCode).toBe(422);
    expect(twice.json().error.code).toBe('LEDGER_ALREADY_REVERSED');
  });

  it('refunds a top-up: principal back, bonus forfeited, wallet empty', async () => {
    const c = t.customers[0]!.id;
    const res = await post(
      `/staff/customers/${c}/top-up-refunds`,
      { storeId: t.storeIds[0], method: 'cash', reason: '顾客搬家' },
      { who: 'manager' },
    );
    expect(res.statusCode).toBe(201);
    expect(res.json().details).toMatchObject({ refundFen: 50_000, bonusForfeitedFen: 10_000 });
    expect(res.json().wallet).toMatchObject({ principalFen: 0, bonusFen: 0 });
  });
});

describe('tenant isolation', () => {
  it("staff of another tenant cannot read or move a customer's money", async () => {
    const c = t.customers[1]!.id;
    const read = await api.app.inject({
      method: 'GET',
      url: `/staff/customers/${c}/wallet`,
      headers: bearer(staffToken(other)),
    });
    expect(read.statusCode).toBe(404);
    const move = await post(`/staff/customers/${c}/spends`, { storeId: other.storeIds[0], amountFen: 1 }, { f: other });
    expect(move.statusCode).toBe(404);
    const wrongStore = await post(`/staff/customers/${c}/spends`, { storeId: other.storeIds[0], amountFen: 1 });
    expect(wrongStore.statusCode).toBe(403);
  });
});

describe('append-only and verify', () => {
  it('refuses UPDATE and DELETE of entries and transfers', async () => {
    const { sql } = await import('drizzle-orm');
    const { sqlState } = await import('../../db/pg-errors.ts');
    for (const statement of [
      'update entries set amount = amount + 1',
      'delete from entries',
      "update transfers set memo = 'x'",
      'delete from transfers',
      'truncate entries cascade',
    ]) {
      const error = await api.db.db.execute(sql.raw(statement)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(sqlState(error), statement).toBe('LDAPP');
    }
  });

  it('verify passes on an honest ledger and names the entry a superuser edited', async () => {
    const ok = await api.app.inject({
      method: 'GET',
      url: '/staff/ledger/verify',
      headers: bearer(staffToken(t, 'manager')),
    });
    expect(ok.json()).toMatchObject({ ok: true, problems: [] });

    const { queryRows } = await import('../../db/database.ts');
    const { sql } = await import('drizzle-orm');
    const [victim] = await queryRows<{ id: number }>(
      api.db.db,
      sql`select e.id from entries e join accounts a on a.id = e.account_id where a.customer_id = ${t.customers[1]!.id} and a.kind = 'stored_principal' order by e.id limit 1`,
    );
    await api.db.db.transaction(async (tx) => {
      await tx.execute(sql`alter table entries disable trigger entries_append_only`);
      await tx.execute(sql`update entries set amount = amount + 100 where id = ${victim!.id}`);
      await tx.execute(sql`alter table entries enable trigger entries_append_only`);
    });
    const broken = await api.app.inject({
      method: 'GET',
      url: '/staff/ledger/verify',
      headers: bearer(staffToken(t, 'manager')),
    });
    const report = broken.json();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ check: 'hash_chain', entryId: victim!.id })]),
    );
    const me = await api.app.inject({ method: 'GET', url: '/me/wallet', headers: bearer(customerToken(t, 1)) });
    expect(me.json().chainVerified).toBe(false);
  });
});
