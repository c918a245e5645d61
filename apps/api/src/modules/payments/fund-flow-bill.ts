import { yuanToFen } from './trade-bill.ts';

/**
 * Reads WeChat Pay's fund-flow bill (资金账单) of the basic account: a header line, one backquoted line per movement
 * of the merchant's money that Beijing day, then a summary header and line (资金流水总笔数,收入笔数,收入金额,
 * 支出笔数,支出金额, counts printed like "3.0" or "3"). As in WeChat's sample bills, a payment is one line (业务类型
 * 交易, 收入) crediting its amount less its fee, with 备注 "结算总金额 198.00 元;含手续费 1.19 元"; a refund is one
 * line (退款, 支出) paying out its amount less the fee given back, with 备注 "退款总金额8.00元;含手续费0.05元";
 * other movements (提现, …) carry no fee. The summary is checked against the lines, so a bill cut short is refused.
 */

export interface FundMovement {
  /** 微信支付业务单号: a payment's transaction id, a refund's refund id. */
  businessId: string;
  /** 业务类型, e.g. 交易, 退款, 提现. */
  type: string;
  /** 收支金额 signed by 收支类型 (收入 positive, 支出 negative): what moved, the fee already off or given back. */
  fen: number;
  /** The fee 备注 says the line contains (含手续费): taken from a payment, given back with a refund; else 0. */
  feeFen: number;
}

export interface FundFlowBill {
  movements: FundMovement[];
}

export class FundFlowBillFormatError extends Error {
  constructor(message: string) {
    super(`fund-flow bill: ${message}`);
    this.name = 'FundFlowBillFormatError';
  }
}

const FIELDS = {
  businessId: '微信支付业务单号',
  type: '业务类型',
  direction: '收支类型',
  amount: '收支金额(元)',
  note: '备注',
};

/** "结算总金额 198.00 元;含手续费 1.19 元" → 119. */
function feeIn(note: string): number {
  const match = /含手续费\s*(\d+\.\d{2})\s*元/.exec(note);
  return match?.[1] ? yuanToFen(match[1]) : 0;
}

const unquote = (field: string) => (field.startsWith('`') ? field.slice(1) : field);

/** "3.0" → 3: the summary prints counts as decimals. */
function countOf(text: string): number {
  const match = /^(\d+)(?:\.0+)?$/.exec(text);
  if (!match) throw new FundFlowBillFormatError(`count ${JSON.stringify(text)} is not a whole number`);
  return Number(match[1]);
}

export function parseFundFlowBill(text: string): FundFlowBill {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const header = lines[0]?.split(',').map((name) => name.trim());
  if (!header) throw new FundFlowBillFormatError('empty');
  const at = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new FundFlowBillFormatError(`no column ${name}`);
    return index;
  };
  const column = {
    businessId: at(FIELDS.businessId),
    type: at(FIELDS.type),
    direction: at(FIELDS.direction),
    note: at(FIELDS.note),
  };
  const amountAt = at(FIELDS.amount);
  const summaryAt = lines.findIndex((line, index) => index > 0 && !line.startsWith('`'));
  if (summaryAt < 0) throw new FundFlowBillFormatError('no summary');
  const movements = lines.slice(1, summaryAt).map((line): FundMovement => {
    // ",`" separates fields, so a comma inside 备注 cannot shift the columns.
    const fields = line.slice(1).split(',`');
    if (fields.length !== header.length) {
      throw new FundFlowBillFormatError(`a line has ${fields.length} fields, the header ${header.length}`);
    }
    const field = (index: number) => unquote(fields[index] ?? '').trim();
    const direction = field(column.direction);
    if (direction !== '收入' && direction !== '支出') {
      throw new FundFlowBillFormatError(`收支类型 ${JSON.stringify(direction)}`);
    }
    const fen = yuanToFen(field(amountAt));
    return {
      businessId: field(column.businessId),
      type: field(column.type),
      fen: direction === '收入' ? fen : -fen,
      feeFen: feeIn(field(column.note)),
    };
  });
  const [total, incomeCount, income, expenseCount, expense] = (lines[summaryAt + 1] ?? '').split(',').map(unquote);
  const incomes = movements.filter((m) => m.fen >= 0);
  const expenses = movements.filter((m) => m.fen < 0);
  const sum = (ms: FundMovement[]) => ms.reduce((s, m) => s + Math.abs(m.fen), 0);
  const agrees =
    countOf(total ?? '') === movements.length &&
    countOf(incomeCount ?? '') === incomes.length &&
    countOf(expenseCount ?? '') === expenses.length &&
    yuanToFen(income ?? '') === sum(incomes) &&
    yuanToFen(expense ?? '') === sum(expenses);
  if (!agrees) throw new FundFlowBillFormatError('the summary does not add up to the lines');
  return { movements };
}
