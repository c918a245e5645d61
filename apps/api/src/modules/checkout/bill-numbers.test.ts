import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, staffTokenFor, type TestApi } from '../../testing/harness.ts';

let api: TestApi;
let t: TenantFixture;
let clock = new Date('2026-12-07T02:00:00Z'); // 10:00 in Shanghai

/** Opens a one-line bill as the owner, who works at both stores; answers the bill number. */
async function openBill(storeId: string, body: Record<string, unknown> = {}, line: Record<string, unknown> = {}) {
  const res = await api.app.inject({
    method: 'POST',
    url: '/staff/bills',
    headers: bearer(staffTokenFor(api.app, t, 'owner')),
    payload: {
      storeId,
      customerId: t.customers[0]!.id,
      lines: [{ type: 'service', serviceId: t.serviceId, quantity: 1, performerIds: [t.owner.id], ...line }],
      ...body,
    },
  });
  return res;
}

async function billNumber(storeId: string): Promise<string> {
  const res = await openBill(storeId);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().number;
}

/** The sequence part of a bill number (`S01-20261208-0007` → 7). */
const sequence = (number: string) => Number(number.split('-').at(-1));

/** Resolves once a statement of the API waits for a lock while inserting into `table`. */
async function waitingToInsert(table: string) {
  for (;;) {
    const [row] = await queryRows<{ waiting: number }>(
      api.db.db,
      sql`select count(*)::int as waiting from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and query like ${`insert into "${table}"%`}`,
    );
    if (row!.waiting > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const numbers = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(4, '0')}`);

beforeAll(async () => {
  api = await createTestApi({}, { now: () => clock });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
});

afterAll(async () => {
  await api?.close();
});

describe('bill numbers', () => {
  it('are the store code, the Shanghai day and the next number of that store and day, even when opened at once', async () => {
    const opened = await Promise.all(Array.from({ length: 40 }, () => billNumber(t.storeIds[0])));
    expect([...opened].sort()).toEqual(numbers('S01-20261207', 40));
  });

  it('count each store and each business day on their own', async () => {
    const [first, second] = await Promise.all([billNumber(t.storeIds[1]), billNumber(t.storeIds[1])]);
    expect([first, second].sort()).toEqual(numbers('S02-20261207', 2));
    expect(await billNumber(t.storeIds[0])).toBe('S01-20261207-0041');
    // 16:30 UTC is already the next day in Shanghai.
    clock = new Date('2026-12-07T16:30:00Z');
    expect(await billNumber(t.storeIds[0])).toBe('S01-20261208-0001');
    expect(await billNumber(t.storeIds[1])).toBe('S02-20261208-0001');
  });
});

describe("a bill's number is taken before the bill's own transaction", () => {
  it('so a bill whose transaction is still open does not hold up the next open of its store', async () => {
    // A changed price is audited in the bill's transaction; holding the audit table stops that transaction
    // after its bill is stored and before it commits.
    const held = api.db.db.transaction(async (tx) => {
      await tx.execute(sql`lock table audit_log in share mode`);
      const stalled = openBill(t.storeIds[0], {}, { unitPriceFen: 30_000 });
      await waitingToInsert('audit_log');
      // Before, the stalled bill's transaction held the day's counter row and this open queued behind it.
      const next = await billNumber(t.storeIds[0]);
      return { stalled, next };
    });
    const { stalled, next } = await held;
    const first = await stalled;
    expect(first.statusCode, first.body).toBe(201);
    expect(sequence(next)).toBe(sequence(first.json().number) + 1);
  });

  it('so an open refused after its number was taken leaves a gap', async () => {
    const before = await billNumber(t.storeIds[0]);
    const refused = await openBill(t.storeIds[0], { manualDiscountFen: 1_000_000, manualDiscountReason: '测试' });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(sequence(await billNumber(t.storeIds[0]))).toBe(sequence(before) + 2);
  });
});
