import type { BillEntry } from './trade-bill.ts';
import { billTime, feeOf, yuan } from './trade-bill.ts';

/**
 * The fund-flow bill (资金账单) of the basic account (account_type BASIC) WeChat Pay serves through
 * /v3/billdownload/file: every movement of the merchant's money that Beijing day with the balance after each, then
 * a summary header and one summary line. As in WeChat's own sample bills, a payment is one line (业务名称 and
 * 业务类型 交易, 收入) that credits what is settled less its fee, its 备注 saying "结算总金额 198.00 元;含手续费
 * 1.19 元" and its 业务凭证号 the merchant's order number; a refund is one line (退款, 支出) that pays out the
 * refund less the part of the fee given back, its 备注 "退款总金额8.00元;含手续费0.05元", submitted by the
 * merchant's API (`<mchid>API`) and vouched by the merchant's refund number. Data fields start with a backquote;
 * amounts are yuan with two decimals; counts in the summary print as "3.0", as WeChat's sample does.
 */
const HEADER = [
  '记账时间',
  '微信支付业务单号',
  '资金流水单号',
  '业务名称',
  '业务类型',
  '收支类型',
  '收支金额(元)',
  '账户结余(元)',
  '资金变更提交申请人',
  '备注',
  '业务凭证号',
];
const SUMMARY_HEADER = ['资金流水总笔数', '收入笔数', '收入金额', '支出笔数', '支出金额'];

export interface FundMovement {
  at: string;
  /** 微信支付业务单号: the transaction id of a payment, the refund id of a refund. */
  businessId: string;
  /** 业务名称, and 业务类型 with it: WeChat names an order's money 交易 and a refund's 退款. */
  name: '交易' | '退款';
  /** Signed: money in is positive, money out negative; the fee already taken off or given back. */
  fen: number;
  submitter: string;
  note: string;
  voucher: string;
}

/** The movement one bill entry (a payment or a refund, see trade-bill.ts) makes in the basic account. */
export function movementOf(entry: BillEntry, mchid: string): FundMovement {
  const { order, refund } = entry;
  if (refund) {
    const fee = feeOf(refund.amount.refund);
    return {
      at: billTime(refund.create_time),
      businessId: refund.refund_id,
      name: '退款',
      fen: -(refund.amount.refund - fee),
      submitter: `${mchid}API`,
      note: `退款总金额${yuan(refund.amount.refund)}元;含手续费${yuan(fee)}元`,
      voucher: refund.out_refund_no,
    };
  }
  const { total } = order.request.amount;
  const fee = feeOf(total);
  return {
    at: billTime(order.successTime ?? 0),
    businessId: order.transactionId ?? '',
    name: '交易',
    fen: total - fee,
    submitter: 'system',
    note: `结算总金额 ${yuan(total)} 元;含手续费 ${yuan(fee)} 元`,
    voucher: order.request.out_trade_no,
  };
}

const line = (fields: string[], quoted: boolean) => fields.map((f) => (quoted ? `\`${f}` : f)).join(',');
const count = (n: number) => `${n}.0`;

/**
 * The bill of one day: `movements` in time order, `openingFen` the account balance before the first of them.
 * `flowId` numbers each movement (资金流水单号).
 */
export function renderFundFlowBill(movements: FundMovement[], openingFen: number, flowId: (index: number) => string) {
  let balance = openingFen;
  const details = movements.map((m, index) => {
    balance += m.fen;
    return line(
      [
        m.at,
        m.businessId,
        flowId(index),
        m.name,
        m.name,
        m.fen >= 0 ? '收入' : '支出',
        yuan(Math.abs(m.fen)),
        yuan(balance),
        m.submitter,
        m.note,
        m.voucher,
      ],
      true,
    );
  });
  const income = movements.filter((m) => m.fen >= 0);
  const expense = movements.filter((m) => m.fen < 0);
  const sum = (ms: FundMovement[]) => ms.reduce((s, m) => s + Math.abs(m.fen), 0);
  const lines = [
    line(HEADER, false),
    ...details,
    line(SUMMARY_HEADER, false),
    line(
      [count(movements.length), count(income.length), yuan(sum(income)), count(expense.length), yuan(sum(expense))],
      true,
    ),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
