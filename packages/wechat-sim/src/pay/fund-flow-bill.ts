import type { BillEntry } from './trade-bill.ts';
import { billTime, feeOf, yuan } from './trade-bill.ts';

/**
 * The fund-flow bill (资金账单) of the basic account (account_type BASIC) WeChat Pay serves through
 * /v3/billdownload/file: every movement of the merchant's money that Beijing day — a payment credited (交易, 收入)
 * and its fee taken (扣除交易手续费, 支出), a refund paid out (退款, 支出) and the fee on it given back (手续费退还,
 * 收入) — with the balance after each, then a summary header and one summary line. Data fields start with a
 * backquote; amounts are yuan with two decimals; counts in the summary print as "3.0", as WeChat's sample does.
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
  name: '交易' | '退款';
  type: '交易' | '扣除交易手续费' | '退款' | '手续费退还';
  /** Signed: money in is positive, money out negative. */
  fen: number;
  note: string;
  voucher: string;
}

/** The movements one bill entry (a payment or a refund, see trade-bill.ts) makes in the basic account. */
export function movementsOf(entry: BillEntry): FundMovement[] {
  const { order, refund } = entry;
  const transactionId = order.transactionId ?? '';
  if (refund) {
    const fee = feeOf(refund.amount.refund);
    const common = { at: billTime(refund.create_time), businessId: refund.refund_id, name: '退款' as const };
    const voucher = `REF${transactionId}`;
    return [
      { ...common, type: '退款', fen: -refund.amount.refund, note: order.request.description, voucher },
      ...(fee > 0 ? [{ ...common, type: '手续费退还' as const, fen: fee, note: '', voucher }] : []),
    ];
  }
  const fee = feeOf(order.request.amount.total);
  const common = { at: billTime(order.successTime ?? 0), businessId: transactionId, name: '交易' as const };
  return [
    {
      ...common,
      type: '交易',
      fen: order.request.amount.total,
      note: order.request.description,
      voucher: transactionId,
    },
    ...(fee > 0 ? [{ ...common, type: '扣除交易手续费' as const, fen: -fee, note: '', voucher: transactionId }] : []),
  ];
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
        m.type,
        m.fen >= 0 ? '收入' : '支出',
        yuan(Math.abs(m.fen)),
        yuan(balance),
        'system',
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
