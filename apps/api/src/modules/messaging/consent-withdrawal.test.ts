import { randomUUID } from 'node:crypto';
import { startWechatSim, type WechatSim } from '@lumi/wechat-sim';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, customerTokenFor, staffTokenFor, type TestApi } from '../../testing/harness.ts';

/**
 * 我的资料 → 撤回订阅消息授权, end to end through the WeChat simulator: WeChat still holds her grants (a withdrawal
 * in Lumi cannot take them back there), so only Lumi's own record can keep the next bill notice from going out.
 */
let sim: WechatSim;
let api: TestApi;
let t: TenantFixture;
const clock = new Date('2026-05-01T04:00:00Z');
const TEMPLATE = 'sim-bill-settled';

const call = (method: 'POST' | 'GET', url: string, token: string, payload?: object) =>
  api.app.inject({
    method,
    url,
    headers: { ...bearer(token), 'idempotency-key': randomUUID() },
    ...(payload ? { payload } : {}),
  });
const her = () => customerTokenFor(api.app, t, 0);
const desk = () => staffTokenFor(api.app, t, 'beautician');
const received = () => sim.messages({ openid: t.customers[0]!.openid, templateId: TEMPLATE });

async function settledBill(): Promise<string> {
  const opened = await call('POST', '/staff/bills', desk(), {
    storeId: t.storeIds[0],
    customerId: t.customers[0]!.id,
    lines: [{ type: 'service', serviceId: t.serviceId, quantity: 1, performerIds: [] }],
  });
  expect(opened.statusCode, opened.body).toBe(201);
  const settled = await call('POST', `/staff/bills/${opened.json().id}/settlement`, desk(), {
    tenders: [{ method: 'cash', amountFen: 38_800 }],
  });
  expect(settled.statusCode, settled.body).toBe(200);
  return settled.json().id;
}

/** The notice is sent after the response: its outcome, once there is one. */
function noticeOutcome(billId: string) {
  return vi.waitFor(
    async () => {
      const [row] = await queryRows<{ channel: string; status: string; reason: string | null }>(
        api.db.db,
        sql`select channel, status, reason from outbound_messages
            where tenant_id = ${t.tenantId} and dedupe_key = ${`bill:${billId}:bill_settled`} and status <> 'sending'`,
      );
      if (!row) throw new Error('no outcome yet');
      return row;
    },
    { timeout: 30_000, interval: 50 },
  );
}

beforeAll(async () => {
  sim = await startWechatSim({ port: 0, timeScale: 0.001 });
  api = await createTestApi({ WECHAT_API_BASE: sim.url, WECHAT_TIMEOUT_MS: '5000' }, { now: () => clock });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  // WeChat knows her: she has opened the mini-program.
  sim.issueLoginCode(api.config.WECHAT_CUSTOMER_APPID, t.customers[0]!.openid);
});
afterAll(async () => {
  await api?.close();
  await sim?.close();
});

describe('a withdrawn subscribe consent', () => {
  it('stops the next subscribe message: the simulator receives nothing after the withdrawal', async () => {
    // She accepted the template twice in WeChat, and the app told Lumi both times.
    for (let i = 0; i < 2; i++) {
      sim.grantSubscription({ openid: t.customers[0]!.openid, templateId: TEMPLATE });
      expect((await call('POST', '/me/subscriptions', her(), { templateId: TEMPLATE })).statusCode).toBe(201);
    }
    const first = await settledBill();
    expect(await noticeOutcome(first)).toMatchObject({ channel: 'wechat', status: 'sent', reason: null });
    expect(received()).toHaveLength(1);

    const withdrawn = await call('POST', '/me/consents/withdrawal', her(), { consent: 'subscriptions' });
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json().subscriptions).toEqual([]);

    const second = await settledBill();
    // Not by WeChat (SMS, the tenant's fallback, or nothing), though WeChat would still have taken it.
    expect((await noticeOutcome(second)).channel).not.toBe('wechat');
    expect(received()).toHaveLength(1);

    // A new consent afterwards is hers to give: the message after it goes out again.
    expect((await call('POST', '/me/subscriptions', her(), { templateId: TEMPLATE })).statusCode).toBe(201);
    const third = await settledBill();
    expect(await noticeOutcome(third)).toMatchObject({ channel: 'wechat', status: 'sent' });
    expect(received()).toHaveLength(2);
  });
});
