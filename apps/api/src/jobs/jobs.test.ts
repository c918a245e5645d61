import { ledgerDeps } from '../ledger-deps.ts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LedgerDeps, requestHash, sellPackageCard, spendStoredValue, topUp } from '../modules/ledger/index.ts';
import { verifyLedger } from '../modules/ledger/index.ts';
import { createTenantFixture, type TenantFixture } from '../testing/fixtures.ts';
import { createTestApi, type TestApi } from '../testing/harness.ts';
import { getWallet } from '../modules/ledger/index.ts';
import { runLedgerExpiry, SCHEDULES, startJobs } from './index.ts';

let api: TestApi;
let t: TenantFixture;
let clock = new Date('2026-01-10T04:00:00Z');
const deps: LedgerDeps = ledgerDeps(() => clock);

const posting = (customerId: string) => ({
  tenantId: t.tenantId,
  customerId,
  storeId: t.storeIds[0],
  staffId: t.beautician.id,
  idempotencyKey: randomUUID(),
  requestHash: requestHash(randomUUID()),
  at: clock,
});

beforeAll(async () => {
  api = await createTestApi();
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
});

afterAll(async () => {
  await api?.close();
});

describe('ledger expiry job', () => {
  it('expires unused sessions and points once, recognising breakage, and leaves the ledger valid', async () => {
    const c = t.customers[0]!.id;
    await sellPackageCard(api.db.db, deps, posting(c), {
      storeId: t.storeIds[0],
      planId: t.packagePlanId,
      method: 'cash',
    });
    await topUp(api.db.db, deps, posting(c), { storeId: t.storeIds[0], amountFen: 300_000, method: 'cash' });
    await spendStoredValue(api.db.db, deps, posting(c), {
      storeId: t.storeIds[0],
      amountFen: 10_000,
      revenue: 'service',
      items: [],
    });
    const before = await getWallet(api.db.db, t.tenantId, c, clock);
    expect(before.points).toBe(300 + 100);
    expect(before.packageCards[0]?.sessionsLeft).toBe(10);

    // Nothing is due yet.
    expect(await runLedgerExpiry(api.db, deps)).toEqual({ cards: 0, lots: 0 });

    clock = new Date('2027-01-20T04:00:00Z');
    expect(await runLedgerExpiry(api.db, deps)).toEqual({ cards: 1, lots: 2 });
    const after = await getWallet(api.db.db, t.tenantId, c, clock);
    expect(after.points).toBe(0);
    expect(after.packageCards[0]).toMatchObject({ sessionsLeft: 0, expired: true });
    expect(after.principalFen).toBe(before.principalFen);

    // Running again changes nothing.
    expect(await runLedgerExpiry(api.db, deps)).toEqual({ cards: 0, lots: 0 });
    expect((await verifyLedger(api.db.db, t.tenantId)).ok).toBe(true);
  });

  it('registers its schedules in pg-boss on the same database', async () => {
    const silent = { error: () => {}, info: () => {} } as never;
    const jobs = await startJobs(api.db, deps, silent);
    try {
      const schedules = await jobs.boss.getSchedules();
      expect(schedules.map((s: { name: string }) => s.name).sort()).toEqual(Object.keys(SCHEDULES).sort());
    } finally {
      await jobs.stop();
    }
  });
});
