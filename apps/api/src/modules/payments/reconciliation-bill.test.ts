import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { buildDailyReconciliation } from './daily-reconciliation.ts';
import { orderTopUp, usePaymentsKit } from '../../testing/payments-kit.ts';
import { paidOnlyAtWechat, paidTopUp, refundAndWait, shanghaiToday } from '../../testing/reconciliation-kit.ts';

const kit = usePaymentsKit();

const kinds = (mismatches: { kind: string; outTradeNo: string; outRefundNo: string | null }[]) =>
  mismatches.map((m) => `${m.kind} ${m.outRefundNo ?? m.outTradeNo}`).sort();

describe("daily reconciliation against WeChat's trade bill", () => {
  it('finds what only one side holds, amounts that differ, and refunds likewise — and nothing where both agree', async () => {
    const agreed = await paidTopUp(kit, 10_000);
    const altered = await paidTopUp(kit, 20_000);
    const refunded = await paidTopUp(kit, 30_000);
    const wechatOnly = await paidOnlyAtWechat(kit, 40_000);

    // Lumi believes an order paid that WeChat never saw paid.
    const lumiOnly = await orderTopUp(kit, { amountFen: 50_000 });
    await kit.db.rawQuery(
      `update payment_orders set state = 'SUCCESS', paid_at = now(),
         transfer_id = (select transfer_id from payment_orders where out_trade_no = $2)
       where out_trade_no = $1`,
      [lumiOnly.outTradeNo, agreed.outTradeNo],
    );
    // Lumi's record of a paid order says another amount than WeChat took.
    await kit.db.rawQuery('update payment_orders set amount_fen = 20100 where out_trade_no = $1', [altered.outTradeNo]);

    // Refunds: one both hold but at different amounts, one WeChat made that Lumi never recorded.
    const refundAltered = await refundAndWait(kit, refunded.outTradeNo, 5_000);
    await kit.db.rawQuery('update payment_refunds set amount_fen = 6000 where out_refund_no = $1', [refundAltered]);
    const refundAgreed = await refundAndWait(kit, agreed.outTradeNo, 1_000);
    const wechatOnlyRefund = `RLOST${Date.now()}`;
    await kit.gateway.createRefund({
      out_trade_no: refunded.outTradeNo,
      out_refund_no: wechatOnlyRefund,
      reason: '补偿',
      notify_url: kit.notifyUrl,
      amount: { refund: 2_000, total: 30_000, currency: 'CNY' },
    });

    const report = await buildDailyReconciliation(kit.payments, kit.t.tenantId, shanghaiToday());
    expect(report.source).toBe('bill');
    expect(kinds(report.mismatches)).toEqual(
      [
        `amount ${altered.outTradeNo}`,
        `amount ${refundAltered}`,
        `missing_at_wechat ${lumiOnly.outTradeNo}`,
        `missing_in_lumi ${wechatOnly}`,
        `missing_in_lumi ${wechatOnlyRefund}`,
      ].sort(),
    );
    expect(report.mismatches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'amount',
          outTradeNo: altered.outTradeNo,
          localAmountFen: 20_100,
          wechatAmountFen: 20_000,
        }),
        expect.objectContaining({
          kind: 'missing_in_lumi',
          outTradeNo: wechatOnly,
          outRefundNo: null,
          wechatState: 'SUCCESS',
          wechatAmountFen: 40_000,
          localState: null,
        }),
        expect.objectContaining({
          kind: 'missing_at_wechat',
          outTradeNo: lumiOnly.outTradeNo,
          localState: 'SUCCESS',
          localAmountFen: 50_000,
          wechatState: null,
        }),
        expect.objectContaining({
          kind: 'amount',
          outTradeNo: refunded.outTradeNo,
          outRefundNo: refundAltered,
          localAmountFen: 6_000,
          wechatAmountFen: 5_000,
        }),
        expect.objectContaining({
          kind: 'missing_in_lumi',
          outTradeNo: refunded.outTradeNo,
          outRefundNo: wechatOnlyRefund,
          wechatAmountFen: 2_000,
        }),
      ]),
    );
    // Paid: the four orders WeChat took and the one Lumi alone believes paid; refunds: Lumi's two and WeChat's one.
    expect(report).toMatchObject({ ordersChecked: 5, refundsChecked: 3 });
    expect(report.mismatches.some((m) => m.outRefundNo === refundAgreed)).toBe(false);

    // What the manager reads is what was stored.
    const read = await kit.app.inject({
      method: 'GET',
      url: `/staff/payments/reconciliation?date=${report.date}`,
      headers: kit.managerHeaders(),
    });
    expect(read.json()).toEqual(report);

    // Before WeChat has made the bill, the day is compared order by order: the order Lumi lost cannot be found
    // that way (so the report says how it was made), the one only Lumi believes paid still is.
    kit.sim.faults.add({
      kind: 'response-error',
      path: '/v3/bill/tradebill',
      status: 400,
      code: 'STATEMENT_CREATING',
      message: '账单生成中',
      times: 1,
    });
    const early = await buildDailyReconciliation(kit.payments, kit.t.tenantId, shanghaiToday());
    expect(early.source).toBe('queries');
    expect(early.mismatches.map((m) => m.outTradeNo)).not.toContain(wechatOnly);
    expect(early.mismatches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'state',
          outTradeNo: lumiOnly.outTradeNo,
          localState: 'SUCCESS',
          wechatState: 'NOTPAY',
        }),
      ]),
    );
    const stored = await queryRows<{ source: string; n: number }>(
      kit.db.db,
      sql`select source, count(*) over ()::int as n from payment_reconciliation_reports
          where tenant_id = ${kit.t.tenantId}`,
    );
    expect(stored).toEqual([{ source: 'queries', n: 1 }]);
  });

  it('reads a past day WeChat had no trade on as an empty bill, not as a failure', async () => {
    const tenDaysAgo = new Date(Date.now() + 8 * 3_600_000 - 10 * 86_400_000).toISOString().slice(0, 10);
    const report = await buildDailyReconciliation(kit.payments, kit.t.tenantId, tenDaysAgo);
    expect(report).toMatchObject({ source: 'bill', ordersChecked: 0, refundsChecked: 0, mismatches: [] });
  });
});
