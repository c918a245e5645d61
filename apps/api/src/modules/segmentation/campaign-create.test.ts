import { startWechatSim, type WechatSim } from '@lumi/wechat-sim';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, type TestApi } from '../../testing/harness.ts';
import { addCustomers, client, DAY_MS, history } from '../../testing/segmentation-support.ts';
import { customerIdentities } from '../customers/index.ts';
import { runDueCampaigns, type SegmentationDeps, segmentationDeps } from './index.ts';

/**
 * Creating a campaign as the manager's 新建唤醒活动 screen does: a custom group's live count with the customers a
 * frequency cap leaves out, a send time the job waits for (and quiet hours after it), the subscribe-message
 * channel with the configured template, and the field errors of a bad request.
 *
 * Six customers, all signed up a year ago; RFM is computed at 2030-05-10 10:00 Shanghai time:
 *   A ¥300 100 days ago, phone + SMS consent, tagged 常客 — already got two campaign SMS ten days ago
 *   B ¥300 100 days ago, phone + SMS consent, tagged 一次 — got one
 *   C ¥300 100 days ago, WeChat with a consent for the campaign template
 *   D ¥300 100 days ago, no phone, no WeChat
 *   E ¥300 10 days ago (too recent for the group)      F ¥100 100 days ago (spent too little)
 */
let sim: WechatSim;
let api: TestApi;
let t: TenantFixture;
let deps: SegmentationDeps;
let clock = new Date('2030-05-10T02:00:00Z'); // 10:00 in Shanghai
const who: Record<string, string> = {};
const LAPSED = { lastVisitDaysAgo: { min: 60 }, spendFen: { min: 20_000 } };
const OFFER = {
  default: { kind: 'amount_off', title: '回店礼', amountOffFen: 5_000, validDays: 14 },
  byCategory: [],
};
const smsOnly = (name: string, tags: string[]) => ({
  name,
  audience: { type: 'group', groupId: '' },
  offer: OFFER,
  message: { sms: { template: 'wakeup', text: '{name}您好' } },
  channels: ['sms'],
  quietHours: null,
  frequencyCap: null,
  holdoutBasisPoints: 0,
  tags,
});

beforeAll(async () => {
  sim = await startWechatSim({ port: 0, timeScale: 0.001 });
  api = await createTestApi({ WECHAT_API_BASE: sim.url }, { now: () => clock });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  deps = segmentationDeps(api.config, api.app.messaging);
  const year = new Date(clock.getTime() - 365 * DAY_MS);
  const sms = { marketing: true, sms: true };
  const ids = await addCustomers(api.db.db, t, [
    { name: 'A', createdAt: year, phone: '13900000001', consents: sms, tags: ['常客'] },
    { name: 'B', createdAt: year, phone: '13900000002', consents: sms, tags: ['一次'] },
    { name: 'C', createdAt: year },
    { name: 'D', createdAt: year },
    { name: 'E', createdAt: year },
    { name: 'F', createdAt: year },
  ]);
  for (const [i, name] of ['A', 'B', 'C', 'D', 'E', 'F'].entries()) who[name] = ids[i] as string;
  const h = history(api.db.db, t);
  const ago = (days: number) => new Date(clock.getTime() - days * DAY_MS);
  for (const name of ['A', 'B', 'C', 'D']) await h.spend(who[name] as string, 30_000, ago(100));
  await h.spend(who.E as string, 30_000, ago(10));
  await h.spend(who.F as string, 10_000, ago(100));

  const openid = 'openid-campaign-c';
  await api.db.db
    .insert(customerIdentities)
    .values({ tenantId: t.tenantId, customerId: who.C as string, appId: api.config.WECHAT_CUSTOMER_APPID, openid });
  sim.issueLoginCode(api.config.WECHAT_CUSTOMER_APPID, openid); // the simulator knows her from her login
  sim.grantSubscription({ openid, templateId: 'sim-campaign', count: 1 });
  const c = client(api);
  const consent = await c.send('POST', '/me/subscriptions', c.customerToken(t, who.C as string), {
    templateId: 'sim-campaign',
  });
  expect(consent.statusCode, consent.body).toBe(201);

  // Ten days ago: two earlier campaigns reached A, one of them B.
  const manager = c.asManager(t);
  clock = ago(10);
  for (const earlier of [smsOnly('四月一', ['常客', '一次']), smsOnly('四月二', ['常客'])]) {
    const { tags, ...body } = earlier;
    const group = await manager.post('/staff/segmentation/groups', { name: body.name, rules: { tagsAny: tags } });
    const created = await manager.post('/staff/segmentation/campaigns', {
      ...body,
      audience: { type: 'group', groupId: group.json().id },
      scheduledAt: clock.toISOString(),
    });
    expect(created.statusCode, created.body).toBe(201);
  }
  expect((await runDueCampaigns(api.db.db, deps)).map((o) => o.state)).toEqual(['completed', 'completed']);
  clock = new Date('2030-05-10T02:00:00Z');
  expect((await manager.post('/staff/segmentation/recompute', { parts: ['rfm'] })).statusCode).toBe(200);
}, 60_000);

afterAll(async () => {
  await api?.close();
  await sim?.close();
});

const names = (sample: { customerId: string }[]) =>
  sample.map((m) => Object.keys(who).find((k) => who[k] === m.customerId)).sort();

describe('the audience of a new campaign', () => {
  it('counts a custom group live and shows who a frequency cap leaves out', async () => {
    const manager = client(api).asManager(t);
    const preview = async (frequencyCap?: { maxMessages: number; perDays: number }) => {
      const res = await manager.post('/staff/segmentation/groups/preview', { rules: LAPSED, frequencyCap });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const plain = await preview();
    expect([plain.count, names(plain.sample), plain.capped]).toEqual([4, ['A', 'B', 'C', 'D'], undefined]);
    const two = await preview({ maxMessages: 2, perDays: 30 });
    expect([two.count, two.capped.count, names(two.capped.sample)]).toEqual([4, 1, ['A']]);
    const one = await preview({ maxMessages: 1, perDays: 30 });
    expect([one.capped.count, names(one.capped.sample)]).toEqual([2, ['A', 'B']]);
    // The messages went out ten days ago: a 5-day cap does not see them.
    expect((await preview({ maxMessages: 1, perDays: 5 })).capped.count).toBe(0);
  });

  it('is for managers only', async () => {
    const c = client(api);
    const res = await c.send('POST', '/staff/segmentation/groups/preview', c.staffToken(t, 'beautician'), {
      rules: LAPSED,
      frequencyCap: { maxMessages: 2, perDays: 30 },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('a scheduled campaign', () => {
  it('waits for its time, then for the end of quiet hours, and sends by subscribe message with the campaign template', async () => {
    const manager = client(api).asManager(t);
    const group = await manager.post('/staff/segmentation/groups', { name: '两个月未到店', rules: LAPSED });
    const created = await manager.post('/staff/segmentation/campaigns', {
      name: '周末回店礼',
      audience: { type: 'group', groupId: group.json().id },
      offer: OFFER,
      message: {
        wechat: { data: { thing1: '{coupon}', thing2: '{name}，周末见' } },
        sms: { template: 'wakeup', text: '{name}您好，{coupon}已放入卡包' },
        banner: { title: '{name}，周末见', body: '{coupon}' },
      },
      channels: ['wechat', 'sms', 'in_app'],
      scheduledAt: '2030-05-10T13:30:00Z', // 21:30 Shanghai: inside the default quiet hours 21:00–09:00
      frequencyCap: { maxMessages: 2, perDays: 30 },
      holdoutBasisPoints: 0,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect(created.json()).toMatchObject({ status: 'scheduled', quietHours: { start: '21:00', end: '09:00' } });
    const messages = () =>
      queryRows<{ name: string; channel: string; status: string; reason: string | null }>(
        api.db.db,
        sql`select c.name, o.channel, o.status, o.reason from outbound_messages o join customers c on c.id = o.customer_id
            where o.campaign_id = ${id} order by c.name`,
      );

    // 10:00: not due yet.
    expect((await runDueCampaigns(api.db.db, deps)).filter((o) => o.campaignId === id)).toEqual([]);
    // 21:31: due, but quiet until 09:00 tomorrow; nothing sent.
    clock = new Date('2030-05-10T13:31:00Z');
    const quiet = (await runDueCampaigns(api.db.db, deps)).find((o) => o.campaignId === id);
    expect(quiet).toMatchObject({ state: 'quiet', processed: 0, resumeAt: '2030-05-11T01:00:00.000Z' });
    expect(await messages()).toEqual([]);
    // 09:05 tomorrow: sent.
    clock = new Date('2030-05-11T01:05:00Z');
    const sent = (await runDueCampaigns(api.db.db, deps)).find((o) => o.campaignId === id);
    expect(sent).toMatchObject({ state: 'completed', processed: 4 });
    expect(await messages()).toEqual([
      { name: 'A', channel: 'none', status: 'skipped', reason: 'frequency_cap' },
      { name: 'B', channel: 'sms', status: 'sent', reason: null },
      { name: 'C', channel: 'wechat', status: 'sent', reason: null },
      { name: 'D', channel: 'none', status: 'skipped', reason: 'no_consent: in-app banner only' },
    ]);
    const wechat = sim.messages({ openid: 'openid-campaign-c', templateId: 'sim-campaign' });
    expect(wechat.map((m) => m.data)).toEqual([
      { thing1: { value: '回店礼（立减50元）' }, thing2: { value: 'C，周末见' } },
    ]);
  });
});

describe('saved groups', () => {
  it('audits every save with the rules before and after', async () => {
    const manager = client(api).asManager(t);
    const group = (await manager.post('/staff/segmentation/groups', { name: '老顾客', rules: LAPSED })).json();
    const wider = { ...LAPSED, lastVisitDaysAgo: { min: 30 } };
    const put = await manager.put(`/staff/segmentation/groups/${group.id}`, { name: '老顾客', rules: wider });
    expect(put.statusCode, put.body).toBe(200);
    const audit = await manager.get(`/staff/audit?action=segmentation.group_saved&subjectId=${group.id}`);
    expect(audit.statusCode, audit.body).toBe(200);
    const entries = (audit.json().items as { subjectId: string; before: unknown; after: { rules: unknown } }[])
      .filter((e) => e.subjectId === group.id)
      .reverse();
    expect(
      entries.map((e) => [e.before === null ? null : (e.before as { rules: unknown }).rules, e.after.rules]),
    ).toEqual([
      [null, LAPSED],
      [LAPSED, wider],
    ]);
  });
});

describe('bad requests', () => {
  const base = {
    name: '坏活动',
    audience: { type: 'segments', segments: ['dormant'] },
    offer: OFFER,
    message: { banner: { title: '标题', body: '内容' } },
    channels: ['in_app'],
  };

  it('answers each mistake with its field', async () => {
    const manager = client(api).asManager(t);
    const cases: [unknown, string][] = [
      [{ ...base, scheduledAt: '2030-05-11T00:00:00Z' }, 'body.scheduledAt'], // an hour ago
      [{ ...base, scheduledAt: '2031-06-01T00:00:00Z' }, 'body.scheduledAt'], // more than a year ahead
      [{ ...base, quietHours: { start: '22:00', end: '22:00' } }, 'body.quietHours.end'],
      [{ ...base, channels: ['in_app', 'wechat'] }, 'body.message.wechat'],
      [{ ...base, frequencyCap: { maxMessages: 0, perDays: 30 } }, 'body.frequencyCap.maxMessages'],
    ];
    for (const [body, field] of cases) {
      const res = await manager.post('/staff/segmentation/campaigns', body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const draft = await manager.post('/staff/segmentation/campaigns', base);
    expect(draft.statusCode).toBe(201);
    const late = await manager.post(`/staff/segmentation/campaigns/${draft.json().id}/schedule`, {
      at: '2030-05-10T00:00:00Z',
    });
    expect([late.statusCode, late.json().error.details]).toEqual([400, [{ field: 'body.at', message: 'in the past' }]]);
    const missing = await manager.post('/staff/segmentation/campaigns', {
      ...base,
      audience: { type: 'group', groupId: '00000000-0000-4000-8000-000000000000' },
    });
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'GROUP_NOT_FOUND']);
    const count = await queryRows<{ n: number }>(
      api.db.db,
      sql`select count(*)::int as n from campaigns where tenant_id = ${t.tenantId} and name = '坏活动'`,
    );
    expect(count[0]?.n).toBe(1);
  });
});
