/**
 * Reads WeChat Pay's trade bill (交易账单, type ALL): a header line, one backquote-prefixed line per payment that
 * succeeded and per refund started that Beijing day, then a summary header and line. Amounts are yuan with two
 * decimals and become integer fen here by their digits, never through a float.
 */

export interface BillPayment {
  outTradeNo: string;
  transactionId: string;
  amountFen: number;
  /** 商户数据包: the tenant id Lumi sends as attach (older orders have none). */
  attach: string;
  /** 手续费: WeChat's fee on the payment. */
  feeFen: number;
}

export interface BillRefund {
  outTradeNo: string;
  outRefundNo: string;
  /** 微信退款单号, the refund's number in the fund-flow bill. */
  refundId: string;
  /** 手续费 of a refund line: negative, the fee WeChat gives back. */
  feeFen: number;
  refundFen: number;
  /** 退款状态 when the bill was made (SUCCESS, PROCESSING, …); WeChat does not update it later. */
  status: string;
  attach: string;
}

export interface TradeBill {
  payments: BillPayment[];
  refunds: BillRefund[];
}

export class TradeBillFormatError extends Error {
  constructor(message: string) {
    super(`trade bill: ${message}`);
    this.name = 'TradeBillFormatError';
  }
}

const FIELDS = {
  tradeState: '交易状态',
  transactionId: '微信订单号',
  outTradeNo: '商户订单号',
  settlement: '应结订单金额',
  outRefundNo: '商户退款单号',
  refund: '退款金额',
  refundStatus: '退款状态',
  attach: '商户数据包',
  refundId: '微信退款单号',
  fee: '手续费',
} as const;

/** "12.30" → 1230; "-0.06" → -6. */
export function yuanToFen(text: string): number {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new TradeBillFormatError(`amount ${JSON.stringify(text)} is not yuan`);
  const fen = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -fen : fen;
}

/** 手续费 prints five decimals ("1.19000"); WeChat charges whole fen, so the rest rounds half up. */
export function feeToFen(text: string): number {
  const match = /^(-?)(\d+)(?:\.(\d{1,5}))?$/.exec(text);
  if (!match) throw new TradeBillFormatError(`fee ${JSON.stringify(text)} is not yuan`);
  const thousandthsOfFen = Number(match[2]) * 100_000 + Number((match[3] ?? '').padEnd(5, '0'));
  const fen = Math.floor((thousandthsOfFen + 500) / 1000);
  return match[1] && fen > 0 ? -fen : fen;
}

const unquote = (field: string) => (field.startsWith('`') ? field.slice(1) : field);

export function parseTradeBill(text: string): TradeBill {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const header = lines[0]?.split(',').map((name) => name.trim());
  if (!header) throw new TradeBillFormatError('empty');
  const at = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new TradeBillFormatError(`no column ${name}`);
    return index;
  };
  const column = Object.fromEntries(Object.entries(FIELDS).map(([key, name]) => [key, at(name)])) as Record<
    keyof typeof FIELDS,
    number
  >;
  // The summary starts at the first line that is not a backquoted detail line (its header).
  const summaryAt = lines.findIndex((line, index) => index > 0 && !line.startsWith('`'));
  if (summaryAt < 0) throw new TradeBillFormatError('no summary');
  const details = lines.slice(1, summaryAt);
  const bill: TradeBill = { payments: [], refunds: [] };
  for (const line of details) {
    // Fields are separated by ",`" so a comma inside a description (商品名称) cannot shift the columns.
    const fields = line.slice(1).split(',`');
    if (fields.length !== header.length) {
      throw new TradeBillFormatError(`a line has ${fields.length} fields, the header ${header.length}`);
    }
    const field = (key: keyof typeof FIELDS) => unquote(fields[column[key]] ?? '').trim();
    const state = field('tradeState');
    if (state === 'SUCCESS') {
      bill.payments.push({
        outTradeNo: field('outTradeNo'),
        transactionId: field('transactionId'),
        amountFen: yuanToFen(field('settlement')),
        attach: field('attach'),
        feeFen: feeToFen(field('fee')),
      });
    } else if (state === 'REFUND' || state === 'REVOKED') {
      bill.refunds.push({
        outTradeNo: field('outTradeNo'),
        outRefundNo: field('outRefundNo'),
        refundId: field('refundId'),
        feeFen: feeToFen(field('fee')),
        refundFen: yuanToFen(field('refund')),
        status: field('refundStatus'),
        attach: field('attach'),
      });
    }
  }
  const [count] = (lines[summaryAt + 1] ?? '').split(',').map(unquote);
  if (Number(count) !== details.length) {
    throw new TradeBillFormatError(`the summary counts ${count} lines, the bill has ${details.length}`);
  }
  return bill;
}
