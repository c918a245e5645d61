import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, customerTokenFor, staffTokenFor, type TestApi } from '../../testing/harness.ts';
import { verifyLedger } from '../ledger/index.ts';

/** 请店长审批 on real PostgreSQL: filing above the threshold, deciding, performing once, the inbox. */
let api: TestApi;
let t: TenantFixture;
let other: TenantFixture;
const clock = new Date('2026-05-01T04:00:00Z');
let tick = 0;

type Who = 'beautician' | 'manager' | 'owner';

async function call(
  method: 'GET' | 'POST',
  url: string,
  payload?: unknown,
  opts: { who?: Who; f?: TenantFixture; key?: string | null } = {},
) {
  const headers: Record<string, string> = { ...bearer(staffTokenFor(api.app, opts.f ?? t, opts.who ?? 'beautician')) };
  if (opts.key !== null && method === 'POST') headers['idempotency-key'] = opts.key ?? randomUUID();
  return api.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
}

/** A settled cash bill of `quantity` facials (¥388 each) at store 1, opened by the beautician. */
async function settledBill(quantity: number, customer = 0) {
  const opened = await call('POST', '/staff/bills', {
    storeId: t.storeIds[0],
    customerId: t.customers[customer]!.id,
    lines: [{ type: 'service', serviceId: t.serviceId, quantity, performerIds: [] }],
  });
  expect(opened.statusCode, opened.body).toBe(201);
  const bill = opened.json();
  const settled = await call('POST', `/staff/bills/${bill.id}/settlement`, {
    tenders: [{ method: 'cash', amountFen: bill.totalFen }],
  });
  expect(settled.statusCode, settled.body).toBe(200);
  return settled.json() as { id: string; totalFen: number; number: string; lines: { id: string }[] };
}

const inbox = async (query = '', who: Who = 'manager') =>
  (await call('GET', `/staff/inbox${query}`, undefined, { who })).json();
const audit = async (query: string) =>
  (await call('GET', `/staff/audit?${query}`, undefined, { who: 'owner' })).json().items as {
    action: string;
    actorStaffId: string;
    reason: string | null;
  }[];

beforeAll(async () => {
  api = await createTestApi({}, { now: () => new Date(clock.getTime() + ++tick * 1_000) });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  other = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
});
afterAll(async () => {
  await api?.close();
});

describe('approval requests for voids and refunds above the threshold', () => {
  it('refuses the beautician with MANAGER_APPROVAL_REQUIRED, then a manager approves her request exactly once', async () => {
    const bill = await settledBill(2); // ¥776 > the ¥500 default threshold
    const direct = await call('POST', `/staff/bills/${bill.id}/void`, { reason: '重复开单' });
    expect(direct.statusCode).toBe(403);
    expect(direct.json().error).toMatchObject({
      code: 'MANAGER_APPROVAL_REQUIRED',
      details: { kind: 'void', amountFen: 77_600, thresholdFen: 50_000 },
    });

    const filed = await call('POST', `/staff/bills/${bill.id}/approval-requests`, { kind: 'void', reason: '重复开单' });
    expect(filed.statusCode, filed.body).toBe(201);
    const request = filed.json();
    expect(request).toMatchObject({
      kind: 'void',
      status: 'pending',
      amountFen: 77_600,
      thresholdFen: 50_000,
      reason: '重复开单',
      refund: null,
      requestedBy: { id: t.beautician.id, name: '美容师' },
      bill: { id: bill.id, number: bill.number, customerName: '顾客甲', totalFen: 77_600 },
    });
    const again = await call('POST', `/staff/bills/${bill.id}/approval-requests`, { kind: 'void', reason: '再提一次' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('APPROVAL_PENDING');

    // She follows it on her screen; a beautician cannot decide it.
    const mine = await call('GET', `/staff/approval-requests/${request.id}`);
    expect(mine.json().status).toBe('pending');
    const byHer = await call('POST', `/staff/approval-requests/${request.id}/approve`, {});
    expect(byHer.statusCode).toBe(403);

    const key = randomUUID();
    const approved = await call(
      'POST',
      `/staff/approval-requests/${request.id}/approve`,
      { note: '核实无误' },
      {
        who: 'manager',
        key,
      },
    );
    expect(approved.statusCode, approved.body).toBe(201);
    expect(approved.json()).toMatchObject({
      status: 'approved',
      decidedBy: { id: t.manager.id, name: '店长' },
      decisionNote: '核实无误',
    });
    expect(approved.json().refundId).toBeTruthy();

    // A retry with the same key answers as the first; another key finds it decided. Money moved once.
    const replay = await call(
      'POST',
      `/staff/approval-requests/${request.id}/approve`,
      { note: '核实无误' },
      {
        who: 'manager',
        key,
      },
    );
    expect(replay.statusCode).toBe(200);
    expect(replay.json().refundId).toBe(approved.json().refundId);
    const late = await call('POST', `/staff/approval-requests/${request.id}/approve`, {}, { who: 'owner' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('APPROVAL_NOT_PENDING');

    const after = (await call('GET', `/staff/bills/${bill.id}`)).json();
    expect(after.status).toBe('voided');
    expect(after.refunds).toHaveLength(1);
    expect(after.refunds[0]).toMatchObject({ kind: 'void', amountFen: 77_600, staffId: t.manager.id });
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);

    expect(await audit(`action=approval.filed&subjectId=${request.id}`)).toMatchObject([
      { actorStaffId: t.beautician.id, reason: '重复开单' },
    ]);
    expect(await audit(`action=approval.approved&subjectId=${request.id}`)).toMatchObject([
      { actorStaffId: t.manager.id, reason: '核实无误' },
    ]);
  });

  it('a refund request performs the filed lines; the filer never decides her own; a rejection moves nothing', async () => {
    const bill = await settledBill(3, 1);
    const refund = { lines: [{ lineId: bill.lines[0]!.id, quantity: 2 }], reason: '两次未做' };
    const filed = (await call('POST', `/staff/bills/${bill.id}/approval-requests`, { kind: 'refund', refund })).json();
    expect(filed).toMatchObject({ kind: 'refund', amountFen: 77_600, refund: { lines: refund.lines, restock: true } });

    // The manager files one of his own (a second bill): the owner decides it, he cannot.
    const second = await settledBill(2, 1);
    const his = (
      await call(
        'POST',
        `/staff/bills/${second.id}/approval-requests`,
        { kind: 'void', reason: '店长提交' },
        { who: 'manager' },
      )
    ).json();
    const self = await call('POST', `/staff/approval-requests/${his.id}/approve`, {}, { who: 'manager' });
    expect(self.statusCode).toBe(403);
    expect(self.json().error.code).toBe('APPROVAL_SELF_DECISION');
    const refused = await call(
      'POST',
      `/staff/approval-requests/${his.id}/reject`,
      { note: '顾客已确认服务' },
      {
        who: 'owner',
      },
    );
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json()).toMatchObject({ status: 'rejected', decisionNote: '顾客已确认服务', refundId: null });
    expect((await call('GET', `/staff/bills/${second.id}`)).json()).toMatchObject({ status: 'settled', refunds: [] });

    const approved = await call('POST', `/staff/approval-requests/${filed.id}/approve`, {}, { who: 'owner' });
    expect(approved.statusCode, approved.body).toBe(201);
    const after = (await call('GET', `/staff/bills/${bill.id}`)).json();
    expect(after.status).toBe('settled');
    expect(after.refunds).toMatchObject([{ kind: 'refund', amountFen: 77_600 }]);
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });

  it('refuses a request that needs no manager, and one for a bill in another tenant or store', async () => {
    const small = await settledBill(1);
    const below = await call('POST', `/staff/bills/${small.id}/approval-requests`, { kind: 'void', reason: '录错' });
    expect(below.statusCode).toBe(422);
    expect(below.json().error).toMatchObject({ code: 'BUSINESS_RULE_VIOLATED', details: { amountFen: 38_800 } });

    const large = await settledBill(2);
    const stranger = await call(
      'POST',
      `/staff/bills/${large.id}/approval-requests`,
      { kind: 'void', reason: '别家' },
      { f: other },
    );
    expect(stranger.statusCode).toBe(404);
    const filed = (
      await call('POST', `/staff/bills/${large.id}/approval-requests`, { kind: 'void', reason: '重复' })
    ).json();
    const otherManager = await call(
      'POST',
      `/staff/approval-requests/${filed.id}/approve`,
      {},
      { who: 'manager', f: other },
    );
    expect(otherManager.statusCode).toBe(404);
    expect((await call('GET', `/staff/approval-requests/${filed.id}`, undefined, { f: other })).statusCode).toBe(404);
  });
});

describe('approving at the same moment', () => {
  it('lets one of two managers perform it; the other finds it decided, and money moves once', async () => {
    const bill = await settledBill(2);
    const filed = (
      await call('POST', `/staff/bills/${bill.id}/approval-requests`, { kind: 'void', reason: '重复收款' })
    ).json();
    const answers = await Promise.all(
      (['manager', 'owner'] as const).map((who) =>
        call('POST', `/staff/approval-requests/${filed.id}/approve`, {}, { who }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    const after = (await call('GET', `/staff/bills/${bill.id}`)).json();
    expect(after).toMatchObject({ status: 'voided', refundedFen: 77_600 });
    expect(after.refunds).toHaveLength(1);
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });
});

describe('the manager inbox', () => {
  it('gathers credit-limit requests, approval requests and open disputes with counts, newest or oldest first', async () => {
    const credit = await call('POST', `/staff/customers/${t.customers[0]!.id}/credit-requests`, {
      requestedLimitFen: 200_000,
      reason: '办年卡需要挂账',
    });
    expect(credit.statusCode, credit.body).toBe(201);
    // A customer questions a bill of store 1 (有疑问).
    const questioned = await settledBill(1, 1);
    const asked = await api.app.inject({
      method: 'POST',
      url: `/me/bills/${questioned.id}/disputes`,
      headers: bearer(customerTokenFor(api.app, t, 1)),
      payload: { reason: '这次没有做补水' },
    });
    expect(asked.statusCode, asked.body).toBe(201);

    const box = await inbox();
    const pendingApprovals = (
      await call('GET', '/staff/approval-requests?status=pending', undefined, { who: 'manager' })
    )
      .json()
      .map((r: { id: string }) => r.id);
    expect(box.counts).toMatchObject({ credit_limit: 1, void_refund: pendingApprovals.length, dispute: 1 });
    expect(box.counts.total).toBe(2 + pendingApprovals.length);
    const disputeId = asked.json()[0].id;
    expect(box.items.map((i: { id: string }) => i.id).sort()).toEqual(
      [credit.json().id, disputeId, ...pendingApprovals].sort(),
    );
    expect(box.items[0]).toMatchObject({ kind: 'dispute', id: disputeId, amountFen: 38_800, raisedBy: '顾客乙' });
    expect(box.items[1]).toMatchObject({ kind: 'credit_limit', amountFen: 200_000, raisedBy: '美容师' });

    const oldest = await inbox('?order=oldest');
    expect(oldest.items.map((i: { id: string }) => i.id)).toEqual(
      [...box.items].reverse().map((i: { id: string }) => i.id),
    );
    expect(oldest.oldestWaitingAt).toBe(oldest.items[0].createdAt);
    const onlyCredit = await inbox('?kind=credit_limit');
    expect(onlyCredit.items).toHaveLength(1);
    expect(onlyCredit.counts.total).toBe(box.counts.total);

    // Nothing of this tenant reaches another's manager; a beautician is refused.
    expect((await call('GET', '/staff/inbox', undefined, { who: 'manager', f: other })).json().counts.total).toBe(0);
    expect((await call('GET', '/staff/inbox')).statusCode).toBe(403);
  });
});
