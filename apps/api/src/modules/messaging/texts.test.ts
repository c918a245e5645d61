import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, injectAs, staffTokenFor, type TestApi } from '../../testing/harness.ts';

/** 设置 → 消息模板: a manager's own words per purpose, checked, previewed, reset and audited. */
let api: TestApi;
let t: TenantFixture;
let other: TenantFixture;

const TEXTS = '/staff/settings/message-texts';
const as = (f: TenantFixture, role: 'manager' | 'beautician' = 'manager') => staffTokenFor(api.app, f, role);
const list = async (f: TenantFixture) =>
  (await injectAs(api.app, 'GET', TEXTS, as(f))).json() as { purpose: string; text: string; custom: boolean }[];

beforeAll(async () => {
  api = await createTestApi({ WECHAT_API_BASE: 'http://127.0.0.1:9' });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  other = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
});
afterAll(async () => {
  await api?.close();
});

describe('message texts in 设置', () => {
  it('lists every purpose with its default words and a preview in the salon name', async () => {
    const texts = await list(t);
    expect(texts.map((x) => x.purpose)).toEqual(['credit_due_soon', 'credit_due_today', 'credit_overdue']);
    const overdue = (await injectAs(api.app, 'GET', TEXTS, as(t))).json()[2];
    expect(overdue).toMatchObject({
      custom: false,
      placeholders: ['shop', 'amount', 'date', 'days'],
      text: '【{shop}】您有 {amount} 欠款已逾期 {days} 天（应还日期 {date}），请尽快还款。',
    });
    const [salon] = await queryRows<{ name: string }>(
      api.db.db,
      sql`select name from tenants where id = ${t.tenantId}`,
    );
    expect(overdue.preview).toBe(
      `【${salon?.name}】您有 ¥1280.00 欠款已逾期 3 天（应还日期 2026-06-01），请尽快还款。`,
    );
  });

  it('changes the words of one purpose for this salon only, audited, and resets them', async () => {
    const changed = await injectAs(api.app, 'PUT', `${TEXTS}/credit_due_soon`, as(t), {
      text: '  {shop}提醒：{amount} 将于 {date} 到期  ',
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ custom: true, text: '{shop}提醒：{amount} 将于 {date} 到期' });
    expect(changed.json().preview).toMatch(/提醒：¥1280\.00 将于 2026-06-01 到期$/);
    expect((await list(other)).find((x) => x.purpose === 'credit_due_soon')?.custom).toBe(false);

    const reset = await injectAs(api.app, 'POST', `${TEXTS}/credit_due_soon/reset`, as(t));
    expect(reset.json()).toMatchObject({
      custom: false,
      text: '【{shop}】您有 {amount} 欠款将于 {date} 到期，请按时还款。',
    });

    const audit = (await injectAs(api.app, 'GET', '/staff/audit?subjectType=tenant', as(t))).json().items as {
      action: string;
      before: { text: string };
      after: { text: string };
    }[];
    expect(audit.slice(0, 2).map((e) => [e.action, e.after.text])).toEqual([
      ['message_text.reset', '【{shop}】您有 {amount} 欠款将于 {date} 到期，请按时还款。'],
      ['message_text.changed', '{shop}提醒：{amount} 将于 {date} 到期'],
    ]);
  });

  it('refuses a placeholder its purpose has not, an empty or too long text, an unknown purpose, and a beautician', async () => {
    const refused = async (purpose: string, text: unknown, status = 400) => {
      const res = await injectAs(api.app, 'PUT', `${TEXTS}/${purpose}`, as(t), { text });
      expect(res.statusCode).toBe(status);
      return res.json().error;
    };
    // {days} belongs to the overdue reminder only.
    expect(await refused('credit_due_today', '{amount} 已逾期 {days} 天')).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body.text' }],
    });
    expect((await refused('credit_due_today', '   ')).details[0].field).toBe('body.text');
    expect((await refused('credit_due_today', '长'.repeat(135))).details[0].field).toBe('body.text');
    expect((await refused('birthday', '生日快乐')).details[0].field).toBe('params.purpose');
    const beautician = await injectAs(api.app, 'PUT', `${TEXTS}/credit_due_today`, as(t, 'beautician'), {
      text: '{amount}',
    });
    expect(beautician.statusCode).toBe(403);
    expect((await list(t)).every((x) => !x.custom)).toBe(true);
  });
});
