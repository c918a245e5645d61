import { ledgerDeps } from '../../ledger-deps.ts';
import { startWechatSim, type WechatSim } from '@lumi/wechat-sim';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, type TestApi } from '../../testing/harness.ts';
import { customers } from '../customers/index.ts';
import { CREDIT_SCHEDULES, SCHEDULES, startJobs } from '../../jobs/index.ts';
import type { MessagingDeps } from '../messaging/index.ts';
import { runCreditReminders } from './index.ts';
import { creditClient } from '../../testing/credit-support.ts';

let sim: WechatSim;
let api: TestApi;
let t: TenantFixture;
let c: ReturnType<typeof creditClient>;
let deps: MessagingDeps;
let clock = new Date('2026-05-10T02:00:00Z');
const at = (day: string) => {
  clock = new Date(`${day}T02:00:00Z`); // 10:00 in Shanghai, when the job runs
};
let A: { id: string; openid: string };
let B: { id: string; openid: string };

async function control(path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sim.url}/__control${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return response.json();
}

/** The customer accepted a template in wx.requestSubscribeMessage: WeChat keeps the grant, the app tells Lumi. */
async function consent(who: 0 | 1, templateId: string, options: { wechat?: boolean } = {}) {
  const customer = t.customers[who]!;
  if (options.wechat !== false) await control('/subscriptions', { openid: customer.openid, templateId });
  const res = await c.send('POST', '/me/subscriptions', {
    f: t,
    who: 'customer',
    customer: who,
    payload: { templateId },
  });
  expect(res.statusCode).toBe(201);
}

const sms = async (customerId: string) =>
  queryRows<{ template: string; body: string; phone: string }>(
    api.db.db,
    sql`select template, body, phone from sms_messages where customer_id = ${customerId} order by id`,
  );
const wechatMessages = async (openid: string, templateId?: string) =>
  (await control(`/messages?openid=${openid}${templateId ? `&templateId=${templateId}` : ''}`)) as {
    template_id: string;
    data: Record<string, { value: string }>;
  }[];
const run = () => runCreditReminders(api.db.db, deps, { tenantId: t.tenantId });

beforeAll(async () => {
  sim = await startWechatSim({ port: 0, timeScale: 0.001 });
  api = await createTestApi({ WECHAT_API_BASE: sim.url }, { now: () => clock });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  c = creditClient(api);
  deps = api.app.messaging;
  A = t.customers[0]!;
  B = t.customers[1]!;
  // Both customers have logged in to the mini-program, so WeChat knows their openids.
  for (const customer of [A, B]) sim.issueLoginCode(api.config.WECHAT_CUSTOMER_APPID, customer.openid);
  await c.setLimit(t, A.id, 100_000);
  await c.setLimit(t, B.id, 100_000);
  expect((await c.sale(t, A.id, { amountFen: 30_000, dueDate: '2026-05-20' })).statusCode).toBe(201);
  expect((await c.sale(t, B.id, { amountFen: 85_000, dueDate: '2026-05-20' })).statusCode).toBe(201);
});
afterAll(async () => {
  await api?.close();
  await sim?.close();
});

describe('credit reminders by the scheduled job, with a moved clock', () => {
  it('sends a near-limit reminder by SMS when there is no consent, once', async () => {
    await consent(0, api.config.WECHAT_TEMPLATE_CREDIT_DUE);
    expect(await run()).toEqual({ wechat: 0, sms: 1, skipped: 0, failed: 0 });
    const [message] = await sms(B.id);
    expect(message).toMatchObject({ template: 'credit_limit_near' });
    expect(message?.body).toContain('¥850.00');
    expect(message?.body).toContain('85%');
    expect(await run()).toEqual({ wechat: 0, sms: 0, skipped: 0, failed: 0 });
  });

  it('3 days before due: WeChat for the customer with consent (consumed), SMS for the other; no duplicates', async () => {
    at('2026-05-17');
    const [first, second] = await Promise.all([run(), run()]);
    expect({ wechat: first!.wechat + second!.wechat, sms: first!.sms + second!.sms }).toEqual({ wechat: 1, sms: 1 });
    const sent = await wechatMessages(A.openid);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      template_id: 'sim-credit-due',
      data: { amount1: { value: '¥300.00' }, date2: { value: '2026-05-20' } },
    });
    expect((await c.get('/me/subscriptions', t, 'customer', 0)).json()).toEqual([]);
    expect(((await control(`/subscriptions?openid=${A.openid}`)) as { remaining: number }[])[0]).toMatchObject({
      remaining: 0,
    });
    expect((await sms(B.id)).at(-1)?.body).toContain('将于 2026-05-20 到期');
    expect(await run()).toEqual({ wechat: 0, sms: 0, skipped: 0, failed: 0 });
    at('2026-05-18');
    expect(await run()).toEqual({ wechat: 0, sms: 0, skipped: 0, failed: 0 });
  });

  it('reminds near the limit again after a new charge', async () => {
    expect((await c.sale(t, B.id, { amountFen: 5_000, dueDate: '2026-06-30' })).statusCode).toBe(201);
    expect(await run()).toEqual({ wechat: 0, sms: 1, skipped: 0, failed: 0 });
    expect((await sms(B.id)).at(-1)?.body).toContain('90%');
  });

  it('on the due date the consent is used up, so SMS is the fallback', async () => {
    at('2026-05-20');
    expect(await run()).toEqual({ wechat: 0, sms: 2, skipped: 0, failed: 0 });
    expect((await sms(A.id)).at(-1)?.body).toContain('今天（2026-05-20）到期');
    expect(await wechatMessages(A.openid)).toHaveLength(1);
  });

  it('overdue: a consent WeChat no longer honours falls back to SMS; no consent and no phone is recorded as skipped', async () => {
    await consent(0, api.config.WECHAT_TEMPLATE_CREDIT_OVERDUE, { wechat: false });
    await api.db.db
      .update(customers)
      .set({ phone: null })
      .where(and(eq(customers.tenantId, t.tenantId), eq(customers.id, B.id)));
    // The salon's own words (设置 → 消息模板) are what the customer reads.
    const words = '亲爱的会员，您在本店的 {amount} 已逾期 {days} 天（应还 {date}），期待您到店结清。';
    expect((await c.put('/staff/settings/message-texts/credit_overdue', t, { text: words })).statusCode).toBe(200);
    at('2026-05-21');
    expect(await run()).toEqual({ wechat: 0, sms: 1, skipped: 1, failed: 0 });
    expect((await sms(A.id)).at(-1)?.body).toBe(
      '亲爱的会员，您在本店的 ¥300.00 已逾期 1 天（应还 2026-05-20），期待您到店结清。',
    );
    // Her 消息 in the app reads the same words.
    const inbox = (await c.get('/me/messages', t, 'customer', 0)).json();
    expect(inbox.items[0]).toMatchObject({
      purpose: 'credit_reminder',
      note: '亲爱的会员，您在本店的 ¥300.00 已逾期 1 天（应还 2026-05-20），期待您到店结清。',
    });
    const reminders = (await c.get(`/staff/customers/${A.id}/credit/reminders`, t)).json();
    expect(reminders[0]).toMatchObject({ kind: 'overdue_1', channel: 'sms', status: 'sent' });
    expect(reminders[0].error).toContain('43101');
    const skipped = (await c.get(`/staff/customers/${B.id}/credit/reminders`, t)).json();
    expect(skipped[0]).toMatchObject({ kind: 'overdue_1', channel: 'none', status: 'skipped' });
  });

  it('a week overdue with a fresh consent goes by WeChat; catching up after missed days sends only the current stage', async () => {
    await consent(0, api.config.WECHAT_TEMPLATE_CREDIT_OVERDUE);
    at('2026-05-29'); // the job did not run on 05-27 (overdue 7): it catches up once
    expect(await run()).toEqual({ wechat: 1, sms: 0, skipped: 1, failed: 0 });
    const overdue = await wechatMessages(A.openid, 'sim-credit-overdue');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]?.data).toMatchObject({ amount1: { value: '¥300.00' }, number3: { value: '9' } });
    expect(await run()).toEqual({ wechat: 0, sms: 0, skipped: 0, failed: 0 });
  });

  it('sends an over-the-limit reminder when a manager lowers the limit below what is owed', async () => {
    await c.setLimit(t, A.id, 20_000);
    expect(await run()).toEqual({ wechat: 0, sms: 1, skipped: 0, failed: 0 });
    expect((await sms(A.id)).at(-1)).toMatchObject({ template: 'credit_limit_exceeded' });
    const kinds = (await c.get(`/staff/customers/${A.id}/credit/reminders`, t))
      .json()
      .map((r: { kind: string }) => r.kind);
    expect(kinds).toEqual(['limit_exceeded', 'overdue_7', 'overdue_1', 'due_today', 'before_due_3']);
    const [dupes] = await queryRows<{ n: number }>(
      api.db.db,
      sql`select count(*)::int - count(distinct dedupe_key)::int as n from credit_reminders where tenant_id = ${t.tenantId}`,
    );
    expect(dupes?.n).toBe(0);
  });

  it('keeps consents per customer and refuses a malformed template id', async () => {
    const bad = await c.send('POST', '/me/subscriptions', {
      f: t,
      who: 'customer',
      payload: { templateId: 'has spaces' },
    });
    expect(bad.statusCode).toBe(400);
    await consent(1, 'sim-credit-limit', { wechat: false });
    expect((await c.get('/me/subscriptions', t, 'customer', 1)).json()).toEqual([
      { templateId: 'sim-credit-limit', available: 1 },
    ]);
    expect((await c.get('/me/subscriptions', t, 'customer', 0)).json()).toEqual([]);
  });

  it('registers the credit schedules in pg-boss when the process has the reminder dependencies', async () => {
    const silent = { error: () => {}, info: () => {}, warn: () => {} } as never;
    const jobs = await startJobs(
      api.db,
      ledgerDeps(() => clock),
      silent,
      { credit: deps },
    );
    try {
      const schedules = (await jobs.boss.getSchedules()) as { name: string; cron: string; options: { tz?: string } }[];
      expect(schedules.map((x) => x.name).sort()).toEqual(
        [...Object.keys(SCHEDULES), ...Object.keys(CREDIT_SCHEDULES)].sort(),
      );
      expect(schedules.find((x) => x.name === 'credit.reminders')).toMatchObject({ cron: '0 10 * * *' });
    } finally {
      await jobs.stop();
    }
  });
});
