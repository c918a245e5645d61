import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { settledOrWaiting as settledOrWaitingIn } from '../../testing/lock-waits.ts';
import {
  bearer,
  createTestApi,
  customerTokenFor,
  injectAs,
  staffTokenFor,
  type TestApi,
} from '../../testing/harness.ts';
import { usageQuery } from './service.ts';

/** 设置 → 充值方案: a manager creates, edits and withdraws offers; the till and the customer app follow. */
let api: TestApi;
let t: TenantFixture;
let other: TenantFixture;

const manager = (f: TenantFixture) => staffTokenFor(api.app, f, 'manager');
const send = (method: 'GET' | 'POST' | 'PUT', url: string, token: string | null, payload?: unknown) =>
  injectAs(api.app, method, url, token, payload);
const PLANS = '/staff/settings/top-up-plans';

const offeredAtTill = async () =>
  ((await send('GET', '/staff/top-up-plans', staffTokenFor(api.app, t))).json() as { name: string }[]).map(
    (p) => p.name,
  );
const offeredInApp = async () =>
  ((await send('GET', '/me/top-up-plans', customerTokenFor(api.app, t, 0))).json() as { name: string }[]).map(
    (p) => p.name,
  );
const auditOf = async (action: string) =>
  (await send('GET', `/staff/audit?action=${action}`, manager(t))).json().items as {
    subjectId: string;
    before: unknown;
    after: unknown;
    reason: string | null;
  }[];

beforeAll(async () => {
  api = await createTestApi({ WECHAT_API_BASE: 'http://127.0.0.1:9' });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  other = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
});
afterAll(async () => {
  await api?.close();
});

describe('top-up plans in 设置', () => {
  let planId: string;

  it('creates an offer the till and the customer app offer at once, audited', async () => {
    const created = await send('POST', PLANS, manager(t), {
      name: '充1000送200',
      payFen: 100_000,
      bonusFen: 20_000,
      bonusPoints: 500,
      giftPackagePlanId: t.packagePlanId,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      name: '充1000送200',
      payFen: 100_000,
      bonusFen: 20_000,
      bonusPoints: 500,
      giftPackagePlanId: t.packagePlanId,
      status: 'in_force',
      timesUsed: 0,
      termsFixed: false,
    });
    planId = created.json().id;
    expect(await offeredAtTill()).toContain('充1000送200');
    expect(await offeredInApp()).toContain('充1000送200');
    const [entry] = await auditOf('top_up_plan.created');
    expect(entry).toMatchObject({ subjectId: planId, after: { payFen: 100_000, bonusFen: 20_000, active: true } });
    // Another salon sees nothing of it.
    const theirs = (await send('GET', PLANS, manager(other))).json() as { id: string }[];
    expect(theirs.map((p) => p.id)).not.toContain(planId);
  });

  it('changes the terms of an unused offer, and only the name and dates once a customer used it', async () => {
    const edited = await send('PUT', `${PLANS}/${planId}`, manager(t), { bonusFen: 25_000 });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().bonusFen).toBe(25_000);

    const topUp = await api.app.inject({
      method: 'POST',
      url: `/staff/customers/${t.customers[0]?.id}/top-ups`,
      headers: { ...bearer(staffTokenFor(api.app, t)), 'idempotency-key': randomUUID() },
      payload: { storeId: t.storeIds[0], amountFen: 100_000, method: 'cash', planId },
    });
    expect(topUp.statusCode).toBe(201);
    const wallet = (await send('GET', '/me/wallet', customerTokenFor(api.app, t, 0))).json();
    expect(wallet.bonusFen).toBe(25_000);

    const listed = (await send('GET', PLANS, manager(t))).json().find((p: { id: string }) => p.id === planId);
    expect(listed).toMatchObject({ timesUsed: 1, termsFixed: true });
    const refused = await send('PUT', `${PLANS}/${planId}`, manager(t), { bonusFen: 30_000, name: '充1000送300' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'TOP_UP_PLAN_TERMS_FIXED', details: { fields: ['bonusFen'] } });
    // The same terms again are no change; the name may change.
    const renamed = await send('PUT', `${PLANS}/${planId}`, manager(t), {
      name: '周年庆 充1000送250',
      bonusFen: 25_000,
    });
    expect(renamed.statusCode).toBe(200);
    expect(await offeredAtTill()).toContain('周年庆 充1000送250');

    const updates = await auditOf('top_up_plan.updated');
    expect(updates.map((u) => [u.before, u.after])).toContainEqual([
      expect.objectContaining({ bonusFen: 20_000 }),
      expect.objectContaining({ bonusFen: 25_000 }),
    ]);
    expect(updates).toHaveLength(2);
  });

  it('withdraws an offer: gone from the till and the app, still listed for the manager, never deleted', async () => {
    const withdrawn = await send('POST', `${PLANS}/${planId}/withdraw`, manager(t), { reason: '活动结束' });
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn', timesUsed: 1 });
    expect(await offeredAtTill()).not.toContain('周年庆 充1000送250');
    expect(await offeredInApp()).not.toContain('周年庆 充1000送250');
    const again = await send('POST', `${PLANS}/${planId}/withdraw`, manager(t), {});
    expect(again.statusCode).toBe(200);
    const withdrawals = await auditOf('top_up_plan.withdrawn');
    expect(withdrawals).toEqual([expect.objectContaining({ subjectId: planId, reason: '活动结束' })]);
    const edit = await send('PUT', `${PLANS}/${planId}`, manager(t), { name: '复活' });
    expect(edit.json().error.code).toBe('TOP_UP_PLAN_WITHDRAWN');
    // A top-up naming it now is refused; the customer's past top-up still names it.
    const topUp = await api.app.inject({
      method: 'POST',
      url: `/staff/customers/${t.customers[0]?.id}/top-ups`,
      headers: { ...bearer(staffTokenFor(api.app, t)), 'idempotency-key': randomUUID() },
      payload: { storeId: t.storeIds[0], amountFen: 100_000, method: 'cash', planId },
    });
    expect(topUp.statusCode).toBe(422);
    const listed = (await send('GET', PLANS, manager(t))).json() as { id: string; status: string }[];
    expect(listed.find((p) => p.id === planId)?.status).toBe('withdrawn');
  });

  it('lists a plan that starts later as scheduled, offered nowhere yet', async () => {
    const res = await send('POST', PLANS, manager(t), {
      name: '春节 充500送80',
      payFen: 50_000,
      bonusFen: 8_000,
      validFrom: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(res.json().status).toBe('scheduled');
    expect(await offeredAtTill()).not.toContain('春节 充500送80');
  });

  it('refuses bad offers with the field at fault, and anyone but a manager, changing nothing', async () => {
    const before = (await send('GET', PLANS, manager(t))).json();
    const bad = [
      { payload: { name: '小数', payFen: 100.5 }, field: 'body.payFen' },
      { payload: { name: '零元', payFen: 0 }, field: 'body.payFen' },
      { payload: { name: '负赠', payFen: 10_000, bonusFen: -1 }, field: 'body.bonusFen' },
      { payload: { name: '送太多', payFen: 10_000, bonusFen: 10_001 }, field: 'body.bonusFen' },
      { payload: { name: '负积分', payFen: 10_000, bonusPoints: -5 }, field: 'body.bonusPoints' },
      { payload: { name: '', payFen: 10_000 }, field: 'body.name' },
      {
        payload: { name: '倒序', payFen: 10_000, validFrom: '2026-05-02T00:00:00Z', validTo: '2026-05-01T00:00:00Z' },
        field: 'body.validTo',
      },
      { payload: { name: '多余', payFen: 10_000, discount: 1 }, field: null },
    ];
    for (const c of bad) {
      const res = await send('POST', PLANS, manager(t), c.payload);
      expect(res.statusCode, JSON.stringify(c.payload)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      if (c.field) expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(c.field);
    }
    const foreignGift = await send('POST', PLANS, manager(t), {
      name: '别家次卡',
      payFen: 10_000,
      giftPackagePlanId: other.packagePlanId,
    });
    expect(foreignGift.statusCode).toBe(404);
    expect(foreignGift.json().error.details[0].field).toBe('body.giftPackagePlanId');
    const [mine] = before as { id: string; payFen: number }[];
    // Raising the price above the bonus the offer gives is checked against the stored bonus.
    const unused = (before as { id: string; termsFixed: boolean; bonusFen: number }[]).find((p) => !p.termsFixed);
    const tooLittle = await send('PUT', `${PLANS}/${unused?.id}`, manager(t), { payFen: (unused?.bonusFen ?? 0) - 1 });
    expect(tooLittle.statusCode).toBe(400);
    expect(tooLittle.json().error.details[0].field).toBe('body.bonusFen');
    expect((await send('PUT', `${PLANS}/${mine?.id}`, manager(other), { name: '偷改' })).statusCode).toBe(404);
    const beautician = staffTokenFor(api.app, t, 'beautician');
    expect((await send('GET', PLANS, beautician)).statusCode).toBe(403);
    expect((await send('POST', PLANS, beautician, { name: '店员', payFen: 100 })).statusCode).toBe(403);
    expect((await send('POST', `${PLANS}/${mine?.id}/withdraw`, beautician, {})).statusCode).toBe(403);
    expect((await send('POST', PLANS, null, { name: '匿名', payFen: 100 })).statusCode).toBe(401);
    expect((await send('GET', PLANS, manager(t))).json()).toEqual(before);
  });
});

describe('counting how often an offer was used', () => {
  /** The plan PostgreSQL picks for the transfers part when reading the table itself is priced out. */
  const planFor = (planId?: string) =>
    api.db.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const rows = await queryRows<{ 'QUERY PLAN': unknown }>(
        tx,
        sql`explain (format json) ${usageQuery(t.tenantId, planId)}`,
      );
      return JSON.stringify(rows[0]?.['QUERY PLAN']);
    });

  it("reads the top-up index (migration 0038), not the tenant's whole transfer history", async () => {
    expect(await planFor()).toContain('transfers_top_up_plan_idx');
    expect(await planFor(randomUUID())).toContain('transfers_top_up_plan_idx');
  });
});

const settledOrWaiting = (work: Promise<unknown>, statement: string) => settledOrWaitingIn(api.db.db, work, statement);

describe('an edit and a top-up of the same unused offer at once', () => {
  const PLAN_READ = 'select % from "top_up_plans" %';
  const offer = async (name: string) =>
    (await send('POST', PLANS, manager(t), { name, payFen: 50_000, bonusFen: 5_000, bonusPoints: 0 })).json()
      .id as string;
  const cashTopUp = (planId: string) =>
    api.app.inject({
      method: 'POST',
      url: `/staff/customers/${t.customers[1]?.id}/top-ups`,
      headers: { ...bearer(staffTokenFor(api.app, t)), 'idempotency-key': randomUUID() },
      payload: { storeId: t.storeIds[0], amountFen: 50_000, method: 'cash', planId },
    });
  const bonusOf = async (transferId: string) => {
    const [row] = await queryRows<{ bonus: number }>(
      api.db.db,
      sql`select (details->>'bonusFen')::int as bonus from transfers where id = ${transferId}`,
    );
    return row?.bonus;
  };

  it('an edit waits for a top-up in flight, then finds the offer used and keeps its terms', async () => {
    const planId = await offer('并发 充500送50');
    // Holding the transfers table stops the top-up after it read its offer and before it posts.
    const { topUp, edit } = await api.db.db.transaction(async (tx) => {
      await tx.execute(sql`lock table transfers in share mode`);
      const topUp = cashTopUp(planId);
      await settledOrWaiting(topUp, 'select * from ledger_post(%');
      const edit = send('PUT', `${PLANS}/${planId}`, manager(t), { bonusFen: 8_000 });
      // Before, the edit committed here, while the top-up was still to post the old bonus.
      await settledOrWaiting(edit, `${PLAN_READ}for update`);
      return { topUp, edit };
    });
    const posted = await topUp;
    expect(posted.statusCode, posted.body).toBe(201);
    const refused = await edit;
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().error.code).toBe('TOP_UP_PLAN_TERMS_FIXED');
    expect(await bonusOf(posted.json().transferId)).toBe(5_000);
  });

  it('an edit waits for a shop item being saved for the offer, then finds the offer named', async () => {
    const planId = await offer('并发 充500送70');
    const category = (
      await send('POST', '/staff/shop/categories', manager(t), { name: '并发充值', sortOrder: 9 })
    ).json();
    // Holding the shop's items stops the item's save after it checked the offer's amount and before it is stored.
    const { saved, edit } = await api.db.db.transaction(async (tx) => {
      await tx.execute(sql`lock table shop_items in share mode`);
      const saved = send('POST', '/staff/shop/items', manager(t), {
        categoryId: category.id,
        kind: 'top_up_plan',
        name: '并发 充500送70',
        listPriceFen: 50_000,
        topUpPlanId: planId,
      });
      await settledOrWaiting(saved, 'insert into "shop_items"%');
      const edit = send('PUT', `${PLANS}/${planId}`, manager(t), { payFen: 60_000 });
      // Before, the edit changed the amount here, and the item went on sale at the old one.
      await settledOrWaiting(edit, `${PLAN_READ}for update`);
      return { saved, edit };
    });
    expect((await saved).statusCode, (await saved).body).toBe(201);
    const refused = await edit;
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().error.code).toBe('TOP_UP_PLAN_TERMS_FIXED');
  });

  it('a top-up waits for an edit in flight, then posts the new terms', async () => {
    const planId = await offer('并发 充500送60');
    // Holding the audit log stops the edit after it changed the offer and before it commits.
    const { topUp, edit } = await api.db.db.transaction(async (tx) => {
      await tx.execute(sql`lock table audit_log in share mode`);
      const edit = send('PUT', `${PLANS}/${planId}`, manager(t), { bonusFen: 6_000 });
      await settledOrWaiting(edit, 'insert into "audit_log"%');
      const topUp = cashTopUp(planId);
      // Before, the top-up read the old bonus here and posted it.
      await settledOrWaiting(topUp, `${PLAN_READ}for share`);
      return { topUp, edit };
    });
    expect((await edit).statusCode).toBe(200);
    const posted = await topUp;
    expect(posted.statusCode, posted.body).toBe(201);
    expect(await bonusOf(posted.json().transferId)).toBe(6_000);
  });
});
