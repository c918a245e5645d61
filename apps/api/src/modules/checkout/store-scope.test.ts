/** A bill of a store the staff member does not work at answers exactly like a bill that does not exist. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import {
  bearer,
  createTestApi,
  customerTokenFor,
  type FixtureStaff,
  staffTokenFor,
  type TestApi,
} from '../../testing/harness.ts';

let api: TestApi;
let t: TenantFixture;

function call(who: FixtureStaff | 'customer', method: 'GET' | 'POST', url: string, payload?: object) {
  const token = who === 'customer' ? customerTokenFor(api.app, t) : staffTokenFor(api.app, t, who);
  return api.app.inject({
    method,
    url,
    headers: { ...bearer(token), ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}) },
    ...(payload ? { payload } : {}),
  });
}

/** A bill of the second store, settled in cash by the owner (who works at both stores). */
async function secondStoreBill(): Promise<{ id: string; lineId: string }> {
  const opened = await call('owner', 'POST', '/staff/bills', {
    storeId: t.storeIds[1],
    customerId: t.customers[0]!.id,
    lines: [{ type: 'service', serviceId: t.serviceId, quantity: 1, performerIds: [t.owner.id] }],
  });
  expect(opened.statusCode, opened.body).toBe(201);
  const bill = opened.json();
  const settled = await call('owner', 'POST', `/staff/bills/${bill.id}/settlement`, {
    tenders: [{ method: 'cash', amountFen: bill.totalFen }],
  });
  expect(settled.statusCode, settled.body).toBe(200);
  return { id: bill.id, lineId: bill.lines[0].id };
}

beforeAll(async () => {
  api = await createTestApi();
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
});

afterAll(async () => {
  await api?.close();
});

describe("another store's bill", () => {
  it('is not found for every bill action of staff who do not work there, and nothing changes', async () => {
    const bill = await secondStoreBill();
    const before = (await call('owner', 'GET', `/staff/bills/${bill.id}`)).json();
    const actions = (id: string) =>
      [
        ['GET', `/staff/bills/${id}`, undefined],
        ['GET', `/staff/bills/${id}/receipt`, undefined],
        ['POST', `/staff/bills/${id}/settlement`, { tenders: [{ method: 'cash', amountFen: before.totalFen }] }],
        ['POST', `/staff/bills/${id}/refunds`, { lines: [{ lineId: bill.lineId, amountFen: 100 }], reason: '试探' }],
        ['POST', `/staff/bills/${id}/void`, { reason: '试探' }],
      ] as const;
    const missing = actions(randomUUID());
    for (const [i, [method, url, payload]] of actions(bill.id).entries()) {
      // The manager works at the first store only, as does the beautician.
      for (const who of ['beautician', 'manager'] as const) {
        const res = await call(who, method, url, payload);
        const nothing = await call(who, missing[i]![0], missing[i]![1], missing[i]![2]);
        expect({ url, who, status: res.statusCode }).toEqual({ url, who, status: 404 });
        expect(res.json()).toEqual(nothing.json());
      }
    }
    expect((await call('owner', 'GET', `/staff/bills/${bill.id}`)).json()).toEqual(before);
  });

  it("keeps its customer's question out of other stores' managers' queue, and their answer out of it", async () => {
    const bill = await secondStoreBill();
    const asked = await call('customer', 'POST', `/me/bills/${bill.id}/disputes`, { reason: '金额不对' });
    expect(asked.statusCode, asked.body).toBe(201);
    const disputeId = asked.json()[0].id;
    const queue = await call('manager', 'GET', '/staff/disputes');
    expect(queue.statusCode).toBe(200);
    expect(queue.json().map((d: { id: string }) => d.id)).not.toContain(disputeId);
    const ownersQueue = await call('owner', 'GET', '/staff/disputes');
    expect(ownersQueue.json().map((d: { id: string }) => d.id)).toContain(disputeId);

    const answer = { resolution: 'reverse', answer: '已撤销' };
    const res = await call('manager', 'POST', `/staff/disputes/${disputeId}/resolution`, answer);
    const nothing = await call('manager', 'POST', `/staff/disputes/${randomUUID()}/resolution`, answer);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual(nothing.json());
    expect((await call('owner', 'GET', `/staff/bills/${bill.id}`)).json().status).toBe('settled');
  });
});
