import { startWechatSim, type WechatSim } from '@lumi/wechat-sim';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, type TestApi } from '../../testing/harness.ts';
import { addCustomers, client, DAY_MS } from '../../testing/segmentation-support.ts';
import { runCampaignSend, type SegmentationDeps, segmentationDeps } from './index.ts';
import { closeGate, lockWaiters, until } from '../../testing/lock-waits.ts';

/**
 * The frequency cap holds when campaigns overlap: a customer capped at one campaign message a month gets one,
 * whether the other campaign's message is still being sent when the second decides, or both campaigns decide
 * about her at the same moment. Real PostgreSQL; the moment is made by holding one side mid-way (a gate on its
 * message row), never by timing.
 */
let sim: WechatSim;
let api: TestApi;
let t: TenantFixture;
let deps: SegmentationDeps;
const clock = new Date('2030-06-03T04:00:00Z'); // 12:00 in Shanghai, outside any quiet hours

beforeAll(async () => {
  sim = await startWechatSim({ port: 0, timeScale: 0.001 });
  api = await createTestApi({ WECHAT_API_BASE: sim.url }, { now: () => clock });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  deps = segmentationDeps(api.config, api.app.messaging);
}, 60_000);

afterAll(async () => {
  await api?.close();
  await sim?.close();
});

/** Customers reachable by SMS only, tagged `tag` (the campaigns' audience). */
async function customersTagged(tag: string, count: number): Promise<string[]> {
  const year = new Date(clock.getTime() - 365 * DAY_MS);
  return addCustomers(
    api.db.db,
    t,
    [...Array(count).keys()].map((i) => ({
      name: `${tag}${i}`,
      createdAt: year,
      phone: `1380${String(tag.codePointAt(0)).slice(-3)}${String(i).padStart(4, '0')}`,
      consents: { marketing: true, sms: true },
      tags: [tag],
    })),
  );
}

/** A campaign due now to everyone tagged `tag`, by SMS, capped at one campaign message per 30 days. */
async function campaignFor(tag: string, name: string): Promise<string> {
  const manager = client(api).asManager(t);
  const group = await manager.post('/staff/segmentation/groups', { name, rules: { tagsAny: [tag] } });
  expect(group.statusCode, group.body).toBe(201);
  const created = await manager.post('/staff/segmentation/campaigns', {
    name,
    audience: { type: 'group', groupId: group.json().id },
    offer: { default: null, byCategory: [] },
    message: { sms: { template: 'wakeup', text: '{name}您好，欢迎回来' } },
    channels: ['sms'],
    scheduledAt: clock.toISOString(),
    quietHours: null,
    frequencyCap: { maxMessages: 1, perDays: 30 },
    holdoutBasisPoints: 0,
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json().id;
}

/** Per customer, what the campaigns recorded and the SMS she actually received. */
async function outcomes(customerIds: string[]) {
  return Promise.all(
    customerIds.map(async (id) => {
      const records = await queryRows<{ status: string; reason: string | null }>(
        api.db.db,
        sql`select status, reason from outbound_messages where customer_id = ${id} and purpose = 'campaign'
            order by status, reason`,
      );
      const [sms] = await queryRows<{ n: number }>(
        api.db.db,
        sql`select count(*)::int as n from sms_messages where customer_id = ${id}`,
      );
      return { records, sms: Number(sms?.n) };
    }),
  );
}

const ONE_SENT_ONE_CAPPED = {
  records: [
    { status: 'sent', reason: null },
    { status: 'skipped', reason: 'frequency_cap' },
  ],
  sms: 1,
};

const waiting = () => lockWaiters(api.db.db);

/**
 * Holds, on a connection of its own, an uncommitted message row under the dedupe key `campaign` would record for
 * `customerId`: that campaign's run decides about her, then waits at writing its message until the gate opens
 * (the row is rolled back and the run's own insert goes through).
 */
const closeMessageGate = (campaignId: string, customerId: string) =>
  closeGate(api.db.db, (tx) =>
    tx.execute(
      sql`insert into outbound_messages (tenant_id, customer_id, campaign_id, purpose, dedupe_key, channel, status, created_at)
          values (${t.tenantId}, ${customerId}, ${campaignId}, 'campaign', ${`campaign:${campaignId}:${customerId}`},
                  'none', 'sending', ${clock.toISOString()}::timestamptz)`,
    ),
  );

describe('the frequency cap across campaigns', () => {
  it('counts a message still being sent: the second campaign decides while the first calls the provider', async () => {
    const people = await customersTagged('甲', 3);
    const first = await campaignFor('甲', '六月一');
    const second = await campaignFor('甲', '六月二');
    let secondRan = false;
    const firstRun = await runCampaignSend(api.db.db, deps, t.tenantId, first, {
      hooks: {
        // The first campaign's message to her is recorded (`sending`), its SMS not sent yet.
        afterRecord: async () => {
          if (secondRan) return;
          secondRan = true;
          expect((await runCampaignSend(api.db.db, deps, t.tenantId, second)).state).toBe('completed');
        },
      },
    });
    expect(firstRun).toMatchObject({ state: 'completed', processed: 3 });
    expect(await outcomes(people)).toEqual(people.map(() => ONE_SENT_ONE_CAPPED));
  });

  for (const held of ['first', 'second'] as const) {
    it(`serialises two campaigns deciding about the same customers at once (the ${held} one held)`, async () => {
      const tag = held === 'first' ? '乙' : '丙';
      const people = await customersTagged(tag, 3);
      const campaigns = [await campaignFor(tag, `${tag}一`), await campaignFor(tag, `${tag}二`)];
      const [heldId, otherId] = (held === 'first' ? campaigns : [...campaigns].reverse()) as [string, string];
      // Runs take customers in id order: the held run stops at writing its message to the first of them, having
      // counted her messages; the other run is sent meanwhile, and the gate opened once it finished or waits.
      const firstCustomer = [...people].sort()[0] as string;
      const gate = await closeMessageGate(heldId, firstCustomer);
      const heldRun = runCampaignSend(api.db.db, deps, t.tenantId, heldId);
      await Promise.race([heldRun, until(async () => (await waiting()) >= 1)]);
      const otherRun = runCampaignSend(api.db.db, deps, t.tenantId, otherId);
      await Promise.race([otherRun, until(async () => (await waiting()) >= 2)]);
      await gate.open();
      expect((await heldRun).state).toBe('completed');
      expect((await otherRun).state).toBe('completed');
      expect(await outcomes(people)).toEqual(people.map(() => ONE_SENT_ONE_CAPPED));
    });
  }
});
