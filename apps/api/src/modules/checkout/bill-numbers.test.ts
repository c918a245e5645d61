import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, staffTokenFor, type TestApi } from '../../testing/harness.ts';

let api: TestApi;
let t: TenantFixture;
let clock = new Date('2026-12-07T02:00:00Z'); // 10:00 in Shanghai

/** Opens a one-line bill as the owner, who works at both stores; answers the bill number. */
async function openBill(storeId: string): Promise<string> {
  const res = await api.app.inject({
    method: 'POST',
    url: '/staff/bills',
    headers: bearer(staffTokenFor(api.app, t, 'owner')),
    payload: {
      storeId,
      customerId: t.customers[0]!.id,
      lines: [{ type: 'service', serviceId: t.serviceId, quantity: 1, performerIds: [t.owner.id] }],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().number;
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
    const opened = await Promise.all(Array.from({ length: 40 }, () => openBill(t.storeIds[0])));
    expect([...opened].sort()).toEqual(numbers('S01-20261207', 40));
  });

  it('count each store and each business day on their own', async () => {
    const [first, second] = await Promise.all([openBill(t.storeIds[1]), openBill(t.storeIds[1])]);
    expect([first, second].sort()).toEqual(numbers('S02-20261207', 2));
    expect(await openBill(t.storeIds[0])).toBe('S01-20261207-0041');
    // 16:30 UTC is already the next day in Shanghai.
    clock = new Date('2026-12-07T16:30:00Z');
    expect(await openBill(t.storeIds[0])).toBe('S01-20261208-0001');
    expect(await openBill(t.storeIds[1])).toBe('S02-20261208-0001');
  });
});
