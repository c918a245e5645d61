import { describe, expect, it } from 'vitest';
import { feeToFen, parseTradeBill, TradeBillFormatError, yuanToFen } from './trade-bill.ts';

const HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const SUMMARY_HEADER = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';
// Shaped like WeChat's published sample: every field backquoted, the fee with five decimals, CRLF lines.
const PAID =
  '`2026-12-07 13:51:31,`wx0000000000customer,`1900000109,`0,`,`4200000612202612070748613220688,`LT20261207A,`oOpenid,`JSAPI,`SUCCESS,`OTHERS,`CNY,`1234.50,`0.00,`0,`0,`0.00,`0.00,`,`,`护理, 含面膜,`t-1,`7.41000,`0.60%,`1234.50,`0.00,`';
const REFUNDED =
  '`2026-12-07 15:00:02,`wx0000000000customer,`1900000109,`0,`,`4200000612202612070748613220688,`LT20261207A,`oOpenid,`JSAPI,`REFUND,`OTHERS,`CNY,`0.00,`0.00,`50000000382026120700001,`R1,`0.05,`0.00,`ORIGINAL,`PROCESSING,`护理, 含面膜,`t-1,`-0.00000,`0.60%,`0.00,`0.05,`';
const bill = (lines: string[], count = lines.length) =>
  [HEADER, ...lines, SUMMARY_HEADER, `\`${count},\`1234.50,\`0.05,\`0.00,\`7.41000,\`1234.50,\`0.05`].join('\r\n');

describe('trade bill parser', () => {
  it('reads payments and refunds by column name, in fen, with commas inside a description', () => {
    expect(parseTradeBill(bill([PAID, REFUNDED]))).toEqual({
      payments: [
        {
          outTradeNo: 'LT20261207A',
          transactionId: '4200000612202612070748613220688',
          amountFen: 123_450,
          attach: 't-1',
          feeFen: 741,
        },
      ],
      refunds: [
        {
          outTradeNo: 'LT20261207A',
          outRefundNo: 'R1',
          refundId: '50000000382026120700001',
          feeFen: 0,
          refundFen: 5,
          status: 'PROCESSING',
          attach: 't-1',
        },
      ],
    });
    expect(parseTradeBill(`\uFEFF${bill([])}\r\n`)).toEqual({ payments: [], refunds: [] });
  });

  it('turns yuan into fen by digits, never through a float', () => {
    expect([yuanToFen('0.07'), yuanToFen('1.1'), yuanToFen('20'), yuanToFen('-0.06'), yuanToFen('19.99')]).toEqual([
      7, 110, 2_000, -6, 1_999,
    ]);
    expect(() => yuanToFen('1.234')).toThrow(TradeBillFormatError);
    expect(() => yuanToFen('¥1')).toThrow(TradeBillFormatError);
    // Fees print five decimals; a fraction of a fen rounds half up.
    expect([
      feeToFen('1.19000'),
      feeToFen('-0.05000'),
      feeToFen('0.00500'),
      feeToFen('0.00499'),
      feeToFen('2'),
    ]).toEqual([119, -5, 1, 0, 200]);
    expect(() => feeToFen('0.000001')).toThrow(TradeBillFormatError);
  });

  it('refuses a bill that is cut short, misaligned or missing a column', () => {
    expect(() => parseTradeBill(bill([PAID, REFUNDED], 3))).toThrow(/summary counts 3/);
    expect(() => parseTradeBill(bill([PAID.replace(',`CNY', '')]))).toThrow(/fields/);
    expect(() => parseTradeBill(bill([PAID]).replace('商户订单号', '订单'))).toThrow(/no column 商户订单号/);
    expect(() => parseTradeBill([HEADER, PAID].join('\n'))).toThrow(/no summary/);
  });
});
