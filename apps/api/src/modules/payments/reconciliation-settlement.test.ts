import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { usePaymentsKit } from '../../testing/payments-kit.ts';
import { paidOnlyAtWechat, paidTopUp, refundAndWait, shanghaiToday } from '../../testing/reconciliation-kit.ts';
import { buildDailyReconciliation } from './daily-reconciliation.ts';

const kit = usePaymentsKit();

const storedReport = async (date: string) => {
  const res = await kit.app.inject({
    method: 'GET',
    url: `/staff/payments/reconciliation?date=${date}`,
    headers: kit.managerHeaders(),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe("the day's money by WeChat's fund-flow bill", () => {
  it('nets payments, refunds and fees for this salon, and shows money no Lumi record explains', async () => {
    // The simulator charges 0.6 %, rounded to the fen: 100.00 → 0.60, 200.00 → 1.20, 40.00 → 0.24; the refund
    // of 50.00 gives 0.30 back.
    const first = await paidTopUp(kit, 10_000);
    const second = await paidTopUp(kit, 20_000);
    await refundAndWait(kit, second.outTradeNo, 5_000);
    const missed = await paidOnlyAtWechat(kit, 4_000);
    // Another salon of the same merchant: its money is in the same fund-flow bill but not this salon's.
    await paidOnlyAtWechat(kit, 7_000, randomUUID());

    const report = await buildDailyReconciliation(kit.payments, kit.t.tenantId, shanghaiToday());
    expect(report).toMatchObject({ source: 'bill', billProblem: null, settlementProblem: null });
    expect(report.settlement).toEqual({
      receivedFen: 34_000,
      refundedFen: 5_000,
      feesFen: 60 + 120 + 24 - 30,
      netFen: 34_000 - 5_000 - 174,
      // Lumi knows 100.00 + 200.00 paid and 50.00 refunded; the fees are the trade bill's.
      expectedNetFen: 30_000 - 5_000 - 174,
    });
    // The 40.00 Lumi missed is both a mismatch and the difference in money.
    expect(report.mismatches.map((m) => [m.kind, m.outTradeNo])).toEqual([['missing_in_lumi', missed]]);
    expect(report.mismatches.map((m) => m.outTradeNo)).not.toContain(first.outTradeNo);
    expect(await storedReport(report.date)).toEqual(report);
  });

  it('refuses a bill whose SHA1 does not match and says why, replacing the day whole (never half a report)', async () => {
    const date = shanghaiToday();
    const good = await buildDailyReconciliation(kit.payments, kit.t.tenantId, date);
    expect(good.source).toBe('bill');
    const missed = good.mismatches.find((m) => m.kind === 'missing_in_lumi')?.outTradeNo;
    expect(missed).toBeTruthy();

    // The client refuses the file itself, whether the file or the hash was spoiled.
    kit.sim.faults.add({ kind: 'bill-corrupt', bill: 'trade', part: 'file', times: 1 });
    await expect(kit.gateway.downloadTradeBill(date)).rejects.toMatchObject({ wechatCode: 'BILL_HASH_MISMATCH' });
    kit.sim.faults.add({ kind: 'bill-corrupt', bill: 'fund', part: 'hash', times: 1 });
    await expect(kit.gateway.downloadFundFlowBill(date)).rejects.toMatchObject({ wechatCode: 'BILL_HASH_MISMATCH' });

    // A spoiled trade bill: nothing of it is used; the day is compared order by order, which cannot see the order
    // Lumi missed, and the report says the bill was refused — with no money figures either.
    kit.sim.faults.add({ kind: 'bill-corrupt', bill: 'trade', part: 'file', times: 1 });
    const refused = await buildDailyReconciliation(kit.payments, kit.t.tenantId, date);
    expect(refused).toMatchObject({
      source: 'queries',
      billProblem: 'integrity',
      settlement: null,
      settlementProblem: 'integrity',
    });
    expect(refused.mismatches.map((m) => m.outTradeNo)).not.toContain(missed);
    expect(await storedReport(date)).toEqual(refused);

    // A spoiled fund-flow bill: the trade bill comparison stands, the money figures are withheld and say why.
    kit.sim.faults.add({ kind: 'bill-corrupt', bill: 'fund', part: 'file', times: 1 });
    const noMoney = await buildDailyReconciliation(kit.payments, kit.t.tenantId, date);
    expect(noMoney).toMatchObject({
      source: 'bill',
      billProblem: null,
      settlement: null,
      settlementProblem: 'integrity',
    });
    expect(noMoney.mismatches).toEqual(good.mismatches);
    expect(await storedReport(date)).toEqual(noMoney);

    // Once WeChat serves a sound file again, the next run restores the full report.
    const healed = await buildDailyReconciliation(kit.payments, kit.t.tenantId, date);
    expect({ ...healed, generatedAt: null }).toEqual({ ...good, generatedAt: null });
  });
});
