import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, injectAs, staffTokenFor, type TestApi } from '../../testing/harness.ts';

/** 审计 filters: by action, subject, who and a time range [from, to), on entries written by real changes. */
let api: TestApi;
let t: TenantFixture;

const manager = () => staffTokenFor(api.app, t, 'manager');
const owner = () => staffTokenFor(api.app, t, 'owner');
const audit = (query: string) => injectAs(api.app, 'GET', `/staff/audit?${query}`, manager());
const actions = async (query: string) =>
  ((await audit(query)).json().items as { action: string }[]).map((e) => e.action);

beforeAll(async () => {
  api = await createTestApi({ WECHAT_API_BASE: 'http://127.0.0.1:9' });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  await injectAs(api.app, 'PUT', '/staff/brand/settings', manager(), { color: '#c2185b' });
  await injectAs(api.app, 'POST', '/staff/settings/top-up-plans', manager(), { name: '充300送30', payFen: 30_000 });
});
afterAll(async () => {
  await api?.close();
});

describe('audit filters', () => {
  it('filters by action', async () => {
    expect(await actions('action=top_up_plan.created')).toEqual(['top_up_plan.created']);
    expect(await actions('action=brand.settings_changed')).toEqual(['brand.settings_changed']);
    expect(await actions('')).toEqual(['top_up_plan.created', 'brand.settings_changed']);
  });

  it('filters by a time range, from inclusive and to exclusive', async () => {
    const hour = 3_600_000;
    const iso = (ms: number) => new Date(ms).toISOString();
    const now = Date.now();
    expect(await actions(`from=${iso(now - hour)}&to=${iso(now + hour)}`)).toHaveLength(2);
    expect(await actions(`from=${iso(now + hour)}`)).toEqual([]);
    expect(await actions(`to=${iso(now - hour)}`)).toEqual([]);
    const [newest] = (await audit('limit=1')).json().items as { at: string }[];
    const at = Date.parse(newest?.at ?? '');
    expect(await actions(`from=${iso(at)}&to=${iso(at + 1)}&action=top_up_plan.created`)).toEqual([
      'top_up_plan.created',
    ]);
    expect(await actions(`to=${iso(at)}&action=top_up_plan.created`)).toEqual([]);
  });

  it("lists one subject's entries by its id alone, and one person's doings", async () => {
    const plan = (
      await injectAs(api.app, 'POST', '/staff/settings/top-up-plans', owner(), { name: '充500送60', payFen: 50_000 })
    ).json().id as string;
    await injectAs(api.app, 'PUT', `/staff/settings/top-up-plans/${plan}`, manager(), { bonusFen: 6_000 });
    const about = (await audit(`subjectId=${plan}`)).json().items as { action: string; actorStaffId: string }[];
    expect(about.map((e) => [e.action, e.actorStaffId])).toEqual([
      ['top_up_plan.updated', t.manager.id],
      ['top_up_plan.created', t.owner.id],
    ]);
    expect(await actions(`staffId=${t.owner.id}`)).toEqual(['top_up_plan.created']);
    expect(await actions(`staffId=${t.manager.id}&subjectId=${plan}`)).toEqual(['top_up_plan.updated']);
    expect(await actions(`staffId=${t.beautician.id}`)).toEqual([]);
  });

  it('refuses a range that ends before it starts, or a date that is not a moment, naming the field', async () => {
    const backwards = await audit('from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00Z');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.details.map((d: { field: string }) => d.field)).toContain('querystring.to');
    const notAMoment = await audit('from=yesterday');
    expect(notAMoment.statusCode).toBe(400);
    expect(notAMoment.json().error.details.map((d: { field: string }) => d.field)).toContain('querystring.from');
  });
});
