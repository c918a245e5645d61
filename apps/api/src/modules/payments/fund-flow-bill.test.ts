import { describe, expect, it } from 'vitest';
import { FundFlowBillFormatError, parseFundFlowBill } from './fund-flow-bill.ts';
import { settlementOf } from './settlement.ts';

const HEADER =
  '记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),账户结余(元),资金变更提交申请人,备注,业务凭证号';
const SUMMARY_HEADER = '资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额';
const LINES = [
  '`2026-12-07 10:00:01,`4200000001,`4200000001,`交易,`交易,`收入,`196.81,`196.81,`system,`结算总金额 198.00 元;含手续费 1.19 元,`LT1',
  '`2026-12-07 11:00:00,`50000000009,`190000010920261207002,`退款,`退款,`支出,`7.95,`188.86,`1900000109API,`退款总金额8.00元;含手续费0.05元,`R1',
  // Money that is no order's: a withdrawal to the bank, with a comma in 备注.
  '`2026-12-07 12:00:00,`W0001,`190000010920261207003,`提现,`提现,`支出,`100.00,`88.86,`system,`提现, 到工行,`W0001',
];
const bill = (lines: string[], summary = '`3.0,`1.0,`196.81,`2.0,`107.95') =>
  [HEADER, ...lines, SUMMARY_HEADER, summary].join('\r\n');

describe('fund-flow bill parser', () => {
  it('reads each movement signed by 收入/支出, in fen, with the fee its 备注 names and commas inside 备注', () => {
    expect(parseFundFlowBill(bill(LINES)).movements).toEqual([
      { businessId: '4200000001', type: '交易', fen: 19_681, feeFen: 119 },
      { businessId: '50000000009', type: '退款', fen: -795, feeFen: 5 },
      { businessId: 'W0001', type: '提现', fen: -10_000, feeFen: 0 },
    ]);
    // Counts may also print as whole numbers.
    expect(parseFundFlowBill(bill(LINES, '`3,`1,`196.81,`2,`107.95')).movements).toHaveLength(3);
    expect(parseFundFlowBill(`\uFEFF${bill([], '`0.0,`0.0,`0.00,`0.0,`0.00')}\r\n`).movements).toEqual([]);
  });

  it('refuses a bill whose summary does not add up, or that is cut short or misaligned', () => {
    expect(() => parseFundFlowBill(bill(LINES.slice(0, 2)))).toThrow(FundFlowBillFormatError);
    expect(() => parseFundFlowBill(bill(LINES, '`3.0,`1.0,`196.82,`2.0,`107.95'))).toThrow(/does not add up/);
    expect(() => parseFundFlowBill(bill([LINES[0]?.replace(',`收入', '') ?? '']))).toThrow(/fields/);
    expect(() => parseFundFlowBill([HEADER, ...LINES].join('\n'))).toThrow(/no summary/);
  });

  it("nets a salon's movements: the ones its trade-bill lines name, fees apart", () => {
    const fund = parseFundFlowBill(bill(LINES));
    const mine = {
      payments: [{ outTradeNo: 'LT1', transactionId: '4200000001', amountFen: 19_800, attach: 't', feeFen: 119 }],
      refunds: [
        {
          outTradeNo: 'LT1',
          outRefundNo: 'R1',
          refundId: '50000000009',
          refundFen: 800,
          status: 'SUCCESS',
          attach: 't',
          feeFen: -5,
        },
      ],
    };
    expect(settlementOf(mine, fund, { paidFen: 19_800, refundedFen: 800 })).toEqual({
      receivedFen: 19_800,
      refundedFen: 800,
      feesFen: 114,
      netFen: 18_886,
      expectedNetFen: 18_886,
    });
    // Lumi never recorded the refund: it expects 8.00 more than reached the account.
    expect(settlementOf(mine, fund, { paidFen: 19_800, refundedFen: 0 }).expectedNetFen).toBe(19_686);
  });
});
