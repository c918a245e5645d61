import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, customerTokenFor, injectAs, type TestApi } from '../../testing/harness.ts';
import { recordMessage } from './outbound.ts';

/** The customer's 消息 (inbox with read state) and consents with their withdrawal, on real PostgreSQL. */
let api: TestApi;
let t: TenantFixture;
let other: TenantFixture;
const clock = new Date('2026-03-05T06:00:00Z');

const customer = (f: TenantFixture, i = 0) => customerTokenFor(api.app, f, i);
const send = (method: 'GET' | 'POST', url: string, token: string | null, payload?: unknown) =>
  injectAs(api.app, method, url, token, payload);

/** A bill notice as checkout's hook records it, through the one recording function. */
async function recordBillNotice(f: TenantFixture, i: number, billId: string, minutesAgo: number) {
  return api.db.db.transaction((tx) =>
    recordMessage(tx, {
      tenantId: f.tenantId,
      customerId: f.customers[i]!.id,
      purpose: 'bill_settled',
      dedupeKey: `test:${billId}`,
      to: { openid: f.customers[i]!.openid, phone: null },
      wechat: { templateId: 'sim-bill-settled', data: { thing5: '消费已结账，点击查看' } },
      context: { billId },
      now: new Date(clock.getTime() - minutesAgo * 60_000),
    }),
  );
}

beforeAll(async () => {
  api = await createTestApi({ WECHAT_API_BASE: 'http://127.0.0.1:9' }, { now: () => clock });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  other = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
});
afterAll(async () => {
  await api?.close();
});

describe('my messages', () => {
  it('lists my notices newest first, unread until I read them, and nobody else’s', async () => {
    const older = await recordBillNotice(t, 0, 'bill-a', 60);
    const newer = await recordBillNotice(t, 0, 'bill-b', 5);
    await recordBillNotice(t, 1, 'bill-c', 1);
    await recordBillNotice(other, 0, 'bill-d', 1);

    const before = (await send('GET', '/me/messages', customer(t))).json();
    expect(before.unread).toBe(2);
    expect(before.items.map((m: { billId: string }) => m.billId)).toEqual(['bill-b', 'bill-a']);
    expect(before.items[0]).toMatchObject({ purpose: 'bill_settled', readAt: null });

    // Another customer's id in the list is ignored, not an error.
    const someoneElses = (await send('GET', '/me/messages', customer(t, 1))).json().items[0].id;
    const read = await send('POST', '/me/messages/read', customer(t), { ids: [newer!.id, someoneElses] });
    expect(read.statusCode).toBe(200);
    expect(read.json().unread).toBe(1);
    expect(read.json().items.find((m: { id: number }) => m.id === newer!.id).readAt).toBe(clock.toISOString());
    expect(read.json().items.find((m: { id: number }) => m.id === older!.id).readAt).toBeNull();
    expect((await send('GET', '/me/messages', customer(t, 1))).json().unread).toBe(1);
    expect((await send('GET', '/me/messages', customer(other))).json().items).toHaveLength(1);
  });

  it('refuses bad input and callers who are not customers', async () => {
    for (const payload of [{}, { ids: [] }, { ids: ['x'] }, { ids: [1], extra: true }, { ids: [-1] }]) {
      const res = await send('POST', '/me/messages/read', customer(t), payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect((await send('GET', '/me/messages', null)).statusCode).toBe(401);
  });
});

describe('my consents', () => {
  it('withdraws subscribe consents so the next message finds none, and turns marketing off', async () => {
    await send('POST', '/me/subscriptions', customer(t, 1), { templateId: 'sim-bill-settled' });
    const before = (await send('GET', '/me/consents', customer(t, 1))).json();
    expect(before.subscriptions).toEqual([{ templateId: 'sim-bill-settled', available: 1 }]);

    const withdrawn = await send('POST', '/me/consents/withdrawal', customer(t, 1), { consent: 'subscriptions' });
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json().subscriptions).toEqual([]);
    const next = await recordBillNotice(t, 1, 'bill-after-withdrawal', 0);
    expect(next?.wechat).toBeNull();

    await api.db.db.execute(
      // The fixture's customers agreed to marketing at the front desk.
      sql`update customers set consents = '{"marketing": true, "sms": true}'
        where id = ${t.customers[1]!.id}`,
    );
    const marketing = await send('POST', '/me/consents/withdrawal', customer(t, 1), { consent: 'marketing' });
    expect(marketing.json()).toMatchObject({ marketing: false, sms: true });
    // Only hers.
    expect((await send('GET', '/me/consents', customer(t, 0))).json()).toMatchObject({ marketing: false });
  });

  it('refuses an unknown consent', async () => {
    const res = await send('POST', '/me/consents/withdrawal', customer(t), { consent: 'everything' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });
});
