import { randomUUID } from 'node:crypto';
import { startWechatSim, type WechatSim } from '@lumi/wechat-sim';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, customerTokenFor, staffTokenFor, type TestApi } from '../../testing/harness.ts';
import { customers } from '../customers/index.ts';
import { notifyBill } from './index.ts';

/**
 * Bill notices end to end: checkout's routes call the notifyCustomer hook after the commit, app.ts wires it to
 * messaging, and the message goes through the WeChat simulator (with a one-time consent) or the SMS sink.
 */
let sim: WechatSim;
let api: TestApi;
let t: TenantFixture;
const clock = new Date('2026-05-01T04:00:00Z'); // 12:00 in Shanghai

type Who = 'beautician' | 'manager';
const staffToken = (who: Who = 'beautician') => staffTokenFor(api.app, t, who);
const customerToken = (i: number) => customerTokenFor(api.app, t, i);

async function call(method: 'POST' | 'PUT' | 'GET', url: string, payload?: object, token = staffToken()) {
  return api.app.inject({
    method,
    url,
    headers: { ...bearer(token), 'idempotency-key': randomUUID() },
    ...(payload ? { payload } : {}),
  });
}

/** The customer accepted the template in wx.requestSubscribeMessage (WeChat keeps the grant) and the app told Lumi. */
async function consent(i: number, templateId: string, options: { wechat?: boolean } = {}) {
  if (options.wechat !== false) sim.grantSubscription({ openid: t.customers[i]!.openid, templateId });
  const res = await call('POST', '/me/subscriptions', { templateId }, customerToken(i));
  expect(res.statusCode).toBe(201);
}

async function settledBill(i: number, tenders: object[] = [{ method: 'cash', amountFen: 38_800 }]) {
  const opened = await call('POST', '/staff/bills', {
    storeId: t.storeIds[0],
    customerId: t.customers[i]!.id,
    lines: [{ type: 'service', serviceId: t.serviceId, quantity: 1, performerIds: [] }],
  });
  expect(opened.statusCode, opened.body).toBe(201);
  const settled = await call('POST', `/staff/bills/${opened.json().id}/settlement`, { tenders });
  expect(settled.statusCode, settled.body).toBe(200);
  return settled.json() as { id: string; number: string; status: string };
}

interface MessageRow {
  purpose: string;
  channel: string;
  status: string;
  reason: string | null;
}

/** The hook runs after the response: wait until the bill's message has its outcome. */
async function messageFor(billId: string, event: string, occurrence?: string): Promise<MessageRow> {
  const key = ['bill', billId, event, occurrence].filter(Boolean).join(':');
  return vi.waitFor(
    async () => {
      const [row] = await queryRows<MessageRow>(
        api.db.db,
        sql`select purpose, channel, status, reason from outbound_messages
            where tenant_id = ${t.tenantId} and dedupe_key = ${key} and status <> 'sending'`,
      );
      if (!row) throw new Error(`no finished message ${key}`);
      return row;
    },
    { timeout: 30_000, interval: 50 },
  );
}

const smsTo = (i: number) =>
  queryRows<{ template: string; body: string }>(
    api.db.db,
    sql`select template, body from sms_messages where customer_id = ${t.customers[i]!.id} order by id`,
  );
const consentsOf = async (i: number) => (await call('GET', '/me/subscriptions', undefined, customerToken(i))).json();

beforeAll(async () => {
  sim = await startWechatSim({ port: 0, timeScale: 0.001 });
  // A timeout with room for a busy machine: a send that merely runs slow must still go by WeChat.
  api = await createTestApi({ WECHAT_API_BASE: sim.url, WECHAT_TIMEOUT_MS: '5000' }, { now: () => clock });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  for (const customer of t.customers) sim.issueLoginCode(api.config.WECHAT_CUSTOMER_APPID, customer.openid);
  const top = await call('POST', `/staff/customers/${t.customers[0]!.id}/top-ups`, {
    storeId: t.storeIds[0],
    amountFen: 100_000,
    method: 'cash',
  });
  expect(top.statusCode).toBe(201);
});
afterEach(() => sim.faults.clear());
afterAll(async () => {
  await api?.close();
  await sim?.close();
});

describe('bill notices (notify mode)', () => {
  it('sends a settled bill by subscribe message when the customer consented, and uses the consent up', async () => {
    await consent(0, 'sim-bill-settled');
    const bill = await settledBill(0);
    expect(bill.status).toBe('settled');
    expect(await messageFor(bill.id, 'bill_settled')).toMatchObject({ channel: 'wechat', status: 'sent' });
    const [message] = sim.messages({ openid: t.customers[0]!.openid, templateId: 'sim-bill-settled' });
    expect(message).toMatchObject({
      page: `bills/detail/index?id=${bill.id}`,
      data: {
        character_string1: { value: bill.number },
        amount2: { value: '¥388.00' },
        thing3: { value: '一号店' },
        time4: { value: '2026-05-01 12:00' },
        thing5: { value: '消费已完成，如有疑问可反馈' },
      },
    });
    expect(await consentsOf(0)).toEqual([]);
  });

  it('falls back to SMS without a consent', async () => {
    const bill = await settledBill(0);
    expect(await messageFor(bill.id, 'bill_settled')).toMatchObject({ channel: 'sms', status: 'sent', reason: null });
    expect((await smsTo(0)).at(-1)).toMatchObject({
      template: 'bill_settled',
      body: `【测试美容院 ${t.slug}】账单 ${bill.number} 已结算 ¥388.00，如有疑问可在小程序中反馈。`,
    });
    expect(sim.messages({ openid: t.customers[0]!.openid })).toHaveLength(1);
  });

  it('tells the customer once about a void, however often the void is repeated', async () => {
    const bill = await settledBill(1);
    await messageFor(bill.id, 'bill_settled');
    for (let i = 0; i < 2; i++) {
      const voided = await call('POST', `/staff/bills/${bill.id}/void`, { reason: '项目录错' });
      expect(voided.json().status).toBe('voided');
    }
    expect(await messageFor(bill.id, 'bill_voided')).toMatchObject({ channel: 'sms', status: 'sent' });
    const voids = (await smsTo(1)).filter((m) => m.template === 'bill_voided');
    expect(voids).toHaveLength(1);
    expect(voids[0]?.body).toContain('已撤销');
  });

  it('tells the customer each time a manager answers one of their questions', async () => {
    const bill = await settledBill(1);
    for (const reason of ['这次护理没有做满时间', '还想再问一下']) {
      const asked = await call('POST', `/me/bills/${bill.id}/disputes`, { reason }, customerToken(1));
      expect(asked.statusCode).toBe(201);
      const open = (await call('GET', '/staff/disputes?status=open', undefined, staffToken('manager'))).json();
      const dispute = open.find((d: { billId: string }) => d.billId === bill.id);
      const answered = await call(
        'POST',
        `/staff/disputes/${dispute.id}/resolution`,
        { resolution: 'answer', answer: '已核对，护理时长为60分钟' },
        staffToken('manager'),
      );
      expect(answered.statusCode).toBe(200);
      expect(await messageFor(bill.id, 'dispute_answered', dispute.id)).toMatchObject({ status: 'sent' });
    }
    expect((await smsTo(1)).filter((m) => m.template === 'dispute_answered')).toHaveLength(2);
  });
});

describe('bill notices (confirm_first)', () => {
  it('asks the customer to confirm, then tells them the bill is settled', async () => {
    await api.db.db.execute(
      sql`update tenants set settings = jsonb_set(settings, '{checkout}', '{"confirmationMode":"confirm_first"}')
          where id = ${t.tenantId}`,
    );
    try {
      await consent(0, 'sim-bill-to-confirm');
      const bill = await settledBill(0, [{ method: 'stored_value', amountFen: 38_800 }]);
      expect(bill.status).toBe('awaiting_customer');
      expect(await messageFor(bill.id, 'bill_to_confirm')).toMatchObject({ channel: 'wechat', status: 'sent' });
      const [message] = sim.messages({ openid: t.customers[0]!.openid, templateId: 'sim-bill-to-confirm' });
      expect(message?.data.thing5?.value).toBe('请在小程序内确认本次扣款');
      expect(message?.page).toBe(`bills/detail/index?id=${bill.id}`);

      const confirmed = await call('POST', `/me/bills/${bill.id}/confirmation`, undefined, customerToken(0));
      expect(confirmed.json().status).toBe('settled');
      expect(await messageFor(bill.id, 'bill_settled')).toMatchObject({ channel: 'sms', status: 'sent' });
    } finally {
      await api.db.db.execute(sql`update tenants set settings = settings - 'checkout' where id = ${t.tenantId}`);
    }
  });
});

describe('when WeChat fails', () => {
  it('still settles the bill, and the message falls back to SMS with the error recorded', async () => {
    await consent(0, 'sim-bill-settled');
    sim.faults.add({ kind: 'response-error', path: '/cgi-bin/message/subscribe/send', status: 500, times: 1 });
    const bill = await settledBill(0);
    expect(bill.status).toBe('settled');
    const message = await messageFor(bill.id, 'bill_settled');
    expect(message).toMatchObject({ channel: 'sms', status: 'sent' });
    expect(message.reason).toMatch(/^wechat /);
    expect((await smsTo(0)).at(-1)?.body).toContain(bill.number);
    // The consent was claimed for this message: WeChat may have delivered it before failing.
    expect(await consentsOf(0)).toEqual([]);
  });

  it('answers the checkout before a hanging WeChat times out', async () => {
    await consent(0, 'sim-bill-settled');
    // WeChat hangs far beyond the send's 5 s timeout: the checkout answering before the hang ends shows it did not
    // wait for the message.
    sim.faults.add({ kind: 'response-hang', path: '/cgi-bin/message/subscribe/send', hangMs: 60_000, times: 1 });
    const started = Date.now();
    const bill = await settledBill(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    const message = await messageFor(bill.id, 'bill_settled');
    expect(message).toMatchObject({ channel: 'sms', status: 'sent' });
    expect(message.reason).toContain('WeChat unreachable');
  });

  it('records a failure when WeChat refuses and there is no phone to fall back to', async () => {
    await api.db.db
      .update(customers)
      .set({ phone: null })
      .where(and(eq(customers.tenantId, t.tenantId), eq(customers.id, t.customers[1]!.id)));
    // Lumi holds a consent WeChat no longer honours (43101).
    await consent(1, 'sim-bill-settled', { wechat: false });
    const bill = await settledBill(1);
    expect(bill.status).toBe('settled');
    const message = await messageFor(bill.id, 'bill_settled');
    expect(message).toMatchObject({ channel: 'wechat', status: 'failed' });
    expect(message.reason).toContain('43101');
  });
});

describe('tenant settings', () => {
  const notice = (billId: string) => ({
    tenantId: t.tenantId,
    customerId: t.customers[0]!.id,
    event: 'bill_refunded' as const,
    billId,
    billNumber: 'S01-20260501-0042',
    storeName: '一号店',
    amountFen: 12_345,
    at: clock,
    occurrenceId: 'refund-1',
  });

  it('sends nothing and records nothing for a muted event', async () => {
    const muted = await call(
      'PUT',
      '/staff/messaging/settings',
      { mutedBillEvents: ['bill_refunded'] },
      staffToken('manager'),
    );
    expect(muted.json()).toEqual({ mutedBillEvents: ['bill_refunded'], billSmsFallback: true });
    const billId = randomUUID();
    expect(await notifyBill(api.db.db, api.app.messaging, notice(billId))).toBe('muted');
    const rows = await queryRows(
      api.db.db,
      sql`select 1 from outbound_messages where dedupe_key like ${`bill:${billId}%`}`,
    );
    expect(rows).toEqual([]);
  });

  it('records a skipped message instead of an SMS when the tenant turned the fallback off', async () => {
    await call(
      'PUT',
      '/staff/messaging/settings',
      { mutedBillEvents: [], billSmsFallback: false },
      staffToken('manager'),
    );
    const billId = randomUUID();
    const before = (await smsTo(0)).length;
    expect(await notifyBill(api.db.db, api.app.messaging, notice(billId))).toBe('skipped');
    expect(await notifyBill(api.db.db, api.app.messaging, notice(billId))).toBe('duplicate');
    expect(await messageFor(billId, 'bill_refunded', 'refund-1')).toMatchObject({
      purpose: 'bill_refunded',
      channel: 'none',
      status: 'skipped',
      reason: 'no_consent',
    });
    expect(await smsTo(0)).toHaveLength(before);
  });

  it('sends a refund by its own template with the refunded amount', async () => {
    await consent(0, 'sim-bill-refunded');
    const billId = randomUUID();
    expect(await notifyBill(api.db.db, api.app.messaging, notice(billId))).toBe('wechat');
    const [message] = sim.messages({ openid: t.customers[0]!.openid, templateId: 'sim-bill-refunded' });
    expect(message?.data.amount2?.value).toBe('¥123.45');
  });
});
