import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { queryRows } from '../db/database.ts';
import { verifyLedger } from '../modules/ledger/index.ts';
import { testConfig } from '../testing/harness.ts';
import { createTestDatabase, type TestDatabase } from '../testing/postgres.ts';
import { heldOut, seedWakeUpSalon, WAKE_UP_SALON } from './wake-up-salon.ts';

/** What the wake-up campaign's end-to-end test counts on: a known audience and a known holdout. */
describe('晨曦美容, the wake-up test salon', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(inject('templateDatabase'));
    await seedWakeUpSalon(database, testConfig());
    await seedWakeUpSalon(database, testConfig());
  }, 300_000);
  afterAll(async () => {
    await database?.destroy();
  });

  it('holds eight 沉睡 customers and four 潜力, by its RFM thresholds, once however often it is seeded', async () => {
    const rows = await queryRows<{ name: string; segment: string }>(
      database.db,
      sql`select c.name, r.segment from rfm_scores r join customers c on c.id = r.customer_id
          join tenants t on t.id = c.tenant_id where t.slug = ${WAKE_UP_SALON.tenant.slug} order by c.name`,
    );
    const of = (segment: string) =>
      rows
        .filter((r) => r.segment === segment)
        .map((r) => r.name)
        .sort();
    expect(of('dormant')).toEqual(WAKE_UP_SALON.dormant.map((c) => c.name).sort());
    expect(of('potential')).toEqual(WAKE_UP_SALON.regular.map((c) => c.name).sort());
    expect(rows).toHaveLength(12);
  });

  it('posted every visit through checkout: 20 settled bills, a balanced ledger', async () => {
    const [bills] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from bills where status = 'settled'`,
    );
    expect(bills?.n).toBe(8 + 4 * 3);
    expect((await verifyLedger(database.db)).problems).toEqual([]);
  });

  it('holds out a known share of the audience: at 30%, two of the eight', () => {
    expect(heldOut(3_000)).toEqual(['苏婉清', '罗思琪']);
    expect(heldOut(0)).toEqual([]);
  });
});
