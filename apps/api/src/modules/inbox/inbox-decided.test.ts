import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, customerTokenFor, staffTokenFor, type TestApi } from '../../testing/harness.ts';

/**
 * 审批 已处理 on real PostgreSQL: decided items of every kind stay findable from the inbox, latest decision first,
 * with the decision, who decided, the note and the time; paged without repeats; scoped like the pending list.
 */
let api: TestApi;
let t: TenantFixture;
let other: TenantFixture;
const clock = new Date('2026-05-01T04:00:00Z');
let tick = 0;

type Who = 'beautician' | 'manager' | 'owner';

async function call(method: 'GET' | 'POST', url: string, payload?: unknown, who: Who = 'beautician', f = t) {
  const headers: Record<string, string> = { ...bearer(staffTokenFor(api.app, f, who)) };
  if (method === 'POST') headers['idempotency-key'] = randomUUID();
  const res = await api.app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return res;
}
async function ok(method: 'GET' | 'POST', url: string, payload?: unknown, who: Who = 'beautician') {
  const res = await call(method, url, payload, who);
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
}

/** A settled cash bill of `quantity` facials (¥388 each) at a store, opened by whoever works there. */
async function settledBill(quantity: number, customer: number, store: 0 | 1) {
  const who: Who = store === 0 ? 'beautician' : 'owner';
  const bill = await ok(
    'POST',
    '/staff/bills',
    {
      storeId: t.storeIds[store],
      customerId: t.customers[customer]!.id,
      lines: [{ type: 'service', serviceId: t.serviceId, quantity, performerIds: [] }],
    },
    who,
  );
  await ok(
    'POST',
    `/staff/bills/${bill.id}/settlement`,
    { tenders: [{ method: 'cash', amountFen: bill.totalFen }] },
    who,
  );
  return bill as { id: string; number: string; totalFen: number };
}
async function dispute(billId: string, customer: number, reason: string): Promise<string> {
  const asked = await api.app.inject({
    method: 'POST',
    url: `/me/bills/${billId}/disputes`,
    headers: bearer(customerTokenFor(api.app, t, customer)),
    payload: { reason },
  });
  expect(asked.statusCode, asked.body).toBe(201);
  return asked.json()[0].id;
}
const decided = async (query = '', who: Who = 'manager') => ok('GET', `/staff/inbox/decided${query}`, undefined, who);

beforeAll(async () => {
  api = await createTestApi({}, { now: () => new Date(clock.getTime() + ++tick * 1_000) });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  other = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
});
afterAll(async () => {
  await api?.close();
});

describe('审批 已处理', () => {
  it('lists decisions of every kind, latest first, with who decided, the note and the time', async () => {
    expect(await decided()).toEqual({ items: [], nextCursor: null });

    // 1. A credit limit approved lower than asked.
    const credit = await ok('POST', `/staff/customers/${t.customers[0]!.id}/credit-requests`, {
      requestedLimitFen: 200_000,
      reason: '办年卡需要挂账',
    });
    await ok(
      'POST',
      `/staff/credit-requests/${credit.id}/approve`,
      { approvedLimitFen: 150_000, note: '先给一半' },
      'manager',
    );
    // 2. A void above the threshold, refused.
    const bill = await settledBill(2, 0, 0);
    const voidRequest = await ok('POST', `/staff/bills/${bill.id}/approval-requests`, {
      kind: 'void',
      reason: '重复开单',
    });
    await ok('POST', `/staff/approval-requests/${voidRequest.id}/reject`, { note: '账单无误' }, 'manager');
    // 3. A customer's question answered by the owner.
    const questioned = await settledBill(1, 1, 0);
    const disputeId = await dispute(questioned.id, 1, '这次没有做补水');
    await ok(
      'POST',
      `/staff/disputes/${disputeId}/resolution`,
      { resolution: 'answer', answer: '已做补水，见护理记录' },
      'owner',
    );
    // 4. A bill of store 2 reversed by the owner: store 1's manager never sees it.
    const elsewhere = await settledBill(1, 0, 1);
    const elsewhereId = await dispute(elsewhere.id, 0, '没有来过二号店');
    await ok(
      'POST',
      `/staff/disputes/${elsewhereId}/resolution`,
      { resolution: 'reverse', answer: '开错门店' },
      'owner',
    );
    // Still waiting: never among the decided.
    const waiting = await ok('POST', `/staff/customers/${t.customers[1]!.id}/credit-requests`, {
      requestedLimitFen: 50_000,
      reason: '月底结算',
    });

    const mine = await decided();
    expect(mine.nextCursor).toBeNull();
    expect(mine.items).toEqual([
      expect.objectContaining({
        kind: 'dispute',
        id: disputeId,
        customerName: '顾客乙',
        raisedBy: '顾客乙',
        amountFen: 38_800,
        summary: `${questioned.number}：这次没有做补水`,
        decision: 'answered',
        decidedAmountFen: null,
        decidedBy: '店主',
        note: '已做补水，见护理记录',
      }),
      expect.objectContaining({
        kind: 'void_refund',
        id: voidRequest.id,
        amountFen: 77_600,
        summary: `撤销 ${bill.number}：重复开单`,
        decision: 'rejected',
        decidedBy: '店长',
        note: '账单无误',
      }),
      expect.objectContaining({
        kind: 'credit_limit',
        id: credit.id,
        raisedBy: '美容师',
        amountFen: 200_000,
        decision: 'lowered',
        decidedAmountFen: 150_000,
        decidedBy: '店长',
        note: '先给一半',
      }),
    ]);
    const times = mine.items.map((i: { decidedAt: string }) => Date.parse(i.decidedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // Decided on the API's clock (the test's), not the database's.
    expect(mine.items.every((i: { decidedAt: string }) => i.decidedAt.startsWith('2026-05-01T04:'))).toBe(true);
    expect(mine.items.map((i: { id: string }) => i.id)).not.toContain(waiting.id);

    // The owner sees every store: the reversal too, newest of all.
    const owners = await decided('', 'owner');
    expect(owners.items.map((i: { id: string; decision: string }) => [i.id, i.decision])).toEqual([
      [elsewhereId, 'reversed'],
      [disputeId, 'answered'],
      [voidRequest.id, 'rejected'],
      [credit.id, 'lowered'],
    ]);

    // Paged: two, then the other two, no repeats, the same order.
    const first = await decided('?limit=2', 'owner');
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await decided(`?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`, 'owner');
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((i: { id: string }) => i.id)).toEqual(
      owners.items.map((i: { id: string }) => i.id),
    );

    // Narrowed by kind.
    expect((await decided('?kind=credit_limit', 'owner')).items.map((i: { id: string }) => i.id)).toEqual([credit.id]);
  });

  it('refuses a beautician, a bad cursor, and shows another salon nothing', async () => {
    expect((await call('GET', '/staff/inbox/decided')).statusCode).toBe(403);
    const bad = await call('GET', '/staff/inbox/decided?cursor=yesterday', undefined, 'manager');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    const notADay = `2026-02-30T06:30:00.000000Z~${t.customers[0]!.id}`;
    const impossible = await call('GET', `/staff/inbox/decided?cursor=${notADay}`, undefined, 'manager');
    expect(impossible.statusCode).toBe(400);
    const theirs = await call('GET', '/staff/inbox/decided', undefined, 'owner', other);
    expect(theirs.json()).toEqual({ items: [], nextCursor: null });
  });
});
