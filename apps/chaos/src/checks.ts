import type { DatabaseHandle } from '@lumi/api/testing/bank';
import { verifyLedger } from '@lumi/api/testing/bank';
import type { RefundView } from '@lumi/wechat-sim';
import type { BankHttp } from './http-client.ts';
import type { CustomerModel } from './model.ts';

export interface CheckReport {
  /** Invariants checked, by name, with how many instances each. */
  checked: Record<string, number>;
  problems: string[];
}

/**
 * Everything that must hold once the faults are over and every request is known: the ledger verifies, every unit
 * sums to zero, each wallet equals its model, no line is over its limit, nothing is negative, every WeChat
 * order was completed exactly when it was paid, and WeChat holds each acknowledged refund once (`wechatRefunds`:
 * the simulator's refunds).
 */
export async function checkInvariants(
  database: DatabaseHandle,
  http: BankHttp,
  customers: CustomerModel[],
  wechatRefunds: RefundView[],
): Promise<CheckReport> {
  const checked: Record<string, number> = {};
  const problems: string[] = [];
  const count = (name: string) => {
    checked[name] = (checked[name] ?? 0) + 1;
  };

  const report = await verifyLedger(database.db);
  count('ledger verify');
  for (const p of report.problems) problems.push(`ledger verify [${p.check}] ${p.message}`);

  const { rows: units } = await database.rawQuery(
    'select unit, sum(amount)::text as total, count(*)::int as entries from entries group by unit order by unit',
  );
  for (const row of units as { unit: string; total: string; entries: number }[]) {
    count('unit sums to zero');
    if (row.total !== '0') problems.push(`unit ${row.unit} sums to ${row.total} over ${row.entries} entries`);
  }

  await Promise.all(customers.map((c) => checkWallet(http, c, count, problems)));
  await checkOrders(database, customers, count, problems);
  await checkRefunds(database, customers, wechatRefunds, count, problems);
  return { checked, problems };
}

async function checkWallet(
  http: BankHttp,
  c: CustomerModel,
  count: (name: string) => void,
  problems: string[],
): Promise<void> {
  const reply = await http.send(
    { method: 'GET', path: `/staff/customers/${c.id}/wallet`, token: c.tenant.staffToken },
    Date.now() + 60_000,
  );
  if (reply?.status !== 200) {
    problems.push(`wallet of ${c.id} could not be read: ${reply?.status}`);
    return;
  }
  const w = reply.body;
  const expect = (name: string, actual: number, wanted: number) => {
    count(name);
    if (actual !== wanted) problems.push(`customer ${c.id}: ${name} is ${actual}, the model says ${wanted}`);
  };
  expect('stored value equals the model', w.totalFen, c.totalFen);
  expect('points equal the model', w.points, c.points);
  expect('credit owed equals the model', w.credit.owedFen, c.owedFen);
  const cards = new Map((w.packageCards as { id: string; sessionsLeft: number }[]).map((card) => [card.id, card]));
  expect('package cards equal the model', cards.size, c.cards.length);
  for (const card of c.cards)
    expect('sessions left equal the model', cards.get(card.id)?.sessionsLeft ?? -1, card.sessionsLeft);
  count('credit within its limit');
  if (w.credit.limitFen !== null && w.credit.owedFen > w.credit.limitFen)
    problems.push(`customer ${c.id}: owes ${w.credit.owedFen} over a limit of ${w.credit.limitFen}`);
  count('nothing negative');
  for (const [name, value] of Object.entries({
    principal: w.principalFen,
    bonus: w.bonusFen,
    points: w.points,
    owed: w.credit.owedFen,
    ...Object.fromEntries([...cards.values()].map((card) => [`sessions of ${card.id}`, card.sessionsLeft])),
  })) {
    if ((value as number) < 0) problems.push(`customer ${c.id}: ${name} is negative (${value})`);
  }
}

/**
 * Every order the clients placed: SUCCESS (REFUND once refunded) with its transfer when paid in WeChat, no transfer
 * when not.
 */
async function checkOrders(
  database: DatabaseHandle,
  customers: CustomerModel[],
  count: (name: string) => void,
  problems: string[],
): Promise<void> {
  const { rows } = await database.rawQuery('select out_trade_no, state, transfer_id from payment_orders');
  const stored = new Map(
    (rows as { out_trade_no: string; state: string; transfer_id: number | null }[]).map((r) => [r.out_trade_no, r]),
  );
  for (const order of customers.flatMap((c) => c.orders)) {
    count(order.paid ? 'paid WeChat order credited' : 'unpaid WeChat order not credited');
    const row = stored.get(order.outTradeNo);
    if (!row) problems.push(`order ${order.outTradeNo} is not in payment_orders`);
    else if (order.paid && (!['SUCCESS', 'REFUND'].includes(row.state) || row.transfer_id === null))
      problems.push(`paid order ${order.outTradeNo} is ${row.state} with transfer ${row.transfer_id}`);
    else if (!order.paid && (row.state === 'SUCCESS' || row.transfer_id !== null))
      problems.push(`unpaid order ${order.outTradeNo} is ${row.state} with transfer ${row.transfer_id}`);
  }
}

/**
 * Refunds through WeChat, each acknowledged one exactly once: per order, Lumi's refunds that are not CLOSED are the
 * model's (same amounts, as many); every refund Lumi has sent is at WeChat once with its amount, and WeChat holds
 * none Lumi does not know. A refund recorded but not sent yet (PENDING, sent again by the payments
 * reconciliation) is counted, not a problem: its value is in refunds_pending, which the ledger checks cover.
 */
async function checkRefunds(
  database: DatabaseHandle,
  customers: CustomerModel[],
  wechatRefunds: RefundView[],
  count: (name: string) => void,
  problems: string[],
): Promise<void> {
  const { rows } = await database.rawQuery(
    `select o.out_trade_no, r.out_refund_no, r.amount_fen, r.state, r.idempotency_key, r.attempts,
            r.hold_transfer_id, r.void_transfer_id
       from payment_refunds r join payment_orders o on o.id = r.order_id`,
  );
  const all = rows as RefundRow[];
  const refunds = all.filter((r) => r.state !== 'CLOSED');
  const byOrder = new Map<string, number[]>();
  for (const r of refunds) byOrder.set(r.out_trade_no, [...(byOrder.get(r.out_trade_no) ?? []), r.amount_fen]);
  const sorted = (amounts: number[]) => [...amounts].sort((a, b) => a - b).join(',');
  for (const order of customers.flatMap((c) => c.orders)) {
    count('WeChat refunds of an order equal the model');
    const lumi = sorted(byOrder.get(order.outTradeNo) ?? []);
    if (lumi !== sorted(order.refundsFen))
      problems.push(
        `order ${order.outTradeNo} (${order.purpose}) has refunds [${lumi}], the model says [${sorted(order.refundsFen)}]`,
      );
  }
  const atWechat = new Map<string, RefundView[]>();
  for (const w of wechatRefunds) atWechat.set(w.out_refund_no, [...(atWechat.get(w.out_refund_no) ?? []), w]);
  const known = new Set(all.map((r) => r.out_refund_no));
  for (const r of refunds) {
    if (r.state === 'PENDING') {
      count('refund recorded, not sent yet');
      continue;
    }
    count('sent refund at WeChat once');
    const held = atWechat.get(r.out_refund_no) ?? [];
    if (held.length !== 1 || held[0]?.amount.refund !== r.amount_fen)
      problems.push(
        `refund ${r.out_refund_no} (${r.state}, ${r.amount_fen}) is at WeChat as ${JSON.stringify(held.map((h) => h.amount.refund))}`,
      );
  }
  count('no refund at WeChat unknown to Lumi');
  for (const w of wechatRefunds)
    if (!known.has(w.out_refund_no)) problems.push(`WeChat holds refund ${w.out_refund_no} that Lumi does not know`);
  for (const r of all.filter((row) => row.state === 'CLOSED')) {
    count('closed refund not paid out at WeChat');
    const held = (atWechat.get(r.out_refund_no) ?? []).filter((w) => w.status !== 'CLOSED');
    if (held.length > 0)
      problems.push(`refund ${r.out_refund_no} is CLOSED in Lumi, WeChat holds it ${held[0]?.status}`);
  }
  checkFaultedRefunds(customers, all, atWechat, count, problems);
}

interface RefundRow {
  out_trade_no: string;
  out_refund_no: string;
  amount_fen: number;
  state: string;
  idempotency_key: string;
  attempts: number;
  hold_transfer_id: number | null;
  void_transfer_id: number | null;
}

/**
 * The refunds that met a fault at WeChat's refund endpoint ended as payments/refunds.ts promises: one WeChat
 * refused is CLOSED with its hold given back (a void transfer; the wallets' model checks say the value is back)
 * and WeChat holds nothing for it — or, when the refusal could not be recorded as final, it was sent again like
 * one after a failure; one WeChat failed on before or after taking it is refunded and WeChat holds it
 * exactly once (the same out_refund_no sent again: twice at least when WeChat never took the first; one it took
 * may instead be settled by its REFUND.SUCCESS notification before the retry, which then sends nothing).
 */
function checkFaultedRefunds(
  customers: CustomerModel[],
  all: RefundRow[],
  atWechat: Map<string, RefundView[]>,
  count: (name: string) => void,
  problems: string[],
): void {
  const byKey = new Map(all.map((r) => [r.idempotency_key, r]));
  for (const order of customers.flatMap((c) => c.orders)) {
    for (const faulted of (order.faultedRefunds ?? []).filter((f) => f.fired())) {
      const r = byKey.get(faulted.idempotencyKey);
      const where = `refund ${faulted.idempotencyKey} of ${order.outTradeNo} (WeChat ${faulted.fault})`;
      if (!r) {
        problems.push(`${where} met WeChat but is not in payment_refunds`);
        continue;
      }
      const held = atWechat.get(r.out_refund_no) ?? [];
      if (faulted.fault === 'refused' && r.state === 'CLOSED') {
        count('refund WeChat refused: closed, value back, not at WeChat');
        if ((r.hold_transfer_id !== null && r.void_transfer_id === null) || held.length > 0)
          problems.push(
            `${where}: hold ${r.hold_transfer_id} given back by ${r.void_transfer_id}, at WeChat ${held.length}×`,
          );
        continue;
      }
      count('refund WeChat failed on or refused unrecorded: refunded, at WeChat once');
      // One WeChat never took (a failure before it, a refusal) must have been sent again; one it took may be
      // settled by its notification instead.
      const sends = faulted.fault === 'error-before' || faulted.fault === 'refused' ? 2 : 1;
      if (r.state === 'CLOSED' || r.state === 'PENDING' || r.attempts < sends || held.length !== 1)
        problems.push(`${where} is ${r.state} after ${r.attempts} sends, at WeChat ${held.length}×`);
    }
  }
}
