import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startWechatSim, type WechatSim } from '@lumi/wechat-sim';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { queryRows } from '../db/database.ts';
import { testConfig } from '../testing/harness.ts';
import { createTestDatabase, type TestDatabase } from '../testing/postgres.ts';
import { DAY_MS, shanghaiMidnight } from './demo-clock.ts';
import { seedDemo } from './demo.ts';
import { rememberDemoWechatPayments } from './demo-reconciliation.ts';

/**
 * The demo's WeChat Pay days (demo-reconciliation.ts), seeded as `npm start` seeds them: against a simulator
 * started like the dev server's (its keys in a folder the API reads, its clock real, bills the next morning).
 */
describe('demo seed: WeChat Pay reconciliation', () => {
  let sim: WechatSim;
  let keysDir: string;
  let database: TestDatabase;
  const daysAgo = (n: number) =>
    new Date(shanghaiMidnight(Date.now()) - n * DAY_MS + 8 * 3_600_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    keysDir = await mkdtemp(path.join(tmpdir(), 'lumi-demo-recon-keys-'));
    sim = await startWechatSim({ keysDir, timeScale: 0.01 });
    database = await createTestDatabase(inject('templateDatabase'));
    const config = testConfig({ WECHAT_PAY_BASE: `${sim.url}/`, WECHAT_PAY_KEYS_DIR: keysDir });
    await seedDemo(database, { config, customers: 12, historyMonths: 2 });
  }, 900_000);
  afterAll(async () => {
    await sim?.close();
    await database?.destroy();
    if (keysDir) await rm(keysDir, { recursive: true, force: true });
  });

  it('shows the manager a clean day and a day WeChat holds a top-up Lumi never recorded', async () => {
    const reports = await queryRows<{
      date: string;
      source: string;
      mismatches: { kind: string; outTradeNo: string; wechatAmountFen: number | null }[];
      settlement: Record<string, number> | null;
    }>(
      database.db,
      sql`select to_char(business_date, 'YYYY-MM-DD') as date, source, mismatches, settlement
          from payment_reconciliation_reports order by business_date`,
    );
    // 0.6 % fees: 300.00 → 1.80, 500.00 → 3.00, 200.00 → 1.20, 128.00 → 0.77.
    expect(reports).toEqual([
      {
        date: daysAgo(3),
        source: 'bill',
        mismatches: [],
        settlement: { receivedFen: 80_000, refundedFen: 0, feesFen: 480, netFen: 79_520, expectedNetFen: 79_520 },
      },
      {
        date: daysAgo(2),
        source: 'bill',
        mismatches: [
          expect.objectContaining({
            kind: 'missing_in_lumi',
            outTradeNo: `OLDAPP${daysAgo(2).replaceAll('-', '')}01`,
            wechatAmountFen: 12_800,
          }),
        ],
        settlement: { receivedFen: 32_800, refundedFen: 0, feesFen: 197, netFen: 32_603, expectedNetFen: 19_803 },
      },
    ]);
  });

  it('credits each top-up on the day WeChat took it, and leaves the simulator on time', async () => {
    const paid = await queryRows<{ day: string; fen: number }>(
      database.db,
      sql`select to_char(paid_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day, amount_fen as fen
          from payment_orders where state = 'SUCCESS' and purpose = 'top_up' order by paid_at`,
    );
    expect(paid).toEqual([
      { day: daysAgo(3), fen: 30_000 },
      { day: daysAgo(3), fen: 50_000 },
      { day: daysAgo(2), fen: 20_000 },
    ]);
    const credited = await queryRows<{ day: string }>(
      database.db,
      sql`select to_char(t.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day
          from transfers t join payment_orders o on o.transfer_id = t.id where o.purpose = 'top_up'
          order by t.created_at`,
    );
    expect(credited.map((t) => t.day)).toEqual([daysAgo(3), daysAgo(3), daysAgo(2)]);
    expect(sim.clock.offsetSeconds()).toBe(0);
  });

  it('gives a simulator started afresh (a demo restart on its kept database) every paid order back as it was', async () => {
    const restarted = await startWechatSim({ keysDir, timeScale: 0.01 });
    try {
      const config = testConfig({ WECHAT_PAY_BASE: `${restarted.url}/`, WECHAT_PAY_KEYS_DIR: keysDir });
      await rememberDemoWechatPayments(database.db, config, new Date(), () => {});
      const paid = (target: WechatSim) =>
        target
          .orders()
          .map((o) => o.transaction)
          .filter((t) => t.trade_state !== 'NOTPAY' && t.trade_state !== 'CLOSED')
          .sort((x, y) => (x.out_trade_no < y.out_trade_no ? -1 : 1));
      const recorded = new Set(
        (
          await queryRows<{ out_trade_no: string }>(
            database.db,
            sql`select out_trade_no from payment_orders where transaction_id is not null`,
          )
        ).map((r) => r.out_trade_no),
      );
      const lumis = (target: WechatSim) => paid(target).filter((t) => recorded.has(t.out_trade_no));
      // What Lumi recorded comes back as it was: numbers, amounts, times, tenant — the story's three top-ups and
      // 林小雅's shop order of the gift-card offer (demo-shop-gift.ts).
      expect(lumis(sim)).toHaveLength(4);
      expect(lumis(restarted)).toEqual(lumis(sim));
      // The old mini-program's payment, whose transaction id Lumi never had: the same order, amount and hour.
      const outside = (target: WechatSim) =>
        paid(target)
          .filter((t) => !recorded.has(t.out_trade_no))
          .map((t) => [t.out_trade_no, t.amount.total, t.attach, t.trade_state, t.success_time?.slice(0, 13)]);
      expect(outside(sim)).toHaveLength(1);
      expect(outside(restarted)).toEqual(outside(sim));
      // Given back again (the API restarted alone), nothing changes.
      await rememberDemoWechatPayments(database.db, config, new Date(), () => {});
      expect(lumis(restarted)).toEqual(lumis(sim));
      expect(outside(restarted)).toEqual(outside(sim));
    } finally {
      await restarted.close();
    }
  });
});
