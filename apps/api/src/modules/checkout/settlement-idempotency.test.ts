/**
 * Settling a bill keeps the contract of every money route: an Idempotency-Key belongs to one tenant, one
 * operation on one bill and one body; a replay answers the original, anything else is 422 and writes nothing.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, staffTokenFor, type TestApi } from '../../testing/harness.ts';

let api: TestApi;
let t: TenantFixture;

function post(url: string, payload: object, key: string = randomUUID()) {
  return api.app.inject({
    method: 'POST',
    url,
    headers: { ...bearer(staffTokenFor(api.app, t, 'manager')), 'idempotency-key': key },
    payload,
  });
}

async function openBill(): Promise<{ id: string; totalFen: number; lines: { id: string }[] }> {
  const res = await post('/staff/bills', {
    storeId: t.storeIds[0],
    customerId: t.customers[0]!.id,
    lines: [{ type: 'service', serviceId: t.serviceId, quantity: 1, performerIds: [t.manager.id] }],
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const cash = (totalFen: number) => ({ tenders: [{ method: 'cash', amountFen: totalFen }] });
const card = (totalFen: number) => ({ tenders: [{ method: 'card', amountFen: totalFen, reference: 'POS-1' }] });
const settle = (billId: string, body: object, key: string) => post(`/staff/bills/${billId}/settlement`, body, key);
const bill = async (id: string) =>
  (
    await api.app.inject({
      method: 'GET',
      url: `/staff/bills/${id}`,
      headers: bearer(staffTokenFor(api.app, t, 'manager')),
    })
  ).json();
const transfers = async () =>
  Number(
    (
      await queryRows<{ n: number }>(
        api.db.db,
        sql`select count(*) as n from transfers where tenant_id = ${t.tenantId}`,
      )
    )[0]?.n,
  );

function expectReused(res: { statusCode: number; json(): { error: { code: string } } }) {
  expect(res.statusCode).toBe(422);
  expect(res.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
}

beforeAll(async () => {
  api = await createTestApi();
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
});

afterAll(async () => {
  await api?.close();
});

describe('settling a bill under an Idempotency-Key', () => {
  it('replays the original settlement for the same key and body, posting once', async () => {
    const opened = await openBill();
    const key = randomUUID();
    const first = await settle(opened.id, cash(opened.totalFen), key);
    expect(first.statusCode, first.body).toBe(200);
    const posted = await transfers();
    const again = await settle(opened.id, cash(opened.totalFen), key);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await transfers()).toBe(posted);
  });

  it('refuses the same key with another body, and writes nothing', async () => {
    const opened = await openBill();
    const key = randomUUID();
    expect((await settle(opened.id, cash(opened.totalFen), key)).statusCode).toBe(200);
    const before = await bill(opened.id);
    const posted = await transfers();
    expectReused(await settle(opened.id, card(opened.totalFen), key));
    expect(await bill(opened.id)).toEqual(before);
    expect(await transfers()).toBe(posted);
  });

  it('refuses the same key for another bill, which stays open', async () => {
    const [first, second] = [await openBill(), await openBill()];
    const key = randomUUID();
    expect((await settle(first.id, cash(first.totalFen), key)).statusCode).toBe(200);
    const posted = await transfers();
    expectReused(await settle(second.id, cash(second.totalFen), key));
    const untouched = await bill(second.id);
    expect(untouched.status).toBe('open');
    expect(untouched.tenders).toEqual([]);
    expect(await transfers()).toBe(posted);
    // The bill can still be settled under a key of its own.
    expect((await settle(second.id, cash(second.totalFen), randomUUID())).statusCode).toBe(200);
  });

  it('lets only one of two bills sent at once under one key settle', async () => {
    const [first, second] = [await openBill(), await openBill()];
    const key = randomUUID();
    const answers = await Promise.all([
      settle(first.id, cash(first.totalFen), key),
      settle(second.id, cash(second.totalFen), key),
    ]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 422]);
    const statuses = [(await bill(first.id)).status, (await bill(second.id)).status].sort();
    expect(statuses).toEqual(['open', 'settled']);
  });

  it('refuses a void under a key that already refunded another bill, even when that bill is voided', async () => {
    const [refunded, voided] = [await openBill(), await openBill()];
    for (const b of [refunded, voided])
      expect((await settle(b.id, cash(b.totalFen), randomUUID())).statusCode).toBe(200);
    expect((await post(`/staff/bills/${voided.id}/void`, { reason: '重复开单' })).statusCode).toBe(200);
    const key = randomUUID();
    const refund = { lines: [{ lineId: refunded.lines[0]!.id, amountFen: 1_000 }], reason: '部分退款' };
    expect((await post(`/staff/bills/${refunded.id}/refunds`, refund, key)).statusCode).toBe(201);
    expectReused(await post(`/staff/bills/${voided.id}/void`, { reason: '重复开单' }, key));
    expectReused(await post(`/staff/bills/${refunded.id}/void`, { reason: '重复开单' }, key));
    expect((await bill(refunded.id)).status).toBe('settled');
  });
});
