import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, staffTokenFor, type TestApi } from '../../testing/harness.ts';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/database.ts';
import { packagePlans } from '../catalog/index.ts';
import { verifyLedger } from '../ledger/index.ts';
import { staff, staffStores } from '../staff/tables.ts';

/**
 * 请店长审批 beyond voids and refunds, on real PostgreSQL: a large manual discount (the draft approved, then opened
 * once) and a package-card transfer (performed once through the ledger), with their misuse.
 */
let api: TestApi;
let t: TenantFixture;
let other: TenantFixture;
/** A beautician of store 2 only: store 1's requests do not exist for her. */
let storeTwoToken: string;
/** 12:00 in Shanghai on 1 May; `skew` moves the clock for the expiry tests (the test resets it). */
const clock = new Date('2026-05-01T04:00:00Z');
let tick = 0;
let skew = 0;
const HOUR = 3_600_000;

type Who = 'beautician' | 'manager' | 'owner' | 'store2';

async function call(
  method: 'GET' | 'POST',
  url: string,
  payload?: unknown,
  opts: { who?: Who; f?: TenantFixture; key?: string | null } = {},
) {
  const who = opts.who ?? 'beautician';
  const token = who === 'store2' ? storeTwoToken : staffTokenFor(api.app, opts.f ?? t, who);
  const headers: Record<string, string> = { ...bearer(token) };
  if (opts.key !== null && method === 'POST') headers['idempotency-key'] = opts.key ?? randomUUID();
  return api.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
}

/** Two facials (¥388 each, ¥776) for customer 0 at store 1 with ¥300 off: 38.7%, above the 20% default limit. */
const draft = (overrides: Record<string, unknown> = {}) => ({
  storeId: t.storeIds[0],
  customerId: t.customers[0]!.id,
  lines: [{ type: 'service', serviceId: t.serviceId, quantity: 2, performerIds: [] }],
  manualDiscountFen: 30_000,
  manualDiscountReason: '老顾客转介绍',
  ...overrides,
});

async function fileDiscount(body = draft()) {
  const filed = await call('POST', '/staff/approval-requests/discounts', { draft: body }, { key: null });
  expect(filed.statusCode, filed.body).toBe(201);
  return filed.json();
}

const decide = (id: string, action: 'approve' | 'reject', who: Who = 'manager', body: object = {}) =>
  call('POST', `/staff/approval-requests/${id}/${action}`, action === 'reject' ? { note: '折扣过大', ...body } : body, {
    who,
  });

beforeAll(async () => {
  api = await createTestApi({}, { now: () => new Date(clock.getTime() + ++tick * 1_000 + skew) });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  other = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  const [second] = await api.db.db
    .insert(staff)
    .values({
      tenantId: t.tenantId,
      name: '二店美容师',
      phone: `139${String(Date.now()).slice(-8)}`,
      passwordHash: 'x',
      role: 'beautician',
    })
    .returning();
  if (!second) throw new Error('no staff');
  await api.db.db.insert(staffStores).values({ tenantId: t.tenantId, staffId: second.id, storeId: t.storeIds[1] });
  storeTwoToken = api.app.jwt.sign({
    kind: 'staff',
    sub: second.id,
    tenantId: t.tenantId,
    role: 'beautician',
    storeIds: [t.storeIds[1]],
  });
});
afterAll(async () => {
  await api?.close();
});

describe('a large discount at the till', () => {
  it('refuses with the limit, files the draft, and opens exactly that bill once the manager approves', async () => {
    const refused = await call('POST', '/staff/bills', draft(), { key: null });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({
      code: 'DISCOUNT_APPROVAL_REQUIRED',
      details: { limitBasisPoints: 2_000, limitFen: 15_520, manualDiscountFen: 30_000, subtotalFen: 77_600 },
    });

    const request = await fileDiscount();
    expect(request).toMatchObject({
      kind: 'discount',
      status: 'pending',
      storeId: t.storeIds[0],
      customer: { id: t.customers[0]!.id, name: '顾客甲' },
      bill: null,
      amountFen: 30_000,
      thresholdFen: 15_520,
      reason: '老顾客转介绍',
      discount: {
        lines: [{ quantity: 2, listPriceFen: 38_800, unitPriceFen: 38_800 }],
        subtotalFen: 77_600,
        manualDiscountFen: 30_000,
        discountBasisPoints: 3_866,
        limitBasisPoints: 2_000,
        billId: null,
      },
      packageTransfer: null,
    });
    const box = (await call('GET', '/staff/inbox', undefined, { who: 'manager' })).json();
    expect(box.counts.discount).toBe(1);
    expect(box.items.find((i: { id: string }) => i.id === request.id)).toMatchObject({
      kind: 'discount',
      amountFen: 30_000,
      raisedBy: '美容师',
    });

    // Pending: the approval cannot open the bill yet; she cannot decide her own.
    const early = await call('POST', '/staff/bills', draft({ approvalRequestId: request.id }), { key: null });
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({ code: 'APPROVAL_NOT_APPROVED', details: { status: 'pending' } });
    expect((await decide(request.id, 'approve', 'beautician')).statusCode).toBe(403);

    const approved = await decide(request.id, 'approve', 'manager', { note: '同意，下不为例' });
    expect(approved.statusCode, approved.body).toBe(201);
    expect(approved.json()).toMatchObject({ status: 'approved', decisionNote: '同意，下不为例' });

    // Another draft (one line fewer, a smaller discount, another customer) is not what was approved.
    const mismatched = await call(
      'POST',
      '/staff/bills',
      draft({
        approvalRequestId: request.id,
        customerId: t.customers[1]!.id,
        manualDiscountFen: 29_000,
      }),
      { key: null },
    );
    expect(mismatched.statusCode).toBe(422);
    expect(mismatched.json().error).toMatchObject({
      code: 'APPROVAL_DRAFT_MISMATCH',
      details: { fields: ['body.customerId', 'body.manualDiscountFen'] },
    });

    const opened = await call('POST', '/staff/bills', draft({ approvalRequestId: request.id, memo: '备注可改' }), {
      key: null,
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const bill = opened.json();
    expect(bill).toMatchObject({ subtotalFen: 77_600, manualDiscountFen: 30_000, totalFen: 47_600 });
    const after = (await call('GET', `/staff/approval-requests/${request.id}`)).json();
    expect(after.discount.billId).toBe(bill.id);
    expect(after.discount.usedAt).toBeTruthy();

    // A retry of the same draft answers the same bill; any other use is refused.
    const retry = await call('POST', '/staff/bills', draft({ approvalRequestId: request.id }), { key: null });
    expect(retry.statusCode).toBe(201);
    expect(retry.json().id).toBe(bill.id);
    const reuse = await call(
      'POST',
      '/staff/bills',
      draft({ approvalRequestId: request.id, lines: [{ type: 'service', serviceId: t.serviceId, quantity: 3 }] }),
      { key: null },
    );
    expect(reuse.statusCode).toBe(409);
    expect(reuse.json().error.code).toBe('APPROVAL_USED');
    const used = (await call('GET', `/staff/approval-requests?kind=discount&customerId=${t.customers[0]!.id}`)).json();
    expect(used.filter((r: { discount: { billId: string } }) => r.discount.billId === bill.id)).toHaveLength(1);

    // Settling the bill with the discount moves exactly its total.
    const settled = await call('POST', `/staff/bills/${bill.id}/settlement`, {
      tenders: [{ method: 'cash', amountFen: 47_600 }],
    });
    expect(settled.statusCode, settled.body).toBe(200);
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });

  it('a refused request opens nothing; another staff member or store or tenant cannot use or see it', async () => {
    const request = await fileDiscount(draft({ manualDiscountFen: 40_000 }));
    const box = (await call('GET', '/staff/approval-requests?kind=discount', undefined, { who: 'store2' })).json();
    expect(box.map((r: { id: string }) => r.id)).not.toContain(request.id);
    expect((await call('GET', `/staff/approval-requests/${request.id}`, undefined, { who: 'store2' })).statusCode).toBe(
      404,
    );
    expect((await decide(request.id, 'approve', 'manager', {})).statusCode).toBe(201);
    // The store-2 beautician cannot open the store-1 draft; the other tenant does not find it.
    const elsewhere = await call(
      'POST',
      '/staff/bills',
      draft({ approvalRequestId: request.id, manualDiscountFen: 40_000 }),
      {
        who: 'store2',
        key: null,
      },
    );
    expect(elsewhere.statusCode).toBe(403);
    const stranger = await call(
      'POST',
      '/staff/bills',
      {
        storeId: other.storeIds[0],
        customerId: other.customers[0]!.id,
        lines: [{ type: 'service', serviceId: other.serviceId, quantity: 2, performerIds: [] }],
        manualDiscountFen: 40_000,
        manualDiscountReason: '借用审批',
        approvalRequestId: request.id,
      },
      { f: other, key: null },
    );
    expect(stranger.statusCode).toBe(404);

    const refusedRequest = await fileDiscount(draft({ manualDiscountFen: 50_000 }));
    const refused = await decide(refusedRequest.id, 'reject', 'owner');
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json()).toMatchObject({ status: 'rejected', decisionNote: '折扣过大' });
    const tried = await call(
      'POST',
      '/staff/bills',
      draft({ approvalRequestId: refusedRequest.id, manualDiscountFen: 50_000 }),
      { key: null },
    );
    expect(tried.statusCode).toBe(409);
    expect(tried.json().error).toMatchObject({ code: 'APPROVAL_NOT_APPROVED', details: { status: 'rejected' } });
    expect((await decide(refusedRequest.id, 'approve', 'manager')).json().error.code).toBe('APPROVAL_NOT_PENDING');
  });

  it('refuses a request that needs no manager, one larger than the bill, one without a reason', async () => {
    const small = await call('POST', '/staff/approval-requests/discounts', {
      draft: draft({ manualDiscountFen: 10_000 }),
    });
    expect(small.statusCode).toBe(422);
    expect(small.json().error.code).toBe('BUSINESS_RULE_VIOLATED');
    const huge = await call('POST', '/staff/approval-requests/discounts', {
      draft: draft({ manualDiscountFen: 80_000 }),
    });
    expect(huge.statusCode).toBe(422);
    const { manualDiscountReason: _, ...noReason } = draft();
    const bare = await call('POST', '/staff/approval-requests/discounts', { draft: noReason });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.code).toBe('VALIDATION_FAILED');
    const otherStore = await call('POST', '/staff/approval-requests/discounts', {
      draft: draft({ storeId: t.storeIds[1] }),
    });
    expect(otherStore.statusCode).toBe(403);
  });

  it('is good for the business day it was asked on: after midnight it neither opens a bill nor can be approved', async () => {
    const usable = async () =>
      ((await call('GET', '/staff/approval-requests?usable=true')).json() as { id: string }[]).map((r) => r.id);
    const body = draft({ manualDiscountFen: 31_000 });
    const request = await fileDiscount(body);
    // Filed on 1 May (Shanghai): it lapses at midnight there, 16:00 UTC.
    expect(request.discount.expiresAt).toBe('2026-05-01T16:00:00.000Z');
    expect(await usable()).not.toContain(request.id);
    expect((await decide(request.id, 'approve')).statusCode).toBe(201);
    // Approved and unused: on her list (she left the page), with the customer and amount to open it from.
    expect(await usable()).toContain(request.id);
    const listed = (await call('GET', '/staff/approval-requests?usable=true')).json() as {
      id: string;
      customer: { name: string };
      amountFen: number;
    }[];
    expect(listed.find((r) => r.id === request.id)).toMatchObject({ customer: { name: '顾客甲' }, amountFen: 31_000 });
    // Only she can open it: another beautician's list does not show it, nor the manager's (who sees the request).
    expect(
      (
        (await call('GET', '/staff/approval-requests?usable=true', undefined, { who: 'store2' })).json() as {
          id: string;
        }[]
      ).map((r) => r.id),
    ).not.toContain(request.id);
    const managerList = (
      await call('GET', '/staff/approval-requests?usable=true', undefined, { who: 'manager' })
    ).json();
    expect(managerList.map((r: { id: string }) => r.id)).not.toContain(request.id);
    expect(
      (await call('GET', `/staff/approval-requests/${request.id}`, undefined, { who: 'manager' })).statusCode,
    ).toBe(200);

    const late = draft({ manualDiscountFen: 32_000 });
    const pending = await fileDiscount(late);
    try {
      skew = 12 * HOUR; // 00:00+ on 2 May in Shanghai
      expect(await usable()).not.toContain(request.id);
      const expired = await call('POST', '/staff/bills', { ...body, approvalRequestId: request.id }, { key: null });
      expect(expired.statusCode).toBe(409);
      expect(expired.json().error).toMatchObject({
        code: 'APPROVAL_EXPIRED',
        details: { expiresAt: '2026-05-01T16:00:00.000Z' },
      });
      const tooLate = await decide(pending.id, 'approve');
      expect(tooLate.statusCode).toBe(409);
      expect(tooLate.json().error.code).toBe('APPROVAL_EXPIRED');
      // Nothing half-written: the expired approval stays unused, the pending one pending (a manager may refuse it).
      const after = (await call('GET', `/staff/approval-requests/${request.id}`)).json();
      expect(after.discount).toMatchObject({ billId: null, usedAt: null });
      expect((await decide(pending.id, 'reject')).json().status).toBe('rejected');
    } finally {
      skew = 0;
    }
    // Back on its day, the same approval still opens its bill once, and then leaves the list.
    const opened = await call('POST', '/staff/bills', { ...body, approvalRequestId: request.id }, { key: null });
    expect(opened.statusCode, opened.body).toBe(201);
    expect(await usable()).not.toContain(request.id);
  });

  it('is given back when the bill it opened is cancelled: usable again, same expiry, listed again', async () => {
    const usable = async () =>
      ((await call('GET', '/staff/approval-requests?usable=true')).json() as { id: string }[]).map((r) => r.id);
    const body = draft({ manualDiscountFen: 33_000 });
    const request = await fileDiscount(body);
    expect((await decide(request.id, 'approve')).statusCode).toBe(201);
    const opened = await call('POST', '/staff/bills', { ...body, approvalRequestId: request.id }, { key: null });
    expect(opened.statusCode, opened.body).toBe(201);
    const first = opened.json() as { id: string; totalFen: number };
    expect(first.totalFen).toBe(77_600 - 33_000);
    expect(await usable()).not.toContain(request.id);

    const cancelled = await call('POST', `/staff/bills/${first.id}/cancel`, { reason: '顾客改约明天' }, { key: null });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    // Free again, for the same business day: no second trip to the manager.
    expect(await usable()).toContain(request.id);
    const freed = (await call('GET', `/staff/approval-requests/${request.id}`)).json();
    expect(freed).toMatchObject({ status: 'approved' });
    expect(freed.discount).toMatchObject({ billId: null, usedAt: null, expiresAt: request.discount.expiresAt });
    const [audit] = await queryRows<{ after: { discountApprovalFreed?: string } }>(
      api.db.db,
      sql`select after from audit_log where tenant_id = ${t.tenantId} and action = 'bill.cancelled'
          and subject_id = ${first.id}`,
    );
    expect(audit?.after.discountApprovalFreed).toBe(request.id);

    // It opens the next bill, once, with the approved discount; the cancelled bill stays cancelled.
    const again = await call('POST', '/staff/bills', { ...body, approvalRequestId: request.id }, { key: null });
    expect(again.statusCode, again.body).toBe(201);
    const second = again.json() as { id: string; totalFen: number; manualDiscountFen: number };
    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({ totalFen: 44_600, manualDiscountFen: 33_000 });
    expect((await call('GET', `/staff/approval-requests/${request.id}`)).json().discount).toMatchObject({
      billId: second.id,
    });
    expect(await usable()).not.toContain(request.id);
    expect((await call('GET', `/staff/bills/${first.id}`)).json()).toMatchObject({ status: 'cancelled' });

    // A cancelled bill that used no approval frees nothing (another bill's approval stays used).
    const plain = await call('POST', '/staff/bills', draft({ manualDiscountFen: 0, manualDiscountReason: undefined }), {
      key: null,
    });
    expect(plain.statusCode, plain.body).toBe(201);
    expect(
      (await call('POST', `/staff/bills/${plain.json().id}/cancel`, { reason: '开错了' }, { key: null })).statusCode,
    ).toBe(200);
    expect((await call('GET', `/staff/approval-requests/${request.id}`)).json().discount).toMatchObject({
      billId: second.id,
    });
  });

  it('lets a manager give the large discount directly, as before', async () => {
    const opened = await call('POST', '/staff/bills', draft(), { who: 'manager', key: null });
    expect(opened.statusCode, opened.body).toBe(201);
    expect(opened.json().totalFen).toBe(47_600);
  });
});

describe('a package-card transfer', () => {
  async function sellCard(customer: number) {
    const sold = await call('POST', `/staff/customers/${t.customers[customer]!.id}/package-cards`, {
      storeId: t.storeIds[0],
      planId: t.packagePlanId,
      method: 'cash',
    });
    expect(sold.statusCode, sold.body).toBe(201);
    const wallet = (await call('GET', `/staff/customers/${t.customers[customer]!.id}/wallet`)).json();
    return wallet.packageCards.at(-1) as { id: string; sessionsLeft: number; name: string };
  }
  const wallet = async (customer: number) =>
    (await call('GET', `/staff/customers/${t.customers[customer]!.id}/wallet`)).json() as {
      packageCards: { id: string; sessionsLeft: number }[];
    };
  const transferBody = (cardId: string) => ({
    storeId: t.storeIds[0],
    customerId: t.customers[0]!.id,
    packageCardId: cardId,
    toCustomerId: t.customers[1]!.id,
    reason: '顾客转给女儿使用',
  });

  it('is filed by the beautician and performed once through the ledger when a manager approves', async () => {
    const card = await sellCard(0);
    const direct = await call('POST', `/staff/customers/${t.customers[0]!.id}/package-cards/${card.id}/transfers`, {
      toCustomerId: t.customers[1]!.id,
      reason: '自己转',
    });
    expect(direct.statusCode).toBe(403);

    const filed = await call('POST', '/staff/approval-requests/package-transfers', transferBody(card.id), {
      key: null,
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const request = filed.json();
    expect(request).toMatchObject({
      kind: 'package_transfer',
      status: 'pending',
      amountFen: card.sessionsLeft,
      customer: { id: t.customers[0]!.id },
      packageTransfer: {
        card: { id: card.id, name: card.name },
        from: { id: t.customers[0]!.id, name: '顾客甲' },
        to: { id: t.customers[1]!.id, name: '顾客乙' },
        sessions: card.sessionsLeft,
        sessionsLeft: card.sessionsLeft,
        toCardId: null,
        transferId: null,
      },
    });
    const twice = await call('POST', '/staff/approval-requests/package-transfers', transferBody(card.id));
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('APPROVAL_PENDING');
    expect((await call('GET', '/staff/inbox', undefined, { who: 'manager' })).json().counts.package_transfer).toBe(1);
    expect((await decide(request.id, 'approve', 'store2')).statusCode).toBe(403);

    const key = randomUUID();
    const approve = () => call('POST', `/staff/approval-requests/${request.id}/approve`, {}, { who: 'manager', key });
    const [first, replay] = [await approve(), await approve()];
    expect(first.statusCode, first.body).toBe(201);
    expect(replay.statusCode).toBe(200);
    const done = first.json();
    expect(done.packageTransfer.transferId).toBeGreaterThan(0);
    expect(replay.json().packageTransfer).toEqual(done.packageTransfer);
    expect(
      (await call('POST', `/staff/approval-requests/${request.id}/approve`, {}, { who: 'owner' })).statusCode,
    ).toBe(409);

    // Both customers' cards show it: the sessions left the giver and arrived once on the receiver's new card.
    expect((await wallet(0)).packageCards.find((c) => c.id === card.id)?.sessionsLeft).toBe(0);
    const received = (await wallet(1)).packageCards.filter((c) => c.id === done.packageTransfer.toCardId);
    expect(received).toMatchObject([{ sessionsLeft: card.sessionsLeft }]);
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });

  it('refuses a stale card, a card of another customer, a transfer to oneself; a rejection moves nothing', async () => {
    const card = await sellCard(0);
    const request = (await call('POST', '/staff/approval-requests/package-transfers', transferBody(card.id))).json();
    const used = await call('POST', `/staff/customers/${t.customers[0]!.id}/package-cards/${card.id}/consumptions`, {
      storeId: t.storeIds[0],
      sessions: 1,
    });
    expect(used.statusCode, used.body).toBe(201);
    const stale = await decide(request.id, 'approve');
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('APPROVAL_STALE');
    const rejected = await decide(request.id, 'reject');
    expect(rejected.json()).toMatchObject({ status: 'rejected', packageTransfer: { transferId: null } });
    expect((await wallet(0)).packageCards.find((c) => c.id === card.id)?.sessionsLeft).toBe(card.sessionsLeft - 1);

    const notHers = await call('POST', '/staff/approval-requests/package-transfers', {
      ...transferBody(card.id),
      customerId: t.customers[1]!.id,
      toCustomerId: t.customers[0]!.id,
    });
    expect(notHers.statusCode).toBe(404);
    const toSelf = await call('POST', '/staff/approval-requests/package-transfers', {
      ...transferBody(card.id),
      toCustomerId: t.customers[0]!.id,
    });
    expect(toSelf.statusCode).toBe(422);
    const toStranger = await call('POST', '/staff/approval-requests/package-transfers', {
      ...transferBody(card.id),
      toCustomerId: other.customers[0]!.id,
    });
    expect(toStranger.statusCode).toBe(404);
    const fromOtherTenant = await call(
      'POST',
      '/staff/approval-requests/package-transfers',
      { ...transferBody(card.id), storeId: other.storeIds[0], customerId: other.customers[0]!.id },
      { f: other },
    );
    expect(fromOtherTenant.statusCode).toBe(404);
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });

  it('moves only the sessions asked: the card keeps the rest, sessions and deferred value are conserved', async () => {
    // 3 sessions for ¥1 000.01: 33 333 fen each, the last one takes the 2 fen remainder.
    const [plan] = await api.db.db
      .insert(packagePlans)
      .values({
        tenantId: t.tenantId,
        serviceId: t.serviceId,
        name: '补水护理3次卡',
        sessions: 3,
        priceFen: 100_001,
        validDays: 365,
      })
      .returning({ id: packagePlans.id });
    const sold = await call('POST', `/staff/customers/${t.customers[0]!.id}/package-cards`, {
      storeId: t.storeIds[0],
      planId: plan!.id,
      method: 'cash',
    });
    expect(sold.statusCode, sold.body).toBe(201);
    const card = (await wallet(0)).packageCards.at(-1) as { id: string; sessionsLeft: number };
    expect(card.sessionsLeft).toBe(3);

    const tooMany = await call('POST', '/staff/approval-requests/package-transfers', {
      ...transferBody(card.id),
      sessions: 4,
    });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().error.details).toEqual([{ field: 'body.sessions', message: 'at most 3' }]);
    const none = await call('POST', '/staff/approval-requests/package-transfers', {
      ...transferBody(card.id),
      sessions: 0,
    });
    expect(none.statusCode).toBe(400);

    const filed = await call('POST', '/staff/approval-requests/package-transfers', {
      ...transferBody(card.id),
      sessions: 1,
    });
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json()).toMatchObject({ amountFen: 1, packageTransfer: { sessions: 1, sessionsLeft: 3 } });
    const approved = await decide(filed.json().id, 'approve');
    expect(approved.statusCode, approved.body).toBe(201);
    const toCardId = approved.json().packageTransfer.toCardId as string;

    // Giver keeps 2, receiver's new card holds 1: 3 sessions, as before.
    expect((await wallet(0)).packageCards.find((c) => c.id === card.id)?.sessionsLeft).toBe(2);
    expect((await wallet(1)).packageCards.find((c) => c.id === toCardId)).toMatchObject({
      sessionsLeft: 1,
      sessionsTotal: 1,
      valuePerSessionFen: 33_333,
    });
    const [moved] = await queryRows<{ price_fen: number }>(
      api.db.db,
      sql`select price_fen from package_cards where id = ${toCardId}`,
    );
    expect(Number(moved?.price_fen)).toBe(33_333);

    // Using every session of both cards recognises exactly the price paid: 33 333 + 33 333 + 33 335.
    const use = (customer: number, cardId: string, sessions: number) =>
      call('POST', `/staff/customers/${t.customers[customer]!.id}/package-cards/${cardId}/consumptions`, {
        storeId: t.storeIds[0],
        sessions,
      });
    expect((await use(1, toCardId, 1)).statusCode).toBe(201);
    expect((await use(0, card.id, 2)).statusCode).toBe(201);
    const [recognised] = await queryRows<{ fen: string }>(
      api.db.db,
      sql`select sum((details->>'recognisedFen')::bigint) as fen from transfers
          where tenant_id = ${t.tenantId} and kind = 'package_consumption'
            and details->>'packageCardId' in (${card.id}, ${toCardId})`,
    );
    expect(Number(recognised?.fen)).toBe(100_001);
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });

  it('a manager moves some sessions directly; more than are left is refused', async () => {
    const card = await sellCard(0);
    const url = `/staff/customers/${t.customers[0]!.id}/package-cards/${card.id}/transfers`;
    const over = await call(
      'POST',
      url,
      { toCustomerId: t.customers[1]!.id, reason: '转给家人', sessions: 11 },
      {
        who: 'manager',
      },
    );
    expect(over.statusCode).toBe(422);
    const done = await call(
      'POST',
      url,
      { toCustomerId: t.customers[1]!.id, reason: '转给家人', sessions: 4 },
      {
        who: 'manager',
      },
    );
    expect(done.statusCode, done.body).toBe(201);
    expect((await wallet(0)).packageCards.find((c) => c.id === card.id)?.sessionsLeft).toBe(6);
    const received = (await wallet(1)).packageCards.at(-1);
    expect(received).toMatchObject({ sessionsLeft: 4, sessionsTotal: 4 });
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });
});
