import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { SimClock } from '../clock.ts';
import type { FaultBook } from '../faults/fault-book.ts';
import { movementOf, renderFundFlowBill } from './fund-flow-bill.ts';
import type { OrderBook } from './order-book.ts';
import { PayError, paramError } from './pay-error.ts';
import type { RefundBook } from './refund-book.ts';
import { type BillEntry, beijingDay, renderTradeBill, type TradeBillType } from './trade-bill.ts';

/**
 * When a day's bill exists. WeChat builds day D's bill from 09:00 Beijing on D+1 and advises fetching it after
 * 10:00 ('next-morning', the default). 'same-day' also serves today's bill so far, so a test can reconcile the
 * payments it just made without moving clocks that signatures depend on.
 */
export type BillsReady = 'next-morning' | 'same-day';

const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;
const READY_AFTER_MS = 10 * 3_600_000;
/** The download address is good for five minutes. */
const DOWNLOAD_TTL_MS = 5 * 60_000;
/** Only bills of the last three months can be had. */
const OLDEST_DAYS = 92;

export interface BillApplication {
  hash_type: 'SHA1';
  hash_value: string;
  download_url: string;
}

export interface BillBook {
  /** GET /v3/bill/tradebill: makes the file and hands out its address; baseUrl is how the caller reached us. */
  applyTradeBill(query: Record<string, unknown>, baseUrl: string): BillApplication;
  /** GET /v3/bill/fundflowbill: the basic account's fund-flow bill (资金账单), likewise. */
  applyFundFlowBill(query: Record<string, unknown>, baseUrl: string): BillApplication;
  /** GET /v3/billdownload/file?token=: the bytes (gzip when asked for) or BILL_NOT_EXIST-style errors. */
  download(token: unknown): { body: Buffer; gzip: boolean };
}

const noStatement = () => new PayError(400, 'NO_STATEMENT_EXIST', '请求的账单文件不存在');

/** A file spoiled by a bill-corrupt fault: one digit after the header changed, so it still reads as a bill. */
function corrupted(text: Buffer): Buffer {
  const copy = Buffer.from(text);
  const at = copy.findIndex((byte, index) => index > copy.indexOf(0x0a) && byte >= 0x30 && byte <= 0x39);
  if (at >= 0) copy[at] = 0x30 + (((copy[at] as number) - 0x30 + 1) % 10);
  return copy;
}

export function createBillBook(deps: {
  clock: SimClock;
  orders: OrderBook;
  refunds: RefundBook;
  faults: FaultBook;
  mchid: string;
  ready: BillsReady;
}): BillBook {
  const files = new Map<string, { body: Buffer; gzip: boolean; expiresAt: number }>();

  /** Every payment and refund so far in time order, with its Beijing day. */
  const allEntries = (): { day: string; entry: BillEntry }[] => {
    // Whole seconds, as the bill prints them; the sort is stable, so within a second payments precede refunds.
    const entries: { at: number; day: string; entry: BillEntry }[] = [];
    for (const order of deps.orders.all()) {
      if (order.successTime !== undefined) {
        const at = Math.floor(order.successTime / 1000);
        entries.push({ at, day: beijingDay(order.successTime), entry: { order } });
      }
    }
    for (const refund of deps.refunds.all()) {
      const order = deps.orders.byOutTradeNo(refund.out_trade_no);
      if (order) {
        const at = Date.parse(refund.create_time) / 1000;
        entries.push({ at, day: beijingDay(refund.create_time), entry: { order, refund } });
      }
    }
    return entries.sort((a, b) => a.at - b.at);
  };
  const entriesOf = (day: string): BillEntry[] => allEntries().flatMap((e) => (e.day === day ? [e.entry] : []));
  /** Refuses a day whose bill WeChat would not have yet (or no longer). */
  const checkAvailable = (day: string) => {
    const dayStart = Date.parse(`${day}T00:00:00+08:00`);
    const now = deps.clock.now();
    const today = new Date(now + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
    if (day > today) throw noStatement();
    if (now - dayStart > OLDEST_DAYS * DAY_MS) throw new PayError(400, 'INVALID_REQUEST', '只能下载三个月以内的账单');
    if (deps.ready === 'same-day') return;
    if (now < dayStart + DAY_MS) throw noStatement();
    if (now < dayStart + DAY_MS + READY_AFTER_MS)
      throw new PayError(400, 'STATEMENT_CREATING', '账单生成中，请稍后再试');
  };

  const checkQuery = (query: Record<string, unknown>): { day: string; gzip: boolean } => {
    const day = query.bill_date;
    if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day))) {
      throw paramError('bill_date 格式应为 yyyy-MM-DD', { field: 'bill_date', location: 'query' });
    }
    const tarType = query.tar_type;
    if (tarType !== undefined && tarType !== 'GZIP') {
      throw paramError('tar_type 取值有误', { field: 'tar_type', location: 'query' });
    }
    return { day, gzip: tarType === 'GZIP' };
  };

  /** Stores the file for download and answers with its address and hash (or a spoiled one, when a fault says so). */
  const issue = (bill: 'trade' | 'fund', text: Buffer, gzip: boolean, baseUrl: string): BillApplication => {
    const fault = deps.faults.take('bill-corrupt', { bill });
    const served = fault?.part === 'file' ? corrupted(text) : text;
    const token = randomBytes(24).toString('base64url');
    files.set(token, { body: gzip ? gzipSync(served) : served, gzip, expiresAt: deps.clock.now() + DOWNLOAD_TTL_MS });
    // Of the bill itself, before any compression.
    const hash = createHash('sha1').update(text);
    if (fault?.part === 'hash') hash.update('corrupt');
    return {
      hash_type: 'SHA1',
      hash_value: hash.digest('hex'),
      download_url: `${baseUrl}/v3/billdownload/file?token=${token}`,
    };
  };

  return {
    applyTradeBill: (query, baseUrl) => {
      const { day, gzip } = checkQuery(query);
      const type = (query.bill_type ?? 'ALL') as TradeBillType;
      if (!['ALL', 'SUCCESS', 'REFUND'].includes(type)) {
        throw paramError('bill_type 取值有误', { field: 'bill_type', location: 'query' });
      }
      checkAvailable(day);
      const entries = entriesOf(day);
      // A day without a single trade has no bill at all.
      if (entries.length === 0) throw noStatement();
      return issue('trade', Buffer.from(renderTradeBill(type, entries), 'utf8'), gzip, baseUrl);
    },
    applyFundFlowBill: (query, baseUrl) => {
      const { day, gzip } = checkQuery(query);
      const account = query.account_type ?? 'BASIC';
      if (!['BASIC', 'OPERATION', 'FEES'].includes(String(account))) {
        throw paramError('account_type 取值有误', { field: 'account_type', location: 'query' });
      }
      checkAvailable(day);
      // Payments and refunds, net of their fees, move the basic account; the simulated merchant has no other money.
      const entries = account === 'BASIC' ? allEntries() : [];
      const before = entries.filter((e) => e.day < day).map((e) => movementOf(e.entry, deps.mchid));
      const movements = entries.filter((e) => e.day === day).map((e) => movementOf(e.entry, deps.mchid));
      if (movements.length === 0) throw noStatement();
      const opening = before.reduce((sum, m) => sum + m.fen, 0);
      // 资金流水单号: the merchant, the day and the movement's place in the account's history (so the same on a re-download).
      const flowId = (index: number) =>
        `${deps.mchid}${day.replaceAll('-', '')}${String(before.length + index + 1).padStart(10, '0')}`;
      const text = renderFundFlowBill(movements, opening, flowId);
      return issue('fund', Buffer.from(text, 'utf8'), gzip, baseUrl);
    },
    download: (token) => {
      const file = typeof token === 'string' ? files.get(token) : undefined;
      if (!file || deps.clock.now() > file.expiresAt) {
        throw new PayError(400, 'INVALID_REQUEST', '下载地址无效或已过期，请重新申请账单');
      }
      return { body: file.body, gzip: file.gzip };
    },
  };
}
