import { randomUUID } from 'node:crypto';
import type { Entry } from '@lumi/shared';
import { startWechatSim, type WechatSim } from '@lumi/wechat-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditClient } from '../../testing/credit-support.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, staffTokenFor, type TestApi } from '../../testing/harness.ts';
import { verifyLedger } from '../ledger/index.ts';

let sim: WechatSim;
let api: TestApi;
let t: TenantFixture;
let appId: string;

beforeAll(async () => {
  sim = await startWechatSim({ port: 0, timeScale: 0.001 });
  api = await createTestApi({ WECHAT_API_BASE: sim.url, WECHAT_TIMEOUT_MS: '5000', LOG_LEVEL: 'error' });
  appId = api.config.WECHAT_CUSTOMER_APPID;
  t = await createTenantFixture(api.db.db, appId);
});

afterAll(async () => {
  await api?.close();
  await sim?.close();
});

const call = (method: 'GET' | 'POST', url: string, token?: string, payload?: unknown) =>
  api.app.inject({
    method,
    url,
    headers: { ...(token ? bearer(token) : {}), ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}) },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const manager = () => staffTokenFor(api.app, t, 'manager');
const ok = async (method: 'GET' | 'POST', url: string, payload?: unknown, token = manager()) => {
  const res = await call(method, url, token, payload);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
};

const openid = () => `o${randomUUID().replace(/-/g, '').slice(0, 27)}`;
let phoneCounter = 0;
const newPhone = () => `1391${String(process.pid % 1000).padStart(3, '0')}${String(phoneCounter++).padStart(4, '0')}`;

async function signIn() {
  const { code } = sim.issueLoginCode(appId, openid());
  const res = await call('POST', '/auth/customer/wechat', undefined, { tenant: t.slug, code });
  expect(res.statusCode).toBe(200);
  return res.json() as { accessToken: string; customer: { id: string } };
}

const bindPhone = (token: string, phone: string) =>
  api.app.inject({
    method: 'POST',
    url: '/me/phone',
    headers: bearer(token),
    payload: { code: sim.issuePhoneCode(appId, phone).code },
  });

/** A customer's buckets straight from her accounts (customer's side: + held). */
async function holdings(customerId: string) {
  const { rows } = await api.db.rawQuery(
    `select kind, coalesce(sum(-balance), 0)::bigint as held from accounts
     where tenant_id = $1 and customer_id = $2 group by kind`,
    [t.tenantId, customerId],
  );
  const of = (kind: string) =>
    Number((rows as { kind: string; held: string }[]).find((r) => r.kind === kind)?.held ?? 0);
  return {
    principal: of('stored_principal'),
    bonus: of('stored_bonus'),
    points: of('points'),
    sessions: of('package_sessions'),
  };
}

async function tenantLiabilities() {
  const { rows } = await api.db.rawQuery(
    `select kind, sum(balance)::bigint as total from accounts where tenant_id = $1 and owner = 'customer' group by kind order by kind`,
    [t.tenantId],
  );
  return rows;
}

/** Both sides with money: the counter member (top-up, points) and the WeChat sign-up (top-up, bonus, points, a card). */
async function twoSignUpsWithMoney() {
  const store = t.storeIds[0];
  const phone = newPhone();
  const front = await ok('POST', '/staff/customers', { phone, name: '周女士' });
  await ok('POST', `/staff/customers/${front.id}/top-ups`, { storeId: store, amountFen: 100_000, method: 'cash' });
  await ok('POST', `/staff/customers/${front.id}/points-adjustments`, { points: 120, reason: '开业积分' });

  const signUp = await signIn();
  const me = signUp.customer.id;
  await ok('POST', `/staff/customers/${me}/top-ups`, { storeId: store, amountFen: 50_000, method: 'cash' });
  await ok('POST', `/staff/customers/${me}/stored-value-adjustments`, {
    account: 'bonus',
    amountFen: 8_000,
    reason: '活动赠送',
  });
  await ok('POST', `/staff/customers/${me}/points-adjustments`, { points: 300, reason: '注册赠送积分' });
  await ok('POST', `/staff/customers/${me}/package-cards`, {
    storeId: store,
    planId: t.packagePlanId,
    method: 'cash',
  });
  return { phone, front: front.id as string, signUp };
}

describe('merging a WeChat sign-up into the counter member when both hold money', () => {
  it('moves principal, bonus, points lots and cards through one customer_merge transfer, nothing duplicated', async () => {
    const { phone, front, signUp } = await twoSignUpsWithMoney();
    const frontBefore = await holdings(front);
    const signUpBefore = await holdings(signUp.customer.id);
    expect(signUpBefore.points).toBe(300);
    expect(signUpBefore.sessions).toBeGreaterThan(0);
    const lotsBefore = await api.db.rawQuery(
      'select remaining, expires_at from points_lots where customer_id = $1 and remaining > 0 order by expires_at',
      [signUp.customer.id],
    );
    const liabilitiesBefore = await tenantLiabilities();

    const bound = await bindPhone(signUp.accessToken, phone);
    expect(bound.statusCode, bound.body).toBe(200);
    expect(bound.json()).toMatchObject({ merged: true, customer: { id: front } });

    // The survivor holds the sum of both, bucket by bucket; the sign-up holds nothing.
    const after = await holdings(front);
    expect(after).toEqual({
      principal: frontBefore.principal + signUpBefore.principal,
      bonus: frontBefore.bonus + signUpBefore.bonus,
      points: frontBefore.points + signUpBefore.points,
      sessions: frontBefore.sessions + signUpBefore.sessions,
    });
    expect(await holdings(signUp.customer.id)).toEqual({ principal: 0, bonus: 0, points: 0, sessions: 0 });
    // What the salon owes its customers did not change by a fen, a point or a session.
    expect(await tenantLiabilities()).toEqual(liabilitiesBefore);

    // One transfer, keyed by the sign-up, naming both.
    const { rows: merges } = await api.db.rawQuery(
      "select customer_id, idempotency_key, details from transfers where tenant_id = $1 and kind = 'customer_merge' and reference_id = $2",
      [t.tenantId, signUp.customer.id],
    );
    expect(merges).toHaveLength(1);
    expect(merges[0]).toMatchObject({
      customer_id: front,
      idempotency_key: `merge/${signUp.customer.id}`,
      details: {
        fromCustomerId: signUp.customer.id,
        principalFen: signUpBefore.principal,
        bonusFen: 8_000,
        points: 300,
      },
    });
    // Her points keep their expiry; her card is the survivor's now, same sessions left.
    const { rows: lots } = await api.db.rawQuery(
      'select remaining, expires_at from points_lots where customer_id = $1 and earned_transfer_id in (select id from transfers where kind = $2) order by expires_at',
      [front, 'customer_merge'],
    );
    expect(lots).toEqual(lotsBefore.rows);
    const wallet = (await call('GET', '/me/wallet', bound.json().accessToken)).json();
    expect(wallet.packageCards.reduce((n: number, c: { sessionsLeft: number }) => n + c.sessionsLeft, 0)).toBe(
      after.sessions,
    );
    // The merge is in the survivor's history, in words.
    const entries = (await call('GET', '/me/entries?limit=100', bound.json().accessToken)).json();
    expect(entries.items.some((e: { kind: string }) => e.kind === 'customer_merge')).toBe(true);
    const { rows: audits } = await api.db.rawQuery(
      "select after from audit_log where tenant_id = $1 and action = 'customer.merged' and subject_id = $2",
      [t.tenantId, front],
    );
    expect((audits[0] as { after: unknown } | undefined)?.after).toMatchObject({
      moved: { principalFen: signUpBefore.principal, points: 300 },
    });
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });

  it('moves the money once when the same sign-up binds twice at the same moment', async () => {
    const { phone, front, signUp } = await twoSignUpsWithMoney();
    const signUpBefore = await holdings(signUp.customer.id);
    const frontBefore = await holdings(front);
    const [a, b] = await Promise.all([bindPhone(signUp.accessToken, phone), bindPhone(signUp.accessToken, phone)]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses[0]).toBe(200);
    expect(statuses[1]).not.toBe(200);
    expect(statuses[1]).toBeLessThan(500);
    expect((await holdings(front)).principal).toBe(frontBefore.principal + signUpBefore.principal);
    const { rows } = await api.db.rawQuery(
      "select count(*)::int as n from transfers where kind = 'customer_merge' and reference_id = $1",
      [signUp.customer.id],
    );
    expect(rows[0]).toEqual({ n: 1 });
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });

  it('moves what the sign-up owes on credit, with its instalments, to the survivor: one debt, one limit', async () => {
    const c = creditClient(api);
    const phone = newPhone();
    const front = await ok('POST', '/staff/customers', { phone, name: '吴女士' });
    await c.setLimit(t, front.id, 30_000);
    expect((await c.sale(t, front.id, { amountFen: 5_000, dueDate: '2099-01-01' })).statusCode).toBe(201);
    const signUp = await signIn();
    const me = signUp.customer.id;
    await c.setLimit(t, me, 50_000);
    // ¥120 in three monthly instalments of ¥40; she pays the first one.
    const sale = await c.sale(t, me, { amountFen: 12_000, instalments: { count: 3, firstDueDate: '2099-02-01' } });
    expect(sale.statusCode, sale.body).toBe(201);
    expect((await c.repay(t, me, { amountFen: 4_000 })).statusCode).toBe(201);
    const liabilitiesBefore = await tenantLiabilities();

    const bound = await bindPhone(signUp.accessToken, phone);
    expect(bound.statusCode, bound.body).toBe(200);

    // The survivor owes both debts (¥50 + ¥80) against the larger limit; the sign-up owes nothing.
    const credit = await ok('GET', `/staff/customers/${front.id}/credit`);
    expect(credit).toMatchObject({ limitFen: 50_000, owedFen: 13_000, availableFen: 37_000, status: 'active' });
    expect(credit.nextDue).toEqual({ dueDate: '2099-01-01', amountFen: 5_000 });
    const instalments = credit.openSales.find((x: { principalFen: number }) => x.principalFen === 12_000);
    expect(instalments).toMatchObject({ outstandingFen: 8_000, instalmentCount: 3 });
    expect(instalments.items.map((i: { paidFen: number }) => i.paidFen)).toEqual([4_000, 0, 0]);
    const { rows: retired } = await api.db.rawQuery(
      `select (select balance::int from accounts where customer_id = $1 and kind = 'credit_receivable') as owed,
              (select limit_fen::int from credit_lines where customer_id = $1) as "limit",
              (select count(*)::int from credit_items where customer_id = $1) as items`,
      [me],
    );
    expect(retired).toEqual([{ owed: 0, limit: 0, items: 0 }]);
    // The receivable moved inside the tenant: nothing owed to the salon appeared or vanished.
    expect(await tenantLiabilities()).toEqual(liabilitiesBefore);
    const { rows: merges } = await api.db.rawQuery(
      "select details from transfers where tenant_id = $1 and kind = 'customer_merge' and reference_id = $2",
      [t.tenantId, me],
    );
    expect(merges[0]).toMatchObject({ details: { owedFen: 8_000 } });

    // Repaying the survivor pays the oldest first, across both debts: ¥130 clears everything.
    expect((await c.repay(t, front.id, { amountFen: 13_000 })).statusCode).toBe(201);
    const cleared = await ok('GET', `/staff/customers/${front.id}/credit`);
    expect(cleared).toMatchObject({ owedFen: 0, availableFen: 50_000, openSales: [] });
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });

  it('keeps a freeze: a frozen sign-up line freezes the survivor', async () => {
    const c = creditClient(api);
    const phone = newPhone();
    const front = await ok('POST', '/staff/customers', { phone, name: '郑女士' });
    await c.setLimit(t, front.id, 80_000);
    const signUp = await signIn();
    await c.setLimit(t, signUp.customer.id, 20_000);
    expect((await c.sale(t, signUp.customer.id, { amountFen: 6_000, dueDate: '2099-01-01' })).statusCode).toBe(201);
    await api.db.rawQuery(
      "update credit_lines set status = 'frozen', frozen_reason = '逾期未还', frozen_at = now() where tenant_id = $1 and customer_id = $2",
      [t.tenantId, signUp.customer.id],
    );
    expect((await bindPhone(signUp.accessToken, phone)).statusCode).toBe(200);
    expect(await ok('GET', `/staff/customers/${front.id}/credit`)).toMatchObject({
      limitFen: 80_000,
      owedFen: 6_000,
      status: 'frozen',
      frozenReason: '逾期未还',
    });
  });
});

describe('refunding a bill of the sign-up after the merge', () => {
  /** A sign-up with a ¥1 000 10-session card who used `used` sessions on their own and then 2 on a bill. */
  async function signUpWithPreMergeBill(usedBefore: number) {
    const store = t.storeIds[0];
    const phone = newPhone();
    const front = await ok('POST', '/staff/customers', { phone, name: '冯女士' });
    const signUp = await signIn();
    const me = signUp.customer.id;
    await ok('POST', `/staff/customers/${me}/package-cards`, {
      storeId: store,
      planId: t.packagePlanId,
      method: 'cash',
    });
    const card = (await ok('GET', `/staff/customers/${me}/wallet`)).packageCards[0] as { id: string };
    if (usedBefore > 0) {
      await ok('POST', `/staff/customers/${me}/package-cards/${card.id}/consumptions`, {
        storeId: store,
        sessions: usedBefore,
      });
    }
    const bill = await ok('POST', '/staff/bills', {
      storeId: store,
      customerId: me,
      lines: [{ type: 'package_session', packageCardId: card.id, sessions: 2, performerIds: [] }],
    });
    await ok('POST', `/staff/bills/${bill.id}/settlement`, { tenders: [] });
    const bound = await bindPhone(signUp.accessToken, phone);
    expect(bound.statusCode, bound.body).toBe(200);
    return { front: front.id as string, me, card: card.id, bill: bill.id as string };
  }
  const cards = async (customerId: string) =>
    (await ok('GET', `/staff/customers/${customerId}/wallet`)).packageCards as {
      id: string;
      sessionsLeft: number;
      sessionsTotal: number;
    }[];

  it('returns the sessions to the card the survivor holds (the one the merge re-issued), not the retired one', async () => {
    const { front, me, card, bill } = await signUpWithPreMergeBill(0);
    const [moved] = await cards(front);
    expect(moved).toMatchObject({ sessionsLeft: 8 });
    const voided = await call('POST', `/staff/bills/${bill}/void`, manager(), { reason: '顾客不满意' });
    expect(voided.statusCode, voided.body).toBe(200);
    expect(await cards(front)).toMatchObject([{ id: moved!.id, sessionsLeft: 10 }]);
    expect(await holdings(me)).toMatchObject({ sessions: 0 });
    const { rows } = await api.db.rawQuery('select (-balance)::int as left from accounts where package_card_id = $1', [
      card,
    ]);
    expect(rows).toEqual([{ left: 0 }]);
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });

  it('gives the survivor a card for them when the old one was empty at the merge, worth what their use earned', async () => {
    const { front, me, bill } = await signUpWithPreMergeBill(8);
    expect(await cards(front)).toEqual([]);
    const voided = await call('POST', `/staff/bills/${bill}/void`, manager(), { reason: '顾客不满意' });
    expect(voided.statusCode, voided.body).toBe(200);
    const [returned] = await cards(front);
    expect(returned).toMatchObject({ sessionsLeft: 2, sessionsTotal: 2, valuePerSessionFen: 10_000 });
    const { rows } = await api.db.rawQuery('select price_fen from package_cards where id = $1', [returned!.id]);
    expect(Number((rows[0] as { price_fen: string }).price_fen)).toBe(20_000);
    expect(await holdings(me)).toMatchObject({ sessions: 0 });
    // Using them again earns the ¥200 back, no more and no less.
    const used = await call('POST', `/staff/customers/${front}/package-cards/${returned!.id}/consumptions`, manager(), {
      storeId: t.storeIds[0],
      sessions: 2,
    });
    expect(used.statusCode, used.body).toBe(201);
    const { rows: earned } = await api.db.rawQuery(
      "select details->>'recognisedFen' as fen from transfers where kind = 'package_consumption' and reference_id = $1",
      [returned!.id],
    );
    expect(earned).toEqual([{ fen: '20000' }]);
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });
});

describe('a chain of merges: A into B, then B into C', () => {
  it('ends with balances, cards, credit and history all at C, and a pre-merge bill of A refunds to C', async () => {
    const c = creditClient(api);
    const store = t.storeIds[0];
    const [phoneB, phoneC] = [newPhone(), newPhone()];
    // B and C: the same woman registered at the desk twice (an old number, then a new one), each with money.
    const b = (await ok('POST', '/staff/customers', { phone: phoneB, name: '钱女士' })).id as string;
    await ok('POST', `/staff/customers/${b}/top-ups`, { storeId: store, amountFen: 20_000, method: 'cash' });
    const cId = (await ok('POST', '/staff/customers', { phone: phoneC, name: '钱女士' })).id as string;
    await ok('POST', `/staff/customers/${cId}/top-ups`, { storeId: store, amountFen: 10_000, method: 'cash' });
    await ok('POST', `/staff/customers/${cId}/points-adjustments`, { points: 50, reason: '开卡积分' });

    // A: her WeChat sign-up, with ¥500 + ¥80 bonus, 300 points, a 10-session card (2 used on a bill) and ¥120 owed.
    const signUp = await signIn();
    const a = signUp.customer.id;
    await ok('POST', `/staff/customers/${a}/top-ups`, { storeId: store, amountFen: 50_000, method: 'cash' });
    await ok('POST', `/staff/customers/${a}/stored-value-adjustments`, {
      account: 'bonus',
      amountFen: 8_000,
      reason: '活动赠送',
    });
    await ok('POST', `/staff/customers/${a}/points-adjustments`, { points: 300, reason: '注册赠送积分' });
    await ok('POST', `/staff/customers/${a}/package-cards`, {
      storeId: store,
      planId: t.packagePlanId,
      method: 'cash',
    });
    const cardA = (await ok('GET', `/staff/customers/${a}/wallet`)).packageCards[0] as { id: string };
    const bill = await ok('POST', '/staff/bills', {
      storeId: store,
      customerId: a,
      lines: [{ type: 'package_session', packageCardId: cardA.id, sessions: 2, performerIds: [] }],
    });
    await ok('POST', `/staff/bills/${bill.id}/settlement`, { tenders: [] });
    await c.setLimit(t, a, 40_000);
    expect((await c.sale(t, a, { amountFen: 12_000, dueDate: '2099-03-01' })).statusCode).toBe(201);

    const [heldA, heldB, heldC] = [await holdings(a), await holdings(b), await holdings(cId)];
    expect(heldA).toMatchObject({ bonus: 8_000, points: 300, sessions: 8 });
    const liabilitiesBefore = await tenantLiabilities();

    const first = await bindPhone(signUp.accessToken, phoneB);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ merged: true, customer: { id: b } });
    // Signed in as B now, she shares her new number: B (with all of A) goes into C.
    const second = await bindPhone(first.json().accessToken, phoneC);
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toMatchObject({ merged: true, customer: { id: cId } });

    expect(await holdings(cId)).toEqual({
      principal: heldA.principal + heldB.principal + heldC.principal,
      bonus: 8_000,
      points: 350,
      sessions: 8,
    });
    expect(heldA.principal + heldB.principal + heldC.principal).toBe(80_000);
    expect(await holdings(a)).toEqual({ principal: 0, bonus: 0, points: 0, sessions: 0 });
    expect(await holdings(b)).toEqual({ principal: 0, bonus: 0, points: 0, sessions: 0 });
    expect(await tenantLiabilities()).toEqual(liabilitiesBefore);
    const { rows: chain } = await api.db.rawQuery(
      'select id, merged_into_id from customers where id = any($1::uuid[]) order by merged_into_id nulls last',
      [[a, b, cId]],
    );
    expect(chain).toEqual(
      expect.arrayContaining([
        { id: a, merged_into_id: b },
        { id: b, merged_into_id: cId },
        { id: cId, merged_into_id: null },
      ]),
    );

    // Credit: the ¥120 A owed is C's, against the largest limit granted.
    expect(await ok('GET', `/staff/customers/${cId}/credit`)).toMatchObject({
      limitFen: 40_000,
      owedFen: 12_000,
      status: 'active',
    });
    // History: A's bill is C's; C's history shows both merges; one card, same sessions.
    expect((await ok('GET', `/staff/bills/${bill.id}`)).customerId).toBe(cId);
    // Her ledger history (the customer app's and the staff customer page's) shows the whole chain: A → B as it
    // landed on B's accounts, then B → C, each naming its pair; A's and B's other entries stay their own.
    const mine = (await call('GET', '/me/entries?limit=100', second.json().accessToken)).json().items as Entry[];
    const staffView = (await ok('GET', `/staff/customers/${cId}/entries?limit=100`)).items as Entry[];
    expect(staffView).toEqual(mine);
    const merges = mine
      .filter((e) => e.kind === 'customer_merge')
      .map((e) => [e.merge?.from.id, e.merge?.into.id, e.bucket, e.amount, e.balanceAfter]);
    expect(merges).toHaveLength(10);
    expect(merges).toEqual(
      expect.arrayContaining([
        [b, cId, 'principal', 70_000, 80_000],
        [b, cId, 'bonus', 8_000, 8_000],
        [b, cId, 'points', 300, 350],
        [b, cId, 'sessions', 8, 8],
        [b, cId, 'credit', 12_000, 12_000],
        [a, b, 'principal', 50_000, 70_000],
        [a, b, 'bonus', 8_000, 8_000],
        [a, b, 'points', 300, 300],
        [a, b, 'sessions', 8, 8],
        [a, b, 'credit', 12_000, 12_000],
      ]),
    );
    expect(new Set(mine.filter((e) => e.kind === 'customer_merge').map((e) => e.transferId)).size).toBe(2);
    // Only C's own top-up: A's and B's stay in their own histories.
    expect(mine.filter((e) => e.kind === 'top_up').map((e) => e.amount)).toEqual([10_000]);
    const wallet = (await call('GET', '/me/wallet', second.json().accessToken)).json();
    expect(wallet.packageCards).toMatchObject([{ sessionsLeft: 8 }]);

    // A's bill voided now: its 2 sessions follow the chain to the card C holds, not A's or B's retired cards.
    const voided = await call('POST', `/staff/bills/${bill.id}/void`, manager(), { reason: '顾客不满意' });
    expect(voided.statusCode, voided.body).toBe(200);
    expect((await call('GET', '/me/wallet', second.json().accessToken)).json().packageCards).toMatchObject([
      { id: wallet.packageCards[0].id, sessionsLeft: 10 },
    ]);
    expect((await holdings(a)).sessions + (await holdings(b)).sessions).toBe(0);
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });
});

describe('a stored-value refund of a bill paid before the merge', () => {
  it('returns the money to the survivor’s wallet, principal and bonus as the bill took them', async () => {
    const store = t.storeIds[0];
    const phone = newPhone();
    const front = (await ok('POST', '/staff/customers', { phone, name: '孙女士' })).id as string;
    await ok('POST', `/staff/customers/${front}/top-ups`, { storeId: store, amountFen: 30_000, method: 'cash' });
    const signUp = await signIn();
    const me = signUp.customer.id;
    await ok('POST', `/staff/customers/${me}/top-ups`, { storeId: store, amountFen: 50_000, method: 'cash' });
    await ok('POST', `/staff/customers/${me}/stored-value-adjustments`, {
      account: 'bonus',
      amountFen: 10_000,
      reason: '活动赠送',
    });
    // One ¥388 facial paid wholly from her stored value, before she shared her phone.
    const bill = await ok('POST', '/staff/bills', {
      storeId: store,
      customerId: me,
      lines: [{ type: 'service', serviceId: t.serviceId, quantity: 1, performerIds: [] }],
    });
    expect(bill.totalFen).toBe(38_800);
    await ok('POST', `/staff/bills/${bill.id}/settlement`, {
      tenders: [{ method: 'stored_value', amountFen: 38_800 }],
    });
    // How the spend split it between principal and bonus, read off her wallet.
    const signUpAfterBill = await holdings(me);
    const tender = { principalFen: 50_000 - signUpAfterBill.principal, bonusFen: 10_000 - signUpAfterBill.bonus };
    expect(tender.principalFen + tender.bonusFen).toBe(38_800);
    expect(tender.bonusFen).toBeGreaterThan(0);

    const bound = await bindPhone(signUp.accessToken, phone);
    expect(bound.statusCode, bound.body).toBe(200);
    const merged = await holdings(front);
    expect(merged).toMatchObject({
      principal: 30_000 + signUpAfterBill.principal,
      bonus: signUpAfterBill.bonus,
    });

    const voided = await call('POST', `/staff/bills/${bill.id}/void`, manager(), { reason: '重复收费' });
    expect(voided.statusCode, voided.body).toBe(200);
    // Back in her wallet as it was taken: ¥500 + ¥300 principal and all ¥100 bonus again; the retired one stays empty.
    expect(await holdings(front)).toMatchObject({ principal: 80_000, bonus: 10_000 });
    expect(await holdings(me)).toMatchObject({ principal: 0, bonus: 0 });
    const { rows } = await api.db.rawQuery(
      "select customer_id from transfers where tenant_id = $1 and kind = 'bill_refund' and reference_id = $2",
      [t.tenantId, bill.id],
    );
    expect(rows).toEqual([{ customer_id: front }]);
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });
});

describe('a credit-limit request of the sign-up waiting at the merge', () => {
  const beautician = () => staffTokenFor(api.app, t, 'beautician');
  const fileRequest = (customerId: string, requestedLimitFen: number) =>
    ok(
      'POST',
      `/staff/customers/${customerId}/credit-requests`,
      { requestedLimitFen, reason: '常来做护理' },
      beautician(),
    );

  it('moves with her and is decided for the survivor, when the survivor has none waiting', async () => {
    const phone = newPhone();
    const front = (await ok('POST', '/staff/customers', { phone, name: '李女士' })).id as string;
    const signUp = await signIn();
    const request = await fileRequest(signUp.customer.id, 30_000);
    expect((await bindPhone(signUp.accessToken, phone)).statusCode).toBe(200);
    const moved = await ok('GET', `/staff/credit-requests/${request.id}`);
    expect(moved).toMatchObject({ status: 'pending', customer: { id: front } });
    await ok('POST', `/staff/credit-requests/${request.id}/approve`, {});
    expect(await ok('GET', `/staff/customers/${front}/credit`)).toMatchObject({ limitFen: 30_000 });
  });

  it('never lowers the survivor’s higher limit when approved, unless the manager lowers it on purpose', async () => {
    const c = creditClient(api);
    const phone = newPhone();
    const front = (await ok('POST', '/staff/customers', { phone, name: '梁女士' })).id as string;
    await c.setLimit(t, front, 50_000);
    const signUp = await signIn();
    const request = await fileRequest(signUp.customer.id, 30_000);
    expect((await bindPhone(signUp.accessToken, phone)).statusCode).toBe(200);

    // The manager weighs it against the ¥500 the survivor has now, not the ¥0 the sign-up had at filing.
    expect(await ok('GET', `/staff/credit-requests/${request.id}`)).toMatchObject({
      currentLimitFen: 0,
      lineLimitFen: 50_000,
      limitAfterFen: null,
    });
    const approved = await ok('POST', `/staff/credit-requests/${request.id}/approve`, {});
    expect(approved).toMatchObject({ status: 'approved', approvedLimitFen: 30_000, limitAfterFen: 50_000 });
    expect(await ok('GET', `/staff/customers/${front}/credit`)).toMatchObject({ limitFen: 50_000 });

    // Lowering on purpose: a second request, approved with lowerExisting, needs a note and then sets ¥200.
    const second = await fileRequest(front, 20_000);
    const noNote = await call('POST', `/staff/credit-requests/${second.id}/approve`, manager(), {
      lowerExisting: true,
    });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: [{ field: 'body.note' }] } });
    const lowered = await ok('POST', `/staff/credit-requests/${second.id}/approve`, {
      lowerExisting: true,
      note: '合并后按新申请降低额度',
    });
    expect(lowered).toMatchObject({ approvedLimitFen: 20_000, limitAfterFen: 20_000, lineLimitFen: 20_000 });
    expect(await ok('GET', `/staff/customers/${front}/credit`)).toMatchObject({ limitFen: 20_000 });
  });

  it('is closed with a reason when the survivor already has one waiting, which stays to be decided', async () => {
    const phone = newPhone();
    const front = (await ok('POST', '/staff/customers', { phone, name: '何女士' })).id as string;
    const kept = await fileRequest(front, 20_000);
    const signUp = await signIn();
    const hers = await fileRequest(signUp.customer.id, 60_000);
    expect((await bindPhone(signUp.accessToken, phone)).statusCode).toBe(200);

    const closed = await ok('GET', `/staff/credit-requests/${hers.id}`);
    expect(closed).toMatchObject({
      status: 'rejected',
      customer: { id: front },
      decidedBy: null,
      approvedLimitFen: null,
    });
    expect(closed.decisionNote).toContain('合并账户时关闭');
    expect(closed.decidedAt).not.toBeNull();
    const { rows: audit } = await api.db.rawQuery(
      "select actor_staff_id, reason, after from audit_log where tenant_id = $1 and action = 'credit.request_closed' and subject_id = $2",
      [t.tenantId, hers.id],
    );
    expect(audit).toMatchObject([{ actor_staff_id: null, after: { pendingRequestId: kept.id, customerId: front } }]);
    const refused = await call('POST', `/staff/credit-requests/${hers.id}/approve`, manager(), {});
    expect(refused.statusCode).toBe(409);

    // The survivor's request is the one waiting; approving it sets her one limit.
    const pending = await ok('GET', `/staff/credit-requests?customerId=${front}&status=pending`);
    expect(pending.map((r: { id: string }) => r.id)).toEqual([kept.id]);
    await ok('POST', `/staff/credit-requests/${kept.id}/approve`, {});
    expect(await ok('GET', `/staff/customers/${front}/credit`)).toMatchObject({ limitFen: 20_000 });
  });
});

describe('a merge chain longer than any fixed limit', () => {
  it('returns a voided pre-merge bill’s sessions to the card at the end of a 10-hop chain', async () => {
    const store = t.storeIds[0];
    const phones = Array.from({ length: 10 }, newPhone);
    const desk: string[] = [];
    for (const phone of phones) desk.push((await ok('POST', '/staff/customers', { phone, name: '孙女士' })).id);
    const signUp = await signIn();
    const first = signUp.customer.id;
    await ok('POST', `/staff/customers/${first}/package-cards`, {
      storeId: store,
      planId: t.packagePlanId,
      method: 'cash',
    });
    const card = (await ok('GET', `/staff/customers/${first}/wallet`)).packageCards[0] as { id: string };
    const bill = await ok('POST', '/staff/bills', {
      storeId: store,
      customerId: first,
      lines: [{ type: 'package_session', packageCardId: card.id, sessions: 2, performerIds: [] }],
    });
    await ok('POST', `/staff/bills/${bill.id}/settlement`, { tenders: [] });

    // She shares one number after another: each binding merges who she is now into the next desk record.
    let token = signUp.accessToken;
    for (const [i, phone] of phones.entries()) {
      const bound = await bindPhone(token, phone);
      expect(bound.statusCode, bound.body).toBe(200);
      expect(bound.json()).toMatchObject({ merged: true, customer: { id: desk[i] } });
      token = bound.json().accessToken;
    }
    const last = desk.at(-1) as string;
    const wallet = async (id: string) =>
      (await ok('GET', `/staff/customers/${id}/wallet`)).packageCards as { id: string; sessionsLeft: number }[];
    const [held] = await wallet(last);
    expect(held).toMatchObject({ sessionsLeft: 8 });

    const voided = await call('POST', `/staff/bills/${bill.id}/void`, manager(), { reason: '顾客不满意' });
    expect(voided.statusCode, voided.body).toBe(200);
    expect(await wallet(last)).toMatchObject([{ id: held!.id, sessionsLeft: 10 }]);
    for (const id of [first, ...desk.slice(0, -1)]) expect(await holdings(id)).toMatchObject({ sessions: 0 });
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });
});
