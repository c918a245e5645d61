import { ledgerDeps } from '../ledger-deps.ts';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { type Database, queryRows } from '../db/database.ts';
import type { TenantFixture } from './fixtures.ts';
import { bearer, staffTokenFor, type TestApi } from './harness.ts';
import { customers } from '../modules/customers/index.ts';
import { evaluateTiers } from '../modules/segmentation/index.ts';
import {
  consumeSessions,
  type LedgerDeps,
  requestHash,
  reverseTransfer,
  sellPackageCard,
  spendStoredValue,
  topUp,
} from '../modules/ledger/index.ts';

export const DAY_MS = 86_400_000;

/**
 * Hand-built history for segmentation tests, posted through the ledger's real operations with the business
 * time set (posting.at), as the demo seed does.
 */
export function history(db: Database, f: TenantFixture) {
  let clock = new Date();
  const deps: LedgerDeps = ledgerDeps(() => clock);
  const posting = (customerId: string, at: Date) => {
    clock = at;
    const key = randomUUID();
    return {
      tenantId: f.tenantId,
      customerId,
      storeId: f.storeIds[0],
      staffId: f.beautician.id,
      idempotencyKey: key,
      requestHash: requestHash(key),
      at,
    };
  };
  return {
    deps,
    async topUp(customerId: string, amountFen: number, at: Date) {
      return (await topUp(db, deps, posting(customerId, at), { storeId: f.storeIds[0], amountFen, method: 'cash' }))
        .transferId;
    },
    /** A visit paid from stored value (tops up ¥5,000 first when the wallet would not cover it). */
    async spend(customerId: string, amountFen: number, at: Date, item = '深层补水护理') {
      const [wallet] = await queryRows<{ held: number }>(
        db,
        sql`select coalesce(sum(-balance), 0)::bigint as held from accounts
            where tenant_id = ${f.tenantId} and customer_id = ${customerId} and kind in ('stored_principal', 'stored_bonus')`,
      );
      if (Number(wallet?.held ?? 0) < amountFen) {
        await topUp(db, deps, posting(customerId, new Date(at.getTime() - 60_000)), {
          storeId: f.storeIds[0],
          amountFen: 500_000,
          method: 'cash',
        });
      }
      const spent = await spendStoredValue(db, deps, posting(customerId, at), {
        storeId: f.storeIds[0],
        amountFen,
        revenue: 'service',
        items: [{ name: item, quantity: 1, amountFen }],
      });
      return spent.transferId;
    },
    async sellCard(customerId: string, at: Date) {
      const sold = await sellPackageCard(db, deps, posting(customerId, at), {
        storeId: f.storeIds[0],
        planId: f.packagePlanId,
        method: 'cash',
      });
      return sold.transferId;
    },
    async useCard(customerId: string, at: Date) {
      const [card] = await queryRows<{ id: string }>(
        db,
        sql`select id from package_cards where tenant_id = ${f.tenantId} and customer_id = ${customerId} order by created_at limit 1`,
      );
      const { customerId: _c, ...rest } = posting(customerId, at);
      return (await consumeSessions(db, deps, rest, card?.id as string, { storeId: f.storeIds[0], sessions: 1 }))
        .transferId;
    },
    async reverse(transferId: number, at: Date) {
      clock = at;
      const key = randomUUID();
      const reversal = await reverseTransfer(
        db,
        deps,
        {
          tenantId: f.tenantId,
          staffId: f.manager.id,
          storeId: f.storeIds[0],
          idempotencyKey: key,
          requestHash: requestHash(key),
        },
        transferId,
        '录错了，冲正',
      );
      return reversal.transferId;
    },
  };
}

/** Adds customers to a fixture's tenant with a sign-up time; returns their ids. */
export async function addCustomers(
  db: Database,
  f: TenantFixture,
  people: {
    name: string;
    createdAt: Date;
    gender?: 'female' | 'male';
    birthday?: string;
    tags?: string[];
    phone?: string;
    homeStore?: 0 | 1;
    consents?: Record<string, boolean>;
  }[],
): Promise<string[]> {
  const rows = await db
    .insert(customers)
    .values(
      people.map((p) => ({
        tenantId: f.tenantId,
        name: p.name,
        createdAt: p.createdAt,
        gender: p.gender ?? 'female',
        birthday: p.birthday ?? null,
        tags: p.tags ?? [],
        phone: p.phone ?? null,
        homeStoreId: p.homeStore === undefined ? null : f.storeIds[p.homeStore],
        consents: p.consents ?? {},
      })),
    )
    .returning({ id: customers.id });
  return rows.map((r) => r.id);
}

/** Tokens and requests for a fixture's people. */
export function client(api: TestApi) {
  type Who = 'beautician' | 'manager' | 'owner';
  const staffToken = (f: TenantFixture, who: Who) => staffTokenFor(api.app, f, who);
  const customerToken = (f: TenantFixture, customerId: string) =>
    api.app.jwt.sign({ kind: 'customer', sub: customerId, tenantId: f.tenantId });
  const send = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, token: string, payload?: unknown) =>
    api.app.inject({
      method,
      url,
      headers: { ...bearer(token), 'idempotency-key': randomUUID() },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  return {
    staffToken,
    customerToken,
    send,
    asManager: (f: TenantFixture) => ({
      get: (url: string) => send('GET', url, staffToken(f, 'manager')),
      post: (url: string, payload: unknown = {}) => send('POST', url, staffToken(f, 'manager'), payload),
      put: (url: string, payload: unknown) => send('PUT', url, staffToken(f, 'manager'), payload),
      patch: (url: string, payload: unknown) => send('PATCH', url, staffToken(f, 'manager'), payload),
      delete: (url: string) => send('DELETE', url, staffToken(f, 'manager')),
    }),
  };
}

export interface TillBill {
  id: string;
  totalFen: number;
  lines: { id: string; name: string }[];
}

/**
 * Bills through checkout's own routes — open, settle, refund, void — as the fixture's manager. Checkout posts
 * at the database's clock (no business time), so these transfers are dated now.
 */
export function till(api: TestApi, f: TenantFixture) {
  const manager = client(api).asManager(f);
  const ok = async (response: Promise<{ statusCode: number; body: string; json(): unknown }>, status: number) => {
    const res = await response;
    if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
    return res.json() as TillBill;
  };
  return {
    /** Opens and settles a bill; `pay` picks the tenders for its total (none for a bill of 0). */
    async bill(customerId: string, lines: object[], pay: (totalFen: number) => object[]) {
      const opened = await ok(manager.post('/staff/bills', { storeId: f.storeIds[0], customerId, lines }), 201);
      return ok(manager.post(`/staff/bills/${opened.id}/settlement`, { tenders: pay(opened.totalFen) }), 200);
    },
    async refund(billId: string, lines: object[]) {
      return ok(manager.post(`/staff/bills/${billId}/refunds`, { lines, reason: '顾客退货' }), 201);
    },
    async void(billId: string) {
      return ok(manager.post(`/staff/bills/${billId}/void`, { reason: '开错单了' }), 200);
    },
  };
}

/**
 * Sets the manager's one-level ladder — 金卡 from `thresholdFen` of spend over a year — evaluates it now, and
 * answers who qualified, each with the spend that counted.
 */
export async function goldTierQualifiers(api: TestApi, f: TenantFixture, thresholdFen: number) {
  const put = await client(api)
    .asManager(f)
    .put('/staff/segmentation/tiers', {
      basis: 'spend',
      windowDays: 365,
      levels: [{ name: '金卡', thresholdFen, discountBasisPoints: 500, pointsMultiplierPercent: 100 }],
    });
  expect(put.statusCode, put.body).toBe(200);
  await evaluateTiers(api.db.db, f.tenantId, new Date());
  const tiered = await queryRows<{ customer_id: string; qualifying_fen: string }>(
    api.db.db,
    sql`select customer_id, qualifying_fen from customer_tiers where tenant_id = ${f.tenantId}`,
  );
  return tiered.map((r) => [r.customer_id, Number(r.qualifying_fen)]);
}
